/**
 * A Direct Line 3.0-compatible subset on our own server (what botframework-webchat needs, with
 * polling): start a conversation, post activities, read them after a watermark. Tokens are HMAC-signed
 * and bound to one conversation.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Activity, TurnContext } from 'botbuilder';
import type * as restify from 'restify';
import { z } from 'zod';
import type { Logger } from '../../logger';
import { sendError, sendValidationError } from '../../http/errors';
import type { Store } from '../../store/types';
import { TurnQueue } from '../turn-queue';
import { BOT_ID, DIRECTLINE_CHANNEL, type DirectLineAdapter } from './directline-adapter';

const TOKEN_SECONDS = 3600;
const BASE = '/v3/directline';

const IncomingActivity = z.object({
  type: z.enum(['message', 'event', 'typing', 'conversationUpdate']).default('message'),
  text: z.string().max(2000, 'tin nhắn tối đa 2.000 ký tự').optional(),
  from: z.object({ id: z.string().min(1).max(200), name: z.string().max(200).optional() }).optional(),
  name: z.string().max(200).optional(),
  value: z.unknown().optional(),
  locale: z.string().max(20).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  entities: z.array(z.record(z.string(), z.unknown())).max(10).optional(),
  attachments: z.array(z.unknown()).max(10).optional(),
});

interface TokenClaims {
  c: string;
  e: number;
}

export class DirectLineTokens {
  constructor(private readonly secret: Buffer) {}

  issue(conversationId: string, now = Date.now()): string {
    const body = Buffer.from(JSON.stringify({ c: conversationId, e: Math.floor(now / 1000) + TOKEN_SECONDS } satisfies TokenClaims)).toString('base64url');
    return `${body}.${createHmac('sha256', this.secret).update(body).digest('base64url')}`;
  }

  /** The conversation a valid, unexpired token is bound to; null otherwise. */
  verify(header: string | undefined, now = Date.now()): string | null {
    const token = /^Bearer\s+(\S+)$/.exec(header ?? '')?.[1];
    if (!token) return null;
    const [body, mac] = token.split('.');
    if (!body || !mac) return null;
    const expected = createHmac('sha256', this.secret).update(body).digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as TokenClaims;
      return claims.e * 1000 > now ? claims.c : null;
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
  const created = randomBytes(32).toString('base64url');
  await store.meta.set('directline-secret', created);
  return Buffer.from((await store.meta.get('directline-secret')) as string, 'base64url');
}

export function registerDirectLine(
  server: restify.Server,
  deps: { adapter: DirectLineAdapter; tokens: DirectLineTokens; store: Store; log: Logger; bot: (context: TurnContext) => Promise<void>; publicUrl: () => string },
): void {
  const { adapter, tokens, store, log, bot } = deps;
  const turns = new TurnQueue();

  const newConversation = () => randomBytes(12).toString('base64url');
  const conversationResponse = (conversationId: string) => ({ conversationId, token: tokens.issue(conversationId), expires_in: TOKEN_SECONDS });

  // Conversations this process has seen started (a cache only: the store's counter decides).
  const started = new Set<string>();
  const start = async (conversationId: string, userId: string) => {
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

  server.post(`${BASE}/tokens/generate`, async (_req: restify.Request, res: restify.Response) => {
    res.send(200, conversationResponse(newConversation()));
  });

  server.post(`${BASE}/tokens/refresh`, async (req: restify.Request, res: restify.Response) => {
    const conversationId = tokens.verify(req.header('authorization'));
    if (!conversationId) return void sendError(res, 403, 'forbidden', 'Mã phiên (token) không hợp lệ hoặc đã hết hạn.');
    res.send(200, conversationResponse(conversationId));
  });

  server.post(`${BASE}/conversations`, async (req: restify.Request, res: restify.Response) => {
    const bound = tokens.verify(req.header('authorization'));
    if (req.header('authorization') && !bound) return void sendError(res, 403, 'forbidden', 'Mã phiên (token) không hợp lệ hoặc đã hết hạn.');
    const conversationId = bound ?? newConversation();
    const userId = (req.body as { user?: { id?: string } } | undefined)?.user?.id ?? 'user';
    await start(conversationId, String(userId).slice(0, 200));
    res.send(201, conversationResponse(conversationId));
  });

  const authorised = (req: restify.Request, res: restify.Response): string | null => {
    const conversationId = tokens.verify(req.header('authorization'));
    if (!conversationId || conversationId !== req.params.id) {
      sendError(res, 403, 'forbidden', 'Mã phiên (token) không hợp lệ cho cuộc trò chuyện này.');
      return null;
    }
    return conversationId;
  };

  server.post(`${BASE}/conversations/:id/activities`, async (req: restify.Request, res: restify.Response) => {
    const conversationId = authorised(req, res);
    if (!conversationId) return;
    const parsed = IncomingActivity.safeParse(req.body ?? {});
    if (!parsed.success) return void sendValidationError(res, parsed.error);
    const incoming = parsed.data;
    const from = incoming.from ?? { id: 'user' };
    const activity: Partial<Activity> = {
      ...incoming,
      text: incoming.text?.normalize('NFC'),
      channelId: DIRECTLINE_CHANNEL,
      serviceUrl: deps.publicUrl(),
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from,
      recipient: { id: BOT_ID, name: 'Trợ lý Một Cửa' },
      locale: incoming.locale ?? 'vi-VN',
    } as Partial<Activity>;
    await start(conversationId, from.id);
    // The user's own message is part of the stream: Web Chat shows it as sent when it comes back.
    const id = await adapter.record(activity);
    await turns.run(conversationId, () => adapter.process({ ...activity, id }, bot)).catch((error) => {
      log.error('bot turn failed', { conversationId, error });
    });
    res.send(200, { id });
  });

  server.get(`${BASE}/conversations/:id/activities`, async (req: restify.Request, res: restify.Response) => {
    const conversationId = authorised(req, res);
    if (!conversationId) return;
    const watermark = Number((req.query as { watermark?: string } | undefined)?.watermark ?? 0);
    const after = Number.isFinite(watermark) && watermark >= 0 ? Math.floor(watermark) : 0;
    const items = await store.transcripts.after(conversationId, after, 100);
    res.send(200, { activities: items.map((i) => i.activity), watermark: String(items.at(-1)?.seq ?? after) });
  });
}
