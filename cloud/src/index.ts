export { buildApp, cloudApp } from './app.js';
export type { CloudConfig } from './config.js';
export { loadConfig, testConfig } from './config.js';
