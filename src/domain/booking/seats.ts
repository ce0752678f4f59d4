/**
 * Seats and daily quotas as keys carried by the bookings themselves. A booking that occupies a place
 * holds `seat|<slot>|<n>` under a unique index, so inserting it IS the reservation and the free places
 * of a slot are its capacity minus the bookings holding one of its seats: a crash or a failed write
 * can leave nothing behind that disagrees with the bookings. Pure: no I/O.
 */
import type { Booking, BookingStatus } from './booking';

/** Statuses that occupy a place in their slot. */
export const SEAT_HOLDING: readonly BookingStatus[] = ['confirmed', 'checked_in', 'held'];
/** Statuses that count against the phone's daily limit (a hold counts once it is claimed). */
export const QUOTA_COUNTING: readonly BookingStatus[] = ['confirmed', 'checked_in'];

export const seatKey = (capacityKey: string, start: string, n: number) => `seat|${capacityKey}|${start}|${n}`;
export const phoneQuotaKey = (phone: string, date: string, n: number) => `quota|${phone}|${date}|${n}`;
/** What a booking carries once it no longer holds a seat or a quota: unique to it, so it frees the shared key. */
export const releasedKey = (code: string) => `released|${code}`;
/** A hold does not use one of the phone's daily bookings until it is claimed. */
export const holdQuotaKey = (code: string) => `hold|${code}`;
export const idempotencyRequestKey = (idempotencyKey: string) => `request|${idempotencyKey}`;
/** Never null: a request without a key gets a value unique to its booking, so the unique index needs no partial filter. */
export const requestKeyOf = (idempotencyKey: string | null, code: string) => (idempotencyKey ? idempotencyRequestKey(idempotencyKey) : `none|${code}`);
export const waitlistRequestKey = (entryId: string) => `waitlist|${entryId}`;

/** The number at the end of a seat or quota key; null for a released one. */
export function keyNumber(key: string): number | null {
  if (!key.startsWith('seat|') && !key.startsWith('quota|')) return null;
  const n = Number(key.slice(key.lastIndexOf('|') + 1));
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** The numbers 1..limit not in `taken`, in order: the seats (or quotas) worth trying. */
export function freeNumbers(taken: Iterable<number>, limit: number): number[] {
  const used = new Set(taken);
  const free: number[] = [];
  for (let n = 1; n <= limit; n++) if (!used.has(n)) free.push(n);
  return free;
}

type LegacyBooking = Omit<Booking, 'seatKey' | 'phoneQuotaKey' | 'requestKey'> & Partial<Pick<Booking, 'seatKey' | 'phoneQuotaKey' | 'requestKey'>>;

/**
 * Keys for bookings stored before seats existed (no seatKey), oldest first: each booking that
 * occupies a place takes the lowest seat (and daily quota) not already taken. Legacy slots that were
 * over capacity keep every booking (seat numbers beyond the capacity only count as occupied).
 */
export function legacyKeys(all: readonly LegacyBooking[]): { code: string; seatKey: string; phoneQuotaKey: string; requestKey: string }[] {
  const seats = new Map<string, Set<number>>();
  const quotas = new Map<string, Set<number>>();
  const take = (map: Map<string, Set<number>>, group: string, key: string | undefined) => {
    let used = map.get(group);
    if (!used) map.set(group, (used = new Set()));
    const n = key ? keyNumber(key) : null;
    if (n !== null) used.add(n);
    return used;
  };
  // Seats and quotas already given (a migration interrupted half-way) are kept.
  for (const b of all) {
    take(seats, `${b.capacityKey}|${b.start}`, b.seatKey);
    take(quotas, `${b.phone}|${b.date}`, b.phoneQuotaKey);
  }
  const lowest = (used: Set<number>) => {
    let n = 1;
    while (used.has(n)) n++;
    used.add(n);
    return n;
  };
  return [...all]
    .filter((b) => !b.seatKey || !b.phoneQuotaKey || !b.requestKey)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((b) => ({
      code: b.code,
      seatKey: b.seatKey ?? (SEAT_HOLDING.includes(b.status) ? seatKey(b.capacityKey, b.start, lowest(seats.get(`${b.capacityKey}|${b.start}`)!)) : releasedKey(b.code)),
      phoneQuotaKey:
        b.phoneQuotaKey ?? (QUOTA_COUNTING.includes(b.status) ? phoneQuotaKey(b.phone, b.date, lowest(quotas.get(`${b.phone}|${b.date}`)!)) : releasedKey(b.code)),
      requestKey: b.requestKey ?? requestKeyOf(b.idempotencyKey ?? null, b.code),
    }));
}
