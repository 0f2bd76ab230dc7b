import type { BrowserWindow, Menu, Session } from 'electron';
import { watchEdge } from './edge-link.js';
import type { KioskConfig } from './kiosk-config.js';
import { isAllowedNavigation, rendererAddress, withDeviceKey } from './navigation-guard.js';
import { createRestartPolicy } from './restart-policy.js';

/**
 * The parts of Electron the shell uses, typed by Electron's own declarations (the `electron`
 * devDependency; its binary is never downloaded here). The tests drive the shell with a stand-in.
 */
export interface ElectronApi {
  BrowserWindow: typeof BrowserWindow;
  Menu: Pick<typeof Menu, 'setApplicationMenu'>;
  session: { defaultSession: Pick<Session, 'webRequest'> };
}

export type KioskWindow = BrowserWindow;

export interface ShellDeps {
  fetch: (url: string, init: { signal: AbortSignal }) => Promise<{ ok: boolean }>;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  now: () => number;
}

/** Chromium's "navigation aborted" (a newer load replaced it): not a failure to show. */
const ERR_ABORTED = -3;

/**
 * Shown while the edge cannot be reached (it serves the renderer, so there is nothing else to
 * show): a plain page that needs no network, replaced by the renderer as soon as the edge answers.
 */
export const WAITING_PAGE = `data:text/html;charset=utf-8,${encodeURIComponent(
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ClubOS Kiosk</title></head>' +
    '<body style="margin:0;min-height:100vh;display:grid;place-items:center;background:#0d1f17;color:#f3f7f4;' +
    'font:28px system-ui,sans-serif;text-align:center"><main><h1>Connecting to the venue system…</h1>' +
    '<p style="color:#a8bdb3">This kiosk will be ready in a moment. If it stays like this, please ask staff.</p>' +
    '</main></body></html>',
)}`;

/**
 * The kiosk window: fullscreen kiosk mode with no menus, devtools or navigation away; the renderer
 * loaded from the edge (same origin as its API) with this kiosk's key added to the edge's requests
 * only; the waiting page while the edge is away; a crashed renderer reloaded with backoff.
 */
export function startKioskShell(
  electron: ElectronApi,
  config: KioskConfig,
  deps: ShellDeps,
): { window: KioskWindow; stop(): void } {
  electron.Menu.setApplicationMenu(null);
  electron.session.defaultSession.webRequest.onBeforeSendHeaders((details, cb) =>
    cb({ requestHeaders: withDeviceKey(details.url, details.requestHeaders, config) }),
  );
  const address = rendererAddress(config);
  const win = new electron.BrowserWindow({
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

  let waiting = false;
  const loadRenderer = () => {
    waiting = false;
    // A failed load is reported through did-fail-load below.
    win.loadURL(address).catch(() => {});
  };
  win.webContents.on('did-fail-load', (_event, code, _description, _url, isMainFrame) => {
    if (!isMainFrame || code === ERR_ABORTED || waiting) return;
    waiting = true;
    win.loadURL(WAITING_PAGE).catch(() => {});
  });

  const restarts = createRestartPolicy();
  const restart = () => deps.setTimer(loadRenderer, restarts.onCrash(deps.now()));
  win.webContents.on('render-process-gone', restart);
  win.webContents.on('unresponsive', restart);

  // Back from an edge outage (or the edge started after the kiosk): load the renderer afresh, so it
  // starts from the welcome screen with fresh data. The first "up" needs no reload.
  let wasDown = false;
  const link = watchEdge({
    edgeUrl: config.edgeUrl,
    fetch: deps.fetch,
    onChange: (up) => {
      if (!up) {
        wasDown = true;
        return;
      }
      if (wasDown || waiting) loadRenderer();
      wasDown = false;
    },
    setTimer: deps.setTimer,
    clearTimer: deps.clearTimer,
  });
  loadRenderer();
  return { window: win, stop: () => link.stop() };
}
