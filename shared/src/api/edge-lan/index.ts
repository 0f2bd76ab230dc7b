// TypeBox schemas of the edge's LAN API (`/api/v1` on the venue's edge). The edge registers them on
// its routes (its OpenAPI document comes from them); the console and the kiosk use their types.
export * from './auth.schema.js';
export * from './availability.schema.js';
export * from './booking.schema.js';
export * from './console.schema.js';
export * from './door.schema.js';
export * from './status.schema.js';
export * from './walk-in.schema.js';
export * from './walk-in-payment.schema.js';
