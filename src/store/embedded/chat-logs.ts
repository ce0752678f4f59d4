/**
 * The embedded store's bot state and Direct Line transcripts: written by every chat turn, so they
 * live in memory and persist through an AppendLog (group commit) instead of NeDB, whose one-write-
 * at-a-time queue made 200 concurrent conversations wait on each other. A change is visible to
 * readers only once it is in the file.
 */
import { join } from 'node:path';
import type { BotStateRepository, TranscriptRepository } from '../types';
import { TRANSCRIPT_DAYS, TRANSCRIPT_IDLE_MINUTES, TRANSCRIPT_KEEP, TRANSCRIPT_MEMORY_CHARS, botStateExpiry } from '../retention';
import { AppendLog } from './append-log';

const DAY = 86_400_000;

/** When live records are fewer than this share of the file's lines, the file is rewritten. */
function needsRewrite(lines: number, live: number): boolean {
  return lines > 20_000 && lines > 3 * live;
}

type StateRecord = { k: string; v: string; e: number } | { k: string; d: 1 };

export interface ChatLog<R> {
  repository: R;
  /** Drops what has expired (memory first; the file on its next rewrite). */
  sweep(now: number): void;
  close(): Promise<void>;
}

export async function openBotStateLog(dir: string): Promise<ChatLog<BotStateRepository>> {
  // Values are kept as JSON text: compact, and no caller can change a stored value by reference.
  // `t`: the value's eTag, once known (a conditional write checks it: no need to parse the value).
  const live = new Map<string, { v: string; e: number; t?: string | null }>();
  const now = Date.now();
  const log = await AppendLog.open(join(dir, 'botstate.log'), (raw) => {
    const record = raw as StateRecord;
    if (typeof record?.k !== 'string') return;
    if ('d' in record) live.delete(record.k);
    else if (record.e > now) live.set(record.k, { v: record.v, e: record.e });
  });
  const compact = () => {
    if (!needsRewrite(log.lines, live.size)) return;
    const snapshot = [...live].map(([k, { v, e }]) => ({ k, v, e }));
    // A failed rewrite leaves the old file whole; the next write tries again.
    log.rewrite(snapshot).catch(() => undefined);
  };
  /**
   * The eTag each key will have once the writes in flight are in the file (null: deleted). A write
   * becomes visible to readers only once written, but a conditional write must be checked against
   * the writes already accepted, or two writers of the same eTag would both pass.
   */
  const claimed = new Map<string, string | null>();
  const storedETag = (key: string): string | null => {
    if (claimed.has(key)) return claimed.get(key) ?? null;
    const item = live.get(key);
    if (!item || item.e <= Date.now()) return null;
    if (item.t === undefined) {
      const eTag = (JSON.parse(item.v) as { eTag?: unknown } | null)?.eTag;
      item.t = typeof eTag === 'string' ? eTag : null;
    }
    return item.t;
  };
  const put = async (items: Record<string, unknown>) => {
    const at = Date.now();
    const records = Object.entries(items).map(([k, value]) => ({ k, v: JSON.stringify(value), e: botStateExpiry(k, at).getTime() }));
    const claims = records.map(({ k }) => {
      const eTag = (items[k] as { eTag?: unknown } | null)?.eTag;
      const claim = typeof eTag === 'string' ? eTag : null;
      claimed.set(k, claim);
      return claim;
    });
    const release = () => records.forEach(({ k }, i) => claimed.get(k) === claims[i] && claimed.delete(k));
    try {
      await Promise.all(records.map((r) => log.append(r)));
    } catch (error) {
      release();
      throw error;
    }
    records.forEach(({ k, v, e }, i) => live.set(k, { v, e, t: claims[i] }));
    release();
    compact();
  };
  return {
    repository: {
      read: async (keys) => {
        const found: Record<string, unknown> = {};
        const at = Date.now();
        for (const key of keys) {
          const item = live.get(key);
          if (item && item.e > at) found[key] = JSON.parse(item.v);
        }
        return found;
      },
      write: put,
      // Checked and claimed in one synchronous step (this process is the store's only writer).
      replaceIf: async (key, value, ifETag) => {
        if (storedETag(key) !== ifETag) return false;
        await put({ [key]: value });
        return true;
      },
      // Checked and claimed in one synchronous step, as replaceIf: an item stored, live, or being
      // written or deleted right now counts as present.
      insertIfAbsent: async (key, value) => {
        const item = live.get(key);
        if (claimed.has(key) || (item && item.e > Date.now())) return false;
        await put({ [key]: value });
        return true;
      },
      delete: async (keys) => {
        for (const k of keys) claimed.set(k, null);
        try {
          await Promise.all(keys.map((k) => log.append({ k, d: 1 })));
        } finally {
          for (const k of keys) if (claimed.get(k) === null) claimed.delete(k);
        }
        for (const k of keys) live.delete(k);
        compact();
      },
    },
    sweep: (at) => {
      for (const [k, item] of live) if (item.e <= at) live.delete(k);
    },
    close: () => log.close(),
  };
}

interface Conversation {
  /** The last sequence number given out (the watermark of the newest activity). */
  seq: number;
  /** The latest activities, while the conversation is active; emptied when it goes idle. */
  items: { s: number; a: string }[];
  lastActive: number;
  expiresAt: number;
}

/** An activity, or (without `a`) only the conversation's last sequence number. */
type TranscriptRecord = { c: string; s: number; a?: string; e: number };

/**
 * Only what a polling client can still ask for is kept in memory: the latest activities of the
 * conversations active in the last TRANSCRIPT_IDLE_MINUTES, within TRANSCRIPT_MEMORY_CHARS in all
 * (beyond it the least recently active conversations let theirs go first). A conversation without
 * activities in memory keeps its sequence number (so its watermark stays valid) until it expires;
 * the file holds the rest until it is rewritten.
 */
export async function openTranscriptLog(dir: string, memoryChars = TRANSCRIPT_MEMORY_CHARS): Promise<ChatLog<TranscriptRepository>> {
  const conversations = new Map<string, Conversation>();
  // Conversations holding activities, least recently active first.
  const recent = new Map<string, Conversation>();
  let liveItems = 0;
  let recentChars = 0;
  const forget = (c: string, conversation: Conversation) => {
    liveItems -= conversation.items.length;
    for (const item of conversation.items) recentChars -= item.a.length;
    conversation.items = [];
    recent.delete(c);
  };
  const keep = (record: TranscriptRecord, at: number) => {
    let conversation = conversations.get(record.c);
    if (!conversation) conversations.set(record.c, (conversation = { seq: 0, items: [], lastActive: at, expiresAt: record.e }));
    conversation.seq = Math.max(conversation.seq, record.s);
    conversation.expiresAt = Math.max(conversation.expiresAt, record.e);
    conversation.lastActive = Math.max(conversation.lastActive, at);
    if (record.a === undefined) return;
    conversation.items.push({ s: record.s, a: record.a });
    liveItems++;
    recentChars += record.a.length;
    if (conversation.items.length > TRANSCRIPT_KEEP) {
      conversation.items.sort((x, y) => x.s - y.s);
      for (const dropped of conversation.items.splice(0, conversation.items.length - TRANSCRIPT_KEEP)) {
        liveItems--;
        recentChars -= dropped.a.length;
      }
    }
    recent.delete(record.c);
    recent.set(record.c, conversation);
    for (const [c, oldest] of recent) {
      if (recentChars <= memoryChars || c === record.c) break;
      forget(c, oldest);
    }
  };
  const idleAfter = TRANSCRIPT_IDLE_MINUTES * 60_000;
  const now = Date.now();
  const log = await AppendLog.open(join(dir, 'transcripts.log'), (raw) => {
    const r = raw as TranscriptRecord;
    if (typeof r?.c !== 'string' || typeof r.s !== 'number' || !(r.e > now)) return;
    const writtenAt = r.e - TRANSCRIPT_DAYS * DAY;
    keep(writtenAt > now - idleAfter ? r : { c: r.c, s: r.s, e: r.e }, writtenAt);
  });
  const sweep = (at: number) => {
    for (const [c, conversation] of recent) {
      if (conversation.lastActive > at - idleAfter) break; // the rest are more recent
      forget(c, conversation);
    }
    for (const [c, conversation] of conversations) {
      if (conversation.expiresAt > at) continue;
      forget(c, conversation);
      conversations.delete(c);
    }
  };
  sweep(now);
  const idleSweeper = setInterval(() => sweep(Date.now()), 60_000);
  idleSweeper.unref();
  // Sequence numbers are handed out before the write completes, so concurrent appends to one
  // conversation get distinct numbers; the directory lock makes this process the only writer.
  const issued = new Map<string, number>();
  return {
    repository: {
      append: async (conversationId, activity) => {
        const seq = Math.max(issued.get(conversationId) ?? 0, conversations.get(conversationId)?.seq ?? 0) + 1;
        issued.set(conversationId, seq);
        const record: TranscriptRecord = {
          c: conversationId,
          s: seq,
          a: JSON.stringify({ ...activity, id: `${conversationId}|${String(seq).padStart(7, '0')}` }),
          e: Date.now() + TRANSCRIPT_DAYS * DAY,
        };
        try {
          await log.append(record);
        } finally {
          if (issued.get(conversationId) === seq) issued.delete(conversationId);
        }
        keep(record, Date.now());
        if (needsRewrite(log.lines, liveItems + conversations.size)) {
          const snapshot: TranscriptRecord[] = [];
          for (const [c, conversation] of conversations) {
            snapshot.push({ c, s: conversation.seq, e: conversation.expiresAt });
            for (const { s, a } of conversation.items) snapshot.push({ c, s, a, e: conversation.expiresAt });
          }
          log.rewrite(snapshot).catch(() => undefined);
        }
        return seq;
      },
      after: async (conversationId, watermark, limit) => {
        const conversation = conversations.get(conversationId);
        if (!conversation || conversation.expiresAt <= Date.now()) return [];
        return conversation.items
          .filter((i) => i.s > watermark)
          .sort((x, y) => x.s - y.s)
          .slice(0, limit)
          .map((i) => ({ seq: i.s, activity: JSON.parse(i.a) as Record<string, unknown> }));
      },
    },
    sweep,
    close: async () => {
      clearInterval(idleSweeper);
      await log.close();
    },
  };
}
