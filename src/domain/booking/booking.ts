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

export const BookingStatus = z.enum(['confirmed', 'cancelled', 'checked_in']);
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
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Booking = z.infer<typeof Booking>;

/** Last digits only: what a booking shows of a phone number outside the store. */
export function maskPhone(phone: string): string {
  return phone.slice(0, 3) + '****' + phone.slice(-3);
}
