/**
 * Conversation load: the server runs as its own process on the embedded store; this process opens
 * 200 Direct Line conversations and drives them concurrently for a bounded time (loopback only),
 * measuring turns/s and latency of a turn (the POST returns once the bot has answered), against
 * the same server's /healthz throughput at the same concurrency (the HTTP floor), and the server's
 * peak RSS.
 *
 *   npm run bench:conversation [-- --conversations 200 --seconds 20 --rate 500 --warmup 10]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function call(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(url, { method, agent, headers: { ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const SCRIPT = ['xin chào', 'lam giay khai sinh cho con', 'Kiểm tra giấy tờ', 'Có', 'Có', 'Chưa có', 'hủy', 'doi GPLX', 'tra cuu ho so MAU-000000-0007', '0007', 'cảm ơn'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const conversations = arg('conversations', 200);
  const seconds = arg('seconds', 20);
  const rate = arg('rate', 500);
  const warmup = arg('warmup', 10);
  const data = mkdtempSync(join(tmpdir(), 'motcua-conv-'));
  const port = 4700 + Math.floor(Math.random() * 200);
  const serverFlags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...serverFlags, 'dist/src/index.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: data, LOG_LEVEL: 'warn', REQUESTS_PER_MINUTE: '100000000', MONGODB_URI: '' },
    stdio: ['ignore', process.env.BENCH_DEBUG ? 'inherit' : 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await call(`${base}/healthz`, 'GET')).status === 200) break;
    } catch {
      // not up yet
    }
    if (i > 600) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }

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
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const startupPeakRssMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
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
  if (process.env.BENCH_HEAPSNAPSHOT) {
    server.kill('SIGUSR2'); // the server runs with --heapsnapshot-signal=SIGUSR2
    await new Promise((r) => setTimeout(r, 30_000));
  }
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  if (process.env.BENCH_KEEP_DATA) console.log('data kept in', data);
  else rmSync(data, { recursive: true, force: true });

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
  console.log(`\nconversation over Direct Line, ${conversations} concurrent conversations, ${seconds} s per phase after ${warmup} s of warm-up, embedded store (Node ${process.version})`);
  console.log(line(`paced at ${rate}/s:`.padEnd(22), atRate));
  console.log(line('as fast as answered:'.padEnd(22), atMost));
  console.log(`  /healthz req/s        ${floorPerSecond.toFixed(0)}  (HTTP floor, same server, same concurrency; a turn = ${(atMost.turnsPerSecond / floorPerSecond).toFixed(2)} × the floor)`);
  console.log(`  server RSS            ${rssAtStart.toFixed(0)} MB when the load began, peak ${loadPeakRssMb.toFixed(0)} MB under load, ${rssAtEnd.toFixed(0)} MB at the end (peak while importing the catalogue at start ${startupPeakRssMb.toFixed(0)} MB)`);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `  targets: ≥ 500 turns/s → ${verdict(atMost.turnsPerSecond >= 500)}; p99 < 50 ms at ${rate}/s → ${verdict(atRate.p99 < 50 && atRate.turnsPerSecond >= rate * 0.97)}; RSS < 200 MB → ${verdict(loadPeakRssMb < 200)}`,
  );
  const resultsFile = 'bench/results.json';
  const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {};
  results.conversation = { conversations, seconds, rate, paced: atRate, saturated: atMost, httpFloorPerSecond: floorPerSecond, rssAtStart, loadPeakRssMb, rssAtEnd, startupPeakRssMb };
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
