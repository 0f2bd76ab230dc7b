export type { Grant, OAuthClient } from './ninjaone.oauth.js';
export * from './ninjaone.simulator.js';
export { DEFAULT_DEVICES, DEFAULT_SCRIPTS, NinjaState, type SeedDevice } from './ninjaone.state.js';
export * from './ninjaone.types.js';
