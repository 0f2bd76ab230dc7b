import type { BookingStatus } from './booking-status.js';

/**
 * A status change the machine does not allow. It is a conflict with the booking's current state
 * (HTTP 409), not bad input, so it is distinct from `DomainInputError`.
 */
export class BookingTransitionError extends Error {
  readonly code = 'INVALID_TRANSITION';

  constructor(
    readonly from: BookingStatus,
    readonly to: BookingStatus,
    message: string,
  ) {
    super(message);
    this.name = 'BookingTransitionError';
  }
}
