// The whole cloud schema. Only `*.repository.ts` files and `db/` import it (docs/architecture.md, feature
// folders and layers).
export * from './bookings.schema.js';
export * from './facilities.schema.js';
export * from './in-app-notifications.schema.js';
export * from './notifications.schema.js';
export * from './people.schema.js';
export * from './rate-counters.schema.js';
export * from './staff-alerts.schema.js';
export * from './sync.schema.js';
