import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import { bundledKnowledge, tempDir } from '../helpers';
import { STORE_CONTRACTS } from './all-contracts';
import { runStoreContract } from './harness';
import { bookingContract } from './booking-contract';

runStoreContract('embedded (NeDB files in DATA_DIR)', () => {
  const dir = tempDir();
  return {
    open: () => openEmbeddedStore(dir.path),
    reopen: () => openEmbeddedStore(dir.path),
    cleanup: async () => dir.remove(),
  };
}, STORE_CONTRACTS);

bookingContract('embedded (NeDB files in DATA_DIR)', () => {
  const dir = tempDir();
  return {
    open: () => openEmbeddedStore(dir.path),
    // Lines as the previous version's NeDB wrote them.
    openWithLegacyBookings: (documents) => {
      writeFileSync(join(dir.path, 'bookings.db'), documents.map((d, i) => JSON.stringify({ ...d, _id: `legacy${i}` })).join('\n') + '\n');
      return openEmbeddedStore(dir.path);
    },
    cleanup: async () => dir.remove(),
  };
});

describe('embedded store safety', () => {
  const procedure = () => structuredClone(bundledKnowledge().procedures.find((p) => p.code === '1.001193')!);

  it('refuses a second store on the same directory while the first is open', async () => {
    const dir = tempDir();
    const first = await openEmbeddedStore(dir.path);
    await expect(openEmbeddedStore(dir.path)).rejects.toThrow(/đang được tiến trình \d+ sử dụng/);
    await first.close();
    const again = await openEmbeddedStore(dir.path);
    await again.close();
    dir.remove();
  });

  it('refuses a second process on the same directory with a clear message', async () => {
    const dir = tempDir();
    const first = await openEmbeddedStore(dir.path);
    const child = spawnSync(
      process.execPath,
      ['--require', 'tsx/cjs', '-e', `require(${JSON.stringify(require.resolve('../../src/store/embedded/embedded-store'))}).openEmbeddedStore(${JSON.stringify(dir.path)}).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(3); })`],
      { encoding: 'utf8', cwd: join(__dirname, '..', '..') },
    );
    expect(child.status).toBe(3);
    expect(child.stderr).toMatch(/đang được tiến trình \d+ sử dụng/);
    await first.close();
    dir.remove();
  });

  it('takes over the lock of a process that died', async () => {
    const dir = tempDir();
    writeFileSync(join(dir.path, 'LOCK'), '2147483646'); // no such process
    const store = await openEmbeddedStore(dir.path);
    await store.close();
    dir.remove();
  });

  it('loads after a crash tore the last line of a file, keeping every complete write', async () => {
    const dir = tempDir();
    let store = await openEmbeddedStore(dir.path);
    await store.procedures.upsertMany([procedure()]);
    await store.meta.set('a', 1);
    await store.close();
    const file = join(dir.path, 'meta.db');
    appendFileSync(file, '{"key":"b","value":'); // a write cut off mid-line
    store = await openEmbeddedStore(dir.path);
    expect(await store.meta.get('a')).toBe(1);
    expect(await store.meta.get('b')).toBeNull();
    expect(await store.procedures.count()).toBe(1);
    await store.meta.set('c', 3);
    await store.close();
    store = await openEmbeddedStore(dir.path);
    expect(await store.meta.get('c')).toBe(3);
    await store.close();
    expect(readFileSync(file, 'utf8')).toContain('"c"');
    expect(readdirSync(dir.path).some((f) => f.startsWith('meta.db.torn-'))).toBe(true);
    dir.remove();
  });
});
