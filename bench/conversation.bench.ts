/**
 * Conversation load: the server runs as its own process on the embedded store; this process opens
 * 200 Direct Line conversations and drives them for a bounded time (loopback only). After a warm-up,
 * two phases: paced (together the conversations offer `rate` turns/s, each person waiting for the
 * answer before the next message) for latency at that rate, then saturated (each sends again as
 * soon as answered) for the most turns/s. A turn's latency is its POST: it returns once the bot has
 * answered. Compared with the same server's /healthz throughput at the same concurrency (the HTTP
 * floor); the server's RSS is sampled under load.
 *
 * BENCH_MONGODB_URI runs the server on that MongoDB database instead, as BENCH_WORKERS processes
 * (WORKERS; default 1); the RSS is then the supervising process's only.
 *
 * Idle RSS is read once the server has started, before any load.
 *
 *   npm run bench:conversation [-- --conversations 200 --seconds 20 --rate 500 --warmup 10] [--cpu-prof]
 *
 * --cpu-prof: the server writes a CPU profile to a temp directory; the window of the measured
 * phases (seconds since the server started) is printed for bench/profile-summary.ts.
 */
import { performance } from 'node:perf_hooks';
import { existsSync, readFileSync } from 'node:fs';
import { arg, call, percentile, saveResults, startServer } from './harness';

const SCRIPT = ['xin chào', 'lam giay khai sinh cho con', 'Kiểm tra giấy tờ', 'Có', 'Có', 'Chưa có', 'hủy', 'doi GPLX', 'tra cuu ho so MAU-000000-0007', '0007', 'cảm ơn'];

async function main(): Promise<void> {
  const conversations = arg('conversations', 200);
  const seconds = arg('seconds', 20);
  const rate = arg('rate', 500);
  const warmup = arg('warmup', 10);
  const mongodbUri = process.env.BENCH_MONGODB_URI;
  const workers = mongodbUri ? Number(process.env.BENCH_WORKERS ?? 1) : 1;
  const storeLabel = mongodbUri ? `MongoDB store, ${workers} server process${workers > 1 ? 'es' : ''}` : 'embedded store';
  const server = await startServer({ REQUESTS_PER_MINUTE: '100000000', ...(mongodbUri ? { MONGODB_URI: mongodbUri, WORKERS: String(workers) } : {}) });
  const base = server.base;
  // Idle: started (catalogue imported, caches built), before any load.
  await new Promise((r) => setTimeout(r, 1000));
  const idleRssMb = server.rss();

  // HTTP floor at the same concurrency.
  const floorEnd = performance.now() + 5000;
  let floorCount = 0;
  await Promise.all(Array.from({ length: conversations }, async () => {
    while (performance.now() < floorEnd) {
      await call(`${base}/healthz`, 'GET');
      floorCount++;
    }
  }));
  const floorPerSecond = floorCount / 5;

  const sessions = await Promise.all(
    Array.from({ length: conversations }, async (_, i) => {
      const { json } = await call(`${base}/v3/directline/tokens/generate`, 'POST');
      const auth = { authorization: `Bearer ${json.token}` };
      await call(`${base}/v3/directline/conversations`, 'POST', undefined, auth);
      return { id: json.conversationId as string, auth, user: `load-${i}` };
    }),
  );
  const rss = server.rss;
  const startupPeakRssMb = server.peakRss();
  const rssAtStart = rss();
  let loadPeakRssMb = rssAtStart;
  const sampler = setInterval(() => (loadPeakRssMb = Math.max(loadPeakRssMb, rss())), 100);

  const turn = async (s: (typeof sessions)[number], text: string) => {
    const t0 = performance.now();
    const res = await call(`${base}/v3/directline/conversations/${s.id}/activities`, 'POST', { type: 'message', from: { id: s.user }, text }, s.auth);
    return { ms: performance.now() - t0, ok: res.status === 200 };
  };

  // Paced: every conversation sends its next message on a schedule, so that together they offer
  // `rate` turns/s (a person waits for the answer, so a late answer delays that person's next turn).
  const runPaced = async (phase: { latencies: number[]; errors: number; elapsed: number }, phaseSeconds: number) => {
    const interval = (conversations / rate) * 1000;
    const start = performance.now();
    const end = start + phaseSeconds * 1000;
    await Promise.all(
      sessions.map(async (s, i) => {
        let at = start + (i * interval) / conversations;
        for (let n = i % SCRIPT.length; ; n = (n + 1) % SCRIPT.length) {
          const wait = at - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          if (performance.now() >= end) break;
          const { ms, ok } = await turn(s, SCRIPT[n]);
          if (process.env.BENCH_DEBUG && ms > 50) console.log('slow', (performance.now() - start).toFixed(0), ms.toFixed(0), SCRIPT[n], phaseSeconds);
          phase.latencies.push(ms);
          if (!ok) phase.errors++;
          at += interval;
        }
      }),
    );
    phase.elapsed = (performance.now() - start) / 1000;
  };
  // Warm-up, not counted: the first turns compile the bot's code (JIT) and fill the caches.
  await runPaced({ latencies: [], errors: 0, elapsed: 0 }, warmup);
  const measuredFrom = server.uptime();
  const paced = { latencies: [] as number[], errors: 0, elapsed: 0 };
  await runPaced(paced, seconds);

  // Saturation: every conversation sends its next message as soon as the answer arrives.
  const saturated = { latencies: [] as number[], errors: 0, elapsed: 0 };
  {
    const start = performance.now();
    const end = start + seconds * 1000;
    await Promise.all(
      sessions.map(async (s, i) => {
        for (let n = i % SCRIPT.length; performance.now() < end; n = (n + 1) % SCRIPT.length) {
          const { ms, ok } = await turn(s, SCRIPT[n]);
          saturated.latencies.push(ms);
          if (!ok) saturated.errors++;
        }
      }),
    );
    saturated.elapsed = (performance.now() - start) / 1000;
  }
  clearInterval(sampler);
  const measuredTo = server.uptime();
  const rssAtEnd = rss();
  await server.stop();

  const summary = (phase: typeof paced) => {
    phase.latencies.sort((a, b) => a - b);
    return {
      turnsPerSecond: phase.latencies.length / phase.elapsed,
      turns: phase.latencies.length,
      errors: phase.errors,
      p50: percentile(phase.latencies, 50),
      p99: percentile(phase.latencies, 99),
    };
  };
  const atRate = summary(paced);
  const atMost = summary(saturated);
  const line = (label: string, r: ReturnType<typeof summary>) =>
    `  ${label} ${r.turnsPerSecond.toFixed(0).padStart(5)} turns/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  (${r.turns} turns, ${r.errors} errors)`;
  console.log(`\nconversation over Direct Line, ${conversations} concurrent conversations, ${seconds} s per phase after ${warmup} s of warm-up, ${storeLabel} (Node ${process.version})`);
  console.log(line(`paced at ${rate}/s:`.padEnd(22), atRate));
  console.log(line('as fast as answered:'.padEnd(22), atMost));
  console.log(`  /healthz req/s        ${floorPerSecond.toFixed(0)}  (HTTP floor, same server, same concurrency; a turn = ${(atMost.turnsPerSecond / floorPerSecond).toFixed(2)} × the floor)`);
  console.log(`  server RSS            ${idleRssMb.toFixed(0)} MB idle after start, ${rssAtStart.toFixed(0)} MB when the load began, peak ${loadPeakRssMb.toFixed(0)} MB under load, ${rssAtEnd.toFixed(0)} MB at the end (peak while importing the catalogue at start ${startupPeakRssMb.toFixed(0)} MB)`);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  // The search bench runs before this one in `npm run bench` and leaves its figures in bench/results.json.
  const searchRun = existsSync('bench/results.json') ? JSON.parse(readFileSync('bench/results.json', 'utf8')) : {};
  const searchFresh = searchRun.search && Date.now() - Date.parse(searchRun.date) < 3_600_000;
  const searchP99 = searchFresh ? Number(searchRun.search.p99) : NaN;
  const targets: [string, string, boolean | null][] = [
    [`paced p99 < 50 ms at ${rate} turns/s`, `${atRate.p99.toFixed(1)} ms at ${atRate.turnsPerSecond.toFixed(0)} turns/s`, atRate.p99 < 50 && atRate.turnsPerSecond >= rate * 0.97 && atRate.errors === 0],
    ['saturated ≥ 1,000 turns/s', `${atMost.turnsPerSecond.toFixed(0)} turns/s`, atMost.turnsPerSecond >= 1000 && atMost.errors === 0],
    ['search p99 < 1 ms', searchFresh ? `${searchP99.toFixed(3)} ms (search bench)` : 'not measured in this run (npm run bench runs it first)', searchFresh ? searchP99 < 1 : null],
    ['peak RSS under load < 300 MB', `${loadPeakRssMb.toFixed(0)} MB`, loadPeakRssMb < 300],
    ['RSS idle < 200 MB', `${idleRssMb.toFixed(0)} MB`, idleRssMb < 200],
  ];
  console.log('  targets:');
  for (const [target, measured, ok] of targets) console.log(`    ${target.padEnd(34)} ${measured.padEnd(34)} ${ok === null ? '-' : verdict(ok)}`);
  if (process.argv.includes('--cpu-prof')) console.log(`  measured phases: ${measuredFrom.toFixed(1)}–${measuredTo.toFixed(1)} s after the server started, ${atRate.turns + atMost.turns} turns (profile-summary --from ${measuredFrom.toFixed(1)} --to ${measuredTo.toFixed(1)} --turns ${atRate.turns + atMost.turns})`);
  saveResults(mongodbUri ? `conversation-mongodb-${workers}` : 'conversation', { conversations, seconds, warmup, rate, paced: atRate, saturated: atMost, httpFloorPerSecond: floorPerSecond, idleRssMb, rssAtStart, loadPeakRssMb, rssAtEnd, startupPeakRssMb, searchP99: searchFresh ? searchP99 : null });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
