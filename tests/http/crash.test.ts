import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { addDays, localDate } from '../../src/domain/calendar/vietnam-time';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import { alwaysOpenBranch, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

const ROOT = resolve(__dirname, '..', '..');

/** The real server as its own process (`src/index.ts`), on the given directories. */
function startServer(dataDir: string, knowledgeDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir, MONGODB_URI: '', BOOKINGS_PER_CLIENT_PER_DAY: '100000', REQUESTS_PER_MINUTE: '100000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /"msg":"server listening","url":"([^"]+)"/.exec(out);
      if (m) resolvePromise({ child, url: m[1] });
    });
    child.stderr!.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out.slice(-2000)}`)));
  });
}

describe('a confirmed booking survives kill -9, and no place or quota leaks with it', () => {
  const data = tempDir();
  const knowledge = tempDir();
  afterAll(() => {
    data.remove();
    knowledge.remove();
  });

  it('keeps every booking that got a 201 after the server is killed mid-load and restarted', async () => {
    const branch = alwaysOpenBranch('always-open');
    writeTestKnowledge(knowledge.path, { branches: [branch] });
    const { child, url } = await startServer(data.path, knowledge.path);
    const day = addDays(localDate(new Date()), 1);
    const acknowledged: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${url}/api/bookings`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              procedureCode: '1.001193',
              branchId: 'always-open',
              start: `${day}T${String(8 + (i % 10)).padStart(2, '0')}:00:00+07:00`,
              name: 'Người thử',
              phone: `0912${String(w).padStart(2, '0')}${String(i % 10000).padStart(4, '0')}`,
            }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as any).booking.code);
          else throw new Error(`booking refused: ${res.status} ${await res.text()}`);
        } catch (error) {
          if (stop || (error as Error).message.includes('fetch failed')) return; // the server is gone
          throw error;
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 20));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all([exited, ...workers]);

    // Restarting on the same directory takes over the dead process's lock and finds every booking.
    const restarted = await startServer(data.path, knowledge.path);
    const starts = Array.from({ length: 10 }, (_, h) => `${day}T${String(8 + h).padStart(2, '0')}:00:00+07:00`);
    const slots = (await (await fetch(`${restarted.url}/api/slots?branch=always-open&procedure=1.001193&date=${day}`)).json()) as { slots: { start: string; remaining: number; capacity: number }[] };
    const stopped = new Promise((r) => restarted.child.once('exit', r));
    restarted.child.kill('SIGTERM');
    await stopped;
    const store = await openEmbeddedStore(data.path);
    const missing: string[] = [];
    for (const code of acknowledged) if (!(await store.bookings.get(code))) missing.push(code);
    const stored = await store.bookings.listForBranchDay('always-open', day);
    await store.close();
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);
    expect(missing).toEqual([]);
    // No place was lost with the killed process: for every slot, free = capacity − stored bookings.
    const disagreeing = starts
      .map((start) => {
        const slot = slots.slots.find((s) => s.start === start)!;
        const confirmed = stored.filter((b) => b.start === start && b.status === 'confirmed').length;
        return { start, remaining: slot.remaining, expected: slot.capacity - confirmed };
      })
      .filter((s) => s.remaining !== s.expected);
    expect(disagreeing).toEqual([]);
    // Nor a phone's daily booking: each phone used as many quota keys as it has bookings, all distinct.
    const confirmed = stored.filter((b) => b.status === 'confirmed');
    expect(new Set(confirmed.map((b) => b.phoneQuotaKey)).size).toBe(confirmed.length);
    expect(confirmed.filter((b) => !b.phoneQuotaKey.startsWith(`quota|${b.phone}|${day}|`))).toEqual([]);
    // Two server processes start (compile, import): on a busy 2-core machine that alone can pass a minute.
  }, 180_000);
});
