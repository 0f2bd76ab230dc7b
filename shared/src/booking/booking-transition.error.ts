import { DomainError } from '../errors/domain-error.js';
import type { BookingStatus } from './booking-status.js';

/**
 * A status change the machine does not allow: a conflict with the booking's current state
 * (INVALID_STATE, a 409), not bad input, so it is distinct from `DomainInputError`.
 */
export class BookingTransitionError extends DomainError {
  constructor(
    readonly from: BookingStatus,
    readonly to: BookingStatus,
    message: string,
  ) {
    super('INVALID_STATE', message, { field: 'status' });
    this.name = 'BookingTransitionError';
  }
}
