export { runHubspotCli } from './hubspot.cli.js';
export * from './hubspot.control.js';
export * from './hubspot.errors.js';
export type { HubspotFault } from './hubspot.faults.js';
export type { CrmObjectType, PropertyDefinition } from './hubspot.property-catalog.js';
export type { RateLimitSettings } from './hubspot.rate-limiter.js';
export { DEFAULT_RATE_LIMITS } from './hubspot.rate-limiter.js';
export * from './hubspot.simulator.js';
export type { CrmRecord } from './hubspot.store.js';
