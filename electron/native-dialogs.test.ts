import type { Dialog } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { nativeDialogs } from './native-dialogs';

// Electron's runtime cannot be downloaded here: its dialog is stubbed, and what the desktop door
// asks of it is checked.

function stubDialog(answers: { canceled: boolean; filePath?: string }[]): Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'> {
  return {
    showOpenDialog: vi.fn(async () => Promise.resolve({ canceled: true, filePaths: [] })),
    showSaveDialog: vi.fn(async () => Promise.resolve(answers.shift()!)),
  } as unknown as Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;
}

describe('the desktop save dialog', () => {
  it('opens at the path it is given, as Save as asks again at a refused one, and answers the path picked', async () => {
    const dialog = stubDialog([{ canceled: false, filePath: '/home/me/shop.yaml' }]);
    expect(await nativeDialogs(dialog).save('Save policy as', ['yaml', 'yml'], '/home/me/dir')).toBe('/home/me/shop.yaml');
    expect(dialog.showSaveDialog).toHaveBeenCalledWith({ title: 'Save policy as', defaultPath: '/home/me/dir', filters: [{ name: 'Policy', extensions: ['yaml', 'yml'] }] });
  });

  it('answers null when it is cancelled', async () => {
    expect(await nativeDialogs(stubDialog([{ canceled: true }])).save('Save policy as', ['yaml'], '/home/me/x.yaml')).toBeNull();
  });
});
