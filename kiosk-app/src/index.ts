export { watchEdge } from './edge-link.js';
export { type KioskConfig, KioskConfigError, loadKioskConfig, parseKioskConfig } from './kiosk-config.js';
export { isAllowedNavigation, rendererAddress, withDeviceKey } from './navigation-guard.js';
export { createRestartPolicy, type RestartPolicy } from './restart-policy.js';
