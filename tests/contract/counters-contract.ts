/**
 * Contract of the counters: slot capacity, per-phone quotas, rate limits and the dossier proof
 * limit all rest on the check and the increment being one atomic step, so concurrency is tested.
 */
import type { ContractSuite } from './harness';

const later = () => new Date(Date.now() + 3_600_000);

export const countersContract: ContractSuite = (ctx) => {
  it('reads 0 for a counter never written, and counts up from 1', async () => {
    expect(await ctx.store.counters.get('c|new')).toBe(0);
    expect(await ctx.store.counters.increment('c|new', later())).toBe(1);
    expect(await ctx.store.counters.increment('c|new', later())).toBe(2);
    expect(await ctx.store.counters.get('c|new')).toBe(2);
    expect(await ctx.store.counters.get('c|other')).toBe(0);
  });

  it('gives each of many concurrent increments of a new counter its own value', async () => {
    const values = await Promise.all(Array.from({ length: 50 }, () => ctx.store.counters.increment('c|burst', later())));
    expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await ctx.store.counters.get('c|burst')).toBe(50);
  });

  it('tryIncrement stops at the limit, even when 40 requests race for a new counter', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => ctx.store.counters.tryIncrement('c|slot', 3, later())));
    expect(results.filter(Boolean)).toHaveLength(3);
    expect(await ctx.store.counters.get('c|slot')).toBe(3);
    expect(await ctx.store.counters.tryIncrement('c|slot', 3, later())).toBe(false);
    expect(await ctx.store.counters.tryIncrement('c|slot', 4, later())).toBe(true);
    expect(await ctx.store.counters.get('c|slot')).toBe(4);
  });

  it('tryIncrement with a limit of 0 never counts', async () => {
    expect(await ctx.store.counters.tryIncrement('c|zero', 0, later())).toBe(false);
    expect(await ctx.store.counters.get('c|zero')).toBe(0);
  });

  it('decrement gives a place back and never goes below 0', async () => {
    await ctx.store.counters.decrement('c|never');
    expect(await ctx.store.counters.get('c|never')).toBe(0);
    expect(await ctx.store.counters.tryIncrement('c|d', 1, later())).toBe(true);
    expect(await ctx.store.counters.tryIncrement('c|d', 1, later())).toBe(false);
    await ctx.store.counters.decrement('c|d');
    expect(await ctx.store.counters.get('c|d')).toBe(0);
    await Promise.all([ctx.store.counters.decrement('c|d'), ctx.store.counters.decrement('c|d')]);
    expect(await ctx.store.counters.get('c|d')).toBe(0);
    expect(await ctx.store.counters.tryIncrement('c|d', 1, later())).toBe(true);
  });

  it('mixed concurrent increments, reservations and give-backs add up', async () => {
    for (let i = 0; i < 10; i++) await ctx.store.counters.increment('c|mix', later());
    const ops = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0 ? ctx.store.counters.increment('c|mix', later()) : i % 3 === 1 ? ctx.store.counters.tryIncrement('c|mix', 1000, later()) : ctx.store.counters.decrement('c|mix'),
    );
    await Promise.all(ops);
    // 10 + 10 + 10 - 10 whatever the order: even ten give-backs first would stop exactly at 0.
    expect(await ctx.store.counters.get('c|mix')).toBe(20);
  });

  it('keeps counters across a restart', async () => {
    await ctx.store.counters.increment('c|kept', later());
    await ctx.store.counters.tryIncrement('c|kept', 5, later());
    const store = await ctx.restart();
    expect(await store.counters.get('c|kept')).toBe(2);
    expect(await store.counters.increment('c|kept', later())).toBe(3);
  });
};

/** Named leases: one holder at a time, for a limited time (the Zalo token refresh across processes). */
export const leasesContract: ContractSuite = (ctx) => {
  const t0 = '2026-11-20T05:00:00.000Z';
  const t1 = '2026-11-20T05:01:00.000Z';

  it('gives a free lease to one of many racing owners, and to no other until it ends or is given up', async () => {
    const owners = Array.from({ length: 8 }, (_, i) => `p${i}`);
    const outcomes = await Promise.all(owners.map((o) => ctx.store.leases.acquire('zalo-refresh', o, t0, t1)));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const holder = owners[outcomes.indexOf(true)];
    const other = owners.find((o) => o !== holder)!;
    expect(await ctx.store.leases.acquire('zalo-refresh', other, '2026-11-20T05:00:59.999Z', '2026-11-20T05:02:00.000Z')).toBe(false);
    // The holder may take it again (extend it); another name is another lease.
    expect(await ctx.store.leases.acquire('zalo-refresh', holder, t0, t1)).toBe(true);
    expect(await ctx.store.leases.acquire('other', other, t0, t1)).toBe(true);
    // Released by someone who does not hold it: nothing changes.
    await ctx.store.leases.release('zalo-refresh', other);
    expect(await ctx.store.leases.acquire('zalo-refresh', other, t0, t1)).toBe(false);
    await ctx.store.leases.release('zalo-refresh', holder);
    expect(await ctx.store.leases.acquire('zalo-refresh', other, t0, t1)).toBe(true);
  });

  it('passes to another owner when the holder lets its time run out (a crashed process)', async () => {
    expect(await ctx.store.leases.acquire('zalo-refresh', 'a', t0, t1)).toBe(true);
    expect(await ctx.store.leases.acquire('zalo-refresh', 'b', t1, '2026-11-20T05:02:00.000Z')).toBe(true);
    expect(await ctx.store.leases.acquire('zalo-refresh', 'a', t1, '2026-11-20T05:02:00.000Z')).toBe(false);
    const store = await ctx.restart();
    expect(await store.leases.acquire('zalo-refresh', 'a', '2026-11-20T05:01:30.000Z', '2026-11-20T05:03:00.000Z')).toBe(false);
  });
};
