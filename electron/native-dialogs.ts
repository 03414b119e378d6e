import type { Dialog } from 'electron';
import type { DialogProvider } from './api/handlers';

/**
 * The desktop's file dialogs, on Electron's `dialog` (passed in, so they can be tested where the
 * Electron runtime cannot run). Save opens at `defaultPath`: after a refused path, the renderer
 * asks again at that path (see chooseAndWrite in renderer/src/actions/policy-files.ts).
 */
export function nativeDialogs(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>): DialogProvider {
  return {
    async open(title, extensions, folder) {
      const result = await dialog.showOpenDialog(
        folder ? { title, properties: ['openDirectory', 'createDirectory'] } : { title, properties: ['openFile'], filters: [{ name: 'Policy', extensions }] },
      );
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async save(title, extensions, defaultPath) {
      const result = await dialog.showSaveDialog({ title, defaultPath, filters: [{ name: 'Policy', extensions }] });
      return result.canceled ? null : (result.filePath ?? null);
    },
  };
}
