/**
 * The repository interface every store implements (embedded file store, MongoDB). Services and the
 * HTTP layer depend on this only; the contract test suite runs the same assertions on every store.
 */
import type { Branch, Procedure, ProcedureSummary } from '../../knowledge/schemas';
import type { Booking, BookingStatus } from '../domain/booking/booking';
import type { Dossier } from '../domain/dossier/dossier';
import type { WaitlistEntry, WaitlistStatus } from '../domain/booking/waitlist';

export interface UpsertReport {
  inserted: number;
  updated: number;
}

export interface ProcedureRepository {
  /** Inserts or replaces by official code; running it twice with the same records changes nothing. */
  upsertMany(procedures: readonly Procedure[]): Promise<UpsertReport>;
  get(code: string): Promise<Procedure | null>;
  /** What the search index needs of every procedure. */
  summaries(): Promise<ProcedureSummary[]>;
  count(): Promise<number>;
}

export interface BranchRepository {
  upsertMany(branches: readonly Branch[]): Promise<UpsertReport>;
  get(id: string): Promise<Branch | null>;
  list(): Promise<Branch[]>;
}

/** Small named values: the knowledge version imported, the synonym dictionary. */
export interface MetaRepository {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  /**
   * Stores the value unless the key has one, atomically, and returns the value stored (this one, or
   * the one another process stored first): processes starting together agree on one value.
   */
  setIfAbsent(key: string, value: unknown): Promise<unknown>;
}

/**
 * Counters shared by every server process: slot capacity, per-phone limits, rate limits. The check
 * and the increment are one atomic step, which is what prevents double booking.
 */
export interface CounterRepository {
  // `expiresAt` is when the store may delete the counter; its TTL clean-up runs on the store's wall clock.
  /** Adds 1 when the counter is below `limit` and says whether it did. */
  tryIncrement(key: string, limit: number, expiresAt: Date): Promise<boolean>;
  /** Adds 1 without a limit and returns the new value (rate limits). */
  increment(key: string, expiresAt: Date): Promise<number>;
  decrement(key: string): Promise<void>;
  get(key: string): Promise<number>;
}

export type InsertOutcome = 'inserted' | 'duplicate_code' | 'duplicate_idempotency_key';

/** Which unique key of a booking collided: its code, its seat, the phone's daily quota, the request. */
export type BookingConflict = 'duplicate_code' | 'duplicate_seat' | 'duplicate_phone_quota' | 'duplicate_request';

export interface BookingRepository {
  /** Inserts unless one of its unique keys (code, seatKey, phoneQuotaKey, requestKey) is taken. */
  insert(booking: Booking): Promise<'inserted' | BookingConflict>;
  get(code: string): Promise<Booking | null>;
  byRequestKey(requestKey: string): Promise<Booking | null>;
  /**
   * Applies the change only when the booking's status is one of `from`, atomically; the updated
   * booking, null when its status did not allow it, or which unique key the change would collide with
   * (then nothing changed).
   */
  transition(code: string, from: BookingStatus[], patch: Partial<Booking>): Promise<Booking | null | BookingConflict>;
  listForBranchDay(branchId: string, date: string): Promise<Booking[]>;
  /** Seat keys held in these slots (bookings confirmed, checked in or held). */
  occupiedSeats(capacityKey: string, starts: string[]): Promise<{ start: string; seatKey: string }[]>;
  /** Quota keys of the phone's bookings that count on that day. */
  phoneQuotas(phone: string, date: string): Promise<string[]>;
  /** Held places whose hold ended before `now` (ISO). */
  expiredHolds(now: string, limit: number): Promise<Booking[]>;
}

/** A change to a dossier: fields to set and entries to append, applied atomically. */
export interface DossierChange {
  set?: Partial<Dossier>;
  push?: Partial<{ timeline: Dossier['timeline'][number]; supplements: Dossier['supplements'][number] }>;
}

export interface DossierRepository {
  insert(dossier: Dossier): Promise<InsertOutcome>;
  get(code: string): Promise<Dossier | null>;
  update(code: string, change: DossierChange): Promise<Dossier | null>;
  list(filter: { branchId?: string; limit: number }): Promise<Dossier[]>;
}

export interface OfficerToken {
  id: string;
  /** SHA-256 of the secret; the secret itself is shown once and never stored. */
  hash: string;
  name: string;
  role: 'officer' | 'admin';
  createdAt: string;
  /** When the token stops working; null for tokens created before tokens expired (valid until revoked). */
  expiresAt?: string | null;
  revokedAt: string | null;
}

export interface TokenRepository {
  insert(token: OfficerToken): Promise<void>;
  byHash(hash: string): Promise<OfficerToken | null>;
  byId(id: string): Promise<OfficerToken | null>;
  /** Every token, newest first (hashes included: callers decide what to show). */
  list(limit: number): Promise<OfficerToken[]>;
  /** Sets `revokedAt` once; the token after the change, or null when there is no such token. */
  revoke(id: string, at: string): Promise<OfficerToken | null>;
}

export interface Notification {
  id: string;
  /** Who: a phone number, and the channel address when the citizen agreed to be notified there. */
  recipient: { phone: string; channel: string | null; address: string | null };
  kind: 'supplement_requested' | 'dossier_late' | 'dossier_resolved' | 'dossier_returned' | 'slot_freed' | 'booking_reminder';
  text: string;
  ref: string;
  createdAt: string;
  deliveredAt: string | null;
  /** Why the channel could not deliver it (outside the messaging window, not following); not retried. */
  failure?: string | null;
  /**
   * Unique when set: a notification that must exist once (a booking reminder per booking, time and
   * offset), so two processes that both find it due create it once. Absent on ordinary notifications.
   */
  dedupeKey?: string;
  /** Replies offered with it (buttons that send their text back, e.g. "Hủy lịch K7M2QX9P"). */
  actions?: string[];
  /** Values for an approved Zalo template (ZNS) of this kind, when it has to go by phone. */
  templateData?: Record<string, string>;
  /** The booking time a reminder was made for: a moved booking's old reminder is not sent. */
  bookingStart?: string;
  /** How it was delivered when not through its own channel (`zns`: template message to the phone). */
  deliveredVia?: string;
  /**
   * Set while a process is sending it (ISO): until then no other process takes it; a process that
   * crashed mid-send lets it go when the time passes, and it is sent again. Absent or null: not being sent.
   */
  sendingUntil?: string | null;
}

export interface OutboxRepository {
  enqueue(notification: Notification): Promise<void>;
  /**
   * Inserts a notification that carries a `dedupeKey` unless one with that key exists; true when this
   * call created it (the atomic claim that makes a reminder go out once across processes).
   */
  claim(notification: Notification & { dedupeKey: string }): Promise<boolean>;
  /**
   * Notifications for a channel (null: no channel, phone only) neither delivered nor given up; with
   * `now` (ISO), without those another sender is still sending (`sendingUntil` after `now`).
   */
  pending(channel: string | null, limit: number, now?: string): Promise<Notification[]>;
  /**
   * Takes a notification for sending until `until` (ISO), as one atomic step: only when it is neither
   * delivered nor given up, and no other sender holds it past `now`. True when this call took it:
   * of several processes polling the same outbox, one sends each notification.
   */
  take(id: string, now: string, until: string): Promise<boolean>;
  /** Lets a taken notification go (a transient failure: the next poll, of any process, retries it). */
  release(id: string): Promise<void>;
  /** Marks it delivered (and no longer being sent). */
  markDelivered(id: string, at: string, via?: string): Promise<void>;
  /** Gives it up with the reason (and no longer being sent); not retried. */
  markFailed(id: string, reason: string): Promise<void>;
  forRef(ref: string): Promise<Notification[]>;
}

/**
 * Named leases shared by every process on the store: one holder at a time, for a limited time, so a
 * holder that crashed lets the lease go when its time passes (the Zalo token refresh takes one).
 */
export interface LeaseRepository {
  /**
   * Takes the lease `name` for `owner` until `until` (ISO), as one atomic step, when nobody holds it,
   * its holder's time ended by `now`, or `owner` holds it already; true when `owner` holds it now.
   */
  acquire(name: string, owner: string, now: string, until: string): Promise<boolean>;
  /** Gives the lease up, if `owner` still holds it. */
  release(name: string, owner: string): Promise<void>;
}

export interface WaitlistRepository {
  add(entry: WaitlistEntry): Promise<void>;
  get(id: string): Promise<WaitlistEntry | null>;
  /** The earliest entry still waiting for a slot. */
  firstWaiting(capacityKey: string, start: string): Promise<WaitlistEntry | null>;
  countWaiting(capacityKey: string, start: string): Promise<number>;
  /** Entries still waiting for a slot, first in line first. */
  waiting(capacityKey: string, start: string, limit: number): Promise<WaitlistEntry[]>;
  findWaiting(capacityKey: string, start: string, phone: string): Promise<WaitlistEntry | null>;
  /** Applies the change only when the entry's status is one of `from`; the updated entry or null. */
  transition(id: string, from: WaitlistStatus[], patch: Partial<WaitlistEntry>): Promise<WaitlistEntry | null>;
  /** Offers whose hold ended before `now` (ISO). */
  expiredOffers(now: string, limit: number): Promise<WaitlistEntry[]>;
}

/** Conversation and user state of the bot (a botbuilder Storage is built on this). */
export interface BotStateRepository {
  read(keys: string[]): Promise<Record<string, unknown>>;
  write(items: Record<string, unknown>): Promise<void>;
  /**
   * Replaces one item only if the stored item's `eTag` is `ifETag`, checked and written as one
   * atomic step (optimistic concurrency); false, and nothing written, when it is not (changed or
   * deleted since it was read).
   */
  replaceIf(key: string, value: { eTag: string } & Record<string, unknown>, ifETag: string): Promise<boolean>;
  /**
   * Writes one item only if the key holds none (the first save of state read as absent), checked and
   * written as one atomic step; false, and nothing written, when another writer created it first.
   */
  insertIfAbsent(key: string, value: { eTag: string } & Record<string, unknown>): Promise<boolean>;
  delete(keys: string[]): Promise<void>;
}

/** What citizens leave for the centre: ratings, complaints, hand-over requests, unanswered questions. */
export interface FeedbackItem {
  reference: string;
  kind: 'rating' | 'complaint' | 'handover' | 'unanswered';
  text: string;
  rating: number | null;
  channel: string;
  userId: string;
  createdAt: string;
}

export interface FeedbackRepository {
  add(item: FeedbackItem): Promise<void>;
  list(kind: FeedbackItem['kind'] | null, limit: number): Promise<FeedbackItem[]>;
}

/** A documents checklist completed with a citizen, printable by a volunteer. */
export interface Checklist {
  id: string;
  procedureCode: string;
  procedureName: string;
  caseName: string | null;
  items: { name: string; answer: 'yes' | 'no' | 'unsure'; originals: number; copies: number; note: string | null }[];
  forSomeoneElse: boolean;
  createdAt: string;
}

export interface ChecklistRepository {
  save(checklist: Checklist): Promise<void>;
  get(id: string): Promise<Checklist | null>;
}

/** The activities of a Direct Line conversation, numbered in order (the watermark). */
export interface TranscriptRepository {
  /** Appends under the conversation's next sequence number (the watermark), returned. */
  append(conversationId: string, activity: Record<string, unknown>): Promise<number>;
  after(conversationId: string, watermark: number, limit: number): Promise<{ seq: number; activity: Record<string, unknown> }[]>;
}

export interface Store {
  readonly kind: 'embedded' | 'mongodb';
  readonly procedures: ProcedureRepository;
  readonly branches: BranchRepository;
  readonly meta: MetaRepository;
  readonly counters: CounterRepository;
  readonly bookings: BookingRepository;
  readonly dossiers: DossierRepository;
  readonly tokens: TokenRepository;
  readonly outbox: OutboxRepository;
  readonly waitlist: WaitlistRepository;
  readonly botState: BotStateRepository;
  readonly feedback: FeedbackRepository;
  readonly checklists: ChecklistRepository;
  readonly transcripts: TranscriptRepository;
  readonly leases: LeaseRepository;
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const SUMMARY_FIELDS = ['code', 'name', 'aliases', 'field', 'agency', 'scope', 'detail', 'popularity', 'levels', 'promulgatedBy', 'situations'] as const;


export class StoreLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `Thư mục dữ liệu ${dir} đang được tiến trình ${pid} sử dụng. ` +
        'Chỉ một tiến trình được mở kho dữ liệu nhúng; hãy dừng tiến trình kia hoặc dùng MONGODB_URI để chạy nhiều tiến trình.',
    );
    this.name = 'StoreLockedError';
  }
}
