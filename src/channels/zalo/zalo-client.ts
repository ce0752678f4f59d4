/**
 * Sending through the Zalo OA customer-service message API, with the access token refreshed before
 * it expires and on a token error. The refresh token is single-use: the new pair is stored durably
 * before the new access token is used. Transient failures are retried with backoff; a user outside
 * the messaging window (or not following) is reported, not retried. Template messages (ZNS) to a
 * phone number go through the same token and retry handling.
 */
import type { Logger } from '../../logger';
import { randomUUID } from 'node:crypto';
import type { LeaseRepository, MetaRepository } from '../../store/types';

export interface ZaloConfig {
  appId: string;
  appSecret: string;
  oaSecretKey: string;
  accessToken: string;
  refreshToken: string;
  apiBase: string;
  oauthBase: string;
  /** Base of the template message (ZNS) API; default https://business.openapi.zalo.me. */
  businessApiBase?: string;
  /** How long after a user's last message the OA may still answer with a consultation message. */
  csWindowHours?: number;
  /** Approved ZNS template id per notification kind; a kind without one is not sent by phone. */
  znsTemplates?: Partial<Record<string, string | undefined>>;
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** ms since epoch; 0 when unknown (refresh on the first token error). */
  expiresAt: number;
}

export type SendOutcome =
  | { ok: true; messageId: string }
  | { ok: false; reason: 'outside_window' | 'not_follower' | 'failed' | 'rejected'; code: number; message: string };

export interface ZaloButton {
  title: string;
  payload: string;
}

const TOKENS_KEY = 'zalo-tokens';
const TOKEN_ERRORS = new Set([-216, -220, -124]);
const WINDOW_ERRORS = new Set([-230, -232]);
const NOT_FOLLOWER = -213;
const RATE_LIMITED = -32;

/** The store's lease that lets one process at a time spend the single-use refresh token. */
export const REFRESH_LEASE = 'zalo-token-refresh';
/** How long the refresh call to Zalo may take; the lease lasts longer, so it never passes mid-call. */
const REFRESH_TIMEOUT_MS = 15_000;
const REFRESH_LEASE_MS = 60_000;
/** How long one send to Zalo may take before it counts as a transient failure. */
const SEND_TIMEOUT_MS = 30_000;

export class ZaloClient {
  private refreshing: Promise<Tokens> | null = null;
  /** This process's name on the refresh lease. */
  private readonly owner = randomUUID();

  constructor(
    private readonly config: ZaloConfig,
    private readonly meta: MetaRepository,
    private readonly log: Logger,
    private readonly retryDelayMs = 500,
    /** Shared by every process on the store; without it (one process) the in-process guard is enough. */
    private readonly leases: LeaseRepository | null = null,
    /** How long a process waits for another's refresh before giving up, and how often it looks. */
    private readonly waitForOthers = { totalMs: 30_000, pollMs: 200 },
  ) {}

  private async tokens(): Promise<Tokens> {
    const stored = (await this.meta.get(TOKENS_KEY)) as Tokens | null;
    return stored ?? { accessToken: this.config.accessToken, refreshToken: this.config.refreshToken, expiresAt: 0 };
  }

  /**
   * Renews the access token that `stale` names (by default the one stored now), once across every
   * process on the store: the single-use refresh token must be spent by one. One refresh at a time in
   * this process; across processes, the one that takes the store's lease calls Zalo, saves the new pair
   * before anything uses it, and lets the lease go; the others wait and read the new pair from the
   * store. A pair already renewed by someone else (the stored access token is no longer `stale`) is
   * returned as it is, without calling Zalo.
   */
  refresh(stale?: string): Promise<Tokens> {
    this.refreshing ??= (async () => {
      try {
        const staleToken = stale ?? (await this.tokens()).accessToken;
        const deadline = Date.now() + this.waitForOthers.totalMs;
        for (;;) {
          const current = await this.tokens();
          if (current.accessToken !== staleToken) return current;
          if (!this.leases) return await this.renew(current);
          const now = Date.now();
          if (await this.leases.acquire(REFRESH_LEASE, this.owner, new Date(now).toISOString(), new Date(now + REFRESH_LEASE_MS).toISOString())) {
            try {
              // Read again under the lease: another process may have renewed it just before we took it.
              const latest = await this.tokens();
              if (latest.accessToken !== staleToken) return latest;
              return await this.renew(latest);
            } finally {
              await this.leases.release(REFRESH_LEASE, this.owner).catch((error) => this.log.warn('zalo refresh lease not released', { error }));
            }
          }
          if (Date.now() >= deadline) throw new Error('Zalo token refresh: another process holds the refresh lease and has not finished');
          await new Promise((r) => setTimeout(r, this.waitForOthers.pollMs));
        }
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** Spends the refresh token: calls Zalo and stores the new pair before returning it. */
  private async renew(current: Tokens): Promise<Tokens> {
    const res = await fetch(`${this.config.oauthBase}/v4/oa/access_token`, {
      method: 'POST',
      headers: { secret_key: this.config.appSecret, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ refresh_token: current.refreshToken, app_id: this.config.appId, grant_type: 'refresh_token' }).toString(),
      signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS),
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; expires_in?: string | number; error?: number; message?: string };
    if (!res.ok || !body.access_token || !body.refresh_token) {
      throw new Error(`Zalo token refresh failed: ${res.status} ${body.error ?? ''} ${body.message ?? ''}`.trim());
    }
    const next: Tokens = { accessToken: body.access_token, refreshToken: body.refresh_token, expiresAt: Date.now() + Number(body.expires_in ?? 0) * 1000 };
    await this.meta.set(TOKENS_KEY, next);
    this.log.info('zalo token refreshed', { expiresInSeconds: Number(body.expires_in ?? 0) });
    return next;
  }

  private async accessToken(): Promise<string> {
    const t = await this.tokens();
    if (t.expiresAt !== 0 && t.expiresAt - Date.now() < 5 * 60_000) return (await this.refresh(t.accessToken)).accessToken;
    return t.accessToken;
  }

  /** A text message, with query buttons that send their text back when tapped. */
  async send(userId: string, text: string, buttons: ZaloButton[] = []): Promise<SendOutcome> {
    const message: Record<string, unknown> = { text };
    if (buttons.length) {
      message.attachment = {
        type: 'template',
        payload: { buttons: buttons.slice(0, 5).map((b) => ({ title: b.title.slice(0, 100), type: 'oa.query.show', payload: b.payload.slice(0, 1000) })) },
      };
    }
    return this.post(`${this.config.apiBase}/v3.0/oa/message/cs`, { recipient: { user_id: userId }, message });
  }

  /**
   * A template message (ZNS) to a phone number, in 84xxxxxxxxx form. Needs a template approved by
   * Zalo; `trackingId` is ours (the notification's id), echoed back in Zalo's delivery reports.
   */
  async sendTemplate(phone: string, templateId: string, templateData: Record<string, string>, trackingId: string): Promise<SendOutcome> {
    const base = this.config.businessApiBase ?? 'https://business.openapi.zalo.me';
    return this.post(`${base}/message/template`, { phone: internationalPhone(phone), template_id: templateId, template_data: templateData, tracking_id: trackingId });
  }

  private async post(url: string, payload: unknown): Promise<SendOutcome> {
    let refreshed = false;
    for (let attempt = 0; attempt < 4; attempt++) {
      let status = 0;
      let body: { error?: number; message?: string; data?: { message_id?: string; msg_id?: string } } = {};
      let token = '';
      try {
        token = await this.accessToken();
        const res = await fetch(url, {
          method: 'POST',
          headers: { access_token: token, 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          // Bounded, so a send with its retries ends well within the outbox's sending lease (5 min).
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
        status = res.status;
        body = (await res.json().catch(() => ({}))) as typeof body;
      } catch (error) {
        this.log.warn('zalo send failed, will retry', { attempt, error });
        await this.pause(attempt);
        continue;
      }
      const code = body.error ?? (status >= 400 ? status : 0);
      if (status < 400 && code === 0) return { ok: true, messageId: body.data?.message_id ?? body.data?.msg_id ?? '' };
      if (TOKEN_ERRORS.has(code) && !refreshed) {
        refreshed = true;
        // Renews the token this call used: if another process renewed it already, its pair is read.
        await this.refresh(token);
        continue;
      }
      if (WINDOW_ERRORS.has(code)) return { ok: false, reason: 'outside_window', code, message: body.message ?? '' };
      if (code === NOT_FOLLOWER) return { ok: false, reason: 'not_follower', code, message: body.message ?? '' };
      if (code === RATE_LIMITED || status >= 500) {
        await this.pause(attempt);
        continue;
      }
      // Any other error is Zalo refusing this message (bad template data, phone not on Zalo...):
      // sending it again would be refused again.
      return { ok: false, reason: 'rejected', code, message: body.message ?? '' };
    }
    return { ok: false, reason: 'failed', code: -1, message: 'gave up after retries' };
  }

  private pause(attempt: number): Promise<void> {
    return new Promise((r) => setTimeout(r, this.retryDelayMs * 2 ** attempt));
  }
}

/** 0912345678 → 84912345678 (the form ZNS takes). */
export function internationalPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('0') ? `84${digits.slice(1)}` : digits;
}
