import { EventEmitter } from 'node:events';
import type { BookingRow } from './booking.repository.js';

interface BookingEventMap {
  /** Emitted after the cancellation committed (the waitlist offers the freed slot). */
  cancelled: [booking: BookingRow];
}

/**
 * In-process notifications after a booking write commits. Listeners must not throw; they run
 * after the HTTP answer is decided and never undo the write.
 */
export class BookingEvents extends EventEmitter<BookingEventMap> {}
