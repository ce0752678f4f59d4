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

export interface BookingRepository {
  insert(booking: Booking): Promise<InsertOutcome>;
  get(code: string): Promise<Booking | null>;
  byIdempotencyKey(key: string): Promise<Booking | null>;
  /** Applies the change only when the booking's status is one of `from`; the updated booking or null. */
  transition(code: string, from: BookingStatus[], patch: Partial<Booking>): Promise<Booking | null>;
  listForBranchDay(branchId: string, date: string): Promise<Booking[]>;
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
  revokedAt: string | null;
}

export interface TokenRepository {
  insert(token: OfficerToken): Promise<void>;
  byHash(hash: string): Promise<OfficerToken | null>;
}

export interface Notification {
  id: string;
  /** Who: a phone number, and the channel address when the citizen agreed to be notified there. */
  recipient: { phone: string; channel: string | null; address: string | null };
  kind: 'supplement_requested' | 'dossier_late' | 'dossier_resolved' | 'dossier_returned' | 'slot_freed';
  text: string;
  ref: string;
  createdAt: string;
  deliveredAt: string | null;
  /** Why the channel could not deliver it (outside the messaging window, not following); not retried. */
  failure?: string | null;
}

export interface OutboxRepository {
  enqueue(notification: Notification): Promise<void>;
  /** Notifications for a channel neither delivered nor given up. */
  pending(channel: string, limit: number): Promise<Notification[]>;
  markDelivered(id: string, at: string): Promise<void>;
  markFailed(id: string, reason: string): Promise<void>;
  forRef(ref: string): Promise<Notification[]>;
}

export interface WaitlistRepository {
  add(entry: WaitlistEntry): Promise<void>;
  get(id: string): Promise<WaitlistEntry | null>;
  /** The earliest entry still waiting for a slot. */
  firstWaiting(capacityKey: string, start: string): Promise<WaitlistEntry | null>;
  countWaiting(capacityKey: string, start: string): Promise<number>;
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
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const SUMMARY_FIELDS = ['code', 'name', 'aliases', 'field', 'agency', 'scope', 'detail', 'popularity', 'levels', 'situations'] as const;


export class StoreLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `Thư mục dữ liệu ${dir} đang được tiến trình ${pid} sử dụng. ` +
        'Chỉ một tiến trình được mở kho dữ liệu nhúng; hãy dừng tiến trình kia hoặc dùng MONGODB_URI để chạy nhiều tiến trình.',
    );
    this.name = 'StoreLockedError';
  }
}
