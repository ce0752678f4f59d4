import { randomInt } from 'node:crypto';
import { z } from 'zod';

/** Letters and digits nobody confuses when reading a code aloud or from a screen (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const BOOKING_CODE_LENGTH = 8;

/**
 * A random, non-sequential booking code (about 5 × 10^11 possible): cannot be guessed or enumerated.
 * It always mixes letters and digits, so it is recognised when typed inside a sentence.
 */
export function newBookingCode(): string {
  for (;;) {
    let code = '';
    for (let i = 0; i < BOOKING_CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    if (/\d/.test(code) && /[A-Z]/.test(code)) return code;
  }
}

/** Accepts a code typed with spaces, dashes or lower case. */
export function normaliseBookingCode(input: string): string {
  return input.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export const BookingCode = z
  .string()
  .transform(normaliseBookingCode)
  .pipe(z.string().regex(new RegExp(`^[${CODE_ALPHABET}]{${BOOKING_CODE_LENGTH}}$`), 'mã đặt lịch gồm 8 ký tự'));

/** Vietnamese phone numbers: 0xxxxxxxxx or +84xxxxxxxxx (mobile prefixes 3, 5, 7, 8, 9). */
export const PhoneNumber = z
  .string()
  .transform((s) => s.replace(/[\s.-]/g, '').replace(/^\+?84/, '0'))
  .pipe(z.string().regex(/^0[35789]\d{8}$/, 'số điện thoại không hợp lệ (ví dụ 0912345678)'));

/**
 * `held`: a place kept for the first person on the waitlist until `holdUntil` (never shown to the
 * public); `released`: a hold that ended unclaimed; `no_show`: confirmed, not checked in by the slot's end. Confirmed, checked-in and held bookings occupy a seat.
 */
export const BookingStatus = z.enum(['confirmed', 'cancelled', 'checked_in', 'held', 'released', 'no_show']);
export type BookingStatus = z.infer<typeof BookingStatus>;

export const Booking = z.object({
  code: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  branchId: z.string(),
  branchName: z.string(),
  field: z.string(),
  /** Slot start, ISO with +07:00. */
  start: z.string(),
  /** Local date of the slot, YYYY-MM-DD. */
  date: z.string(),
  capacityKey: z.string(),
  name: z.string(),
  phone: z.string(),
  priority: z.boolean(),
  status: BookingStatus,
  idempotencyKey: z.string().nullable(),
  /**
   * The place itself (see seats.ts): `seat|<capacityKey>|<start>|<n>` under a unique index while the
   * booking occupies seat n, a value unique to the booking once it no longer does. The booking is the
   * reservation: there is no counter that could disagree with it.
   */
  seatKey: z.string(),
  /** One of the phone's daily bookings, `quota|<phone>|<date>|<n>`, unique; released the same way. */
  phoneQuotaKey: z.string(),
  /** Unique per request: the client's idempotency key, the waitlist entry, or `none|<code>`. */
  requestKey: z.string(),
  /** Until when a `held` place waits for its claimant. */
  holdUntil: z.string().nullable().optional(),
  /** The waitlist entry a `held` place (and the booking it becomes) belongs to. */
  waitlistEntryId: z.string().nullable().optional(),
  /** Where the citizen booked from and can be reminded (web chat conversation, Zalo user); absent: by phone only. */
  notify: z.object({ channel: z.string(), address: z.string() }).nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Booking = z.infer<typeof Booking>;

/** Last digits only: what a booking shows of a phone number outside the store. */
export function maskPhone(phone: string): string {
  return phone.slice(0, 3) + '****' + phone.slice(-3);
}
