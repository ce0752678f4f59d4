/**
 * Imports a knowledge directory into the store: everything is validated first and nothing is written
 * when any record is invalid; procedures are upserted by code, so re-importing changes nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadKnowledge, mergeCurated, type KnowledgeError } from '../knowledge-base/load';
import type { Store, UpsertReport } from '../store/types';
import { Procedure } from '../../knowledge/schemas';

export const SYNONYMS_KEY = 'synonyms';
export const HOLIDAYS_KEY = 'holidays';
export const INTENTS_KEY = 'intents';
export const FEE_RULES_KEY = 'feeRules';
export const KNOWLEDGE_VERSION_KEY = 'knowledge';

export type ImportResult =
  | { ok: true; procedures: UpsertReport; branches: UpsertReport; hash: string }
  | { ok: false; errors: KnowledgeError[] };

/** A fingerprint of a knowledge directory's data files, to know whether the store holds this version. */
export function knowledgeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(json|jsonl)$/.test(name)) hash.update(relative(dir, path)).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}

/**
 * The version the store must hold for this directory and centre: the centre takes part, so starting
 * the same store under another CENTRE imports that centre's branches.
 */
export function importVersion(dir: string, centreId: string): string {
  return `${knowledgeHash(dir)}:${centreId}`;
}

export async function importKnowledge(store: Store, dir: string, centreId = 'hanoi'): Promise<ImportResult> {
  const loaded = loadKnowledge(dir, centreId);
  if (!loaded.ok) return loaded;
  const { procedures, overlays, synonyms, branches, holidays, intents, feeRules } = loaded.knowledge;

  // Curated records whose base is not in this directory are merged over what the store holds.
  const errors: KnowledgeError[] = [];
  const merged: Procedure[] = [];
  for (const overlay of overlays) {
    const existing = await store.procedures.get(overlay.code);
    const candidate = existing ? mergeCurated(existing, overlay) : Procedure.safeParse(overlay);
    if ('success' in candidate) {
      if (candidate.success) merged.push(candidate.data);
      else
        candidate.error.issues.forEach((i) =>
          errors.push({
            file: `curated/${overlay.code}.json`,
            path: '$.' + i.path.join('.'),
            reason: `${i.message} (thủ tục chưa có trong kho, bản ghi phải đầy đủ)`,
          }),
        );
    } else merged.push(candidate);
  }
  if (errors.length > 0) return { ok: false, errors };

  const hash = importVersion(dir, centreId);
  const procedureReport = await store.procedures.upsertMany([...procedures, ...merged]);
  const branchReport = branches ? await store.branches.upsertMany(branches) : { inserted: 0, updated: 0 };
  if (synonyms) await store.meta.set(SYNONYMS_KEY, synonyms);
  if (holidays) await store.meta.set(HOLIDAYS_KEY, holidays);
  if (intents) await store.meta.set(INTENTS_KEY, intents);
  if (feeRules) await store.meta.set(FEE_RULES_KEY, feeRules);
  await store.meta.set(KNOWLEDGE_VERSION_KEY, { hash, importedAt: new Date().toISOString() });
  return { ok: true, procedures: procedureReport, branches: branchReport, hash };
}

/** On start: import the bundled knowledge when the store is empty or holds an older version. */
export async function seedIfNeeded(store: Store, dir: string, centreId = 'hanoi'): Promise<ImportResult | null> {
  const current = (await store.meta.get(KNOWLEDGE_VERSION_KEY)) as { hash?: string } | null;
  if (current?.hash === importVersion(dir, centreId) && (await store.procedures.count()) > 0) return null;
  return importKnowledge(store, dir, centreId);
}
