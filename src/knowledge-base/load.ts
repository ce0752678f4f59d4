/**
 * Reads and validates a knowledge directory (the layout of `knowledge/`). Every file is checked before
 * anything is returned, so an import either has all records or none, with every error listed.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import {
  Branch,
  Centre,
  CuratedProcedure,
  EverydayNames,
  FeeRules,
  type FeeRule,
  EverydayOffTopic,
  EverydayVocabulary,
  Holiday,
  IntentExamples,
  Procedure,
  RerankerFile,
  SynonymDictionary,
  type CuratedProcedure as CuratedProcedureT,
} from '../../knowledge/schemas';
import { nfc } from '../domain/text/normalize';
import { markObsoletePapers } from './obsolete-papers';

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
  /** The centre chosen by CENTRE (centres/<id>.json); null when the directory describes no centre. */
  centre: Centre | null;
  /** The centre's branches and commune reception points (or a bare branches.json's). */
  branches: Branch[] | null;
  holidays: Holiday[] | null;
  intents: IntentExamples | null;
  /** Fee rules by date and filing method (`fee-rules.json`); null when the directory has none. */
  feeRules: FeeRule[] | null;
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
  // An overlay's "not known" (null, 'unknown', empty) never erases a value the base record publishes:
  // overlays were written when no full record of the code existed.
  const unknown = (v: unknown) => v === null || v === 'unknown' || v === '' || (Array.isArray(v) && v.length === 0);
  const defined = Object.fromEntries(
    Object.entries(overlay).filter(([k, v]) => v !== undefined && !(unknown(v) && !unknown((base as Record<string, unknown>)[k]))),
  );
  const suppliesDocuments = (overlay.documentCases ?? []).some((c) => c.documents.length > 0);
  return Procedure.parse({
    ...base,
    ...defined,
    aliases: unite(base.aliases, overlay.aliases ?? []),
    popularity: Math.max(base.popularity, overlay.popularity ?? 0),
    // An overlay written while no full record existed ("catalogue") must not hide one found later.
    detail:
      overlay.detail === 'catalogue' && base.detail === 'full' && !(overlay.documentCases ?? []).some((c) => c.documents.length > 0)
        ? 'full'
        : (overlay.detail ?? base.detail),
    documentCases:
      overlay.documentCases && overlay.documentCases.some((c) => c.documents.length > 0) ? overlay.documentCases : base.documentCases,
    // Fields the overlay supplies are no longer unknown; the overlay's own list wins when given.
    unverifiedFields: overlay.unverifiedFields ?? base.unverifiedFields.filter((f) => !(f in defined)),
    // The converter's "catalogue only" note stops being true once the overlay supplies the documents.
    notes: [base.detail === 'catalogue' && suppliesDocuments ? '' : base.notes, overlay.notes].filter(Boolean).join('\n'),
  });
}

function unite(a: string[], b: string[]): string[] {
  const seen = new Set<string>();
  return [...a, ...b].map(nfc).filter((x) => (seen.has(x.toLowerCase()) ? false : (seen.add(x.toLowerCase()), true)));
}

/** Every line of the procedure files of a knowledge directory, in file order (for tools and tests). */
export function procedureLines(dir: string): string[] {
  return listFiles(join(dir, 'procedures'), '.jsonl').flatMap((file) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()));
}

export function loadKnowledge(dir: string, centreId = 'hanoi'): LoadResult {
  const c = new Collector(dir);
  const byCode = new Map<string, Procedure>();
  // Procedures are split over several files (catalogue, one file per ministry); a code in two places
  // would make the result depend on file order, so it is an error.
  const fileOf = new Map<string, string>();

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
      if (!procedure) return;
      const where = `${c.name(file)} line ${i + 1}`;
      const first = fileOf.get(procedure.code);
      if (first) {
        c.errors.push({ file: c.name(file), path: `line ${i + 1} $.code`, reason: `mã thủ tục ${procedure.code} đã có ở ${first}` });
        return;
      }
      fileOf.set(procedure.code, where);
      byCode.set(procedure.code, procedure);
    });
  }

  const overlays: CuratedProcedureT[] = [];
  for (const file of listFiles(join(dir, 'curated'), '.json')) {
    const raw = c.json(file);
    const parsed = c.parse(CuratedProcedure, raw, file);
    if (!parsed) continue;
    // Only the fields the file states: the schema's defaults ([] for steps, fees…) would otherwise
    // blank the base record's published facts.
    const given = new Set(raw && typeof raw === 'object' ? Object.keys(raw) : []);
    const overlay = Object.fromEntries(Object.entries(parsed).filter(([k]) => given.has(k))) as CuratedProcedureT;
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
  const centre = loadCentre(c, dir, centreId);
  const branches = centre ? [...centre.branches, ...centre.communePoints] : optional('branches.json', Branch.array());
  // What the refusal decision learns from travels with the dictionary (the index is built from it).
  const offTopic = optional('everyday-offtopic.json', EverydayOffTopic);
  if (synonyms && offTopic) {
    synonyms.offTopic = offTopic.examples;
    synonyms.frames = offTopic.frames;
  }
  const reranker = optional('reranker.json', RerankerFile);
  if (synonyms && reranker) synonyms.reranker = reranker.model;
  const holidays = optional('holidays.json', Holiday.array());
  const intents = optional('intents.json', IntentExamples);
  const feeRulesFile = join(dir, 'fee-rules.json');
  const feeRules = optional('fee-rules.json', FeeRules)?.rules ?? null;
  // A rule for a code the catalogue does not hold would never apply: a typo, refused like any other.
  const known = new Set([...byCode.keys(), ...overlays.map((o) => o.code)]);
  const ids = new Set<string>();
  feeRules?.forEach((rule, i) => {
    if (ids.has(rule.id)) c.errors.push({ file: c.name(feeRulesFile), path: `$.rules[${i}].id`, reason: `mã quy định ${rule.id} bị trùng` });
    ids.add(rule.id);
    rule.procedures.forEach((code, j) => {
      if (!known.has(code)) c.errors.push({ file: c.name(feeRulesFile), path: `$.rules[${i}].procedures[${j}]`, reason: `mã thủ tục ${code} không có trong danh mục` });
    });
  });

  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  // Curated texts may name obsolete papers too (1.001456: "xuất trình Chứng minh nhân dân").
  for (const [code, p] of byCode) byCode.set(code, markObsoletePapers(p));
  return { ok: true, knowledge: { procedures: [...byCode.values()], overlays, synonyms, centre, branches, holidays, intents, feeRules } };
}

/** The ids of the centres a knowledge directory describes (centres/<id>.json). */
export function centreIds(dir: string): string[] {
  return listFiles(join(dir, 'centres'), '.json').map((f) => f.slice(join(dir, 'centres').length + 1, -'.json'.length));
}

/**
 * A directory with centres/ must describe the centre asked for (a typo in CENTRE must not start an
 * assistant of no centre); one without it (older layouts, small test directories) has none.
 */
function loadCentre(c: Collector, dir: string, centreId: string): Centre | null {
  const ids = centreIds(dir);
  if (ids.length === 0) return null;
  const file = join(dir, 'centres', `${centreId}.json`);
  if (!ids.includes(centreId)) {
    c.errors.push({ file: c.name(file), path: '$', reason: `không có trung tâm "${centreId}" (có: ${ids.join(', ')})` });
    return null;
  }
  const centre = c.parse(Centre, c.json(file), file);
  if (centre && centre.id !== centreId) c.errors.push({ file: c.name(file), path: '$.id', reason: `mã trung tâm phải là ${centreId} như tên tệp` });
  return centre;
}

/** Only the centre of a knowledge directory (read at every start: the store may hold it already imported). */
export function loadCentreOf(dir: string, centreId: string): { ok: true; centre: Centre | null } | { ok: false; errors: KnowledgeError[] } {
  const c = new Collector(dir);
  const centre = loadCentre(c, dir, centreId);
  return c.errors.length > 0 ? { ok: false, errors: c.errors } : { ok: true, centre };
}
