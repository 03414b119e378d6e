import type { BrowserWindow, Dialog } from 'electron';

const DISCARD = 0;
const KEEP_EDITING = 1;

/**
 * The page holds its window open (beforeunload) while work would be lost; Electron asks no one
 * by itself, so the window would just stay. This asks one question, naming all that could be
 * lost, and lets the window close or reload only on "Discard and close".
 */
export function askBeforeDiscarding(window: BrowserWindow, dialog: Pick<Dialog, 'showMessageBoxSync'>): void {
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'warning',
      title: 'Discard unsaved work?',
      message: 'Close Microseg Designer and lose the unsaved work?',
      detail: 'The drawing has changes that are not saved, or the YAML view has edits that are not applied to it, or both. Closing or reloading throws them away.',
      buttons: ['Discard and close', 'Keep editing'],
      defaultId: KEEP_EDITING,
      cancelId: KEEP_EDITING,
    });
    // Electron's will-prevent-unload: preventing it lets the unload go ahead.
    if (choice === DISCARD) event.preventDefault();
  });
}
