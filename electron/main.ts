import { homedir } from 'node:os';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT, IPC_REQUEST } from '@shared/api/bridge';
import type { ApiEvents } from '@shared/api/contract';
import { createHandlers, dispatch } from './api/handlers';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol';
import { nativeDialogs } from './native-dialogs';
import { askBeforeDiscarding } from './unload-question';
import { resolveAppPaths } from './services/app-paths';
import { createLogger } from './services/logger';
import { createServices } from './services/services';

// The desktop door: one window, locked down, talking to the shared services over IPC.

const rendererDir = join(__dirname, '..', 'renderer');
const rendererIndex = `${APP_ORIGIN}/index.html`;
const examplesDir = app.isPackaged ? join(process.resourcesPath, 'examples') : join(__dirname, '..', '..', 'examples');

const log = createLogger({ file: join(app.getPath('logs'), 'main.log'), scope: 'main' });
let mainWindow: BrowserWindow | null = null;

const emit = <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]): void => {
  mainWindow?.webContents.send(IPC_EVENT, { event, payload });
};

const dialogs = nativeDialogs(dialog);

const services = createServices(resolveAppPaths(examplesDir, process.env.MICROSEG_HOME ?? join(app.getPath('userData'))), log, emit);
const handlers = createHandlers(services, { name: 'Microseg Designer', version: app.getVersion(), transport: 'electron', nativeDialogs: true, homeDir: homedir() }, dialogs);

/** Only our own page's main frame may call the services. */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (frame === null || frame !== event.sender.mainFrame) return false;
  // Node's URL gives custom schemes an opaque "null" origin, so compare scheme and host.
  const url = new URL(frame.url);
  return `${url.protocol}//${url.host}` === APP_ORIGIN;
}

function lockDownSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'Microseg Designer',
    icon: join(__dirname, '..', '..', 'assets', 'icon.png'),
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  mainWindow.on('closed', () => (mainWindow = null));
  askBeforeDiscarding(mainWindow, dialog);
  void mainWindow.loadURL(rendererIndex);
}

ipcMain.handle(IPC_REQUEST, async (event, channel: unknown, args: unknown) => {
  if (!trustedSender(event)) {
    log.scope('ipc').warn('request from untrusted frame refused', { url: event.senderFrame?.url });
    return { ok: false, error: { code: 'unauthorized', message: 'Requests are accepted from the app window only.' } };
  }
  return dispatch(handlers, channel, args);
});

app.enableSandbox();
registerAppScheme();
void app.whenReady().then(() => {
  serveRenderer(rendererDir);
  lockDownSessions();
  createWindow();
  log.info('app ready', { version: app.getVersion() });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('before-quit', () => {
  void services.inventory.shutdown();
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
