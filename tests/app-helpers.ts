import { mkdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Branch, type Holiday } from '../knowledge/schemas';
import { startApp, type App } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import type { Clock } from '../src/domain/calendar/clock';
import type { Logger } from '../src/logger';
import { procedureLines } from '../src/knowledge-base/load';
import { KNOWLEDGE_DIR, memoryLogger, tempDir } from './helpers';
import { mongoTestDatabase } from './mongo-helpers';

/**
 * The real server on a free port over the given store directory, or with `store: 'mongodb'` over a
 * fresh database of its own on the server in MONGODB_URI (dropped when the app stops).
 */
export async function startTestApp(
  overrides: Partial<Config> & { dataDir: string; store?: 'embedded' | 'mongodb' },
  log: Logger = memoryLogger(),
  clock?: Clock,
): Promise<App> {
  const { store, ...rest } = overrides;
  const database = store === 'mongodb' ? mongoTestDatabase('app') : null;
  const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', mongodbUri: database?.uri, logLevel: 'silent' as const, ...rest };
  const app = await startApp(config, log, clock);
  if (!database) return app;
  const stop = app.stop.bind(app);
  app.stop = async () => {
    await stop();
    await database.drop();
  };
  return app;
}

const source = { url: 'https://example.org/test-fixture', title: 'Dữ liệu thử nghiệm', retrievedAt: '2026-11-01' };
const weekdays = (open: string, close: string, days = [1, 2, 3, 4, 5]) => days.map((weekday) => ({ weekday, open, close }));

/** Two test branches: "test-a" (civil status and residence counters) and "test-b" (every field), 20 km apart. */
export const TEST_BRANCHES: Branch[] = [
  Branch.parse({
    id: 'test-a',
    name: 'Chi nhánh thử A',
    address: '1 Tràng Tiền',
    district: 'Hoàn Kiếm',
    city: 'Hà Nội',
    location: { lat: 21.0245, lon: 105.8559 },
    status: 'operating',
    openingHours: [...weekdays('08:00', '12:00'), ...weekdays('13:00', '17:00'), { weekday: 6, open: '08:00', close: '12:00' }],
    counters: [
      { id: 'a1', name: 'Quầy 1', fields: ['Hộ tịch'] },
      { id: 'a2', name: 'Quầy 2', fields: ['Hộ tịch', 'Đăng ký, quản lý cư trú'] },
    ],
    slotMinutes: 15,
    capacityPerSlot: 1,
    sample: true,
    source: null,
  }),
  Branch.parse({
    id: 'test-b',
    name: 'Chi nhánh thử B',
    address: '2 Quang Trung',
    district: 'Hà Đông',
    city: 'Hà Nội',
    location: { lat: 20.9714, lon: 105.7788 },
    status: 'operating',
    openingHours: [...weekdays('08:00', '17:00')],
    counters: [{ id: 'b1', name: 'Quầy 1', fields: [] }],
    slotMinutes: 30,
    capacityPerSlot: 3,
    sample: true,
    source: null,
  }),
];

/**
 * A branch open around the clock with one counter for every field and room for many, so a load
 * test or a benchmark does not depend on the hour it runs at.
 */
export function alwaysOpenBranch(id: string, capacityPerSlot = 1000): Branch {
  return Branch.parse({
    id,
    name: `Chi nhánh thử ${id}`,
    address: '1 Phố Thử',
    district: 'Hoàn Kiếm',
    city: 'Hà Nội',
    location: { lat: 21.02, lon: 105.85 },
    status: 'operating',
    openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '23:59' })),
    counters: [{ id: 'c1', name: 'Quầy 1', fields: [] }],
    slotMinutes: 15,
    capacityPerSlot,
    booking: { maxPerPhonePerDay: 1000 },
    sample: true,
    source: null,
  });
}

const EVERYDAY_CODES = (JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'everyday-names.json'), 'utf8')) as { entries: { code: string }[] }).entries.map((e) => e.code);

/**
 * A small knowledge directory for server tests: the most-asked procedures (real records), synonyms,
 * everyday names, intents, test branches and the given holidays (tests set their own clock, so
 * their calendar is their own too).
 */
export function writeTestKnowledge(
  dir: string,
  options: { branches?: Branch[]; holidays?: Omit<Holiday, 'source'>[]; codes?: string[] } = {},
): string {
  const codes = new Set(options.codes ?? EVERYDAY_CODES);
  mkdirSync(join(dir, 'procedures'), { recursive: true });
  const lines = procedureLines(KNOWLEDGE_DIR).filter((l) => codes.has(/"code":"([^"]+)"/.exec(l)?.[1] ?? ''));
  writeFileSync(join(dir, 'procedures', 'test.jsonl'), lines.join('\n') + '\n');
  for (const file of ['synonyms.json', 'intents.json', 'sample-dossiers.json', 'everyday-names.json']) cpSync(join(KNOWLEDGE_DIR, file), join(dir, file));
  writeFileSync(join(dir, 'branches.json'), JSON.stringify(options.branches ?? TEST_BRANCHES));
  writeFileSync(join(dir, 'holidays.json'), JSON.stringify((options.holidays ?? []).map((h) => ({ ...h, source }))));
  return dir;
}

export async function api(app: App, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(app.url + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text };
  }
  return { status: res.status, body: json };
}

/** A stand-in for the Bot Framework Emulator's connector: receives the bot's replies. */
export function fakeConnector(): Promise<{ server: Server; url: string; replies: any[] }> {
  const replies: any[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method === 'POST' && /\/v3\/conversations\/.+\/activities/.test(req.url ?? '')) replies.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${replies.length}` }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, replies })));
}

/**
 * The bot's test app for a whole test file: the small test knowledge, a data directory of its own, the
 * given clock; started before the file's tests and removed after. Read `app()` inside tests.
 */
export function useDialogTestApp(clock: Clock): () => App {
  const data = tempDir();
  const knowledge = tempDir();
  let app: App | undefined;
  beforeAll(async () => {
    writeTestKnowledge(knowledge.path);
    app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 10_000 }, undefined, clock);
  });
  afterAll(async () => {
    await app?.stop();
    data.remove();
    knowledge.remove();
  });
  return () => app!;
}
