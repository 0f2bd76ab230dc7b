export { watchEdge } from './edge-link.js';
export { type KioskConfig, KioskConfigError, loadKioskConfig, parseKioskConfig } from './kiosk-config.js';
export {
  type ElectronApi,
  type KioskWindow,
  type ShellDeps,
  startKioskShell,
  WAITING_PAGE,
} from './kiosk-shell.js';
export { isAllowedNavigation, RENDERER_PATH, rendererAddress, withDeviceKey } from './navigation-guard.js';
export { createRestartPolicy, type RestartPolicy } from './restart-policy.js';
