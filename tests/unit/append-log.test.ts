import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppendLog, CorruptLogError } from '../../src/store/embedded/append-log';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'append-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function replayAll(file: string): Promise<unknown[]> {
  const seen: unknown[] = [];
  const log = await AppendLog.open(file, (r) => seen.push(r));
  await log.close();
  return seen;
}

describe('append log', () => {
  it('writes concurrent appends together and acknowledges each once it is in the file', async () => {
    const file = join(dir, 'a.log');
    const log = await AppendLog.open(file, () => undefined);
    await Promise.all(Array.from({ length: 500 }, (_, i) => log.append({ i })));
    // Every acknowledged record is in the file, in the order appended.
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).i);
    expect(lines).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(log.lines).toBe(500);
    await log.close();
    expect(await replayAll(file)).toHaveLength(500);
  });

  it('loses no append made while the file is being rewritten', async () => {
    const file = join(dir, 'b.log');
    const log = await AppendLog.open(file, () => undefined);
    for (let i = 0; i < 100; i++) await log.append({ k: `old${i}` });
    const snapshot = [{ k: 'kept' }];
    const during = Array.from({ length: 300 }, (_, i) => log.append({ k: `new${i}` }));
    await Promise.all([log.rewrite(snapshot), ...during]);
    await log.append({ k: 'after' });
    await log.close();
    const keys = (await replayAll(file)).map((r) => (r as { k: string }).k);
    expect(keys[0]).toBe('kept');
    expect(keys).not.toContain('old0');
    for (let i = 0; i < 300; i++) expect(keys).toContain(`new${i}`);
    expect(keys.at(-1)).toBe('after');
    expect(readdirSync(dir).filter((f) => f.includes('rewrite'))).toEqual([]);
  });

  it('sets a torn last line aside and keeps every complete record', async () => {
    const file = join(dir, 'c.log');
    writeFileSync(file, '{"k":1}\n{"k":2}\n{"k":');
    expect(await replayAll(file)).toEqual([{ k: 1 }, { k: 2 }]);
    expect(readdirSync(dir).some((f) => f.startsWith('c.log.torn-'))).toBe(true);
    // Appending after the repair starts on a fresh line.
    const log = await AppendLog.open(file, () => undefined);
    await log.append({ k: 3 });
    await log.close();
    expect(await replayAll(file)).toEqual([{ k: 1 }, { k: 2 }, { k: 3 }]);
  });

  it('refuses a file that is mostly unreadable instead of starting empty', async () => {
    const file = join(dir, 'd.log');
    appendFileSync(file, '{"k":1}\n' + 'garbage\n'.repeat(10));
    await expect(AppendLog.open(file, () => undefined)).rejects.toBeInstanceOf(CorruptLogError);
    expect(readFileSync(file, 'utf8')).toContain('garbage');
  });

  it('reports a failed write to the caller', async () => {
    const file = join(dir, 'missing-dir', 'e.log');
    const log = await AppendLog.open(file, () => undefined);
    await expect(log.append({ k: 1 })).rejects.toThrow();
    await log.close();
  });
});
