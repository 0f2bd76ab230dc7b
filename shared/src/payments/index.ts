export * from './cancellation-refund.js';
export * from './payment-ledger.js';
export * from './payment-policy.js';
