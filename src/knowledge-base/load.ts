/**
 * Reads and validates a knowledge directory (the layout of `knowledge/`). Every file is checked before
 * anything is returned, so an import either has all records or none, with every error listed.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import {
  Branch,
  CuratedProcedure,
  EverydayNames,
  EverydayOffTopic,
  EverydayVocabulary,
  Holiday,
  IntentExamples,
  Procedure,
  SynonymDictionary,
  type CuratedProcedure as CuratedProcedureT,
} from '../../knowledge/schemas';
import { nfc } from '../domain/text/normalize';

export interface KnowledgeError {
  file: string;
  /** JSON path of the offending value, e.g. `line 12 $.documentCases[0].name`. */
  path: string;
  reason: string;
}

export interface Knowledge {
  procedures: Procedure[];
  /** Curated records whose code has no base record in this directory (merged over the store's). */
  overlays: CuratedProcedureT[];
  synonyms: SynonymDictionary | null;
  branches: Branch[] | null;
  holidays: Holiday[] | null;
  intents: IntentExamples | null;
}

export type LoadResult = { ok: true; knowledge: Knowledge } | { ok: false; errors: KnowledgeError[] };

/** Deep NFC of every string, so stored text always compares equal to normalised input. */
export function nfcDeep<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map(nfcDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nfcDeep(v)])) as T;
  }
  return value;
}

function jsonPath(path: readonly PropertyKey[]): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

class Collector {
  readonly errors: KnowledgeError[] = [];
  constructor(private readonly root: string) {}

  parse<S extends z.ZodTypeAny>(schema: S, value: unknown, file: string, prefix = ''): z.infer<S> | null {
    const result = schema.safeParse(value);
    if (result.success) return nfcDeep(result.data);
    for (const issue of result.error.issues) {
      this.errors.push({ file: this.name(file), path: prefix + jsonPath(issue.path), reason: issue.message });
    }
    return null;
  }

  json(file: string): unknown {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      this.errors.push({ file: this.name(file), path: '$', reason: `JSON không hợp lệ: ${(error as Error).message}` });
      return undefined;
    }
  }

  name(file: string): string {
    return relative(this.root, file) || file;
  }
}

function listFiles(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

/** Merges a curated overlay over a base record: given fields win, aliases are united. */
export function mergeCurated(base: Procedure, overlay: CuratedProcedureT): Procedure {
  const defined = Object.fromEntries(Object.entries(overlay).filter(([, v]) => v !== undefined));
  return Procedure.parse({
    ...base,
    ...defined,
    aliases: unite(base.aliases, overlay.aliases ?? []),
    popularity: Math.max(base.popularity, overlay.popularity ?? 0),
    // Fields the overlay supplies are no longer unknown; the overlay's own list wins when given.
    unverifiedFields: overlay.unverifiedFields ?? base.unverifiedFields.filter((f) => !(f in defined)),
    notes: [base.notes, overlay.notes].filter(Boolean).join('\n'),
  });
}

function unite(a: string[], b: string[]): string[] {
  const seen = new Set<string>();
  return [...a, ...b].map(nfc).filter((x) => (seen.has(x.toLowerCase()) ? false : (seen.add(x.toLowerCase()), true)));
}

export function loadKnowledge(dir: string): LoadResult {
  const c = new Collector(dir);
  const byCode = new Map<string, Procedure>();

  for (const file of listFiles(join(dir, 'procedures'), '.jsonl')) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        c.errors.push({ file: c.name(file), path: `line ${i + 1} $`, reason: `JSON không hợp lệ: ${(error as Error).message}` });
        return;
      }
      const procedure = c.parse(Procedure, value, file, `line ${i + 1} `);
      if (procedure) byCode.set(procedure.code, procedure);
    });
  }

  const overlays: CuratedProcedureT[] = [];
  for (const file of listFiles(join(dir, 'curated'), '.json')) {
    const overlay = c.parse(CuratedProcedure, c.json(file), file);
    if (!overlay) continue;
    const base = byCode.get(overlay.code);
    if (!base) {
      overlays.push(overlay);
      continue;
    }
    try {
      byCode.set(overlay.code, mergeCurated(base, overlay));
    } catch (error) {
      c.errors.push({ file: c.name(file), path: '$', reason: (error as Error).message });
    }
  }

  const everydayFile = join(dir, 'everyday-names.json');
  if (existsSync(everydayFile)) {
    const names = c.parse(EverydayNames, c.json(everydayFile), everydayFile);
    names?.entries.forEach((entry, i) => {
      const base = byCode.get(entry.code);
      if (base) {
        base.aliases = unite(base.aliases, entry.aliases);
        base.popularity = Math.max(base.popularity, entry.popularity);
      } else {
        c.errors.push({
          file: c.name(everydayFile),
          path: `$.entries[${i}].code`,
          reason: `mã thủ tục ${entry.code} không có trong danh mục`,
        });
      }
    });
  }

  // How people describe each procedure, one reviewable file per ministry. An entry naming a code the
  // catalogue does not have is an error, as for everyday-names.json: vocabulary must not dangle.
  for (const file of listFiles(join(dir, 'everyday'), '.json')) {
    const vocabulary = c.parse(EverydayVocabulary, c.json(file), file);
    vocabulary?.entries.forEach((entry, i) => {
      entry.codes.forEach((code, k) => {
        const base = byCode.get(code);
        if (!base) {
          c.errors.push({ file: c.name(file), path: `$.entries[${i}].codes[${k}]`, reason: `mã thủ tục ${code} không có trong danh mục` });
          return;
        }
        base.aliases = unite(base.aliases, entry.aliases);
        base.situations = unite(base.situations, entry.situations);
      });
    });
  }

  const optional = <S extends z.ZodTypeAny>(name: string, schema: S): z.infer<S> | null => {
    const file = join(dir, name);
    return existsSync(file) ? c.parse(schema, c.json(file), file) : null;
  };
  const synonyms = optional('synonyms.json', SynonymDictionary);
  // What the refusal decision learns from travels with the dictionary (the index is built from it).
  const offTopic = optional('everyday-offtopic.json', EverydayOffTopic);
  if (synonyms && offTopic) {
    synonyms.offTopic = offTopic.examples;
    synonyms.frames = offTopic.frames;
  }
  const branches = optional('branches.json', Branch.array());
  const holidays = optional('holidays.json', Holiday.array());
  const intents = optional('intents.json', IntentExamples);

  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  return { ok: true, knowledge: { procedures: [...byCode.values()], overlays, synonyms, branches, holidays, intents } };
}
