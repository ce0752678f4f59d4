/**
 * A Direct Line 3.0-compatible subset on our own server (what botframework-webchat needs, with a
 * WebSocket stream or polling): start a conversation, post activities, read them after a watermark. Tokens are signed
 * JWTs (HS256, jose) naming the conversation and the user the server issued: who is talking is
 * always the token's subject, never what a client writes in `from`.
 */
import { clientAddressResolver, type ClientAddress } from '../../http/client-address';
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Activity, TurnContext } from 'botbuilder';
import { SignJWT, jwtVerify } from 'jose';
import type * as restify from 'restify';
import { z } from 'zod';
import type { Logger } from '../../logger';
import { sendError, sendValidationError } from '../../http/errors';
import type { Store } from '../../store/types';
import { TurnQueue } from '../turn-queue';
import { BOT_ID, DIRECTLINE_CHANNEL, type DirectLineAdapter } from './directline-adapter';
import { ActivityStreams, type StreamLimits } from './directline-stream';

const TOKEN_SECONDS = 3600;
const BASE = '/v3/directline';
const ISSUER = 'motcua-assistant';
const AUDIENCE = 'motcua-directline';

const IncomingActivity = z.object({
  type: z.enum(['message', 'event', 'typing', 'conversationUpdate']).default('message'),
  text: z.string().max(2000, 'tin nhắn tối đa 2.000 ký tự').optional(),
  // Accepted for compatibility with Direct Line clients (Web Chat sends its userID); the id is
  // replaced by the token's subject.
  from: z.object({ id: z.string().min(1).max(200), name: z.string().max(200).optional() }).optional(),
  name: z.string().max(200).optional(),
  value: z.unknown().optional(),
  locale: z.string().max(20).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  entities: z.array(z.record(z.string(), z.unknown())).max(10).optional(),
  attachments: z.array(z.unknown()).max(10).optional(),
});

/** What a token grants: one conversation, as one user the server issued. */
export interface DirectLineGrant {
  conversationId: string;
  userId: string;
}

const Claims = z.object({ sub: z.string().min(1).max(100), conv: z.string().min(1).max(100) });

export class DirectLineTokens {
  private readonly key: Uint8Array;

  constructor(secret: Buffer) {
    this.key = new Uint8Array(secret);
  }

  issue(grant: DirectLineGrant, now = Date.now()): Promise<string> {
    const issuedAt = Math.floor(now / 1000);
    return new SignJWT({ conv: grant.conversationId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(grant.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + TOKEN_SECONDS)
      .setJti(randomUUID())
      .sign(this.key);
  }

  /** What a valid, unexpired token of ours grants; null for anything else (forged, expired, other key). */
  async verify(header: string | undefined, now = Date.now()): Promise<DirectLineGrant | null> {
    const token = /^Bearer\s+(\S+)$/.exec(header ?? '')?.[1];
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(now),
        requiredClaims: ['sub', 'exp', 'conv'],
      });
      const claims = Claims.safeParse(payload);
      return claims.success ? { conversationId: claims.data.conv, userId: claims.data.sub } : null;
    } catch {
      return null;
    }
  }
}

/** The signing secret: configured, or created once and kept in the store so every process shares it. */
export async function directLineSecret(store: Store, configured: string | undefined): Promise<Buffer> {
  if (configured) return Buffer.from(configured);
  const existing = (await store.meta.get('directline-secret')) as string | null;
  if (existing) return Buffer.from(existing, 'base64url');
  // Processes starting together on a new database each make one: the first stored is the one all use.
  const stored = await store.meta.setIfAbsent('directline-secret', randomBytes(32).toString('base64url'));
  return Buffer.from(stored as string, 'base64url');
}

export interface DirectLineDeps {
  adapter: DirectLineAdapter;
  tokens: DirectLineTokens;
  store: Store;
  log: Logger;
  bot: (context: TurnContext) => Promise<void>;
  publicUrl: () => string;
  /** New conversations (and users) one client address may start per hour: each keeps state for days. */
  conversationsPerHour: number;
  /** PUBLIC_URL when configured: the stream URL's origin; otherwise the address the client used. */
  configuredPublicUrl?: string;
  streamLimits: StreamLimits;
  /** Who a request comes from (the connection, or X-Forwarded-For from a trusted proxy). */
  clientAddress?: ClientAddress;
}

const FORBIDDEN = 'Mã phiên (token) không hợp lệ hoặc đã hết hạn.';

export function registerDirectLine(server: restify.Server, deps: DirectLineDeps): { streams: ActivityStreams } {
  const { adapter, tokens, store, log, bot } = deps;
  const turns = new TurnQueue();
  const clientAddress = deps.clientAddress ?? clientAddressResolver();
  const streams = new ActivityStreams({ tokens, store, log, limits: deps.streamLimits, clientAddress });
  adapter.onRecorded = (conversationId) => streams.notify(conversationId);
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => streams.handleUpgrade(req, socket, head));

  /**
   * The WebSocket address of a conversation, as the official service gives it: preauthorised with
   * the token (`t=`), optionally resuming after a watermark. Its origin is PUBLIC_URL, or else the
   * host the client reached us at (only the client itself is sent it back).
   */
  const streamUrl = (req: restify.Request, grant: DirectLineGrant, token: string, watermark?: number) => {
    const host = req.headers.host;
    const origin =
      deps.configuredPublicUrl ??
      (host && /^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)
        ? `${req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http'}://${host}`
        : deps.publicUrl());
    const query = new URLSearchParams({ t: token, ...(watermark !== undefined ? { watermark: String(watermark) } : {}) });
    return `${origin.replace(/^http/, 'ws')}${BASE}/conversations/${grant.conversationId}/stream?${query.toString()}`;
  };
  const withStream = async (req: restify.Request, grant: DirectLineGrant, watermark?: number) => {
    const response = await conversationResponse(grant);
    return { ...response, streamUrl: streamUrl(req, grant, response.token, watermark) };
  };

  const newGrant = (userId?: string): DirectLineGrant => ({
    conversationId: randomBytes(12).toString('base64url'),
    // Hard to guess and never chosen by the client: user state, limits and records hang on it.
    userId: userId ?? `dl-${randomBytes(16).toString('base64url')}`,
  });
  const conversationResponse = async (grant: DirectLineGrant) => ({
    conversationId: grant.conversationId,
    token: await tokens.issue(grant),
    expires_in: TOKEN_SECONDS,
    userId: grant.userId,
  });

  /**
   * Every new conversation costs state kept for days (bot state, transcript, counters): one client
   * address gets a budget per hour, shared by all processes through the store's counters.
   */
  const withinBudget = async (req: restify.Request, res: restify.Response): Promise<boolean> => {
    const client = clientAddress(req);
    const hour = Math.floor(Date.now() / 3_600_000);
    const used = await store.counters.increment(`dl-new|${client}|${hour}`, new Date((hour + 2) * 3_600_000));
    if (used <= deps.conversationsPerHour) return true;
    res.header('Retry-After', String(Math.max(1, Math.ceil(((hour + 1) * 3_600_000 - Date.now()) / 1000))));
    sendError(res, 429, 'rate_limited', 'Quá nhiều cuộc trò chuyện mới từ cùng một địa chỉ. Xin ông/bà thử lại sau.');
    if (used === deps.conversationsPerHour + 1) log.warn('direct line conversation budget reached', { client, perHour: deps.conversationsPerHour });
    return false;
  };

  /**
   * A user id a client offered is never taken: the token decides. Logged so a spoof attempt is seen,
   * once per conversation (a client that keeps its own id would otherwise log every message).
   */
  const warned = new Set<string>();
  const ignoreClaimedUser = (claimed: unknown, grant: DirectLineGrant, where: string) => {
    if (typeof claimed !== 'string' || claimed === grant.userId) return;
    const key = `${grant.conversationId}|${claimed}`;
    if (warned.has(key)) return;
    if (warned.size > 10_000) warned.clear();
    warned.add(key);
    log.info('claimed user id ignored', { where, conversationId: grant.conversationId, claimed: claimed.slice(0, 40) });
  };

  // Conversations this process has seen started (a cache only: the store's counter decides).
  const started = new Set<string>();
  const start = async (grant: DirectLineGrant) => {
    const { conversationId, userId } = grant;
    if (started.has(conversationId)) return;
    const first = await store.counters.tryIncrement(`dl-started|${conversationId}`, 1, new Date(Date.now() + 30 * 86_400_000));
    if (started.size > 100_000) started.clear();
    started.add(conversationId);
    if (!first) return;
    const activity: Partial<Activity> = {
      type: 'conversationUpdate',
      channelId: DIRECTLINE_CHANNEL,
      serviceUrl: deps.publicUrl(),
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: userId, name: '' },
      recipient: { id: BOT_ID, name: 'Trợ lý Một Cửa' },
      membersAdded: [{ id: userId, name: '' }],
      locale: 'vi-VN',
    };
    await turns.run(conversationId, () => adapter.process(activity, bot));
  };

  const bodyUserId = (req: restify.Request) => (req.body as { user?: { id?: unknown } } | undefined)?.user?.id;

  // A new conversation; a client that still holds a valid token keeps its user (its profile) in the
  // new conversation. Anything else gets a new user: anonymous clients never share state.
  server.post(`${BASE}/tokens/generate`, async (req: restify.Request, res: restify.Response) => {
    const previous = await tokens.verify(req.header('authorization'));
    if (req.header('authorization') && !previous) return void sendError(res, 403, 'forbidden', FORBIDDEN);
    if (!(await withinBudget(req, res))) return;
    const grant = newGrant(previous?.userId);
    ignoreClaimedUser(bodyUserId(req), grant, 'tokens/generate');
    res.send(200, await conversationResponse(grant));
  });

  server.post(`${BASE}/tokens/refresh`, async (req: restify.Request, res: restify.Response) => {
    const grant = await tokens.verify(req.header('authorization'));
    if (!grant) return void sendError(res, 403, 'forbidden', FORBIDDEN);
    res.send(200, await conversationResponse(grant));
  });

  server.post(`${BASE}/conversations`, async (req: restify.Request, res: restify.Response) => {
    const bound = await tokens.verify(req.header('authorization'));
    if (req.header('authorization') && !bound) return void sendError(res, 403, 'forbidden', FORBIDDEN);
    // A token from /tokens/generate was already counted; a conversation started without one is new.
    if (!bound && !(await withinBudget(req, res))) return;
    const grant = bound ?? newGrant();
    ignoreClaimedUser(bodyUserId(req), grant, 'conversations');
    await start(grant);
    res.send(201, await withStream(req, grant));
  });

  // Reconnecting a stream (Direct Line 3.0): a fresh token and stream URL, resuming after the
  // watermark given (without one the stream replays what the transcript still holds).
  server.get(`${BASE}/conversations/:id`, async (req: restify.Request, res: restify.Response) => {
    const grant = await authorised(req, res);
    if (!grant) return;
    const raw = (req.query as { watermark?: unknown } | undefined)?.watermark;
    if (raw !== undefined && !(typeof raw === 'string' && /^\d{1,12}$/.test(raw))) {
      return void sendError(res, 400, 'bad_request', 'Tham số không hợp lệ: watermark phải là số nguyên không âm', [{ path: 'watermark', message: 'phải là số nguyên không âm' }]);
    }
    res.send(200, await withStream(req, grant, raw === undefined ? undefined : Number(raw)));
  });

  const authorised = async (req: restify.Request, res: restify.Response): Promise<DirectLineGrant | null> => {
    const grant = await tokens.verify(req.header('authorization'));
    if (!grant || grant.conversationId !== req.params.id) {
      sendError(res, 403, 'forbidden', 'Mã phiên (token) không hợp lệ cho cuộc trò chuyện này.');
      return null;
    }
    return grant;
  };

  server.post(`${BASE}/conversations/:id/activities`, async (req: restify.Request, res: restify.Response) => {
    const grant = await authorised(req, res);
    if (!grant) return;
    const parsed = IncomingActivity.safeParse(req.body ?? {});
    if (!parsed.success) return void sendValidationError(res, parsed.error);
    const incoming = parsed.data;
    ignoreClaimedUser(incoming.from?.id, grant, 'activities');
    const activity: Partial<Activity> = {
      ...incoming,
      text: incoming.text?.normalize('NFC'),
      channelId: DIRECTLINE_CHANNEL,
      serviceUrl: deps.publicUrl(),
      conversation: { id: grant.conversationId, isGroup: false, conversationType: 'personal', name: '' },
      // Who is talking is the token's subject, whatever the body says. The role tells Web Chat the
      // echoed message is the user's own even while its page still uses a userID of its own making.
      from: { id: grant.userId, name: incoming.from?.name ?? '', role: 'user' },
      recipient: { id: BOT_ID, name: 'Trợ lý Một Cửa' },
      locale: incoming.locale ?? 'vi-VN',
    } as Partial<Activity>;
    await start(grant);
    const turn = await adapter.receive(activity);
    await turns.run(grant.conversationId, () => turn.run(bot)).catch((error) => {
      log.error('bot turn failed', { conversationId: grant.conversationId, error });
    });
    res.send(200, { id: turn.id });
  });

  server.get(`${BASE}/conversations/:id/activities`, async (req: restify.Request, res: restify.Response) => {
    const grant = await authorised(req, res);
    if (!grant) return;
    const watermark = Number((req.query as { watermark?: string } | undefined)?.watermark ?? 0);
    const after = Number.isFinite(watermark) && watermark >= 0 ? Math.floor(watermark) : 0;
    const items = await store.transcripts.after(grant.conversationId, after, 100);
    res.send(200, { activities: items.map((i) => i.activity), watermark: String(items.at(-1)?.seq ?? after) });
  });
  return { streams };
}
