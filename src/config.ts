/** Environment variables, parsed once. Nothing else reads process.env. */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { ZaloConfig } from './channels/zalo/zalo-client';
import { DEFAULT_DOSSIER_CODE_PATTERN } from './domain/dossier/dossier';

/** The project folder (where package.json is), whether running from src/ or from dist/src/. */
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const PACKAGE_ROOT = packageRoot(__dirname);

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((a) => a.trim()).filter(Boolean))
    .refine((list) => list.every((a) => isIP(a.replace(/^::ffff:/i, '')) !== 0), 'TRUSTED_PROXIES: danh sách địa chỉ IP, cách nhau bởi dấu phẩy'),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'MONGODB_URI phải bắt đầu bằng mongodb:// hoặc mongodb+srv://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  KNOWLEDGE_DIR: z.string().min(1).default(resolve(PACKAGE_ROOT, 'knowledge')),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  BOOKINGS_PER_CLIENT_PER_DAY: z.coerce.number().int().positive().default(20),
  MicrosoftAppId: z.string().optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppTenantId: z.string().optional(),
  DIRECTLINE_SECRET: z.string().min(16, 'DIRECTLINE_SECRET tối thiểu 16 ký tự').optional(),
  PUBLIC_URL: z.string().url().optional(),
  ZALO_APP_ID: z.string().optional(),
  ZALO_APP_SECRET: z.string().optional(),
  ZALO_OA_SECRET_KEY: z.string().optional(),
  ZALO_ACCESS_TOKEN: z.string().optional(),
  ZALO_REFRESH_TOKEN: z.string().optional(),
  ZALO_API_BASE: z.string().url().default('https://openapi.zalo.me'),
  ZALO_OAUTH_BASE: z.string().url().default('https://oauth.zaloapp.com'),
  ZALO_WEBHOOK_WINDOW_SECONDS: z.coerce.number().int().positive().default(300),
  ZALO_BUSINESS_API_BASE: z.string().url().default('https://business.openapi.zalo.me'),
  ZALO_CS_WINDOW_HOURS: z.coerce.number().positive().default(48),
  ZALO_ZNS_TEMPLATE_BOOKING_REMINDER: z.string().regex(/^\d{1,20}$/).optional().or(z.literal('').transform(() => undefined)),
  ZALO_ZNS_TEMPLATE_SUPPLEMENT: z.string().regex(/^\d{1,20}$/).optional().or(z.literal('').transform(() => undefined)),
  ZALO_ZNS_TEMPLATE_RESULT: z.string().regex(/^\d{1,20}$/).optional().or(z.literal('').transform(() => undefined)),
  ZALO_ZNS_TEMPLATE_LATE: z.string().regex(/^\d{1,20}$/).optional().or(z.literal('').transform(() => undefined)),
  REMINDER_OFFSETS: z
    .string()
    .default('1d,1h')
    .transform((s, ctx) => {
      const offsets = parseOffsets(s);
      if (!offsets) ctx.addIssue({ code: 'custom', message: 'ví dụ 1d,1h (d: ngày, h: giờ, m: phút), hoặc để trống để tắt' });
      return offsets ?? [];
    }),
  NO_SHOW_LIMIT: z.coerce.number().int().min(0).default(0),
  NO_SHOW_WINDOW_DAYS: z.coerce.number().int().positive().default(90),
  REQUESTS_PER_MINUTE: z.coerce.number().int().positive().default(120),
  BOT_EMULATOR: z.enum(['0', '1', '']).default(''),
  DIRECTLINE_CONVERSATIONS_PER_HOUR: z.coerce.number().int().positive().default(300),
  DIRECTLINE_STREAMS_PER_CONVERSATION: z.coerce.number().int().positive().max(20).default(2),
  DIRECTLINE_STREAMS_PER_CLIENT: z.coerce.number().int().positive().default(30),
  DIRECTLINE_STREAM_IDLE_MINUTES: z.coerce.number().positive().default(30),
  DIRECTLINE_STREAM_KEEPALIVE_SECONDS: z.coerce.number().positive().max(300).default(20),
  DIRECTLINE_STREAM_MAX_FRAME_BYTES: z.coerce.number().int().positive().max(1024 * 1024).default(4096),
  OFFICER_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(8),
  OFFICER_TOKEN_DAYS: z.coerce.number().int().positive().max(3650).default(90),
  WAITLIST_HOLD_MINUTES: z.coerce.number().int().positive().default(15),
  WAITLIST_HOLDS_IN_A_ROW: z.coerce.number().int().positive().default(2),
  WAITLIST_PER_PHONE_PER_DAY: z.coerce.number().int().positive().default(3),
  WAITLIST_PER_CLIENT_PER_DAY: z.coerce.number().int().positive().default(5),
  BOOKING_LOOKUP_FAILURES_PER_CODE: z.coerce.number().int().positive().default(5),
  BOOKING_LOOKUP_CODE_LOCK_MINUTES: z.coerce.number().int().positive().default(10),
  BOOKING_LOOKUP_FAILURES_PER_CLIENT: z.coerce.number().int().positive().default(20),
  BOOKING_LOOKUP_CLIENT_LOCK_MINUTES: z.coerce.number().int().positive().default(60),
  LOOKUP_FAILURES_PER_CODE: z.coerce.number().int().positive().default(5),
  LOOKUP_FAILURES_PER_CODE_PER_DAY: z.coerce.number().int().positive().default(30),
  LOOKUP_FAILURES_PER_CLIENT: z.coerce.number().int().positive().default(10),
  LOOKUP_WINDOW_MINUTES: z.coerce.number().int().positive().default(5),
  LOOKUP_CLIENT_WINDOW_MINUTES: z.coerce.number().int().positive().default(60),
  /** Which centre this assistant is: knowledge/centres/<CENTRE>.json. */
  CENTRE: z.string().regex(/^[a-z0-9-]+$/, 'CENTRE là mã trung tâm, ví dụ hanoi, hcmc').default('hanoi'),
  /** Unset: the centre's own prefix (its file's dossierCodePrefix), else HN. */
  DOSSIER_CODE_PREFIX: z.string().regex(/^[A-Z0-9]{2,12}(\.[A-Z0-9]{1,6})*$/).optional(),
  DOSSIER_CODE_PATTERN: z
    .string()
    .refine((s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    }, 'biểu thức chính quy không hợp lệ')
    .optional(),
});

/** "1d,1h" → offsets in ms, largest first; null when a part is not a number with d, h or m. */
export function parseOffsets(text: string): number[] | null {
  const unit: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const offsets: number[] = [];
  for (const part of parts) {
    const m = /^(\d{1,4})([dhm])$/.exec(part);
    if (!m || Number(m[1]) === 0) return null;
    offsets.push(Number(m[1]) * unit[m[2]]);
  }
  return [...new Set(offsets)].sort((a, b) => b - a);
}

export interface Config {
  port: number;
  /** Server processes on one port (node:cluster); more than one needs MONGODB_URI. */
  workers: number;
  /** Addresses of reverse proxies whose X-Forwarded-For names the client (per-client limits). */
  trustedProxies: string[];
  host: string;
  dataDir: string;
  mongodbUri?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  knowledgeDir: string;
  maxBodyBytes: number;
  bookingsPerClientPerDay: number;
  waitlistHoldMinutes: number;
  /** `emulator`: without credentials, /api/messages serves the local Bot Framework Emulator (loopback only). */
  botFramework: { appId?: string; appPassword?: string; tenantId?: string; emulator: boolean };
  /** New Direct Line conversations one client address may start per hour. */
  directLineConversationsPerHour: number;
  /** Direct Line WebSocket streams (see channels/directline/directline-stream.ts). */
  directLineStream: { perConversation: number; perClient: number; idleMinutes: number; keepAliveSeconds: number; maxFrameBytes: number };
  /** How long an officer mode lasts in a chat conversation, and how long a new officer token is valid. */
  officer: { sessionHours: number; tokenDays: number };
  /** Waitlist and booking look-up limits (see services/booking-rules.ts). */
  waitlist: { holdsInARow: number; perPhonePerDay: number; perClientPerDay: number };
  bookingLookup: { perCode: number; codeLockMinutes: number; perClient: number; clientLockMinutes: number };
  /** The Zalo OA channel; null (off) unless every credential is configured. */
  zalo: (ZaloConfig & { windowSeconds: number }) | null;
  directLineSecret?: string;
  /** Address people reach the server at (links in answers); defaults to the bound address. */
  publicUrl?: string;
  /** Per-client budget on booking and look-up endpoints. */
  requestsPerMinute: number;
  /** Wrong dossier proofs evaluated before look-ups are refused (see LookupLimits). */
  lookup: { perCode: number; windowMinutes: number; perCodePerDay: number; perClient: number; clientWindowMinutes: number };
  /** The centre (knowledge/centres/<id>.json) this assistant serves. */
  centre: string;
  /** Set only by DOSSIER_CODE_PREFIX; otherwise the centre's. */
  dossierCodePrefix?: string;
  dossierCodePattern: RegExp;
  /** Booking reminders: how long before the appointment (ms, largest first); empty: none. */
  reminderOffsets: number[];
  /** Missed appointments per phone: `limit` 0 counts them without limiting booking. */
  noShow: { limit: number; windowDays: number };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Cấu hình không hợp lệ: ${problems}`);
  }
  const e = parsed.data;
  if (e.WORKERS > 1 && !e.MONGODB_URI) {
    throw new Error('Cấu hình không hợp lệ: WORKERS: nhiều tiến trình cần MONGODB_URI (kho dữ liệu nhúng chỉ cho một tiến trình)');
  }
  return {
    port: e.PORT,
    workers: e.WORKERS,
    trustedProxies: e.TRUSTED_PROXIES,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    mongodbUri: e.MONGODB_URI,
    logLevel: e.LOG_LEVEL,
    knowledgeDir: resolve(e.KNOWLEDGE_DIR),
    maxBodyBytes: e.MAX_BODY_BYTES,
    bookingsPerClientPerDay: e.BOOKINGS_PER_CLIENT_PER_DAY,
    waitlistHoldMinutes: e.WAITLIST_HOLD_MINUTES,
    waitlist: { holdsInARow: e.WAITLIST_HOLDS_IN_A_ROW, perPhonePerDay: e.WAITLIST_PER_PHONE_PER_DAY, perClientPerDay: e.WAITLIST_PER_CLIENT_PER_DAY },
    bookingLookup: {
      perCode: e.BOOKING_LOOKUP_FAILURES_PER_CODE,
      codeLockMinutes: e.BOOKING_LOOKUP_CODE_LOCK_MINUTES,
      perClient: e.BOOKING_LOOKUP_FAILURES_PER_CLIENT,
      clientLockMinutes: e.BOOKING_LOOKUP_CLIENT_LOCK_MINUTES,
    },
    requestsPerMinute: e.REQUESTS_PER_MINUTE,
    botFramework: {
      appId: e.MicrosoftAppId || undefined,
      appPassword: e.MicrosoftAppPassword || undefined,
      tenantId: e.MicrosoftAppTenantId || undefined,
      emulator: e.BOT_EMULATOR === '1',
    },
    directLineConversationsPerHour: e.DIRECTLINE_CONVERSATIONS_PER_HOUR,
    directLineStream: {
      perConversation: e.DIRECTLINE_STREAMS_PER_CONVERSATION,
      perClient: e.DIRECTLINE_STREAMS_PER_CLIENT,
      idleMinutes: e.DIRECTLINE_STREAM_IDLE_MINUTES,
      keepAliveSeconds: e.DIRECTLINE_STREAM_KEEPALIVE_SECONDS,
      maxFrameBytes: e.DIRECTLINE_STREAM_MAX_FRAME_BYTES,
    },
    officer: { sessionHours: e.OFFICER_SESSION_HOURS, tokenDays: e.OFFICER_TOKEN_DAYS },
    directLineSecret: e.DIRECTLINE_SECRET,
    zalo:
      e.ZALO_APP_ID && e.ZALO_APP_SECRET && e.ZALO_OA_SECRET_KEY && e.ZALO_ACCESS_TOKEN && e.ZALO_REFRESH_TOKEN
        ? {
            appId: e.ZALO_APP_ID,
            appSecret: e.ZALO_APP_SECRET,
            oaSecretKey: e.ZALO_OA_SECRET_KEY,
            accessToken: e.ZALO_ACCESS_TOKEN,
            refreshToken: e.ZALO_REFRESH_TOKEN,
            apiBase: e.ZALO_API_BASE.replace(/\/$/, ''),
            oauthBase: e.ZALO_OAUTH_BASE.replace(/\/$/, ''),
            windowSeconds: e.ZALO_WEBHOOK_WINDOW_SECONDS,
            businessApiBase: e.ZALO_BUSINESS_API_BASE.replace(/\/$/, ''),
            csWindowHours: e.ZALO_CS_WINDOW_HOURS,
            znsTemplates: {
              booking_reminder: e.ZALO_ZNS_TEMPLATE_BOOKING_REMINDER,
              supplement_requested: e.ZALO_ZNS_TEMPLATE_SUPPLEMENT,
              dossier_resolved: e.ZALO_ZNS_TEMPLATE_RESULT,
              dossier_late: e.ZALO_ZNS_TEMPLATE_LATE,
            },
          }
        : null,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    lookup: {
      perCode: e.LOOKUP_FAILURES_PER_CODE,
      windowMinutes: e.LOOKUP_WINDOW_MINUTES,
      perCodePerDay: e.LOOKUP_FAILURES_PER_CODE_PER_DAY,
      perClient: e.LOOKUP_FAILURES_PER_CLIENT,
      clientWindowMinutes: e.LOOKUP_CLIENT_WINDOW_MINUTES,
    },
    centre: e.CENTRE,
    dossierCodePrefix: e.DOSSIER_CODE_PREFIX,
    dossierCodePattern: e.DOSSIER_CODE_PATTERN ? new RegExp(e.DOSSIER_CODE_PATTERN) : DEFAULT_DOSSIER_CODE_PATTERN,
    reminderOffsets: e.REMINDER_OFFSETS,
    noShow: { limit: e.NO_SHOW_LIMIT, windowDays: e.NO_SHOW_WINDOW_DAYS },
  };
}
