/**
 * MongoDB store (official driver). Indexes are created at start; every write is an upsert keyed by
 * the natural id, so several stateless server processes can share one database.
 */
import { MongoClient, MongoServerError, type Collection, type Document } from 'mongodb';
import type { Branch, Procedure, ProcedureSummary } from '../../../knowledge/schemas';
import type { Booking } from '../../domain/booking/booking';
import type { Dossier } from '../../domain/dossier/dossier';
import type { WaitlistEntry } from '../../domain/booking/waitlist';
import { QUOTA_COUNTING, SEAT_HOLDING, legacyKeys } from '../../domain/booking/seats';
import { TRANSCRIPT_DAYS, TRANSCRIPT_KEEP, botStateExpiry } from '../retention';
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

function isDuplicateKey(error: unknown): error is MongoServerError {
  return error instanceof MongoServerError && error.code === 11000;
}

async function insertUnique<T extends Document>(collection: Collection<T>, doc: T, secondaryKey?: string): Promise<InsertOutcome> {
  try {
    await collection.insertOne({ ...doc } as never);
    return 'inserted';
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    if (secondaryKey && error.keyPattern && secondaryKey in error.keyPattern) return 'duplicate_idempotency_key';
    return 'duplicate_code';
  }
}

// `failure` is optional and may be null: both mean the notification has not been given up.
const NOT_FAILED = { $or: [{ failure: { $exists: false } }, { failure: null }] };
/** Not being sent by anyone at `now`: never taken, let go, or taken by a sender whose time ran out. */
const notTaken = (now: string) => ({ $or: [{ sendingUntil: { $exists: false } }, { sendingUntil: null }, { sendingUntil: { $lte: now } }] });

const BOOKING_KEYS: [string, BookingConflict][] = [
  ['seatKey', 'duplicate_seat'],
  ['phoneQuotaKey', 'duplicate_phone_quota'],
  ['requestKey', 'duplicate_request'],
  ['code', 'duplicate_code'],
];

/** Which of a booking's unique keys a duplicate-key error is about (keyPattern, or the index named in the message). */
function bookingConflict(error: MongoServerError): BookingConflict {
  const index = /index: (\w+?)_1\b/.exec(error.message)?.[1];
  for (const [field, conflict] of BOOKING_KEYS) {
    if ((error.keyPattern && field in error.keyPattern) || index === field) return conflict;
  }
  return 'duplicate_code';
}

const WITHOUT_ID = { projection: { _id: 0 } } as const;
/** Notifications as stored, without the claim key kept for the unique index. */
const OUTBOX_VIEW = { projection: { _id: 0, claimKey: 0 } } as const;
/**
 * An increment returns only the count. Besides sending less, this matters on the MongoDB-wire test
 * server (mongo-java-server): without a projection it answers findAndModify with its live document,
 * serialised after its lock is released, so two concurrent increments could both read the later
 * value (seen as duplicate dossier and transcript numbers); a projection makes it copy under the lock.
 */
const COUNT_ONLY = { _id: 0, n: 1 } as const;

async function upsertBy<T extends Document>(
  collection: Collection<T>,
  key: keyof T & string,
  records: readonly T[],
): Promise<UpsertReport> {
  if (records.length === 0) return { inserted: 0, updated: 0 };
  const report = { inserted: 0, updated: 0 };
  for (let i = 0; i < records.length; i += 500) {
    const batch = records.slice(i, i + 500);
    const result = await collection.bulkWrite(
      batch.map((record) => ({
        replaceOne: { filter: { [key]: record[key] } as never, replacement: record, upsert: true },
      })),
      { ordered: false },
    );
    report.inserted += result.upsertedCount;
    report.updated += result.matchedCount;
  }
  return report;
}


/** A bot state document: the value as JSON text (it may hold keys MongoDB refuses), its eTag apart. */
function botStateDoc(key: string, value: unknown) {
  const eTag = (value as { eTag?: unknown } | null)?.eTag;
  return { key, value: JSON.stringify(value), ...(typeof eTag === 'string' ? { eTag } : {}), expiresAt: botStateExpiry(key, Date.now()) };
}

export async function openMongoStore(uri: string, options: { serverSelectionTimeoutMS?: number } = {}): Promise<Store> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000 });
  await client.connect();
  const db = client.db();
  const procedures = db.collection<Procedure>('procedures');
  const branches = db.collection<Branch>('branches');
  const meta = db.collection<{ key: string; value: unknown }>('meta');
  const counters = db.collection<{ key: string; n: number; expiresAt: Date }>('counters');
  const bookings = db.collection<Booking>('bookings');
  const dossiers = db.collection<Dossier>('dossiers');
  const tokens = db.collection<OfficerToken>('tokens');
  const outbox = db.collection<Notification>('outbox');
  const waitlist = db.collection<WaitlistEntry>('waitlist');
  const botState = db.collection<{ key: string; value: unknown; eTag?: string; expiresAt?: Date }>('botstate');
  const feedback = db.collection<FeedbackItem>('feedback');
  const checklists = db.collection<Checklist>('checklists');
  const transcripts = db.collection<{ conversationId: string; seq: number; activity: string; expiresAt: Date }>('transcripts');
  const leases = db.collection<{ name: string; owner: string; until: string }>('leases');
  await procedures.createIndex({ code: 1 }, { unique: true });
  await branches.createIndex({ id: 1 }, { unique: true });
  await meta.createIndex({ key: 1 }, { unique: true });
  await counters.createIndex({ key: 1 }, { unique: true });
  await counters.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
  await bookings.createIndex({ code: 1 }, { unique: true });
  // The request key replaced the partial index on idempotencyKey (which MongoDB-wire test servers
  // ignore, making every booking without a key collide): plain unique indexes only, on values never null.
  if (await bookings.indexExists('idempotencyKey_1').catch(() => false)) await bookings.dropIndex('idempotencyKey_1');
  const legacy = await bookings
    .find({ $or: [{ seatKey: { $exists: false } }, { phoneQuotaKey: { $exists: false } }, { requestKey: { $exists: false } }] }, { projection: { _id: 1 } })
    .limit(1)
    .toArray();
  if (legacy.length > 0) {
    for (const { code, ...set } of legacyKeys((await bookings.find({}, WITHOUT_ID).toArray()) as Booking[])) await bookings.updateOne({ code }, { $set: set });
  }
  await bookings.createIndex({ seatKey: 1 }, { unique: true });
  await bookings.createIndex({ phoneQuotaKey: 1 }, { unique: true });
  await bookings.createIndex({ requestKey: 1 }, { unique: true });
  await bookings.createIndex({ phone: 1, date: 1 });
  await bookings.createIndex({ status: 1, holdUntil: 1 });
  await bookings.createIndex({ branchId: 1, date: 1 });
  await bookings.createIndex({ capacityKey: 1, start: 1 });
  await dossiers.createIndex({ code: 1 }, { unique: true });
  await tokens.createIndex({ hash: 1 }, { unique: true });
  await tokens.createIndex({ id: 1 }, { unique: true });
  await outbox.createIndex({ id: 1 }, { unique: true });
  await outbox.createIndex({ 'recipient.channel': 1, deliveredAt: 1, createdAt: 1 });
  await outbox.createIndex({ ref: 1 });
  // Reminders carry a dedupeKey that makes their claim atomic across processes. Every notification
  // stores a claim key (the dedupeKey, or one unique to it) under a plain unique index: no partial index,
  // which the MongoDB-wire test server ignores (a partial index on dedupeKey refused a second null).
  await outbox.dropIndex('dedupeKey_1').catch(() => undefined);
  await outbox.createIndex({ claimKey: 1 }, { unique: true });
  await waitlist.createIndex({ id: 1 }, { unique: true });
  await leases.createIndex({ name: 1 }, { unique: true });
  await botState.createIndex({ key: 1 }, { unique: true });
  await feedback.createIndex({ reference: 1 }, { unique: true });
  await feedback.createIndex({ kind: 1, createdAt: -1 });
  await checklists.createIndex({ id: 1 }, { unique: true });
  await transcripts.createIndex({ conversationId: 1, seq: 1 }, { unique: true });
  await transcripts.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
  await botState.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
  await waitlist.createIndex({ capacityKey: 1, start: 1, status: 1, createdAt: 1 });
  await waitlist.createIndex({ status: 1, holdUntil: 1 });

  const summaryProjection = { _id: 0, ...Object.fromEntries(SUMMARY_FIELDS.map((f) => [f, 1])) };

  return {
    kind: 'mongodb',
    procedures: {
      upsertMany: (records) => upsertBy(procedures, 'code', records),
      get: (code) => procedures.findOne({ code }, WITHOUT_ID) as Promise<Procedure | null>,
      summaries: () =>
        procedures.find({}, { projection: summaryProjection }).sort({ code: 1 }).toArray() as Promise<ProcedureSummary[]>,
      count: () => procedures.countDocuments(),
    },
    branches: {
      upsertMany: (records) => upsertBy(branches, 'id', records),
      get: (id) => branches.findOne({ id }, WITHOUT_ID) as Promise<Branch | null>,
      list: () => branches.find({}, WITHOUT_ID).sort({ id: 1 }).toArray() as Promise<Branch[]>,
    },
    meta: {
      get: async (key) => (await meta.findOne({ key }))?.value ?? null,
      set: async (key, value) => {
        await meta.updateOne({ key }, { $set: { key, value } }, { upsert: true });
      },
      setIfAbsent: async (key, value) => {
        try {
          await meta.updateOne({ key }, { $setOnInsert: { value } }, { upsert: true });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error; // inserted meanwhile by another process: its value stands
        }
        return (await meta.findOne({ key }))?.value ?? null;
      },
    },
    counters: {
      // A conditional update is atomic on the server: the capacity check and the increment are one step.
      // Usually one round trip: the filter matches only a counter below the limit, and when none
      // matches the upsert creates the counter at 1. The unique index on `key` refuses that insert
      // when the counter exists (at the limit, or just created by a concurrent request): then the
      // conditional increment alone decides.
      tryIncrement: async (key, limit, expiresAt) => {
        if (limit < 1) return false;
        try {
          const result = await counters.updateOne({ key, n: { $lt: limit } }, { $inc: { n: 1 }, $setOnInsert: { expiresAt } }, { upsert: true });
          return result.modifiedCount === 1 || result.upsertedCount === 1;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          const result = await counters.updateOne({ key, n: { $lt: limit } }, { $inc: { n: 1 } });
          return result.modifiedCount === 1;
        }
      },
      increment: async (key, expiresAt) => {
        const doc = await counters.findOneAndUpdate(
          { key },
          { $inc: { n: 1 }, $setOnInsert: { expiresAt } },
          { upsert: true, returnDocument: 'after', projection: COUNT_ONLY },
        );
        return doc?.n ?? 1;
      },
      decrement: async (key) => {
        await counters.updateOne({ key, n: { $gt: 0 } }, { $inc: { n: -1 } });
      },
      get: async (key) => (await counters.findOne({ key }))?.n ?? 0,
    },
    bookings: {
      // Unique indexes on seatKey and phoneQuotaKey: the insert is the reservation, atomic on the server.
      insert: async (booking) => {
        try {
          await bookings.insertOne({ ...booking });
          return 'inserted';
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          return bookingConflict(error);
        }
      },
      get: (code) => bookings.findOne({ code }, WITHOUT_ID) as Promise<Booking | null>,
      byRequestKey: (requestKey) => bookings.findOne({ requestKey }, WITHOUT_ID) as Promise<Booking | null>,
      transition: async (code, from, patch) => {
        try {
          return (await bookings.findOneAndUpdate(
            { code, status: { $in: from } },
            { $set: patch },
            { returnDocument: 'after', projection: { _id: 0 } },
          )) as Booking | null;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          return bookingConflict(error);
        }
      },
      listForBranchDay: (branchId, date) =>
        bookings.find({ branchId, date }, WITHOUT_ID).sort({ start: 1, priority: -1, createdAt: 1 }).toArray() as Promise<Booking[]>,
      occupiedSeats: (capacityKey, starts) =>
        bookings
          .find({ capacityKey, start: { $in: starts }, status: { $in: [...SEAT_HOLDING] } }, { projection: { _id: 0, start: 1, seatKey: 1 } })
          .toArray() as Promise<{ start: string; seatKey: string }[]>,
      phoneQuotas: async (phone, date) =>
        (await bookings.find({ phone, date, status: { $in: [...QUOTA_COUNTING] } }, { projection: { _id: 0, phoneQuotaKey: 1 } }).toArray()).map((d) => d.phoneQuotaKey),
      expiredHolds: (now, limit) =>
        bookings.find({ status: 'held', holdUntil: { $lt: now } }, WITHOUT_ID).sort({ holdUntil: 1 }).limit(limit).toArray() as Promise<Booking[]>,
    },
    dossiers: {
      insert: (dossier) => insertUnique(dossiers, dossier),
      get: (code) => dossiers.findOne({ code }, WITHOUT_ID) as Promise<Dossier | null>,
      update: (code, change) => {
        const update: Document = {};
        if (change.set && Object.keys(change.set).length) update.$set = change.set;
        if (change.push && Object.keys(change.push).length) update.$push = change.push;
        if (Object.keys(update).length === 0) return dossiers.findOne({ code }, WITHOUT_ID) as Promise<Dossier | null>;
        return dossiers.findOneAndUpdate({ code }, update, {
          returnDocument: 'after',
          projection: { _id: 0 },
        }) as Promise<Dossier | null>;
      },
      list: ({ branchId, limit }) =>
        dossiers
          .find(branchId ? { branchId } : {}, WITHOUT_ID)
          .sort({ createdAt: -1 })
          .limit(limit)
          .toArray() as Promise<Dossier[]>,
    },
    tokens: {
      insert: async (token) => {
        await tokens.insertOne({ ...token });
      },
      byHash: (hash) => tokens.findOne({ hash }, WITHOUT_ID) as Promise<OfficerToken | null>,
      byId: (id) => tokens.findOne({ id }, WITHOUT_ID) as Promise<OfficerToken | null>,
      list: (limit) => tokens.find({}, WITHOUT_ID).sort({ createdAt: -1 }).limit(limit).toArray() as Promise<OfficerToken[]>,
      revoke: async (id, at) => {
        // Only the first revocation counts: its time is the one that is kept.
        await tokens.updateOne({ id, revokedAt: null }, { $set: { revokedAt: at } });
        return tokens.findOne({ id }, WITHOUT_ID) as Promise<OfficerToken | null>;
      },
    },
    outbox: {
      enqueue: async (notification) => {
        await outbox.insertOne({ ...notification, claimKey: notification.dedupeKey ?? `none|${notification.id}` } as Notification);
      },
      claim: async (notification) => {
        try {
          await outbox.insertOne({ ...notification, claimKey: notification.dedupeKey } as Notification);
          return true;
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      },
      pending: (channel, limit, now) =>
        outbox
          .find({ 'recipient.channel': channel, deliveredAt: null, ...(now ? { $and: [NOT_FAILED, notTaken(now)] } : NOT_FAILED) }, OUTBOX_VIEW)
          .sort({ createdAt: 1 })
          .limit(limit)
          .toArray() as Promise<Notification[]>,
      // A conditional update: the server checks the filter and sets the lease as one step, so of two
      // processes that both saw the notification pending, one matches it.
      take: async (id, now, until) => {
        const result = await outbox.updateOne({ id, deliveredAt: null, $and: [NOT_FAILED, notTaken(now)] }, { $set: { sendingUntil: until } });
        return result.modifiedCount === 1;
      },
      release: async (id) => {
        await outbox.updateOne({ id, deliveredAt: null }, { $unset: { sendingUntil: '' } });
      },
      markDelivered: async (id, at, via) => {
        await outbox.updateOne({ id }, { $set: { deliveredAt: at, ...(via ? { deliveredVia: via } : {}) }, $unset: { sendingUntil: '' } });
      },
      markFailed: async (id, reason) => {
        await outbox.updateOne({ id }, { $set: { failure: reason }, $unset: { sendingUntil: '' } });
      },
      forRef: (ref) => outbox.find({ ref }, OUTBOX_VIEW).sort({ createdAt: 1 }).toArray() as Promise<Notification[]>,
    },
    botState: {
      read: async (keys) => {
        const docs = await botState.find({ key: { $in: keys } }).toArray();
        // Stored as JSON text: bot state may hold keys a document store refuses ("$type", dots).
        // A document from before eTags had their own field is read without one (its next write is
        // then unconditional, once), so the eTag a reader sees is always the one replaceIf checks.
        return Object.fromEntries(
          docs.map((d) => {
            const value = JSON.parse(d.value as string) as Record<string, unknown>;
            if (d.eTag === undefined && value && typeof value === 'object') delete value.eTag;
            return [d.key, value];
          }),
        );
      },
      write: async (items) => {
        const entries = Object.entries(items);
        if (entries.length === 0) return;
        await botState.bulkWrite(entries.map(([key, value]) => ({ replaceOne: { filter: { key }, replacement: botStateDoc(key, value), upsert: true } })));
      },
      replaceIf: async (key, value, ifETag) => {
        // The filter on the eTag makes the check and the write one atomic operation on the server.
        const result = await botState.replaceOne({ key, eTag: ifETag }, botStateDoc(key, value));
        return result.matchedCount === 1;
      },
      // The unique index on `key` refuses the insert when another process created the item first.
      insertIfAbsent: async (key, value) => {
        try {
          await botState.insertOne(botStateDoc(key, value));
          return true;
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      },
      delete: async (keys) => {
        await botState.deleteMany({ key: { $in: keys } });
      },
    },
    feedback: {
      add: async (item) => {
        await feedback.insertOne({ ...item });
      },
      list: (kind, limit) =>
        feedback.find(kind ? { kind } : {}, WITHOUT_ID).sort({ createdAt: -1 }).limit(limit).toArray() as Promise<FeedbackItem[]>,
    },
    transcripts: {
      append: async (conversationId, activity) => {
        const counter = await counters.findOneAndUpdate(
          { key: `dl-seq|${conversationId}` },
          { $inc: { n: 1 }, $setOnInsert: { expiresAt: new Date(Date.now() + 30 * 86_400_000) } },
          { upsert: true, returnDocument: 'after', projection: COUNT_ONLY },
        );
        const seq = counter!.n;
        if (seq % 50 === 0) await transcripts.deleteMany({ conversationId, seq: { $lte: seq - TRANSCRIPT_KEEP } });
        await transcripts.insertOne({
          conversationId,
          seq,
          activity: JSON.stringify({ ...activity, id: `${conversationId}|${String(seq).padStart(7, '0')}` }),
          expiresAt: new Date(Date.now() + TRANSCRIPT_DAYS * 86_400_000),
        });
        return seq;
      },
      after: async (conversationId, watermark, limit) =>
        (await transcripts.find({ conversationId, seq: { $gt: watermark } }).sort({ seq: 1 }).limit(limit).toArray()).map((d) => ({
          seq: d.seq,
          activity: JSON.parse(d.activity),
        })),
    },
    checklists: {
      save: async (checklist) => {
        await checklists.replaceOne({ id: checklist.id }, { ...checklist }, { upsert: true });
      },
      get: (id) => checklists.findOne({ id }, WITHOUT_ID) as Promise<Checklist | null>,
    },
    waitlist: {
      add: async (entry) => {
        await waitlist.insertOne({ ...entry });
      },
      get: (id) => waitlist.findOne({ id }, WITHOUT_ID) as Promise<WaitlistEntry | null>,
      firstWaiting: (capacityKey, start) =>
        waitlist.findOne({ capacityKey, start, status: 'waiting' }, { ...WITHOUT_ID, sort: { createdAt: 1 } }) as Promise<WaitlistEntry | null>,
      countWaiting: (capacityKey, start) => waitlist.countDocuments({ capacityKey, start, status: 'waiting' }),
      waiting: (capacityKey, start, limit) =>
        waitlist.find({ capacityKey, start, status: 'waiting' }, WITHOUT_ID).sort({ createdAt: 1 }).limit(limit).toArray() as Promise<WaitlistEntry[]>,
      findWaiting: (capacityKey, start, phone) =>
        waitlist.findOne({ capacityKey, start, phone, status: { $in: ['waiting', 'offered'] } }, WITHOUT_ID) as Promise<WaitlistEntry | null>,
      transition: (id, from, patch) =>
        waitlist.findOneAndUpdate({ id, status: { $in: from } }, { $set: patch }, { returnDocument: 'after', projection: { _id: 0 } }) as Promise<WaitlistEntry | null>,
      expiredOffers: (now, limit) =>
        waitlist.find({ status: 'offered', holdUntil: { $lt: now } }, WITHOUT_ID).sort({ holdUntil: 1 }).limit(limit).toArray() as Promise<WaitlistEntry[]>,
    },
    leases: {
      // One conditional update: it matches only a lease that is free (time ended) or already ours.
      // When it matches nothing the upsert inserts the lease, which the unique index on `name`
      // refuses if it exists (held by another) or was just created by a concurrent acquire.
      acquire: async (name, owner, now, until) => {
        try {
          await leases.updateOne({ name, $or: [{ until: { $lte: now } }, { owner }] }, { $set: { owner, until } }, { upsert: true });
          return true;
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      },
      release: async (name, owner) => {
        await leases.updateOne({ name, owner }, { $set: { until: new Date(0).toISOString() } });
      },
    },
    ping: async () => {
      await db.command({ ping: 1 });
    },
    close: () => client.close(),
  };
}
