export { describeRuleScope, explainRule, formatDays } from './explanation.format.js';
export {
  bpsToPercent,
  centsToDecimal,
  centsToDollars,
  dollarsToCents,
  formatCents,
  formatMoney,
  percentToBps,
  roundCents,
} from './money.js';
export type { Pricer, PricerOptions, QuoteRequest } from './pricing.engine.js';
export { createPricer, quoteBooking, taxRateBps } from './pricing.engine.js';
export type { PricingContext, PricingCustomer, RuleWindows } from './pricing.types.js';
export { comparePriority, matchesBooking, matchesContext } from './pricing-rule.match.js';
export { validatePricingRule } from './pricing-rule.validate.js';
export { pricingRuleWindows } from './pricing-windows.js';
export type { PreparedRule } from './quote.builder.js';
export { buildQuote } from './quote.builder.js';
