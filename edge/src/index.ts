// The edge's entry points for code outside the package (the one-command demo in scripts/demo/).
export type { FacilityControlConfig } from './bays/facility-control.config.js';
export { loadFacilityControlConfig } from './bays/facility-control.config.js';
export type { EdgeConfig } from './config.js';
export { loadConfig } from './config.js';
export { type EdgeServer, type EdgeServerOptions, startEdgeServer } from './server.js';
