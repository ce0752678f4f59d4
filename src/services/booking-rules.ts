/**
 * The booking rules that are not a branch's own, in one place. A branch's rules (slot length,
 * capacity, lead time, horizon of bookable days, bookings per phone per day, priority age) live in its
 * record (knowledge/branches.json) and are read through domain/booking/slots.ts: the dialogs ask the
 * availability service for the bookable days instead of counting days themselves.
 */
export interface BookingRules {
  /** Bookings one client (IP address or chat user) may make per day: against slot resellers. */
  perClientPerDay: number;
  waitlist: {
    /** How long a freed place is held for the first person waiting. */
    holdMinutes: number;
    /**
     * How many people in a row a freed place is held for. After that it is open to anyone and the
     * rest of the line is told, so a queue of fake entries cannot block a place for hours.
     */
    holdsInARow: number;
    /** Waitlist entries one phone number may create per day. */
    perPhonePerDay: number;
    /** Waitlist entries one client may create per day. */
    perClientPerDay: number;
  };
  /** Wrong phone numbers given for a booking code before look-ups are refused for a while. */
  lookup: {
    perCode: number;
    /** Short, so the owner of a code someone is guessing at is not locked out for long. */
    codeLockMinutes: number;
    perClient: number;
    clientLockMinutes: number;
  };
}

export const DEFAULT_BOOKING_RULES: BookingRules = {
  perClientPerDay: 20,
  waitlist: { holdMinutes: 15, holdsInARow: 2, perPhonePerDay: 3, perClientPerDay: 5 },
  lookup: { perCode: 5, codeLockMinutes: 10, perClient: 20, clientLockMinutes: 60 },
};
