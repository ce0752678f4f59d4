/**
 * The Zalo refresh token is single-use: when several processes share one store, one of them spends
 * it and the others read the new pair. Two ZaloClients on one store stand for two processes (each
 * has its own in-process guard and its own name on the lease); the store's lease is what keeps the
 * second from spending the token again. The same runs across two real servers on MongoDB in
 * tests/http/scale-out.test.ts.
 */
import { REFRESH_LEASE, ZaloClient, type ZaloConfig } from '../../src/channels/zalo/zalo-client';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import type { Store } from '../../src/store/types';
import { fakeZalo } from '../fake-zalo';
import { memoryLogger, tempDir } from '../helpers';

describe('Zalo token refresh across processes', () => {
  const dir = tempDir('motcua-zalo-lease-');
  let store: Store;
  let zalo: Awaited<ReturnType<typeof fakeZalo>>;
  let config: ZaloConfig;
  beforeAll(async () => {
    store = await openEmbeddedStore(dir.path);
    zalo = await fakeZalo();
    config = { appId: 'app', appSecret: 'app-secret', oaSecretKey: 'k', accessToken: 'AT1', refreshToken: 'RT1', apiBase: zalo.url, oauthBase: zalo.url };
  });
  afterAll(async () => {
    await store.close();
    await new Promise((r) => zalo.server.close(r));
    dir.remove();
  });
  beforeEach(async () => {
    await store.meta.set('zalo-tokens', null);
    zalo.refreshes.length = 0;
    zalo.state.valid = 'AT1';
  });

  const client = (wait = { totalMs: 5_000, pollMs: 20 }) => new ZaloClient(config, store.meta, memoryLogger(), 1, store.leases, wait);

  it('spends the refresh token once when two processes refresh at the same moment, and both use the new token', async () => {
    const [a, b] = [client(), client()];
    const [ta, tb] = await Promise.all([a.refresh('AT1'), b.refresh('AT1')]);
    expect(zalo.refreshes).toHaveLength(1);
    expect(zalo.refreshes[0]).toMatchObject({ refresh_token: 'RT1' });
    expect(ta).toEqual(tb);
    expect(await store.meta.get('zalo-tokens')).toMatchObject({ accessToken: 'AT2', refreshToken: 'RT2' });
  });

  it('renews once when both processes meet a token error on the same token (Zalo rotated it)', async () => {
    zalo.state.valid = 'AT-rotated';
    const [a, b] = [client(), client()];
    const outcomes = await Promise.all([a.send('u1', 'một'), b.send('u2', 'hai'), a.send('u3', 'ba'), b.send('u4', 'bốn')]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(zalo.refreshes).toHaveLength(1);
    expect(new Set(zalo.sent.slice(-4).map((s) => s.token))).toEqual(new Set([zalo.state.valid]));
  });

  it('waits while another process holds the lease, then takes it over when the holder crashed', async () => {
    const now = Date.now();
    expect(await store.leases.acquire(REFRESH_LEASE, 'crashed-process', new Date(now).toISOString(), new Date(now + 300).toISOString())).toBe(true);
    const started = Date.now();
    const tokens = await client().refresh('AT1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(tokens.accessToken).toBe('AT2');
    expect(zalo.refreshes).toHaveLength(1);
  });

  it('gives up (and spends nothing) when the lease stays held longer than it waits', async () => {
    const now = Date.now();
    await store.leases.acquire(REFRESH_LEASE, 'slow-process', new Date(now).toISOString(), new Date(now + 60_000).toISOString());
    await expect(client({ totalMs: 100, pollMs: 20 }).refresh('AT1')).rejects.toThrow(/another process holds the refresh lease/);
    expect(zalo.refreshes).toHaveLength(0);
    await store.leases.release(REFRESH_LEASE, 'slow-process');
  });
});
