// TypeBox request/response schemas of the public `/api/v1` (seed names, snake_case). The cloud
// registers them on its routes (and the OpenAPI document comes from them); the web apps reuse
// the same types.
export * from './auth.schema.js';
export * from './availability.schema.js';
export * from './booking.schema.js';
export * from './common.schema.js';
export * from './edge-feed.schema.js';
export * as edgeLan from './edge-lan/index.js';
export * from './guest-access.schemas.js';
