/**
 * Booking benchmark on the embedded store, over HTTP on loopback: bookings/s with 20 requests in
 * flight, against the same server's /healthz throughput measured in the same run (the HTTP floor),
 * and the concurrency check (1,000 simultaneous requests at a slot of capacity 3).
 *
 *   npm run bench:booking [-- --bookings 2000]
 */
import { mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { alwaysOpenBranch } from '../tests/app-helpers';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { procedureLines } from '../src/knowledge-base/load';
import { fixedClock } from '../src/domain/calendar/clock';
import { createLogger } from '../src/logger';


function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function run(concurrency: number, total: number, request: (i: number) => Promise<number>) {
  let next = 0;
  const statuses: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) statuses.push(await request(next++));
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: total / seconds, statuses };
}

async function main(): Promise<void> {
  const bookings = arg('bookings', 2000);
  const data = mkdtempSync(join(tmpdir(), 'motcua-bench-'));
  const knowledge = mkdtempSync(join(tmpdir(), 'motcua-bench-kb-'));
  const branch = alwaysOpenBranch('bench');
  const raceBranch = alwaysOpenBranch('race', 3);
  const national = procedureLines('knowledge').filter((l) => l.includes('"code":"1.001193"'));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(knowledge, 'procedures'));
  writeFileSync(join(knowledge, 'procedures', 'p.jsonl'), national.join('\n') + '\n');
  writeFileSync(join(knowledge, 'branches.json'), JSON.stringify([branch, raceBranch]));
  const app = await startApp(
    { ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir: data, knowledgeDir: knowledge, mongodbUri: undefined, bookingsPerClientPerDay: 1e9, requestsPerMinute: 1e9 },
    createLogger('silent'),
    fixedClock('2026-11-23T00:00:00Z'),
  );
  const post = (body: unknown) =>
    fetch(`${app.url}/api/bookings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });
  // Every booking in its own slot: 15-minute slots over the bookable week.
  const slotStart = (i: number) => {
    const day = 24 + (Math.floor(i / 95) % 6); // 95 slots: the branch closes at 23:59
    const minutes = (i % 95) * 15;
    return `2026-11-${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00+07:00`;
  };
  await run(10, 200, () => fetch(`${app.url}/healthz`).then((r) => r.arrayBuffer()).then(() => 200)); // warm-up
  const floor = await run(20, bookings, () => fetch(`${app.url}/healthz`).then(async (r) => (await r.arrayBuffer(), r.status)));
  const booked = await run(20, bookings, (i) =>
    post({ procedureCode: '1.001193', branchId: 'bench', start: slotStart(i), name: 'Người đo', phone: `09${String(i).padStart(8, '0')}` }),
  );
  const created = booked.statuses.filter((s) => s === 201).length;
  if (created < bookings) console.log('refused:', JSON.stringify(booked.statuses.filter((s) => s !== 201).slice(0, 5)));
  const race = await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      post({ procedureCode: '1.001193', branchId: 'race', start: '2026-11-23T10:00:00+07:00', name: 'Người đo', phone: `08${String(i).padStart(8, '0')}` }),
    ),
  );
  await app.stop();
  rmSync(data, { recursive: true, force: true });
  rmSync(knowledge, { recursive: true, force: true });

  const raceCreated = race.filter((s) => s === 201).length;
  console.log(`\nbooking over HTTP, embedded store (Node ${process.version}, 20 requests in flight)`);
  console.log(`  bookings/s        ${booked.perSecond.toFixed(0)}  (${created}/${bookings} created)`);
  console.log(`  /healthz req/s    ${floor.perSecond.toFixed(0)}  (HTTP floor, same server, same run)`);
  console.log(`  ratio             booking = ${(booked.perSecond / floor.perSecond).toFixed(2)} × the HTTP floor`);
  console.log(`  1,000 concurrent requests at a slot of capacity 3: ${raceCreated} created, ${race.filter((s) => s === 409).length} full`);
  const resultsFile = 'bench/results.json';
  const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {};
  results.booking = { bookingsPerSecond: booked.perSecond, httpFloorPerSecond: floor.perSecond, created, requested: bookings, concurrency: { requests: 1000, capacity: 3, created: raceCreated } };
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
