// The domain core, one module per idea. Prefer the subpath imports (`@clubos/shared/availability`)
// so a browser bundle pulls only what it uses; this barrel is for scripts and exploration.
export * as api from './api/index.js';
export * as availability from './availability/index.js';
export * as booking from './booking/index.js';
export * as credentials from './credentials/index.js';
export * as model from './model/index.js';
export * as mqtt from './mqtt/index.js';
export * as payments from './payments/index.js';
export * as pricing from './pricing/index.js';
export * as schema from './schema/index.js';
export * as sync from './sync/index.js';
export * as time from './time/index.js';
