export type { ActiveBookingStatus, BookingStatus } from './booking-status.js';
export {
  ACTIVE_STATUSES,
  BOOKING_STATUSES,
  BookingStatusSchema,
  isActiveStatus,
  isBookingStatus,
  isTerminalStatus,
  TERMINAL_STATUSES,
} from './booking-status.js';
export { BookingTransitionError } from './booking-transition.error.js';
export {
  allowedTransitions,
  assertTransition,
  BOOKING_TRANSITIONS,
  canTransition,
  describeRefusedTransition,
} from './booking-transitions.js';
export type {
  CancellationInput,
  CancellationOutcome,
  CancellationPolicy,
  CancellationRule,
} from './cancellation-policy.js';
export {
  CancellationPolicySchema,
  cancellationPolicyFromSettings,
  DEFAULT_CANCELLATION_POLICY,
  evaluateCancellation,
} from './cancellation-policy.js';
export type { CheckInSubject, CheckInVerdict } from './check-in-window.js';
export { CHECK_IN_OPENS_BEFORE_MS, checkInRefused, checkInVerdict } from './check-in-window.js';
export type { RecurrenceInput } from './recurrence.js';
export { expandRecurrence } from './recurrence.js';
export type {
  Occurrence,
  RecurrenceExpansion,
  RecurrenceFrequency,
  RecurrenceRule,
  SkippedMonth,
} from './recurrence.schema.js';
export {
  MAX_RECURRENCE_OCCURRENCES,
  RECURRENCE_FREQUENCIES,
  RecurrenceRuleSchema,
} from './recurrence.schema.js';
