import { fileURLToPath } from 'node:url';
import { watchEdge } from './edge-link.js';
import { KioskConfigError, loadKioskConfig } from './kiosk-config.js';
import { isAllowedNavigation, rendererAddress, withDeviceKey } from './navigation-guard.js';
import { createRestartPolicy } from './restart-policy.js';

/**
 * The slice of Electron's API the kiosk uses. Typed here because the Electron binary (and its
 * types) cannot be installed on the build machine; everything with a decision in it lives in the
 * modules imported above, with unit tests.
 */
interface Electron {
  app: {
    whenReady(): Promise<void>;
    on(event: 'window-all-closed', fn: () => void): void;
    quit(): void;
    exit(code: number): void;
  };
  Menu: { setApplicationMenu(menu: null): void };
  dialog: { showErrorBox(title: string, text: string): void };
  BrowserWindow: new (options: Record<string, unknown>) => KioskWindow;
  session: {
    defaultSession: {
      webRequest: {
        onBeforeSendHeaders(
          fn: (
            details: { url: string; requestHeaders: Record<string, string> },
            cb: (r: { requestHeaders: Record<string, string> }) => void,
          ) => void,
        ): void;
      };
    };
  };
}
interface KioskWindow {
  loadURL(url: string): Promise<void>;
  webContents: {
    on(event: 'will-navigate', fn: (event: { preventDefault(): void }, url: string) => void): void;
    on(event: 'render-process-gone' | 'unresponsive', fn: () => void): void;
    on(event: 'devtools-opened', fn: () => void): void;
    setWindowOpenHandler(fn: () => { action: 'deny' }): void;
    closeDevTools(): void;
    reload(): void;
  };
}

const CONFIG_PATH = process.env.CLUBOS_KIOSK_CONFIG ?? '/etc/clubos/kiosk.json';
const RENDERER_INDEX = new URL('../dist/renderer/index.html', import.meta.url).href;

async function main(): Promise<void> {
  // A variable specifier: the module exists only where Electron runs the kiosk.
  const moduleName = 'electron';
  const electron = (await import(moduleName)) as Electron;
  const { app, BrowserWindow, Menu, dialog, session } = electron;

  let config: Awaited<ReturnType<typeof loadKioskConfig>>;
  try {
    config = await loadKioskConfig(CONFIG_PATH);
  } catch (error) {
    const text = error instanceof KioskConfigError ? error.message : String(error);
    await app.whenReady();
    dialog.showErrorBox('ClubOS kiosk cannot start', `${text}\n\nConfig file: ${CONFIG_PATH}`);
    app.exit(78);
    return;
  }

  await app.whenReady();
  Menu.setApplicationMenu(null);
  session.defaultSession.webRequest.onBeforeSendHeaders((details, cb) =>
    cb({ requestHeaders: withDeviceKey(details.url, details.requestHeaders, config) }),
  );
  const address = rendererAddress(RENDERER_INDEX, config);
  const win = new BrowserWindow({
    kiosk: true,
    fullscreen: true,
    autoHideMenuBar: true,
    webPreferences: { devTools: false, contextIsolation: true, nodeIntegration: false, sandbox: true },
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, address)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('devtools-opened', () => win.webContents.closeDevTools());

  const restarts = createRestartPolicy();
  const restart = () => setTimeout(() => void win.loadURL(address), restarts.onCrash(Date.now()));
  win.webContents.on('render-process-gone', restart);
  win.webContents.on('unresponsive', restart);

  // Back from an edge outage: reload so the renderer starts from the welcome screen with fresh data.
  watchEdge({
    edgeUrl: config.edgeUrl,
    fetch: (url, init) => fetch(url, init),
    onChange: (up) => {
      if (up) void win.loadURL(address);
    },
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
  });
  app.on('window-all-closed', () => app.quit());
  await win.loadURL(address);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) void main();
