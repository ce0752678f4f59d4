import { z } from 'zod';

export const WaitlistStatus = z.enum(['waiting', 'offered', 'booked', 'expired', 'cancelled']);
export type WaitlistStatus = z.infer<typeof WaitlistStatus>;

/**
 * A person waiting for a full slot. When a place frees up, the first in line gets it held for a short
 * time (offered) and is notified; the place goes to the next person if they do not claim it.
 */
export const WaitlistEntry = z.object({
  id: z.string(),
  capacityKey: z.string(),
  start: z.string(),
  date: z.string(),
  branchId: z.string(),
  procedureCode: z.string(),
  name: z.string(),
  phone: z.string(),
  notify: z.object({ channel: z.string(), address: z.string() }).nullable(),
  status: WaitlistStatus,
  createdAt: z.string(),
  holdUntil: z.string().nullable(),
  bookingCode: z.string().nullable(),
  /** How many times in a row the place offered to this entry had already been held (1 = first hold). */
  round: z.number().int().min(1).nullable().optional(),
});
export type WaitlistEntry = z.infer<typeof WaitlistEntry>;
