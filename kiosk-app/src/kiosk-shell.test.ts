import { describe, expect, it } from 'vitest';
import type { KioskConfig } from './kiosk-config.js';
import { type ElectronApi, startKioskShell, WAITING_PAGE } from './kiosk-shell.js';

type Handler = (...args: unknown[]) => void;

/** A stand-in for the parts of Electron the shell touches, recording what it is asked to do. */
function fakeElectron() {
  const loads: string[] = [];
  const handlers = new Map<string, Handler>();
  const calls = { menu: [] as unknown[], closeDevTools: 0, windowOptions: null as unknown };
  // The slice of Electron's onBeforeSendHeaders listener the shell relies on.
  let headerHook: (
    details: { url: string; requestHeaders: Record<string, string> },
    cb: (r: { requestHeaders?: Record<string, string> }) => void,
  ) => void = () => {};
  let openHandler: () => { action: 'deny' } = () => ({ action: 'deny' });
  class BrowserWindow {
    constructor(options: Record<string, unknown>) {
      calls.windowOptions = options;
    }
    loadURL(url: string) {
      loads.push(url);
      return Promise.resolve();
    }
    webContents = {
      on: (event: string, fn: Handler) => handlers.set(event, fn),
      setWindowOpenHandler: (fn: () => { action: 'deny' }) => {
        openHandler = fn;
      },
      closeDevTools: () => {
        calls.closeDevTools += 1;
      },
    };
  }
  const electron = {
    BrowserWindow,
    Menu: { setApplicationMenu: (menu: null) => calls.menu.push(menu) },
    session: {
      defaultSession: {
        webRequest: {
          onBeforeSendHeaders: (fn: typeof headerHook) => {
            headerHook = fn;
          },
        },
      },
    },
  } as unknown as ElectronApi;
  return {
    electron,
    loads,
    calls,
    emit: (event: string, ...args: unknown[]) => handlers.get(event)?.(...args),
    headersFor(url: string) {
      let out: Record<string, string> = {};
      headerHook({ url, requestHeaders: { Accept: '*/*' } }, (r) => {
        out = r.requestHeaders ?? {};
      });
      return out;
    },
    openWindow: () => openHandler(),
  };
}

/** Timers run by hand; the edge's /health answers from a script. */
function fakeDeps(health: boolean[]) {
  let t = 0;
  const timers: { fn: () => void; ms: number; at: number }[] = [];
  return {
    timers,
    deps: {
      fetch: async () => {
        const ok = health.shift();
        if (ok === undefined) throw new Error('no more answers');
        return { ok };
      },
      setTimer: (fn: () => void, ms: number) => {
        const timer = { fn, ms, at: t };
        timers.push(timer);
        return timer;
      },
      clearTimer: (h: unknown) => {
        const i = timers.indexOf(h as (typeof timers)[number]);
        if (i >= 0) timers.splice(i, 1);
      },
      now: () => t,
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const CONFIG: KioskConfig = {
  edgeUrl: 'http://10.0.0.5:8080',
  deviceKey: 'kiosk_0123456789abcdef',
  idleSeconds: 45,
};
const HOME = 'http://10.0.0.5:8080/kiosk/index.html?idle=45';

describe('kiosk shell (Electron main, driven without the Electron binary)', () => {
  it('opens a locked-down kiosk window on the renderer the edge serves, adding the key to edge requests only', async () => {
    const e = fakeElectron();
    const { deps } = fakeDeps([true]);
    const shell = startKioskShell(e.electron, CONFIG, deps);
    await settle();
    expect(e.loads).toEqual([HOME]);
    expect(e.calls.menu).toEqual([null]);
    expect(e.calls.windowOptions).toMatchObject({
      kiosk: true,
      fullscreen: true,
      webPreferences: { devTools: false, nodeIntegration: false, contextIsolation: true, sandbox: true },
    });
    expect(e.headersFor('http://10.0.0.5:8080/api/v1/walk-ins')).toEqual({
      Accept: '*/*',
      Authorization: `Device ${CONFIG.deviceKey}`,
    });
    expect(e.headersFor('http://10.0.0.5:8080/kiosk/assets/index.js').Authorization).toBeDefined();
    expect(e.headersFor('https://tracker.example/x.js')).toEqual({ Accept: '*/*' });

    const navigate = (url: string) => {
      let prevented = false;
      e.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(navigate('https://example.com/')).toBe(true);
    expect(navigate('http://10.0.0.5:8080/console/')).toBe(true);
    expect(navigate(`${HOME}#again`)).toBe(false);
    expect(e.openWindow()).toEqual({ action: 'deny' });
    e.emit('devtools-opened');
    expect(e.calls.closeDevTools).toBe(1);
    // The edge answered at once: no second load of the page that is already there.
    expect(e.loads).toEqual([HOME]);
    shell.stop();
  });

  it('shows the waiting page while the edge is away, and the renderer once it answers', async () => {
    const e = fakeElectron();
    const f = fakeDeps([false, false, true]);
    const shell = startKioskShell(e.electron, CONFIG, f.deps);
    // The edge serves the renderer: with the edge down, its load fails.
    e.emit('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', HOME, true);
    // An aborted load (replaced by a newer one) and a failed sub-frame are not outages.
    e.emit('did-fail-load', {}, -3, 'ERR_ABORTED', HOME, true);
    e.emit('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', 'http://x/frame', false);
    expect(e.loads).toEqual([HOME, WAITING_PAGE]);
    expect(decodeURIComponent(WAITING_PAGE)).toMatch(/Connecting to the venue system/);

    for (let i = 0; i < 3; i++) {
      await settle();
      const probe = f.timers.filter((t) => t.ms !== 3_000).at(-1)!;
      f.timers.splice(f.timers.indexOf(probe), 1);
      probe.fn();
    }
    await settle();
    expect(e.loads).toEqual([HOME, WAITING_PAGE, HOME]);
    shell.stop();
  });

  it('reloads a crashed renderer with growing delays', async () => {
    const e = fakeElectron();
    const f = fakeDeps([true]);
    const shell = startKioskShell(e.electron, CONFIG, f.deps);
    await settle();
    const pending = () => f.timers.filter((t) => t.ms !== 3_000 && t.ms !== 10_000);
    e.emit('render-process-gone');
    expect(pending().map((t) => t.ms)).toEqual([1_000]);
    pending()[0]!.fn();
    f.timers.splice(f.timers.indexOf(pending()[0]!), 1);
    f.advance(1_000);
    e.emit('unresponsive');
    expect(pending().map((t) => t.ms)).toEqual([2_000]);
    pending()[0]!.fn();
    expect(e.loads).toEqual([HOME, HOME, HOME]);
    shell.stop();
  });
});
