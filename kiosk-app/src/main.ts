import { fileURLToPath } from 'node:url';
import { KioskConfigError, loadKioskConfig } from './kiosk-config.js';
import { type ElectronApi, startKioskShell } from './kiosk-shell.js';

const CONFIG_PATH = process.env.CLUBOS_KIOSK_CONFIG ?? '/etc/clubos/kiosk.json';

/** Electron's entry: read the config file, then hand over to the shell (kiosk-shell.ts, tested). */
async function main(): Promise<void> {
  // A variable specifier: the module exists only where Electron runs the kiosk.
  const moduleName = 'electron';
  const electron = (await import(moduleName)) as ElectronApi;
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

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) void main();
