// Domain-model builders for the suites of every package (never exported from the runtime barrel).
export * from './availability-rules.js';
export * from './pricing-catalog.js';
