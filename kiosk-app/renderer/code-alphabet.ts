/** The booking-code symbols (shared/credentials): no 0/O or 1/I, so the keypad offers only these. */
export const BOOKING_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
