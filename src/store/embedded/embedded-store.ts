/**
 * The embedded, persistent default store: one NeDB datastore file per collection in DATA_DIR.
 * NeDB appends every write as a line before the call resolves (a kill -9 loses nothing acknowledged),
 * tolerates a torn last line on load, and compacts by writing a temporary file, fsyncing and renaming
 * it, so a crash mid-write never leaves a corrupt file. Chosen over SQLite because it needs no native
 * build and speaks MongoDB's query language, so both stores implement the interface the same way.
 */
import { accessSync, closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readSync, ftruncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Datastore from '@seald-io/nedb';
import type { Branch, Procedure, ProcedureSummary } from '../../../knowledge/schemas';
import { SUMMARY_FIELDS, type Store, type UpsertReport } from '../types';
import { acquireDirectoryLock } from './lock';

type Doc<T> = T & { _id?: string };

function strip<T>(doc: Doc<T> | null): T | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  void _id;
  return rest as T;
}

/**
 * Every complete write ends with a newline; a crash in the middle of an append leaves a torn last
 * line. Move it aside (for inspection) and cut it off, so the file loads with every complete write.
 */
export function repairTornTail(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return false;
    let end = size;
    const chunk = Buffer.alloc(64 * 1024);
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      readSync(fd, chunk, 0, end - start, start);
      const newline = chunk.subarray(0, end - start).lastIndexOf(0x0a);
      if (newline >= 0) {
        end = start + newline + 1;
        break;
      }
      end = start;
    }
    const torn = Buffer.alloc(size - end);
    readSync(fd, torn, 0, torn.length, end);
    writeFileSync(`${file}.torn-${Date.now()}`, torn);
    ftruncateSync(fd, end);
    return true;
  } finally {
    closeSync(fd);
  }
}

async function open<T>(dir: string, name: string): Promise<Datastore<Doc<T>>> {
  repairTornTail(join(dir, `${name}.db`));
  const store = new Datastore<Doc<T>>({ filename: join(dir, `${name}.db`), corruptAlertThreshold: 0.01 });
  await store.loadDatabaseAsync();
  return store;
}

async function upsertBy<T extends object>(
  store: Datastore<Doc<T>>,
  key: keyof T & string,
  records: readonly T[],
): Promise<UpsertReport> {
  const report = { inserted: 0, updated: 0 };
  for (const record of records) {
    const { upsert } = await store.updateAsync({ [key]: record[key] } as never, { ...record } as never, { upsert: true });
    if (upsert) report.inserted++;
    else report.updated++;
  }
  // Many replacements leave old lines behind; rewrite the file once (crash-safe: temp file + rename).
  if (records.length > 100) await store.compactDatafileAsync();
  return report;
}

export async function openEmbeddedStore(dir: string): Promise<Store> {
  mkdirSync(dir, { recursive: true });
  accessSync(dir, constants.W_OK);
  const release = acquireDirectoryLock(dir);
  try {
    const procedures = await open<Procedure>(dir, 'procedures');
    const branches = await open<Branch>(dir, 'branches');
    const meta = await open<{ key: string; value: unknown }>(dir, 'meta');
    await procedures.ensureIndexAsync({ fieldName: 'code', unique: true });
    await branches.ensureIndexAsync({ fieldName: 'id', unique: true });
    await meta.ensureIndexAsync({ fieldName: 'key', unique: true });
    const projection = Object.fromEntries(SUMMARY_FIELDS.map((f) => [f, 1]));

    return {
      kind: 'embedded',
      procedures: {
        upsertMany: (records) => upsertBy(procedures, 'code', records),
        get: async (code) => strip(await procedures.findOneAsync({ code })),
        summaries: async () =>
          (await procedures.findAsync({}, projection).sort({ code: 1 })).map((d) => strip(d) as ProcedureSummary),
        count: () => procedures.countAsync({}),
      },
      branches: {
        upsertMany: (records) => upsertBy(branches, 'id', records),
        get: async (id) => strip(await branches.findOneAsync({ id })),
        list: async () => (await branches.findAsync({}).sort({ id: 1 })).map((d) => strip(d) as Branch),
      },
      meta: {
        get: async (key) => (await meta.findOneAsync({ key }))?.value ?? null,
        set: async (key, value) => {
          await meta.updateAsync({ key }, { key, value }, { upsert: true });
        },
      },
      ping: async () => {
        accessSync(dir, constants.W_OK);
        await meta.countAsync({});
      },
      close: async () => {
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
