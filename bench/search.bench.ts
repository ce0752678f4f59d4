/**
 * Search benchmark: the whole national catalogue and 10,000 queries generated from the query sets'
 * patterns (diacritics stripped, typos, abbreviations), against a plain Fuse.js search over procedure
 * names measured in the same run. Prints a table and writes bench/results.json.
 *
 *   npm run bench [-- --queries 10000 --baseline 500]
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Fuse from 'fuse.js';
import { ProcedureIndex } from '../src/domain/search/procedure-index';
import { fold } from '../src/domain/text/normalize';
import { loadKnowledge } from '../src/knowledge-base/load';
import { readQueries } from '../scripts/eval';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Deterministic PRNG (mulberry32), so every run measures the same queries. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LETTERS = 'abcdeghiklmnopqrstuvxy';

function typo(query: string, random: () => number): string {
  const words = query.split(' ');
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 3);
  if (candidates.length === 0) return query;
  const [word, at] = candidates[Math.floor(random() * candidates.length)];
  const p = 1 + Math.floor(random() * (word.length - 1));
  const kind = Math.floor(random() * 3);
  const changed =
    kind === 0
      ? word.slice(0, p) + word.slice(p + 1) // missing letter
      : kind === 1
        ? word.slice(0, p - 1) + word[p] + word[p - 1] + word.slice(p + 1) // swapped letters
        : word.slice(0, p) + LETTERS[Math.floor(random() * LETTERS.length)] + word.slice(p + 1); // wrong letter
  words[at] = changed;
  return words.join(' ');
}

const ABBREVIATIONS: [RegExp, string][] = [
  [/giấy phép lái xe|bằng lái( xe)?/i, 'GPLX'],
  [/(thẻ )?căn cước( công dân)?/i, 'CCCD'],
  [/lý lịch tư pháp/i, 'LLTP'],
  [/hộ kinh doanh/i, 'HKD'],
  [/trách nhiệm hữu hạn/i, 'TNHH'],
  [/bảo hiểm y tế/i, 'BHYT'],
  [/doanh nghiệp tư nhân/i, 'DNTN'],
  [/giấy chứng nhận quyền sử dụng đất/i, 'sổ đỏ'],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function time(queries: string[], search: (q: string) => unknown) {
  const ms: number[] = [];
  const start = performance.now();
  for (const q of queries) {
    const t0 = performance.now();
    search(q);
    ms.push(performance.now() - t0);
  }
  const total = performance.now() - start;
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), qps: (queries.length / total) * 1000, n: queries.length };
}

function main(): void {
  const queryCount = arg('queries', 10000);
  const baselineCount = arg('baseline', 100);
  const loaded = loadKnowledge(resolve('knowledge'));
  if (!loaded.ok) throw new Error('knowledge/ is invalid');
  const { procedures, synonyms } = loaded.knowledge;

  const sources = [
    ...readdirSync('tests/fixtures').filter((f) => f.endsWith('-queries.jsonl')).map((f) => join('tests/fixtures', f)),
    resolve('../shared/eval/dev-queries.jsonl'),
  ].filter(existsSync);
  const seeds = sources.flatMap(readQueries).map((q) => q.q);
  const random = prng(20261122);
  const queries: string[] = [];
  while (queries.length < queryCount) {
    const seed = seeds[Math.floor(random() * seeds.length)];
    const kind = Math.floor(random() * 4);
    if (kind === 0) queries.push(seed);
    else if (kind === 1) queries.push(fold(seed));
    else if (kind === 2) queries.push(typo(fold(seed), random));
    else {
      const rule = ABBREVIATIONS.find(([re]) => re.test(seed));
      queries.push(rule ? seed.replace(rule[0], rule[1]) : fold(seed));
    }
  }

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const buildStart = performance.now();
  const index = new ProcedureIndex(procedures, synonyms!);
  const buildMs = performance.now() - buildStart;
  global.gc?.();
  const indexHeapMb = (process.memoryUsage().heapUsed - heapBefore) / 1048576;
  const fuseStart = performance.now();
  const fuse = new Fuse(procedures, { keys: ['name'] });
  const fuseBuildMs = performance.now() - fuseStart;

  // Warm-up so the JIT has compiled both before timing.
  for (const q of queries.slice(0, 200)) index.search(q, { limit: 10 });
  for (const q of queries.slice(0, 20)) fuse.search(q, { limit: 10 });

  const ours = time(queries, (q) => index.search(q, { limit: 10 }));
  const baselineQueries = queries.filter((_, i) => i % Math.max(1, Math.floor(queries.length / baselineCount)) === 0).slice(0, baselineCount);
  const oursOnBaseline = time(baselineQueries, (q) => index.search(q, { limit: 10 }));
  const baseline = time(baselineQueries, (q) => fuse.search(q, { limit: 10 }));

  const rows = [
    ['', 'queries', 'p50 ms', 'p99 ms', 'queries/s'],
    ['motcua search', ours.n, ours.p50.toFixed(3), ours.p99.toFixed(3), ours.qps.toFixed(0)],
    ['motcua (baseline set)', oursOnBaseline.n, oursOnBaseline.p50.toFixed(3), oursOnBaseline.p99.toFixed(3), oursOnBaseline.qps.toFixed(0)],
    ['Fuse.js baseline', baseline.n, baseline.p50.toFixed(3), baseline.p99.toFixed(3), baseline.qps.toFixed(0)],
  ];
  console.log(`search over ${procedures.length} procedures (Node ${process.version})`);
  for (const r of rows) console.log(r.map((c, i) => String(c).padStart(i === 0 ? 22 : 10)).join(' '));
  const speedup = { p50: baseline.p50 / oursOnBaseline.p50, p99: baseline.p99 / oursOnBaseline.p99, qps: oursOnBaseline.qps / baseline.qps };
  console.log(`\nspeed-up over Fuse.js on the same queries: p50 ×${speedup.p50.toFixed(1)}, p99 ×${speedup.p99.toFixed(1)}, throughput ×${speedup.qps.toFixed(1)}`);
  console.log(`index build ${buildMs.toFixed(0)} ms (Fuse.js ${fuseBuildMs.toFixed(0)} ms); index heap ≈ ${indexHeapMb.toFixed(1)} MB`);
  console.log(`targets: p99 < 1 ms → ${ours.p99 < 1 ? 'met' : 'MISSED'}; ≥ 10× Fuse.js → ${speedup.p50 >= 10 ? 'met' : 'MISSED'}`);

  // Scaling: a 2,000-procedure subset of the real catalogue, and 20,000 (the catalogue plus province
  // copies of every name, as provinces publish their own versions), each against Fuse.js at the same size.
  const sizes: { size: number; p50: number; p99: number; qps: number; buildMs: number; heapMb: number; fuseP50: number; fuseP99: number; speedup: number }[] = [];
  for (const size of [2000, 20000]) {
    const provinces = ['Hà Nội', 'Thành phố Hồ Chí Minh', 'Nghệ An', 'Bình Dương'];
    const corpus =
      size <= procedures.length
        ? procedures.slice(0, size)
        : Array.from({ length: size }, (_, i) => {
            const p = procedures[i % procedures.length];
            const copy = Math.floor(i / procedures.length);
            return copy === 0 ? p : { ...p, code: `9.${String(i).padStart(6, '0')}`, name: `${p.name} (${provinces[copy % provinces.length]})`, scope: 'provincial' as const, popularity: 0 };
          });
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const scaled = new ProcedureIndex(corpus, synonyms!);
    const scaledBuild = performance.now() - t0;
    global.gc?.();
    const heapMb = (process.memoryUsage().heapUsed - heap0) / 1048576;
    for (const q of queries.slice(0, 200)) scaled.search(q, { limit: 10 });
    const r = time(queries, (q) => scaled.search(q, { limit: 10 }));
    const scaledFuse = new Fuse(corpus, { keys: ['name'] });
    const fuseQueries = baselineQueries.slice(0, size > 5000 ? 20 : 100);
    const f = time(fuseQueries, (q) => scaledFuse.search(q, { limit: 10 }));
    const same = time(fuseQueries, (q) => scaled.search(q, { limit: 10 }));
    sizes.push({ size, p50: r.p50, p99: r.p99, qps: r.qps, buildMs: scaledBuild, heapMb, fuseP50: f.p50, fuseP99: f.p99, speedup: f.p50 / same.p50 });
  }
  console.log('\nscaling (10,000 queries each; Fuse.js on 100 / 20 of them):');
  console.log('  procedures   p50 ms   p99 ms  queries/s  build ms  heap MB   Fuse p50 ms  speed-up');
  for (const z of sizes) {
    console.log(
      `  ${String(z.size).padStart(10)} ${z.p50.toFixed(3).padStart(8)} ${z.p99.toFixed(3).padStart(8)} ${z.qps.toFixed(0).padStart(10)} ${z.buildMs.toFixed(0).padStart(9)} ${z.heapMb.toFixed(1).padStart(8)} ${z.fuseP50.toFixed(1).padStart(13)}  ×${z.speedup.toFixed(0)}`,
    );
  }

  const results = {
    date: new Date().toISOString(),
    scaling: sizes,
    node: process.version,
    procedures: procedures.length,
    search: { ...ours, buildMs, indexHeapMb },
    fuseBaseline: { ...baseline, buildMs: fuseBuildMs },
    speedup,
  };
  writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
}

main();
