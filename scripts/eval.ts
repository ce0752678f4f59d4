/**
 * Scores the procedure search on a query set and, in the same run, a plain Fuse.js search over
 * procedure names as the baseline.
 *
 *   npm run eval [-- queries.jsonl] [--verbose] [--no-baseline]
 *
 * --no-baseline skips Fuse.js, which takes most of the run's time over the whole catalogue.
 * Without a file it scores the development set: the shared team copy (../shared/eval) while
 * developing, when it is there, and otherwise the copy shipped in tests/fixtures, so the command
 * works on a fresh clone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Fuse from 'fuse.js';
import { z } from 'zod';
import type { Procedure } from '../knowledge/schemas';
import { ProcedureIndex } from '../src/domain/search/procedure-index';
import { fold } from '../src/domain/text/normalize';
import { loadKnowledge } from '../src/knowledge-base/load';

/** The project folder (where package.json is), whether running from scripts/ or dist/scripts/. */
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const ROOT = packageRoot(__dirname);
export const SHIPPED_DEV_QUERIES = join(ROOT, 'tests', 'fixtures', 'dev-queries.jsonl');
export const SHARED_DEV_QUERIES = resolve(ROOT, '..', 'shared', 'eval', 'dev-queries.jsonl');

/** The development set to score by default: the shared copy when present, else the shipped one. */
export function defaultQueryFile(exists: (file: string) => boolean = existsSync): string {
  return exists(SHARED_DEV_QUERIES) ? SHARED_DEV_QUERIES : SHIPPED_DEV_QUERIES;
}

/** Off-topic queries have `expect: null` (older sets) or `[]` (the 2026-12 set); `category` is the
 * kind of query its writer meant (formal, typos, long…), reported as written when present. */
export const EvalQuery = z
  .object({ q: z.string(), expect: z.array(z.string()).nullable(), category: z.string().optional() })
  .transform((q) => ({ ...q, expect: q.expect && q.expect.length > 0 ? q.expect : null }));
export type EvalQuery = z.infer<typeof EvalQuery>;

export function readQueries(file: string): EvalQuery[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => EvalQuery.parse(JSON.parse(l)));
}

interface Tally {
  n: number;
  top1: number;
  top3: number;
}

function form(q: EvalQuery): string {
  if (q.expect === null) return 'off-topic';
  if (q.category) return q.category;
  if (/\b[A-ZĐ]{2,}\d*\b/.test(q.q)) return 'abbreviation';
  return fold(q.q) === q.q.toLowerCase() ? 'no diacritics' : 'with diacritics';
}

export function score(queries: EvalQuery[], search: (q: string) => string[]) {
  const byForm = new Map<string, Tally>();
  const total: Tally = { n: 0, top1: 0, top3: 0 };
  const offTopic = { n: 0, refused: 0 };
  const failures: string[] = [];
  for (const q of queries) {
    const codes = search(q.q);
    if (q.expect === null) {
      offTopic.n++;
      if (codes.length === 0) offTopic.refused++;
      else failures.push(`off-topic answered: "${q.q}" → ${codes[0]}`);
      continue;
    }
    const t1 = codes.length > 0 && q.expect.includes(codes[0]);
    const t3 = codes.slice(0, 3).some((c) => q.expect!.includes(c));
    for (const tally of [total, byForm.get(form(q)) ?? byForm.set(form(q), { n: 0, top1: 0, top3: 0 }).get(form(q))!]) {
      tally.n++;
      tally.top1 += t1 ? 1 : 0;
      tally.top3 += t3 ? 1 : 0;
    }
    if (!t1) failures.push(`"${q.q}" → ${codes.slice(0, 3).join(', ') || '(nothing)'}; expected ${q.expect.join('|')}`);
  }
  return { total, byForm, offTopic, failures };
}

const pct = (a: number, b: number) => (b === 0 ? '  n/a' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);

export function main(args = process.argv.slice(2), exists: (file: string) => boolean = existsSync): void {
  const verbose = args.includes('--verbose');
  const baseline = !args.includes('--no-baseline');
  const given = args.find((a) => !a.startsWith('--'));
  const file = given ? resolve(given) : defaultQueryFile(exists);
  if (!existsSync(file)) {
    console.error(`No query set at ${file}. Usage: npm run eval [-- queries.jsonl] [--verbose] [--no-baseline]`);
    process.exitCode = 1;
    return;
  }
  const loaded = loadKnowledge(join(ROOT, 'knowledge'));
  // Without a file named, the independent 2026-12 set is reported too (both halves, per category).
  const files = given ? [file] : [file, ...['dev.jsonl', 'test.jsonl'].map((f) => join(ROOT, 'tests', 'fixtures', 'eval-2026-12', f))];
  if (!loaded.ok) throw new Error('knowledge/ is invalid: ' + JSON.stringify(loaded.errors.slice(0, 5)));
  const { procedures, synonyms } = loaded.knowledge;
  if (!synonyms) throw new Error('knowledge/synonyms.json is missing');

  const ours = new ProcedureIndex(procedures, synonyms);
  const fuse = baseline ? new Fuse(procedures, { keys: ['name'], includeScore: true }) : null;
  for (const f of files) report(f, readQueries(f), ours, fuse, procedures.length, verbose);
}

function report(
  file: string,
  queries: EvalQuery[],
  ours: ProcedureIndex,
  fuse: Fuse<Procedure> | null,
  size: number,
  verbose: boolean,
): void {
  const systems: Record<string, ReturnType<typeof score>> = {
    'motcua search': score(queries, (q) => ours.search(q, { limit: 3 }).map((h) => h.code)),
  };
  if (fuse) {
    systems['Fuse.js baseline'] = score(queries, (q) => fuse.search(q, { limit: 3 }).map((r) => r.item.code));
  }

  console.log(`\n${queries.length} queries from ${file}; ${size} procedures\n`);
  console.log('system            | top-1  | top-3  | off-topic refused');
  for (const [name, r] of Object.entries(systems)) {
    console.log(
      `${name.padEnd(17)} | ${pct(r.total.top1, r.total.n)} | ${pct(r.total.top3, r.total.n)} | ${pct(r.offTopic.refused, r.offTopic.n)} (${r.offTopic.refused}/${r.offTopic.n})`,
    );
  }
  console.log('\nper kind of query (top-1 / top-3):');
  const forms = [...new Set(Object.values(systems).flatMap((r) => [...r.byForm.keys()]))];
  for (const f of forms) {
    const cells = Object.entries(systems).map(([name, r]) => {
      const t = r.byForm.get(f)!;
      return `${name}: ${pct(t.top1, t.n)} / ${pct(t.top3, t.n)}`;
    });
    console.log(`  ${f.padEnd(16)} (n=${systems['motcua search'].byForm.get(f)!.n})  ${cells.join('   ')}`);
  }
  const failures = systems['motcua search'].failures;
  console.log(`\nmisses of motcua search: ${failures.length}`);
  for (const line of verbose ? failures : failures.slice(0, 10)) console.log('  ' + line);
}

if (require.main === module) main();
