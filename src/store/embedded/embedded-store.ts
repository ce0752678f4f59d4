/**
 * The embedded, persistent default store: one NeDB datastore file per collection in DATA_DIR.
 * NeDB appends every write as a line before the call resolves (a kill -9 loses nothing acknowledged),
 * tolerates a torn last line on load, and compacts by writing a temporary file, fsyncing and renaming
 * it, so a crash mid-write never leaves a corrupt file. Chosen over SQLite because it needs no native
 * build and speaks MongoDB's query language, so both stores implement the interface the same way.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open as openHandle, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises';
import Datastore from '@seald-io/nedb';
import type { Branch, Procedure, ProcedureSummary } from '../../../knowledge/schemas';
import type { Booking } from '../../domain/booking/booking';
import type { Dossier } from '../../domain/dossier/dossier';
import type { WaitlistEntry } from '../../domain/booking/waitlist';
import { QUOTA_COUNTING, SEAT_HOLDING, legacyKeys } from '../../domain/booking/seats';
import {
  SUMMARY_FIELDS,
  type BookingConflict,
  type Checklist,
  type FeedbackItem,
  type InsertOutcome,
  type Notification,
  type OfficerToken,
  type Store,
  type UpsertReport,
} from '../types';
import { repairTornTail } from './append-log';
import { openBotStateLog, openTranscriptLog } from './chat-logs';
import { acquireDirectoryLock } from './lock';

// NeDB's own serialiser (dates, nested documents), so each line is exactly what NeDB would write.
// This file reaches into NeDB's private internals (lib/model.js here, and `persistence` in
// appendThroughOneHandle below), so package.json pins @seald-io/nedb exactly: re-check both places
// before changing that version.
const model = require('@seald-io/nedb/lib/model.js') as { serialize(document: object): string };

type Doc<T> = T & { _id?: string };

function strip<T>(doc: Doc<T> | null): T | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  void _id;
  return rest as T;
}

/** How many records' texts ProcedureFiles keeps: the procedures being talked about (a few MB at most). */
const RECORD_CACHE = 256;

/**
 * Full procedure records, one JSON file per code, replaced atomically (temporary file + rename). The
 * texts of the last records read are kept (a conversation asks for its procedure's record at every
 * turn); each read parses its own copy, and a write replaces the text (this process is the store's
 * only writer: the directory lock).
 */
class ProcedureFiles {
  /** JSON text by code, least recently used first; null: no such record. */
  private readonly cache = new Map<string, string | null>();
  /** Writes begun and ended: a read that overlapped one does not keep what it read (it may be the old text). */
  private writes = 0;

  private remember(code: string, text: string | null): void {
    this.cache.delete(code);
    this.cache.set(code, text);
    if (this.cache.size > RECORD_CACHE) this.cache.delete(this.cache.keys().next().value!);
  }

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private path(code: string): string {
    return join(this.dir, `${code.replace(/[^0-9A-Za-z.-]/g, '_')}.json`);
  }

  async write(procedure: Procedure): Promise<void> {
    const target = this.path(procedure.code);
    const temp = `${target}.tmp`;
    this.writes++;
    this.cache.delete(procedure.code);
    try {
      await writeFile(temp, JSON.stringify(procedure));
      await rename(temp, target);
    } finally {
      this.writes++;
      this.cache.delete(procedure.code);
    }
  }

  /** Makes the renames durable once, after a batch. */
  async flush(): Promise<void> {
    const handle = await openHandle(this.dir, 'r');
    try {
      await handle.sync();
    } catch {
      // some file systems cannot sync a directory
    } finally {
      await handle.close();
    }
  }

  async read(code: string): Promise<Procedure | null> {
    const cached = this.cache.get(code);
    if (cached !== undefined) {
      this.remember(code, cached);
      return cached === null ? null : (JSON.parse(cached) as Procedure);
    }
    const writes = this.writes;
    let text: string | null;
    try {
      text = await readFile(this.path(code), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      text = null;
    }
    if (writes === this.writes && writes % 2 === 0) this.remember(code, text);
    return text === null ? null : (JSON.parse(text) as Procedure);
  }
}

// `failure` is optional and may be null: both mean the notification has not been given up.
const NOT_FAILED = { $or: [{ failure: { $exists: false } }, { failure: null }] };
/** Not being sent by anyone at `now`: never taken, let go, or taken by a sender whose time ran out. */
const notTaken = (now: string) => ({ $or: [{ sendingUntil: { $exists: false } }, { sendingUntil: null }, { sendingUntil: { $lte: now } }] });

function withKey(booking: Booking | null): Booking | null {
  return booking ? { ...booking, idempotencyKey: booking.idempotencyKey ?? null } : null;
}

/**
 * NeDB appends each write with fs.appendFile, which opens and closes the file every time; under load
 * that open/close is most of a write's cost. Appends go through one open handle instead (the same
 * bytes, in the same order, still acknowledged only once written); the handle is closed while NeDB
 * rewrites the file (compaction: temporary file + rename) and reopened on the new file after.
 */
interface NedbPersistence {
  filename: string;
  inMemoryOnly: boolean;
  afterSerialization: (s: string) => string | Promise<string>;
  persistNewStateAsync(newDocs: object[]): Promise<void>;
  persistCachedDatabaseAsync(): Promise<void>;
}

function appendThroughOneHandle(store: Datastore<object>): void {
  const persistence = (store as unknown as { persistence: NedbPersistence }).persistence;
  let handle: FileHandle | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  const rewrite = persistence.persistCachedDatabaseAsync.bind(persistence);
  persistence.persistCachedDatabaseAsync = async () => {
    await chain;
    await handle?.close();
    handle = null;
    await rewrite();
  };
  persistence.persistNewStateAsync = async (newDocs) => {
    let toPersist = '';
    for (const doc of newDocs) toPersist += (await persistence.afterSerialization(model.serialize(doc))) + '\n';
    if (!toPersist) return;
    const write = chain.then(async () => {
      handle ??= await openHandle(persistence.filename, 'a');
      await handle.appendFile(toPersist, 'utf8');
    });
    chain = write.catch(() => undefined);
    await write;
  };
  closers.set(store, async () => {
    await chain;
    await handle?.close();
    handle = null;
  });
}

const closers = new WeakMap<object, () => Promise<void>>();

async function open<T>(dir: string, name: string): Promise<Datastore<Doc<T>>> {
  repairTornTail(join(dir, `${name}.db`));
  const store = new Datastore<Doc<T>>({ filename: join(dir, `${name}.db`), corruptAlertThreshold: 0.01 });
  await store.loadDatabaseAsync();
  appendThroughOneHandle(store as unknown as Datastore<object>);
  return store;
}

function isUniqueViolation(error: unknown): error is { key: unknown; message: string } {
  return (error as { errorType?: string })?.errorType === 'uniqueViolated';
}

/** Inserts; a unique-index violation is reported as which key collided. */
async function insertUnique<T extends object>(
  store: Datastore<Doc<T>>,
  doc: T,
  secondaryKey?: keyof T & string,
): Promise<InsertOutcome> {
  try {
    await store.insertAsync({ ...doc } as Doc<T>);
    return 'inserted';
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    if (secondaryKey && doc[secondaryKey] != null && error.message.includes(secondaryKey)) return 'duplicate_idempotency_key';
    return 'duplicate_code';
  }
}

/** Which of a booking's unique keys the value NeDB reports as violated belongs to. */
function bookingConflict(error: { key: unknown }, doc: Partial<Booking>): BookingConflict {
  const key = error.key;
  if (key === doc.seatKey) return 'duplicate_seat';
  if (key === doc.phoneQuotaKey) return 'duplicate_phone_quota';
  if (key === doc.requestKey || key === doc.idempotencyKey) return 'duplicate_request';
  return 'duplicate_code';
}

/** Gives bookings stored before seats existed their seat, quota and request keys (once, at start). */
async function migrateLegacyBookings(bookings: Datastore<Doc<Booking>>): Promise<void> {
  const missing = await bookings.countAsync({ $or: [{ seatKey: { $exists: false } }, { phoneQuotaKey: { $exists: false } }, { requestKey: { $exists: false } }] } as never);
  if (missing === 0) return;
  for (const keys of legacyKeys(await bookings.findAsync({}))) {
    const { code, ...set } = keys;
    await bookings.updateAsync({ code }, { $set: set });
  }
  await bookings.compactDatafileAsync();
}

async function upsertBy<T extends object>(
  store: Datastore<Doc<T>>,
  key: keyof T & string,
  records: readonly T[],
): Promise<UpsertReport> {
  const report = { inserted: 0, updated: 0 };
  for (const record of records) {
    const { upsert } = await store.updateAsync({ [key]: record[key] } as never, { ...record } as never, { upsert: true });
    if (upsert) report.inserted++;
    else report.updated++;
  }
  // Many replacements leave old lines behind; rewrite the file once (crash-safe: temp file + rename).
  if (records.length > 100) await store.compactDatafileAsync();
  return report;
}

export async function openEmbeddedStore(dir: string): Promise<Store> {
  mkdirSync(dir, { recursive: true });
  accessSync(dir, constants.W_OK);
  const release = acquireDirectoryLock(dir);
  try {
    // The index of procedures holds their summaries; each full record (official texts, some 15 MB in
    // all) is a file of its own, read when asked for, so the catalogue does not sit in memory.
    const procedures = await open<ProcedureSummary>(dir, 'procedure-summaries');
    const records = new ProcedureFiles(join(dir, 'procedures'));
    const branches = await open<Branch>(dir, 'branches');
    const meta = await open<{ key: string; value: unknown }>(dir, 'meta');
    const counters = await open<{ key: string; n: number; expiresAt: Date }>(dir, 'counters');
    const bookings = await open<Booking>(dir, 'bookings');
    const dossiers = await open<Dossier>(dir, 'dossiers');
    const tokens = await open<OfficerToken>(dir, 'tokens');
    const outbox = await open<Notification>(dir, 'outbox');
    const waitlist = await open<WaitlistEntry>(dir, 'waitlist');
    const botState = await openBotStateLog(dir);
    const feedback = await open<FeedbackItem>(dir, 'feedback');
    const checklists = await open<Checklist>(dir, 'checklists');
    const transcripts = await openTranscriptLog(dir);
    const leases = await open<{ name: string; owner: string; until: string }>(dir, 'leases');
    await leases.ensureIndexAsync({ fieldName: 'name', unique: true });
    await feedback.ensureIndexAsync({ fieldName: 'reference', unique: true });
    await checklists.ensureIndexAsync({ fieldName: 'id', unique: true });
    await waitlist.ensureIndexAsync({ fieldName: 'id', unique: true });
    await waitlist.ensureIndexAsync({ fieldName: 'capacityKey' });
    await procedures.ensureIndexAsync({ fieldName: 'code', unique: true });
    await branches.ensureIndexAsync({ fieldName: 'id', unique: true });
    await meta.ensureIndexAsync({ fieldName: 'key', unique: true });
    await counters.ensureIndexAsync({ fieldName: 'key', unique: true });
    await counters.ensureIndexAsync({ fieldName: 'expiresAt', expireAfterSeconds: 0 });
    await bookings.ensureIndexAsync({ fieldName: 'code', unique: true });
    // The request key replaced the sparse index on idempotencyKey (it is the lock now, never absent).
    if ('idempotencyKey' in (bookings as unknown as { indexes: object }).indexes) await bookings.removeIndexAsync('idempotencyKey');
    await migrateLegacyBookings(bookings);
    await bookings.ensureIndexAsync({ fieldName: 'seatKey', unique: true });
    await bookings.ensureIndexAsync({ fieldName: 'phoneQuotaKey', unique: true });
    await bookings.ensureIndexAsync({ fieldName: 'requestKey', unique: true });
    await bookings.ensureIndexAsync({ fieldName: 'capacityKey' });
    await bookings.ensureIndexAsync({ fieldName: 'phone' });
    await bookings.ensureIndexAsync({ fieldName: 'status' });
    await dossiers.ensureIndexAsync({ fieldName: 'code', unique: true });
    await tokens.ensureIndexAsync({ fieldName: 'hash', unique: true });
    await tokens.ensureIndexAsync({ fieldName: 'id', unique: true });
    await outbox.ensureIndexAsync({ fieldName: 'id', unique: true });
    await outbox.ensureIndexAsync({ fieldName: 'ref' });
    // Sparse: only reminders carry the key; it makes their claim atomic.
    await outbox.ensureIndexAsync({ fieldName: 'dedupeKey', unique: true, sparse: true });

    /** Creates the counter at `initial` when it does not exist; says whether this call created it. */
    const createCounter = async (key: string, initial: number, expiresAt: Date): Promise<boolean> => {
      if (await counters.findOneAsync({ key })) return false;
      try {
        await counters.insertAsync({ key, n: initial, expiresAt });
        return true;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error; // created meanwhile by a concurrent request
        return false;
      }
    };
    const projection = Object.fromEntries(SUMMARY_FIELDS.map((f) => [f, 1]));

    // NeDB drops an expired document only when a query touches it: sweep every collection with an
    // expiry, so memory holds only live data, and rewrite the files now and then (crash-safe).
    const expiring = [counters] as Datastore<Doc<{ expiresAt?: Date }>>[];
    const sweep = async () => {
      for (const ds of expiring) await ds.removeAsync({ expiresAt: { $lt: new Date() } } as never, { multi: true });
      botState.sweep(Date.now());
      transcripts.sweep(Date.now());
    };
    await sweep();
    const housekeeping = setInterval(() => void sweep().catch(() => undefined), 3_600_000);
    housekeeping.unref();
    for (const ds of [...expiring, outbox, waitlist, bookings]) ds.setAutocompactionInterval(6 * 3_600_000);

    return {
      kind: 'embedded',
      procedures: {
        upsertMany: async (items) => {
          for (const p of items) await records.write(p);
          await records.flush();
          return upsertBy(
            procedures,
            'code',
            items.map((p) => Object.fromEntries(SUMMARY_FIELDS.map((f) => [f, p[f]])) as ProcedureSummary),
          );
        },
        get: async (code) => ((await procedures.findOneAsync({ code })) ? records.read(code) : null),
        summaries: async () =>
          (await procedures.findAsync({}, projection).sort({ code: 1 })).map((d) => strip(d) as ProcedureSummary),
        count: () => procedures.countAsync({}),
      },
      branches: {
        upsertMany: (records) => upsertBy(branches, 'id', records),
        get: async (id) => strip(await branches.findOneAsync({ id })),
        list: async () => (await branches.findAsync({}).sort({ id: 1 })).map((d) => strip(d) as Branch),
      },
      meta: {
        get: async (key) => (await meta.findOneAsync({ key }))?.value ?? null,
        set: async (key, value) => {
          await meta.updateAsync({ key }, { key, value }, { upsert: true });
        },
        setIfAbsent: async (key, value) => {
          if (!(await meta.findOneAsync({ key }))) {
            try {
              await meta.insertAsync({ key, value });
            } catch (error) {
              if (!isUniqueViolation(error)) throw error;
            }
          }
          return (await meta.findOneAsync({ key }))?.value ?? null;
        },
      },
      counters: {
        // NeDB runs each operation to completion before the next, so the conditional update is the
        // atomic check-and-increment; the directory lock keeps other processes out.
        tryIncrement: async (key, limit, expiresAt) => {
          if (limit >= 1 && (await createCounter(key, 1, expiresAt))) return true;
          const { numAffected } = await counters.updateAsync({ key, n: { $lt: limit } }, { $inc: { n: 1 } });
          return numAffected === 1;
        },
        increment: async (key, expiresAt) => {
          if (await createCounter(key, 1, expiresAt)) return 1;
          const { affectedDocuments } = await counters.updateAsync({ key }, { $inc: { n: 1 } }, { returnUpdatedDocs: true });
          return (affectedDocuments as { n: number } | null)?.n ?? 1;
        },
        decrement: async (key) => {
          await counters.updateAsync({ key, n: { $gt: 0 } }, { $inc: { n: -1 } });
        },
        get: async (key) => (await counters.findOneAsync({ key }))?.n ?? 0,
      },
      bookings: {
        // NeDB runs each operation to completion before the next, and checks every unique index on
        // insert and update: the insert of a booking is the reservation of its seat and quota.
        insert: async (booking) => {
          const { idempotencyKey, ...rest } = booking;
          try {
            await bookings.insertAsync({ ...rest, ...(idempotencyKey === null ? {} : { idempotencyKey }) } as Doc<Booking>);
            return 'inserted';
          } catch (error) {
            if (!isUniqueViolation(error)) throw error;
            return bookingConflict(error, booking);
          }
        },
        get: async (code) => withKey(strip(await bookings.findOneAsync({ code }))),
        byRequestKey: async (requestKey) => withKey(strip(await bookings.findOneAsync({ requestKey }))),
        transition: async (code, from, patch) => {
          try {
            const { affectedDocuments } = await bookings.updateAsync(
              { code, status: { $in: from } },
              { $set: patch },
              { returnUpdatedDocs: true },
            );
            return withKey(strip(affectedDocuments as Doc<Booking> | null));
          } catch (error) {
            if (!isUniqueViolation(error)) throw error;
            return bookingConflict(error, patch);
          }
        },
        listForBranchDay: async (branchId, date) =>
          (await bookings.findAsync({ branchId, date }).sort({ start: 1, priority: -1, createdAt: 1 })).map((d) => withKey(strip(d))!),
        occupiedSeats: async (capacityKey, starts) =>
          (await bookings.findAsync({ capacityKey, start: { $in: starts }, status: { $in: [...SEAT_HOLDING] } }, { start: 1, seatKey: 1, _id: 0 })) as never,
        phoneQuotas: async (phone, date) =>
          (await bookings.findAsync({ phone, date, status: { $in: [...QUOTA_COUNTING] } }, { phoneQuotaKey: 1 })).map((d) => d.phoneQuotaKey),
        expiredHolds: async (now, limit) =>
          (await bookings.findAsync({ status: 'held', holdUntil: { $lt: now } }).sort({ holdUntil: 1 }).limit(limit)).map((d) => withKey(strip(d))!),
      },
      dossiers: {
        insert: (dossier) => insertUnique(dossiers, dossier),
        get: async (code) => strip(await dossiers.findOneAsync({ code })),
        update: async (code, change) => {
          const update: Record<string, unknown> = {};
          if (change.set && Object.keys(change.set).length) update.$set = change.set;
          if (change.push && Object.keys(change.push).length) update.$push = change.push;
          if (Object.keys(update).length === 0) return strip(await dossiers.findOneAsync({ code }));
          const { affectedDocuments } = await dossiers.updateAsync({ code }, update, { returnUpdatedDocs: true });
          return strip(affectedDocuments as Doc<Dossier> | null);
        },
        list: async ({ branchId, limit }) =>
          (await dossiers.findAsync(branchId ? { branchId } : {}).sort({ createdAt: -1 }).limit(limit)).map((d) => strip(d)!),
      },
      tokens: {
        insert: async (token) => {
          await tokens.insertAsync({ ...token });
        },
        byHash: async (hash) => strip(await tokens.findOneAsync({ hash })),
        byId: async (id) => strip(await tokens.findOneAsync({ id })),
        list: async (limit) => (await tokens.findAsync({}).sort({ createdAt: -1 }).limit(limit)).map((d) => strip(d)!),
        revoke: async (id, at) => {
          // Only the first revocation counts: its time is the one that is kept.
          await tokens.updateAsync({ id, revokedAt: null }, { $set: { revokedAt: at } });
          return strip(await tokens.findOneAsync({ id }));
        },
      },
      outbox: {
        enqueue: async (notification) => {
          await outbox.insertAsync({ ...notification });
        },
        claim: async (notification) => {
          try {
            await outbox.insertAsync({ ...notification });
            return true;
          } catch (error) {
            if (isUniqueViolation(error)) return false;
            throw error;
          }
        },
        pending: async (channel, limit, now) =>
          (
            await outbox
              .findAsync({ 'recipient.channel': channel, deliveredAt: null, ...(now ? { $and: [NOT_FAILED, notTaken(now)] } : NOT_FAILED) })
              .sort({ createdAt: 1 })
              .limit(limit)
          ).map((d) => strip(d)!),
        // NeDB runs each update to completion before the next: the conditional update is the atomic take.
        take: async (id, now, until) => {
          const { numAffected } = await outbox.updateAsync({ id, deliveredAt: null, $and: [NOT_FAILED, notTaken(now)] }, { $set: { sendingUntil: until } });
          return numAffected === 1;
        },
        release: async (id) => {
          await outbox.updateAsync({ id, deliveredAt: null }, { $unset: { sendingUntil: true } });
        },
        markDelivered: async (id, at, via) => {
          await outbox.updateAsync({ id }, { $set: { deliveredAt: at, ...(via ? { deliveredVia: via } : {}) }, $unset: { sendingUntil: true } });
        },
        markFailed: async (id, reason) => {
          await outbox.updateAsync({ id }, { $set: { failure: reason }, $unset: { sendingUntil: true } });
        },
        forRef: async (ref) => (await outbox.findAsync({ ref }).sort({ createdAt: 1 })).map((d) => strip(d)!),
      },
      botState: botState.repository,
      feedback: {
        add: async (item) => {
          await feedback.insertAsync({ ...item });
        },
        list: async (kind, limit) => (await feedback.findAsync(kind ? { kind } : {}).sort({ createdAt: -1 }).limit(limit)).map((d) => strip(d)!),
      },
      transcripts: transcripts.repository,
      checklists: {
        save: async (checklist) => {
          await checklists.updateAsync({ id: checklist.id }, { ...checklist }, { upsert: true });
        },
        get: async (id) => strip(await checklists.findOneAsync({ id })),
      },
      waitlist: {
        add: async (entry) => {
          await waitlist.insertAsync({ ...entry });
        },
        get: async (id) => strip(await waitlist.findOneAsync({ id })),
        firstWaiting: async (capacityKey, start) =>
          strip((await waitlist.findAsync({ capacityKey, start, status: 'waiting' }).sort({ createdAt: 1 }).limit(1))[0] ?? null),
        countWaiting: (capacityKey, start) => waitlist.countAsync({ capacityKey, start, status: 'waiting' }),
        waiting: async (capacityKey, start, limit) =>
          (await waitlist.findAsync({ capacityKey, start, status: 'waiting' }).sort({ createdAt: 1 }).limit(limit)).map((d) => strip(d)!),
        findWaiting: async (capacityKey, start, phone) =>
          strip(await waitlist.findOneAsync({ capacityKey, start, phone, status: { $in: ['waiting', 'offered'] } })),
        transition: async (id, from, patch) => {
          const { affectedDocuments } = await waitlist.updateAsync({ id, status: { $in: from } }, { $set: patch }, { returnUpdatedDocs: true });
          return strip(affectedDocuments as Doc<WaitlistEntry> | null);
        },
        expiredOffers: async (now, limit) =>
          (await waitlist.findAsync({ status: 'offered', holdUntil: { $lt: now } }).sort({ holdUntil: 1 }).limit(limit)).map((d) => strip(d)!),
      },
      leases: {
        // The directory lock keeps other processes out; within this one, NeDB runs each operation to
        // completion, so the conditional update, or else the insert the unique index guards, is atomic.
        acquire: async (name, owner, now, until) => {
          const { numAffected } = await leases.updateAsync({ name, $or: [{ until: { $lte: now } }, { owner }] }, { $set: { owner, until } });
          if (numAffected === 1) return true;
          try {
            await leases.insertAsync({ name, owner, until });
            return true;
          } catch (error) {
            if (isUniqueViolation(error)) return false;
            throw error;
          }
        },
        release: async (name, owner) => {
          await leases.updateAsync({ name, owner }, { $set: { until: new Date(0).toISOString() } });
        },
      },
      ping: async () => {
        accessSync(dir, constants.W_OK);
        await meta.countAsync({});
      },
      close: async () => {
        clearInterval(housekeeping);
        for (const ds of [procedures, branches, meta, counters, bookings, dossiers, tokens, outbox, waitlist, feedback, checklists, leases]) {
          await closers.get(ds)?.();
        }
        await botState.close();
        await transcripts.close();
        for (const ds of [...expiring, outbox, waitlist, bookings]) ds.stopAutocompaction();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
