export * from './unifi.simulator.js';
export { BUILDING_GROUP_ID, DEFAULT_DOORS, type SeedDoor, UnifiState } from './unifi.state.js';
export * from './unifi.types.js';
export { signWebhook } from './unifi.webhooks.js';
