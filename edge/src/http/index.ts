export * from './failure.js';
export * from './http-client.js';
export * from './retry.js';
