/** Contract of officer tokens: found by the hash of their secret, never twice for one hash. */
import type { OfficerToken } from '../../src/store/types';
import type { ContractSuite } from './harness';

const token = (id: string, hash: string, over: Partial<OfficerToken> = {}): OfficerToken => ({
  id,
  hash,
  name: 'Trần Thị Bình',
  role: 'officer',
  createdAt: '2026-11-20T02:00:00.000Z',
  revokedAt: null,
  ...over,
});

export const tokensContract: ContractSuite = (ctx) => {
  it('finds a token by its hash, exactly as stored', async () => {
    await ctx.store.tokens.insert(token('t1', 'a'.repeat(64)));
    await ctx.store.tokens.insert(token('t2', 'b'.repeat(64), { role: 'admin', revokedAt: '2026-11-21T00:00:00.000Z' }));
    expect(await ctx.store.tokens.byHash('a'.repeat(64))).toEqual(token('t1', 'a'.repeat(64)));
    expect(await ctx.store.tokens.byHash('b'.repeat(64))).toEqual(token('t2', 'b'.repeat(64), { role: 'admin', revokedAt: '2026-11-21T00:00:00.000Z' }));
    expect(await ctx.store.tokens.byHash('c'.repeat(64))).toBeNull();
  });

  it('refuses a second token with the same hash, so a secret names one officer', async () => {
    await ctx.store.tokens.insert(token('t1', 'a'.repeat(64)));
    await expect(ctx.store.tokens.insert(token('t2', 'a'.repeat(64), { name: 'Người khác' }))).rejects.toThrow();
    expect((await ctx.store.tokens.byHash('a'.repeat(64)))!.id).toBe('t1');
  });

  it('finds a token by id and lists them newest first', async () => {
    await ctx.store.tokens.insert(token('t1', 'a'.repeat(64), { createdAt: '2026-11-20T02:00:00.000Z' }));
    await ctx.store.tokens.insert(token('t2', 'b'.repeat(64), { createdAt: '2026-11-22T02:00:00.000Z', expiresAt: '2027-02-20T02:00:00.000Z' }));
    expect((await ctx.store.tokens.byId('t2'))!.expiresAt).toBe('2027-02-20T02:00:00.000Z');
    expect(await ctx.store.tokens.byId('nope')).toBeNull();
    expect((await ctx.store.tokens.list(10)).map((t) => t.id)).toEqual(['t2', 't1']);
    expect((await ctx.store.tokens.list(1)).map((t) => t.id)).toEqual(['t2']);
  });

  it('revokes once: the first revocation time is kept, an unknown id gives null', async () => {
    await ctx.store.tokens.insert(token('t1', 'a'.repeat(64)));
    expect((await ctx.store.tokens.revoke('t1', '2026-11-25T00:00:00.000Z'))!.revokedAt).toBe('2026-11-25T00:00:00.000Z');
    expect((await ctx.store.tokens.revoke('t1', '2026-11-26T00:00:00.000Z'))!.revokedAt).toBe('2026-11-25T00:00:00.000Z');
    expect((await ctx.store.tokens.byHash('a'.repeat(64)))!.revokedAt).toBe('2026-11-25T00:00:00.000Z');
    expect(await ctx.store.tokens.revoke('nope', '2026-11-26T00:00:00.000Z')).toBeNull();
  });

  it('keeps tokens across a restart', async () => {
    await ctx.store.tokens.insert(token('t1', 'a'.repeat(64)));
    const store = await ctx.restart();
    expect(await store.tokens.byHash('a'.repeat(64))).toEqual(token('t1', 'a'.repeat(64)));
  });
};
