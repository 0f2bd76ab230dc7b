export * from './client.js';
export * from './errors.js';
export * as schema from './schema/index.js';
