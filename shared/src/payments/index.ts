export * from './cancellation-refund.js';
export * from './card-on-file.js';
export * from './payment-ledger.js';
export * from './payment-policy.js';
export * from './payout-totals.js';
export * from './reconciliation.js';
export * from './refund-status.js';
