import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { OfficerToken, Store } from '../store/types';

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates an officer token; the secret is returned once and only its hash is stored. */
export async function createOfficerToken(store: Store, name: string, role: OfficerToken['role'], now: Date) {
  const secret = 'mc_' + randomBytes(32).toString('base64url');
  const token: OfficerToken = { id: randomUUID(), hash: hashToken(secret), name, role, createdAt: now.toISOString(), revokedAt: null };
  await store.tokens.insert(token);
  return { secret, token };
}

/** The officer behind an `Authorization: Bearer …` header, or null. */
export async function authenticate(store: Store, header: string | undefined): Promise<OfficerToken | null> {
  const match = /^Bearer\s+(mc_[A-Za-z0-9_-]{20,})$/.exec(header ?? '');
  if (!match) return null;
  const token = await store.tokens.byHash(hashToken(match[1]));
  return token && !token.revokedAt ? token : null;
}
