import { strykerConfig } from '../scripts/mutation/stryker-base.mjs';

/** The shared rules where a wrong answer opens a door or moves money (docs/mutation-testing.md). */
export default strykerConfig('shared', [
  // facility time
  'shared/src/time/facility-day.ts',
  'shared/src/time/interval.ts',
  'shared/src/time/zone.ts',
  // availability and slot checks
  'shared/src/availability/availability.engine.ts',
  'shared/src/availability/booking-check.ts',
  'shared/src/availability/busy-window.ts',
  'shared/src/availability/occupancy.ts',
  'shared/src/availability/opening-windows.ts',
  'shared/src/availability/slot-check.ts',
  'shared/src/availability/slot-grid.ts',
  // pricing and quote
  'shared/src/pricing/money.ts',
  'shared/src/pricing/pricing.engine.ts',
  'shared/src/pricing/pricing-rule.match.ts',
  'shared/src/pricing/pricing-windows.ts',
  'shared/src/pricing/quote.builder.ts',
  // cancellation policy, recurrence, booking transitions, check-in
  'shared/src/booking/cancellation-policy.ts',
  'shared/src/booking/recurrence.ts',
  'shared/src/booking/booking-transitions.ts',
  'shared/src/booking/check-in-window.ts',
  // access tokens and claims
  'shared/src/credentials/access-claims.ts',
  'shared/src/credentials/access-token.ts',
  'shared/src/credentials/access-token.codec.ts',
  'shared/src/credentials/access-window.ts',
  'shared/src/credentials/issue-access-token.ts',
]);
