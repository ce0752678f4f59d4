/**
 * Taking a seat (and one of the phone's daily bookings) by writing the booking itself: each attempt
 * is one insert or one conditional update that the store's unique indexes accept or refuse. A refused
 * seat was taken by someone else a moment ago: try the next one. Nothing to undo on failure.
 */
import type { BookingConflict } from '../store/types';

export type ReserveOutcome = 'reserved' | 'full' | 'phone_limit' | 'duplicate_request';

/** Tries at most this many fresh booking codes (a collision is about 1 in 10^11). */
const CODE_ATTEMPTS = 5;

/**
 * `seats()` and `quotas()` give the numbers worth trying, lowest first (quotas: null when the write
 * takes no quota). When every number read was taken meanwhile, they are read once more.
 */
export async function reserve(
  seats: () => Promise<number[]>,
  quotas: (() => Promise<number[]>) | null,
  attempt: (seat: number, quota: number | null) => Promise<'done' | 'not_applicable' | BookingConflict>,
  /** What the caller has just read itself (to refuse early), used instead of a first read. */
  read?: { seats: number[]; quotas: number[] | null },
): Promise<ReserveOutcome | 'not_applicable'> {
  const readQuotas = async () => (quotas ? await quotas() : [null]);
  let freeSeats = read ? [...read.seats] : await seats();
  let freeQuotas: (number | null)[] = read?.quotas ? [...read.quotas] : await readQuotas();
  let seatsFresh = true;
  let quotasFresh = true;
  let codeCollisions = 0;
  // Re-reading is bounded: a slot churning faster than we can write is answered as full.
  let rereads = 0;
  for (;;) {
    if (freeQuotas.length === 0) {
      if (quotasFresh || ++rereads > 3) return 'phone_limit';
      freeQuotas = await readQuotas();
      quotasFresh = true;
      continue;
    }
    if (freeSeats.length === 0) {
      if (seatsFresh || ++rereads > 3) return 'full';
      freeSeats = await seats();
      seatsFresh = true;
      continue;
    }
    const outcome = await attempt(freeSeats[0], freeQuotas[0]);
    if (outcome === 'done') return 'reserved';
    if (outcome === 'not_applicable' || outcome === 'duplicate_request') return outcome;
    if (outcome === 'duplicate_seat') {
      freeSeats.shift();
      seatsFresh = false;
    } else if (outcome === 'duplicate_phone_quota') {
      freeQuotas.shift();
      quotasFresh = false;
    } else if (++codeCollisions >= CODE_ATTEMPTS) {
      throw new Error('no free booking code after several attempts');
    }
  }
}
