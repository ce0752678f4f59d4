import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '../src/logger';
import { loadConfig } from '../src/config';
import { loadKnowledge, type Knowledge } from '../src/knowledge-base/load';

/** The bundled knowledge/ folder, found from the package root whether run from tests/ or dist/tests/. */
export const KNOWLEDGE_DIR = loadConfig({}).knowledgeDir;

export function tempDir(prefix = 'motcua-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

let bundled: Knowledge | null = null;
/** The bundled knowledge base, validated (loaded once per test file). */
export function bundledKnowledge(): Knowledge {
  if (!bundled) {
    const result = loadKnowledge(KNOWLEDGE_DIR);
    if (!result.ok) throw new Error('bundled knowledge is invalid: ' + JSON.stringify(result.errors.slice(0, 5)));
    bundled = result.knowledge;
  }
  return bundled;
}

/** Log lines a test can read back. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger('debug', (l) => lines.push(l)), { lines });
}
