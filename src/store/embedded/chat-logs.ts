/**
 * The embedded store's bot state and Direct Line transcripts: written by every chat turn, so they
 * live in memory and persist through an AppendLog (group commit) instead of NeDB, whose one-write-
 * at-a-time queue made 200 concurrent conversations wait on each other. A change is visible to
 * readers only once it is in the file.
 */
import { join } from 'node:path';
import type { BotStateRepository, TranscriptRepository } from '../types';
import { BOT_STATE_DAYS, TRANSCRIPT_DAYS, TRANSCRIPT_KEEP } from '../retention';
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
  const live = new Map<string, { v: string; e: number }>();
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
      write: async (items) => {
        const e = Date.now() + BOT_STATE_DAYS * DAY;
        const records = Object.entries(items).map(([k, value]) => ({ k, v: JSON.stringify(value), e }));
        await Promise.all(records.map((r) => log.append(r)));
        for (const { k, v } of records) live.set(k, { v, e });
        compact();
      },
      delete: async (keys) => {
        await Promise.all(keys.map((k) => log.append({ k, d: 1 })));
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
  items: { s: number; a: string }[];
  expiresAt: number;
}

type TranscriptRecord = { c: string; s: number; a: string; e: number };

export async function openTranscriptLog(dir: string): Promise<ChatLog<TranscriptRepository>> {
  const conversations = new Map<string, Conversation>();
  let liveItems = 0;
  const keep = (c: string, s: number, a: string, e: number) => {
    let conversation = conversations.get(c);
    if (!conversation) conversations.set(c, (conversation = { seq: 0, items: [], expiresAt: e }));
    conversation.seq = Math.max(conversation.seq, s);
    conversation.expiresAt = Math.max(conversation.expiresAt, e);
    conversation.items.push({ s, a });
    liveItems++;
    // A client reads only what follows its watermark: keep a long conversation's latest activities.
    if (conversation.items.length > TRANSCRIPT_KEEP) {
      conversation.items.sort((x, y) => x.s - y.s);
      liveItems -= conversation.items.length - TRANSCRIPT_KEEP;
      conversation.items.splice(0, conversation.items.length - TRANSCRIPT_KEEP);
    }
  };
  const now = Date.now();
  const log = await AppendLog.open(join(dir, 'transcripts.log'), (raw) => {
    const r = raw as TranscriptRecord;
    if (typeof r?.c === 'string' && typeof r.s === 'number' && typeof r.a === 'string' && r.e > now) keep(r.c, r.s, r.a, r.e);
  });
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
        keep(record.c, record.s, record.a, record.e);
        if (needsRewrite(log.lines, liveItems)) {
          const snapshot: TranscriptRecord[] = [];
          for (const [c, conversation] of conversations) for (const { s, a } of conversation.items) snapshot.push({ c, s, a, e: conversation.expiresAt });
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
    sweep: (at) => {
      for (const [c, conversation] of conversations) {
        if (conversation.expiresAt <= at) {
          liveItems -= conversation.items.length;
          conversations.delete(c);
        }
      }
    },
    close: () => log.close(),
  };
}
