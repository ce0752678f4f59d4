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
