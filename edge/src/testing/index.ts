// What the kiosk's and the deploy suites use to run a real edge against a test cloud.
export * from './fake-cloud.js';
export * from './scripted-reader.js';
export * from './seed-facility.js';
export * from './sync-harness.js';
export * from './test-edge.js';
