/**
 * Sending through the Zalo OA customer-service message API, with the access token refreshed before
 * it expires and on a token error. The refresh token is single-use: the new pair is stored durably
 * before the new access token is used. Transient failures are retried with backoff; a user outside
 * the messaging window (or not following) is reported, not retried.
 */
import type { Logger } from '../../logger';
import type { MetaRepository } from '../../store/types';

export interface ZaloConfig {
  appId: string;
  appSecret: string;
  oaSecretKey: string;
  accessToken: string;
  refreshToken: string;
  apiBase: string;
  oauthBase: string;
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** ms since epoch; 0 when unknown (refresh on the first token error). */
  expiresAt: number;
}

export type SendOutcome = { ok: true; messageId: string } | { ok: false; reason: 'outside_window' | 'not_follower' | 'failed'; code: number; message: string };

export interface ZaloButton {
  title: string;
  payload: string;
}

const TOKENS_KEY = 'zalo-tokens';
const TOKEN_ERRORS = new Set([-216, -220, -124]);
const WINDOW_ERRORS = new Set([-230, -232]);
const NOT_FOLLOWER = -213;
const RATE_LIMITED = -32;

export class ZaloClient {
  private refreshing: Promise<Tokens> | null = null;

  constructor(
    private readonly config: ZaloConfig,
    private readonly meta: MetaRepository,
    private readonly log: Logger,
    private readonly retryDelayMs = 500,
  ) {}

  private async tokens(): Promise<Tokens> {
    const stored = (await this.meta.get(TOKENS_KEY)) as Tokens | null;
    return stored ?? { accessToken: this.config.accessToken, refreshToken: this.config.refreshToken, expiresAt: 0 };
  }

  /** One refresh at a time; the new refresh token is saved before anything uses the new access token. */
  refresh(): Promise<Tokens> {
    this.refreshing ??= (async () => {
      try {
        const current = await this.tokens();
        const res = await fetch(`${this.config.oauthBase}/v4/oa/access_token`, {
          method: 'POST',
          headers: { secret_key: this.config.appSecret, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ refresh_token: current.refreshToken, app_id: this.config.appId, grant_type: 'refresh_token' }).toString(),
        });
        const body = (await res.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; expires_in?: string | number; error?: number; message?: string };
        if (!res.ok || !body.access_token || !body.refresh_token) {
          throw new Error(`Zalo token refresh failed: ${res.status} ${body.error ?? ''} ${body.message ?? ''}`.trim());
        }
        const next: Tokens = { accessToken: body.access_token, refreshToken: body.refresh_token, expiresAt: Date.now() + Number(body.expires_in ?? 0) * 1000 };
        await this.meta.set(TOKENS_KEY, next);
        this.log.info('zalo token refreshed', { expiresInSeconds: Number(body.expires_in ?? 0) });
        return next;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async accessToken(): Promise<string> {
    const t = await this.tokens();
    if (t.expiresAt !== 0 && t.expiresAt - Date.now() < 5 * 60_000) return (await this.refresh()).accessToken;
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
    let refreshed = false;
    for (let attempt = 0; attempt < 4; attempt++) {
      let status = 0;
      let body: { error?: number; message?: string; data?: { message_id?: string } } = {};
      try {
        const res = await fetch(`${this.config.apiBase}/v3.0/oa/message/cs`, {
          method: 'POST',
          headers: { access_token: await this.accessToken(), 'content-type': 'application/json' },
          body: JSON.stringify({ recipient: { user_id: userId }, message }),
        });
        status = res.status;
        body = (await res.json().catch(() => ({}))) as typeof body;
      } catch (error) {
        this.log.warn('zalo send failed, will retry', { attempt, error });
        await this.pause(attempt);
        continue;
      }
      const code = body.error ?? (status >= 400 ? status : 0);
      if (status < 400 && code === 0) return { ok: true, messageId: body.data?.message_id ?? '' };
      if (TOKEN_ERRORS.has(code) && !refreshed) {
        refreshed = true;
        await this.refresh();
        continue;
      }
      if (WINDOW_ERRORS.has(code)) return { ok: false, reason: 'outside_window', code, message: body.message ?? '' };
      if (code === NOT_FOLLOWER) return { ok: false, reason: 'not_follower', code, message: body.message ?? '' };
      if (code === RATE_LIMITED || status >= 500) {
        await this.pause(attempt);
        continue;
      }
      return { ok: false, reason: 'failed', code, message: body.message ?? '' };
    }
    return { ok: false, reason: 'failed', code: -1, message: 'gave up after retries' };
  }

  private pause(attempt: number): Promise<void> {
    return new Promise((r) => setTimeout(r, this.retryDelayMs * 2 ** attempt));
  }
}
