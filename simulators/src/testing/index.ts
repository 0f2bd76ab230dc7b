// What other packages' suites use. The HubSpot and Stripe SDK helpers (hubspot-client.ts,
// stripe-client.ts) stay out: only the simulators' own suites use them, and the SDKs are heavy to load.
export * from './chromium.js';
