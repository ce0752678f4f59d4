import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import { KNOWLEDGE_VERSION_KEY } from '../../src/services/knowledge-import';
import { procedureLines } from '../../src/knowledge-base/load';
import { KNOWLEDGE_DIR, tempDir } from '../helpers';

const ROOT = resolve(__dirname, '..', '..');

/** Runs `kb:import` as a user would, on its own data directory. */
function kbImport(dataDir: string, knowledgeDir: string) {
  return spawnSync(process.execPath, ['--require', 'tsx/cjs', 'scripts/kb-import.ts', knowledgeDir], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, MONGODB_URI: '' },
    encoding: 'utf8',
  });
}

/** A small knowledge directory: three real procedures and the synonyms. */
function smallKnowledge(dir: string): void {
  mkdirSync(join(dir, 'procedures'), { recursive: true });
  const lines = procedureLines(KNOWLEDGE_DIR).filter((l) => /"code":"(1\.001193|1\.000894|1\.004222)"/.test(l));
  writeFileSync(join(dir, 'procedures', 'few.jsonl'), lines.join('\n') + '\n');
  cpSync(join(KNOWLEDGE_DIR, 'synonyms.json'), join(dir, 'synonyms.json'));
}

describe('npm run kb:import', () => {
  const data = tempDir();
  const good = tempDir();
  const bad = tempDir();
  afterAll(() => [data, good, bad].forEach((d) => d.remove()));

  it('imports a valid directory, and re-importing is idempotent', () => {
    smallKnowledge(good.path);
    const first = kbImport(data.path, good.path);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/thủ tục 3 mới, 0 cập nhật/);
    const second = kbImport(data.path, good.path);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/thủ tục 0 mới, 3 cập nhật/);
  });

  it('refuses a broken directory, lists file, JSON path and reason of every error, and writes nothing', async () => {
    smallKnowledge(bad.path);
    const procedures = join(bad.path, 'procedures', 'few.jsonl');
    const valid = readFileSync(procedures, 'utf8');
    const broken = JSON.parse(valid.split('\n')[0]);
    broken.code = '1.000656';
    broken.documentCases[0].documents.push({ name: '', originals: -1, copies: 0, required: true });
    writeFileSync(procedures, valid + JSON.stringify(broken) + '\n{not json\n');
    mkdirSync(join(bad.path, 'curated'));
    writeFileSync(join(bad.path, 'curated', '1.001193.json'), JSON.stringify({ code: '1.001193', verified: 'yes' }));

    let store = await openEmbeddedStore(data.path);
    const before = { count: await store.procedures.count(), version: await store.meta.get(KNOWLEDGE_VERSION_KEY) };
    await store.close();

    const run = kbImport(data.path, bad.path);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/không ghi gì vào kho/);
    expect(run.stderr).toContain('procedures/few.jsonl  line 4 $.documentCases[0].documents[');
    expect(run.stderr).toMatch(/line 4 \$\.documentCases\[0\]\.documents\[\d+\]\.name/);
    expect(run.stderr).toMatch(/line 4 \$\.documentCases\[0\]\.documents\[\d+\]\.originals/);
    expect(run.stderr).toMatch(/line 5 \$  JSON không hợp lệ/);
    expect(run.stderr).toMatch(/curated\/1\.001193\.json  \$\.source/);
    expect(run.stderr).toMatch(/curated\/1\.001193\.json  \$\.verified/);

    store = await openEmbeddedStore(data.path);
    expect(await store.procedures.count()).toBe(before.count);
    expect(await store.procedures.get('1.000656')).toBeNull();
    expect(await store.meta.get(KNOWLEDGE_VERSION_KEY)).toEqual(before.version);
    await store.close();
  });
});
