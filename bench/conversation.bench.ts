/**
 * Conversation load: the server runs as its own process on the embedded store; this process opens
 * 200 Direct Line conversations and drives them concurrently for a bounded time (loopback only),
 * measuring turns/s and latency of a turn (the POST returns once the bot has answered), against
 * the same server's /healthz throughput at the same concurrency (the HTTP floor), and the server's
 * peak RSS.
 *
 *   npm run bench:conversation [-- --conversations 200 --seconds 20]
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
  const data = mkdtempSync(join(tmpdir(), 'motcua-conv-'));
  const port = 4700 + Math.floor(Math.random() * 200);
  const server = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/servprof'] : []), 'dist/src/index.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: data, LOG_LEVEL: 'warn', REQUESTS_PER_MINUTE: '100000000', MONGODB_URI: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
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
  const rssAtStart = rss();
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    sessions.map(async (s, i) => {
      for (let turn = i % SCRIPT.length; performance.now() < end; turn = (turn + 1) % SCRIPT.length) {
        const t0 = performance.now();
        const res = await call(`${base}/v3/directline/conversations/${s.id}/activities`, 'POST', { type: 'message', from: { id: s.user }, text: SCRIPT[turn] }, s.auth);
        latencies.push(performance.now() - t0);
        if (res.status !== 200) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const rssAtEnd = rss();
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const peakRssMb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(data, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const turnsPerSecond = latencies.length / elapsed;
  console.log(`\nconversation over Direct Line, ${conversations} concurrent conversations, ${seconds} s, embedded store (Node ${process.version})`);
  console.log(`  turns/s         ${turnsPerSecond.toFixed(0)}  (${latencies.length} turns, ${errors} errors)`);
  console.log(`  turn latency    p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
  console.log(`  /healthz req/s  ${floorPerSecond.toFixed(0)}  (HTTP floor, same server, same concurrency)`);
  console.log(`  ratio           a turn = ${(turnsPerSecond / floorPerSecond).toFixed(2)} × the HTTP floor`);
  console.log(`  server peak RSS ${peakRssMb.toFixed(0)} MB (RSS ${rssAtStart.toFixed(0)} MB when the load began, ${rssAtEnd.toFixed(0)} MB at its end)`);
  console.log(`  targets: ≥ 500 turns/s → ${turnsPerSecond >= 500 ? 'met' : 'MISSED'}; p99 < 50 ms → ${percentile(latencies, 99) < 50 ? 'met' : 'MISSED'}; RSS < 200 MB → ${peakRssMb < 200 ? 'met' : 'MISSED'}`);
  const resultsFile = 'bench/results.json';
  const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {};
  results.conversation = { conversations, seconds, turnsPerSecond, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, httpFloorPerSecond: floorPerSecond, peakRssMb, rssAtStart, rssAtEnd };
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
