// What the edge's real-cloud suites, the deploy suites and most cloud suites use. The browser,
// HubSpot and change-log helpers stay out (import them by file): they load Chromium's driver or the
// simulators, which a plain API suite does not need.
export * from './facility.js';
export * from './ops-world.js';
export * from './refusal.js';
export * from './test-app.js';
