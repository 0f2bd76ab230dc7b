export { findAvailability } from './availability.engine.js';
export type {
  AvailabilityInput,
  AvailabilityQuery,
  AvailabilityResult,
  BayAvailability,
  SalesChannel,
  SlotRejection,
} from './availability.types.js';
export { validateAvailabilityInput } from './availability-input.validate.js';
export type { BookingCheck, BookingCheckRequest } from './booking-check.js';
export { checkBookingRequest } from './booking-check.js';
export { listingBusyWindow } from './busy-window.js';
export type { Alternatives, AlternativesRequest } from './nearest-alternatives.js';
export { nearestAlternatives } from './nearest-alternatives.js';
export { occupancyByDate } from './occupancy.js';
export type { GridWindow, OpeningWindows } from './opening-windows.js';
export { openingWindows } from './opening-windows.js';
