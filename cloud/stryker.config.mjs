import { strykerConfig } from '../scripts/mutation/stryker-base.mjs';

/**
 * The cloud's rules that move money or decide a booking (docs/mutation-testing.md). Its tests run
 * on PGlite, so a run here takes far longer per mutant than shared's pure tests.
 */
export default strykerConfig('cloud', [
  // refund on cancellation, repricing of a moved booking
  'cloud/src/bookings/booking-lifecycle.service.ts',
  'cloud/src/bookings/booking.support.ts',
  // idempotency keys
  'cloud/src/common/idempotency.ts',
  // the booking check: the pure check priced for the customer
  'cloud/src/availability/availability.service.ts',
]);
