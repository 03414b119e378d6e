import { EventEmitter } from 'node:events';
import type { BrowserWindow, Dialog } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { askBeforeDiscarding } from './unload-question';

// Electron's runtime cannot be downloaded here: the window's page and the dialog are stubbed,
// and what the desktop door does when the page holds the window open is checked.

function windowAnswering(choice: number): { window: BrowserWindow; dialog: Pick<Dialog, 'showMessageBoxSync'>; unload: () => boolean } {
  const webContents = new EventEmitter();
  const window = { webContents } as unknown as BrowserWindow;
  const dialog = { showMessageBoxSync: vi.fn(() => choice) } as unknown as Pick<Dialog, 'showMessageBoxSync'>;
  askBeforeDiscarding(window, dialog);
  return {
    window,
    dialog,
    // True when the close or reload goes ahead (Electron: the event's default is prevented).
    unload: () => {
      const event = { preventDefault: vi.fn() };
      webContents.emit('will-prevent-unload', event);
      return event.preventDefault.mock.calls.length > 0;
    },
  };
}

describe('closing the desktop window with unsaved work', () => {
  it('closes only when the user chooses to discard', () => {
    expect(windowAnswering(0).unload()).toBe(true);
    expect(windowAnswering(1).unload()).toBe(false);
  });

  it('asks on the window itself, naming the two ways back, and keeps the work when the question is dismissed', () => {
    const { window, dialog, unload } = windowAnswering(1);
    unload();
    expect(dialog.showMessageBoxSync).toHaveBeenCalledTimes(1);
    const [parent, options] = vi.mocked(dialog.showMessageBoxSync).mock.calls[0] as unknown as [BrowserWindow, Electron.MessageBoxSyncOptions];
    expect(parent).toBe(window);
    expect(options.buttons).toEqual(['Discard and close', 'Keep editing']);
    expect(options.defaultId).toBe(1);
    expect(options.cancelId).toBe(1);
  });

  it('asks again each time the page holds the window', () => {
    const { dialog, unload } = windowAnswering(1);
    unload();
    unload();
    expect(dialog.showMessageBoxSync).toHaveBeenCalledTimes(2);
  });
});
