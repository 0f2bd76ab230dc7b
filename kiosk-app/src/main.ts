import { KioskConfigError, loadKioskConfig } from './kiosk-config.js';
import { startKioskShell } from './kiosk-shell.js';

const CONFIG_PATH = process.env.CLUBOS_KIOSK_CONFIG ?? '/etc/clubos/kiosk.json';

/** Electron's entry: read the config file, then hand over to the shell (kiosk-shell.ts, tested). */
async function main(): Promise<void> {
  // Imported here, not at the top: outside Electron (a test loading this module) it is not there.
  const electron = await import('electron');
  const { app, dialog } = electron;

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
  startKioskShell(electron, config, {
    fetch: (url, init) => fetch(url, init),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
    now: Date.now,
  });
  app.on('window-all-closed', () => app.quit());
}

// Only inside Electron (`electron .` or the packaged kiosk, whose argv does not name this file);
// loaded by Node, e.g. by the packaging test, it does nothing.
if (process.versions.electron !== undefined) void main();
