/**
 * Zalo OA webhook: signature check and the events we understand, as pure functions. Shapes follow
 * ../shared/zalo-oa-notes.md (ids are long numeric strings: never parsed as numbers).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { coordinates } from '../../domain/location';

/** mac = SHA-256(app_id + raw body + timestamp + OA secret key), hex; compared in constant time. */
export function zaloSignatureValid(rawBody: string, header: string | undefined, appId: string, timestamp: string, oaSecretKey: string): boolean {
  const given = /^mac=([0-9a-f]{64})$/i.exec((header ?? '').trim())?.[1];
  if (!given) return false;
  const expected = createHash('sha256').update(appId + rawBody + timestamp + oaSecretKey).digest();
  return timingSafeEqual(Buffer.from(given.toLowerCase(), 'hex'), expected);
}

const Id = z.union([z.string(), z.number().transform(String)]).pipe(z.string().min(1).max(40));

export const ZaloEvent = z
  .object({
    event_name: z.string().min(1).max(60),
    app_id: Id,
    timestamp: z.union([z.string(), z.number().transform(String)]).pipe(z.string().regex(/^\d{10,14}$/)),
    sender: z.object({ id: Id }).optional(),
    recipient: z.object({ id: Id }).optional(),
    follower: z.object({ id: Id }).optional(),
    message: z
      .object({
        msg_id: z.string().max(100).optional(),
        text: z.string().max(5000).optional(),
        attachments: z
          .array(
            z.object({
              type: z.string().optional(),
              payload: z
                .object({ coordinates: z.object({ latitude: z.union([z.string(), z.number()]), longitude: z.union([z.string(), z.number()]) }).optional() })
                .passthrough()
                .optional(),
            }),
          )
          .optional(),
      })
      .optional(),
  })
  .passthrough();
export type ZaloEvent = z.infer<typeof ZaloEvent>;

export type ZaloInput =
  | { kind: 'text'; userId: string; msgId: string; text: string }
  | { kind: 'location'; userId: string; msgId: string; lat: number; lon: number }
  | { kind: 'follow'; userId: string }
  | { kind: 'unfollow'; userId: string }
  | { kind: 'media'; userId: string; msgId: string }
  | { kind: 'ignored'; reason: string };

const MEDIA = /^user_send_(image|file|sticker|audio|video|link|gif)$/;

/** What an event means for the bot. */
export function interpret(e: ZaloEvent): ZaloInput {
  if (e.event_name.startsWith('oa_')) return { kind: 'ignored', reason: 'echo of the OA' };
  const userId = e.sender?.id ?? e.follower?.id;
  if (!userId) return { kind: 'ignored', reason: 'no user' };
  const msgId = e.message?.msg_id ?? `${e.event_name}:${userId}:${e.timestamp}`;
  switch (e.event_name) {
    case 'user_send_text':
      return e.message?.text ? { kind: 'text', userId, msgId, text: e.message.text.normalize('NFC') } : { kind: 'ignored', reason: 'empty text' };
    case 'user_send_location': {
      const c = e.message?.attachments?.[0]?.payload?.coordinates;
      // Number('') is 0: the shared rule takes only real numbers of degrees.
      const point = coordinates(c?.latitude, c?.longitude);
      if (!point) return { kind: 'media', userId, msgId };
      return { kind: 'location', userId, msgId, ...point };
    }
    case 'follow':
      return { kind: 'follow', userId };
    case 'unfollow':
      return { kind: 'unfollow', userId };
    default:
      return MEDIA.test(e.event_name) ? { kind: 'media', userId, msgId } : { kind: 'ignored', reason: e.event_name };
  }
}

/** Long replies split at sentence or line boundaries, each part within Zalo's limit. */
export function splitText(text: string, max = 2000): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf('. '), window.lastIndexOf('; '));
    const at = cut > max / 2 ? cut + 1 : window.lastIndexOf(' ') > max / 2 ? window.lastIndexOf(' ') : max;
    parts.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** Markdown of our answers as plain text for Zalo (it shows text as is). */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(^|\s)_(.+?)_(?=\s|$)/g, '$1$2')
    .replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, '$1: $2');
}
