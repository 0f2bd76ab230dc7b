// What other packages' suites use. The HubSpot SDK helpers (hubspot-client.ts) stay out: only the
// simulator's own suites use them, and the SDK is heavy to load.
export * from './chromium.js';
