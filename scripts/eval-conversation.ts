/**
 * Scripted multi-turn conversations through the real bot: the app on a temporary data directory with
 * the bundled knowledge, a fixed clock on a working-day morning (Vietnam time), and botbuilder's
 * TestAdapter over the real dialogs and services. Prints the pass rate per class (a conversation
 * passes when all its turns pass) and the turns.
 *
 *   npm run eval:conversation [-- dir-or-file …] [--verbose]
 *
 * Default: tests/fixtures/conversations/dev. The test split is only for the jest test and for counts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { z } from 'zod';
import { startApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { fixedClock } from '../src/domain/calendar/clock';
import { fold } from '../src/domain/text/normalize';
import { createLogger } from '../src/logger';

const Expect = z.object({
  mentions_any: z.array(z.string()).optional(),
  mentions_all: z.array(z.string()).optional(),
  not_mentions: z.array(z.string()).optional(),
  asks_for: z.enum(['phone', 'name', 'proof', 'branch', 'date', 'time', 'choice', 'confirmation', 'contact']).optional(),
  is_welcome: z.literal(false).optional(),
  gives_reference: z.boolean().optional(),
  refuses_politely: z.boolean().optional(),
  bilingual: z.boolean().optional(),
  procedure_any: z.array(z.string()).optional(),
});
export type TurnExpect = z.infer<typeof Expect>;
export const Conversation = z.object({
  id: z.string(),
  class: z.string(),
  turns: z.array(z.object({ user: z.string(), expect: Expect })),
});
export type Conversation = z.infer<typeof Conversation>;

export interface Reply {
  text: string;
  buttons: string[];
}

/** A working-day morning: Tuesday 01/12/2026, 08:30 in Hanoi. */
export const EVAL_TIME = '2026-12-01T01:30:00Z';

const WELCOME_MARK = fold('Tôi là trợ lý Một Cửa');

/** What each kind of question looks like in a reply (folded text). */
const ASKS: Record<NonNullable<TurnExpect['asks_for']>, RegExp> = {
  phone: /so dien thoai/,
  name: /ho ten|ho va ten|\bten\b/,
  proof: /4 (chu )?so|so cuoi|xac minh/,
  branch: /chi nhanh|diem (tiep nhan|phuc vu)/,
  date: /ngay/,
  time: /gio/,
  choice: /truong hop|chon/,
  confirmation: /dong y|xac nhan/,
  contact: /so dien thoai|lien he|lien lac/,
};

const ENGLISH_WORDS = /\b(the|you|your|please|can|to|for|is|are|we|documents?|office|help)\b/g;
const VIETNAMESE_LETTERS = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;

/** The reasons a turn fails (empty when it passes). */
export function judge(expect: TurnExpect, replies: Reply[]): string[] {
  const raw = replies.map((r) => r.text).join('\n');
  const text = fold(raw);
  const buttons = replies.at(-1)?.buttons ?? [];
  const problems: string[] = [];
  if (replies.length === 0) return ['no reply'];
  if (expect.mentions_any && !expect.mentions_any.some((m) => text.includes(fold(m)))) problems.push(`mentions none of ${JSON.stringify(expect.mentions_any)}`);
  for (const m of expect.mentions_all ?? []) if (!text.includes(fold(m))) problems.push(`does not mention "${m}"`);
  for (const m of expect.not_mentions ?? []) if (text.includes(fold(m))) problems.push(`mentions "${m}"`);
  if (expect.is_welcome === false && text.includes(WELCOME_MARK)) problems.push('welcome');
  if (expect.asks_for) {
    const last = fold(replies.at(-1)!.text);
    const asks = ASKS[expect.asks_for].test(last) || (expect.asks_for === 'choice' && buttons.length >= 2);
    if (!asks) problems.push(`does not ask for ${expect.asks_for}`);
  }
  if (expect.gives_reference && !/\b[A-Z]{2}-\d{6}\b/.test(raw)) problems.push('no reference');
  if (expect.refuses_politely && !/chi ho tro|chi giup|ngoai pham vi|khong ho tro|khong thuoc/.test(text)) problems.push('no polite refusal');
  if (expect.bilingual && !(VIETNAMESE_LETTERS.test(raw) && (raw.toLowerCase().match(ENGLISH_WORDS)?.length ?? 0) >= 3)) problems.push('not in both languages');
  if (expect.procedure_any && !expect.procedure_any.some((c) => raw.includes(c))) problems.push(`names none of ${expect.procedure_any.join(', ')}`);
  return problems;
}

export function readConversations(paths: string[]): Conversation[] {
  const files = paths.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(p, f)) : [p]));
  return files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => Conversation.parse(JSON.parse(l))),
  );
}

export interface ConversationResult {
  id: string;
  class: string;
  passed: boolean;
  turns: { user: string; replies: Reply[]; problems: string[] }[];
}

export interface EvalRun {
  app: App;
  run(conversation: Conversation): Promise<ConversationResult>;
  stop(): Promise<void>;
}

/** The real app on a temporary directory and a fixed clock; each conversation is a new user. */
export async function startEval(knowledgeDir = loadConfig({}).knowledgeDir): Promise<EvalRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-conv-'));
  const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir, knowledgeDir, logLevel: 'silent' as const, requestsPerMinute: 100_000 };
  const app = await startApp(config, createLogger('silent'), fixedClock(EVAL_TIME));
  let n = 0;
  return {
    app,
    async run(conversation) {
      const user = `eval-${++n}-${conversation.id}`;
      const adapter = new TestAdapter(async (context) => app.bot.run(context), { from: { id: user, name: user }, conversation: { id: `conv-${user}` } as never, channelId: 'test' } as never);
      const turns: ConversationResult['turns'] = [];
      for (const turn of conversation.turns) {
        await adapter.receiveActivity(turn.user);
        const activities = adapter.activeQueue.splice(0) as Partial<Activity>[];
        const replies = activities
          .filter((a) => a.type === 'message')
          .map((a) => ({ text: a.text ?? '', buttons: a.suggestedActions?.actions.map((b) => String(b.title)) ?? [] }));
        turns.push({ user: turn.user, replies, problems: judge(turn.expect, replies) });
      }
      return { id: conversation.id, class: conversation.class, passed: turns.every((t) => t.problems.length === 0), turns };
    },
    async stop() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ClassScore {
  class: string;
  conversations: number;
  passed: number;
  turns: number;
  turnsPassed: number;
}

export function score(results: ConversationResult[]): ClassScore[] {
  const by = new Map<string, ClassScore>();
  for (const r of results) {
    const s = by.get(r.class) ?? { class: r.class, conversations: 0, passed: 0, turns: 0, turnsPassed: 0 };
    s.conversations++;
    if (r.passed) s.passed++;
    s.turns += r.turns.length;
    s.turnsPassed += r.turns.filter((t) => t.problems.length === 0).length;
    by.set(r.class, s);
  }
  return [...by.values()].sort((a, b) => a.class.localeCompare(b.class));
}

export async function evaluate(conversations: Conversation[]): Promise<ConversationResult[]> {
  const run = await startEval();
  try {
    const results: ConversationResult[] = [];
    for (const c of conversations) results.push(await run.run(c));
    return results;
  } finally {
    await run.stop();
  }
}

async function main() {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const paths = args.filter((a) => !a.startsWith('--'));
  const conversations = readConversations(paths.length ? paths.map((p) => resolve(p)) : [resolve(__dirname, '..', '..', 'tests/fixtures/conversations/dev')].map((p) => (statSync(p, { throwIfNoEntry: false }) ? p : resolve('tests/fixtures/conversations/dev'))));
  const results = await evaluate(conversations);
  const scores = score(results);
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
  console.log('class'.padEnd(22), 'conversations'.padEnd(18), 'turns');
  for (const s of scores) console.log(s.class.padEnd(22), `${s.passed}/${s.conversations} ${pct(s.passed, s.conversations)}`.padEnd(18), `${s.turnsPassed}/${s.turns}`);
  const all = scores.reduce((a, s) => ({ c: a.c + s.conversations, p: a.p + s.passed, t: a.t + s.turns, tp: a.tp + s.turnsPassed }), { c: 0, p: 0, t: 0, tp: 0 });
  console.log('all'.padEnd(22), `${all.p}/${all.c} ${pct(all.p, all.c)}`.padEnd(18), `${all.tp}/${all.t} ${pct(all.tp, all.t)}`);
  if (verbose) {
    for (const r of results.filter((x) => !x.passed || args.includes('--all'))) {
      console.log(`\n# ${r.id}`);
      for (const t of r.turns) {
        console.log(`U: ${t.user}`);
        for (const rep of t.replies) console.log(`B: ${rep.text.replace(/\n/g, ' ⏎ ').slice(0, 400)}${rep.buttons.length ? ` [${rep.buttons.join('] [')}]` : ''}`);
        if (t.problems.length) console.log(`  ✗ ${t.problems.join('; ')}`);
      }
    }
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
