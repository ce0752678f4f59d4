/**
 * Conversation load: the server runs as its own process on the embedded store; this process opens
 * 200 Direct Line conversations and drives them for a bounded time (loopback only). After a warm-up,
 * two phases: paced (together the conversations offer `rate` turns/s, each person waiting for the
 * answer before the next message) for latency at that rate, then saturated (each sends again as
 * soon as answered) for the most turns/s. A turn's latency is its POST: it returns once the bot has
 * answered. Compared with the same server's /healthz throughput at the same concurrency (the HTTP
 * floor); the server's RSS is sampled under load.
 *
 *   npm run bench:conversation [-- --conversations 200 --seconds 20 --rate 500 --warmup 10]
 *
 * BENCH_MONGODB_URI runs the server on that MongoDB database instead, as BENCH_WORKERS processes
 * (WORKERS; default 1); the RSS is then the supervising process's only.
 */
import { performance } from 'node:perf_hooks';
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
  console.log(`  server RSS            ${rssAtStart.toFixed(0)} MB when the load began, peak ${loadPeakRssMb.toFixed(0)} MB under load, ${rssAtEnd.toFixed(0)} MB at the end (peak while importing the catalogue at start ${startupPeakRssMb.toFixed(0)} MB)`);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `  targets: ≥ 500 turns/s → ${verdict(atMost.turnsPerSecond >= 500)}; p99 < 50 ms at ${rate}/s → ${verdict(atRate.p99 < 50 && atRate.turnsPerSecond >= rate * 0.97)}; RSS < 200 MB → ${verdict(loadPeakRssMb < 200)}`,
  );
  saveResults(mongodbUri ? `conversation-mongodb-${workers}` : 'conversation', { conversations, seconds, warmup, rate, paced: atRate, saturated: atMost, httpFloorPerSecond: floorPerSecond, rssAtStart, loadPeakRssMb, rssAtEnd, startupPeakRssMb });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
