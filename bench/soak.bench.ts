/**
 * Soak: mixed traffic for a bounded time (default 10 minutes) against the server as its own process
 * on a fresh embedded store, loopback only. Citizens chat over Direct Line (each conversation runs a
 * script, then a new one starts, as on a busy day), search, open procedures, book and cancel, look
 * up dossiers; a hostile client sends oversize, malformed and unknown requests and holds half-sent
 * requests open. Every 30 s the server's own memory is read from /api/admin/metrics.
 * Reported: requests by kind and status, 5xx (must be 0), RSS, and the live heap (read after a full
 * collection) every 30 s with its trend over the run in MB per minute.
 *
 *   npm run bench:soak [-- --minutes 10]
 */
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createOfficerToken } from '../src/services/officer-auth';
import { openEmbeddedStore } from '../src/store/embedded/embedded-store';
import { arg, call, percentile, saveResults, startServer, type Reply } from './harness';

const CHAT = ['xin chào', 'lam giay khai sinh cho con', 'Kiểm tra giấy tờ', 'Có', 'Có', 'Chưa có', 'hủy', 'doi GPLX', 'tra cuu ho so MAU-000000-0007', '0007', 'đặt lịch', 'hủy', 'cảm ơn'];

function localDate(daysAhead: number): string {
  return new Date(Date.now() + 7 * 3_600_000 + daysAhead * 86_400_000).toISOString().slice(0, 10);
}

async function main(): Promise<void> {
  const minutes = arg('minutes', 10);
  const queries = readFileSync('tests/fixtures/holdout-queries.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l).q as string);
  let adminSecret = '';
  // One loopback address stands for every citizen here: per-client limits are lifted, not per-phone ones.
  process.env.BENCH_SERVER_FLAGS = `--expose-gc ${process.env.BENCH_SERVER_FLAGS ?? ''}`;
  const server = await startServer({ REQUESTS_PER_MINUTE: '100000000', BOOKINGS_PER_CLIENT_PER_DAY: '100000000', LOOKUP_FAILURES_PER_CLIENT: '100000000', LOOKUP_FAILURES_PER_CODE: '100000000' }, async (dir) => {
    const store = await openEmbeddedStore(dir);
    adminSecret = (await createOfficerToken(store, 'Soak', 'admin', new Date())).secret;
    await store.close();
  });
  const base = server.base;
  const admin = { authorization: `Bearer ${adminSecret}` };
  const end = performance.now() + minutes * 60_000;
  const started = performance.now();

  const counts = new Map<string, number>();
  const latencies = new Map<string, number[]>();
  const record = (kind: string, reply: Reply | null, ms: number) => {
    const status = reply ? `${Math.floor(reply.status / 100)}xx` : 'network error';
    counts.set(`${kind} ${status}`, (counts.get(`${kind} ${status}`) ?? 0) + 1);
    (latencies.get(kind) ?? latencies.set(kind, []).get(kind)!).push(ms);
  };
  const timed = async (kind: string, url: string, method: string, body?: unknown, headers?: Record<string, string>) => {
    const t0 = performance.now();
    let reply: Reply | null = null;
    try {
      reply = await call(url, method, body, headers);
    } catch {
      // counted below as a network error
    }
    record(kind, reply, performance.now() - t0);
    return reply;
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];
  const running = () => performance.now() < end;

  const samples: { minute: number; heapUsed: number; rss: number; loopP99: number }[] = [];
  const sampler = (async () => {
    while (running()) {
      // The live heap: the server (run with --expose-gc) collects before it answers.
      const { json } = await call(`${base}/api/admin/metrics?gc=1`, 'GET', undefined, admin);
      samples.push({ minute: (performance.now() - started) / 60_000, heapUsed: json.memory.heapUsed, rss: json.memory.rss, loopP99: json.eventLoopDelayMs.p99 });
      await pause(30_000);
    }
  })();

  const chatter = async (i: number) => {
    while (running()) {
      const json = (await timed('chat: new conversation', `${base}/v3/directline/tokens/generate`, 'POST'))?.json;
      if (!json?.token) continue;
      const auth = { authorization: `Bearer ${json.token}` };
      await timed('chat: new conversation', `${base}/v3/directline/conversations`, 'POST', undefined, auth);
      let watermark = '0';
      // A long conversation (the script three times), then a new one.
      for (const text of [...CHAT, ...CHAT, ...CHAT]) {
        if (!running()) break;
        await timed('chat: turn', `${base}/v3/directline/conversations/${json.conversationId}/activities`, 'POST', { type: 'message', from: { id: `soak-${i}` }, text }, auth);
        const page = await timed('chat: poll', `${base}/v3/directline/conversations/${json.conversationId}/activities?watermark=${watermark}`, 'GET', undefined, auth);
        watermark = page?.json?.watermark ?? watermark;
        await pause(50 + Math.random() * 150);
      }
    }
  };
  const searcher = async () => {
    while (running()) {
      const found = await timed('search', `${base}/api/procedures/search?q=${encodeURIComponent(pick(queries))}`, 'GET');
      const code = found?.json?.results?.[0]?.code;
      if (code) await timed('procedure', `${base}/api/procedures/${code}`, 'GET');
      await pause(20);
    }
  };
  let booked = 0;
  const booker = async () => {
    while (running()) {
      const branches = (await timed('booking', `${base}/api/branches`, 'GET'))?.json?.branches ?? [];
      const branch = pick(branches as { id: string }[]);
      const date = localDate(1 + Math.floor(Math.random() * 6));
      const slots = (await timed('booking', `${base}/api/slots?branch=${branch?.id}&procedure=1.001193&date=${date}`, 'GET'))?.json?.slots ?? [];
      const open = (slots as { start: string; remaining: number }[]).filter((s) => s.remaining > 0);
      if (open.length) {
        const phone = `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
        const made = await timed('booking', `${base}/api/bookings`, 'POST', { procedureCode: '1.001193', branchId: branch.id, start: pick(open).start, name: 'Nguyễn Văn Thử', phone });
        const code = made?.json?.booking?.code;
        if (code) {
          booked++;
          await timed('booking', `${base}/api/bookings/${code}/cancel`, 'POST', { phone });
        }
      }
      await pause(100);
    }
  };
  const looker = async () => {
    while (running()) {
      const n = 1 + Math.floor(Math.random() * 8);
      const proof = Math.random() < 0.8 ? `000${n}` : String(Math.floor(Math.random() * 10_000)).padStart(4, '0');
      await timed('dossier lookup', `${base}/api/dossiers/MAU-000000-000${n}/status`, 'POST', { proof });
      await pause(100);
    }
  };
  const hostile = async () => {
    let round = 0;
    while (running()) {
      const kind = round++ % 5;
      if (kind === 0) await timed('hostile', `${base}/api/bookings`, 'POST', JSON.stringify({ name: 'x'.repeat(200_000) }));
      if (kind === 1) await timed('hostile', `${base}/api/bookings`, 'POST', '{"procedureCode": "1.001193",');
      if (kind === 2) await timed('hostile', `${base}/api/procedures/search?q=${'%FF%FE'.repeat(50)}`, 'GET');
      if (kind === 3) await timed('hostile', `${base}/api/khong-co`, 'DELETE');
      if (kind === 4) {
        // A client that sends half its headers and stops: the server must drop it, not keep it.
        const t0 = performance.now();
        const closedBy = await new Promise<string>((resolve) => {
          const socket = connect(Number(new URL(base).port), '127.0.0.1', () => socket.write('POST /api/bookings HTTP/1.1\r\nHost: x\r\n'));
          socket.on('data', () => undefined);
          socket.on('close', () => resolve('server'));
          setTimeout(() => {
            socket.destroy();
            resolve('client');
          }, 40_000);
        });
        counts.set(`hostile: half-sent request closed by ${closedBy}`, (counts.get(`hostile: half-sent request closed by ${closedBy}`) ?? 0) + 1);
        latencies.get('slow client held (ms)')?.push(performance.now() - t0) ?? latencies.set('slow client held (ms)', [performance.now() - t0]);
      }
      await pause(200);
    }
  };

  await Promise.all([
    ...Array.from({ length: 20 }, (_, i) => chatter(i)),
    ...Array.from({ length: 4 }, () => searcher()),
    booker(),
    booker(),
    looker(),
    hostile(),
    sampler,
  ]);
  const rssEnd = server.rss();
  const rssPeak = server.peakRss();
  await server.stop();

  const seconds = (performance.now() - started) / 1000;
  const total = [...counts.entries()].filter(([k]) => !k.startsWith('hostile:')).reduce((n, [, c]) => n + c, 0);
  const serverErrors = [...counts.entries()].filter(([k]) => k.endsWith('5xx') || k.endsWith('network error')).reduce((n, [, c]) => n + c, 0);
  // The live heap (after a full collection) over the second half of the run, once caches are full
  // and the first conversations' transcripts have left memory: least-squares slope in MB per minute.
  const later = samples.filter((x) => x.minute >= minutes / 2);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const mx = mean(later.map((x) => x.minute));
  const my = mean(later.map((x) => x.heapUsed));
  const slope =
    later.length > 1 ? later.reduce((a, x) => a + (x.minute - mx) * (x.heapUsed - my), 0) / later.reduce((a, x) => a + (x.minute - mx) ** 2, 0) : NaN;

  console.log(`\nsoak: ${minutes} min of mixed traffic, embedded store (Node ${process.version})`);
  console.log(`  requests        ${total} (${(total / seconds).toFixed(0)}/s), server errors (5xx or dropped): ${serverErrors}`);
  for (const [k, c] of [...counts.entries()].sort()) console.log(`    ${k.padEnd(42)} ${c}`);
  for (const [k, values] of [...latencies.entries()].sort()) {
    values.sort((a, b) => a - b);
    console.log(`    ${k.padEnd(42)} p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms`);
  }
  const first = samples[0];

  console.log(`  live heap (MB)  ${samples.map((x) => x.heapUsed.toFixed(0)).join(' ')} (every 30 s); trend over the second half ${slope.toFixed(2)} MB/min`);
  const stored = (kind: string) => counts.get(kind) ?? 0;
  console.log(`  stored meanwhile ${booked} bookings (made and cancelled; kept), ${stored('chat: new conversation 2xx') / 2} conversations (dialog state kept a day)`);
  console.log(`  RSS (MB)        ${first.rss.toFixed(0)} at the first reading, ${rssEnd.toFixed(0)} at the end, peak ${rssPeak.toFixed(0)}; event-loop delay p99 at most ${Math.max(...samples.map((s) => s.loopP99)).toFixed(0)} ms`);
  console.log(`  verdict: ${serverErrors === 0 ? 'no server errors' : 'SERVER ERRORS'}; live heap ${slope > 0.2 ? `rises ${slope.toFixed(2)} MB/min with the data stored` : 'flat'}`);
  saveResults('soak', { minutes, requests: total, requestsPerSecond: total / seconds, serverErrors, counts: Object.fromEntries(counts), liveHeapMb: samples.map((x) => ({ minute: x.minute, mb: x.heapUsed })), heapSlopeMbPerMinute: slope, rssFirstMb: first.rss, rssEndMb: rssEnd, rssPeakMb: rssPeak });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
