import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { OfficerToken, Store } from '../store/types';
import { ServiceError } from './errors';

/** What an officer secret looks like wherever it is typed or sent (a Bearer header, the chat). */
export const OFFICER_SECRET_PATTERN = /mc_[A-Za-z0-9_-]{20,}/g;

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether a stored token still grants access at `now`: not revoked and not past its expiry. */
export function tokenActive(token: OfficerToken | null, now: Date): token is OfficerToken {
  if (!token || token.revokedAt) return false;
  return !token.expiresAt || Date.parse(token.expiresAt) > now.getTime();
}

/** A token as an administrator may see it: never the hash. */
export function describeToken(token: OfficerToken, now: Date) {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    createdAt: token.createdAt,
    expiresAt: token.expiresAt ?? null,
    revokedAt: token.revokedAt,
    active: tokenActive(token, now),
  };
}

/**
 * Creates an officer token valid for `days` (the command and the admin route always pass the
 * configured lifetime; `null` is for tests and tools that manage the token's life themselves). The
 * secret is returned once and only its hash is stored, so a lost secret is replaced (revoke, create),
 * never recovered.
 */
export async function createOfficerToken(store: Store, name: string, role: OfficerToken['role'], now: Date, days: number | null = null) {
  const secret = 'mc_' + randomBytes(32).toString('base64url');
  const token: OfficerToken = {
    id: randomUUID(),
    hash: hashToken(secret),
    name,
    role,
    createdAt: now.toISOString(),
    expiresAt: days === null ? null : new Date(now.getTime() + days * 86_400_000).toISOString(),
    revokedAt: null,
  };
  await store.tokens.insert(token);
  return { secret, token };
}

/** Ends a token at once (the REST API and an officer mode in the chat stop accepting it). */
export async function revokeOfficerToken(store: Store, id: string, now: Date): Promise<OfficerToken> {
  const token = await store.tokens.revoke(id, now.toISOString());
  if (!token) throw new ServiceError(404, 'not_found', 'Không có mã truy cập với định danh này.');
  return token;
}

/** The officer behind an `Authorization: Bearer …` header, or null (unknown, revoked or expired). */
export async function authenticate(store: Store, header: string | undefined, now: Date = new Date()): Promise<OfficerToken | null> {
  const match = /^Bearer\s+(mc_[A-Za-z0-9_-]{20,})$/.exec(header ?? '');
  if (!match) return null;
  const token = await store.tokens.byHash(hashToken(match[1]));
  return tokenActive(token, now) ? token : null;
}
