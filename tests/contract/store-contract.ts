/**
 * The store contract: the same assertions for every implementation of the repository interface.
 * Called by embedded-store.test.ts (always) and mongo-store.test.ts (when MONGODB_URI is set).
 */
import { Branch, type Procedure } from '../../knowledge/schemas';
import type { Store } from '../../src/store/types';
import { TRANSCRIPT_KEEP } from '../../src/store/retention';
import { bundledKnowledge } from '../helpers';

export interface StoreFactory {
  /** A fresh, empty store. */
  open(): Promise<Store>;
  /** The same store opened again (after close), as after a restart. */
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}

function sample(): Procedure[] {
  const { procedures } = bundledKnowledge();
  return ['1.001193', '1.000894', '1.004222'].map((code) => structuredClone(procedures.find((p) => p.code === code)!));
}

const branch: Branch = Branch.parse({
  id: 'test-branch',
  name: 'Chi nhánh thử nghiệm',
  address: 'Số 1 phố Thử',
  district: 'Hoàn Kiếm',
  ward: null,
  city: 'Hà Nội',
  location: { lat: 21.03, lon: 105.85 },
  locationApproximate: true,
  phone: null,
  status: 'operating',
  openingHours: [{ weekday: 1, open: '08:00', close: '17:00' }],
  counters: [{ id: 'q1', name: 'Quầy 1', fields: ['Hộ tịch'] }],
  slotMinutes: 15,
  capacityPerSlot: 2,
  sample: true,
  source: null,
  notes: '',
});

export function storeContract(name: string, factory: () => StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    let f: StoreFactory;
    let store: Store;

    beforeEach(async () => {
      f = factory();
      store = await f.open();
    });
    afterEach(async () => {
      await store.close();
      await f.cleanup();
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('stores procedures and returns them exactly, by official code', async () => {
      const procedures = sample();
      expect(await store.procedures.upsertMany(procedures)).toEqual({ inserted: 3, updated: 0 });
      expect(await store.procedures.count()).toBe(3);
      expect(await store.procedures.get('1.000894')).toEqual(procedures[1]);
      expect(await store.procedures.get('9.999999')).toBeNull();
    });

    it('re-importing the same records is idempotent, and a change replaces the record', async () => {
      const procedures = sample();
      await store.procedures.upsertMany(procedures);
      expect(await store.procedures.upsertMany(procedures)).toEqual({ inserted: 0, updated: 3 });
      expect(await store.procedures.count()).toBe(3);
      const changed = { ...procedures[0], aliases: ['giấy khai sinh cho bé'] };
      await store.procedures.upsertMany([changed]);
      expect((await store.procedures.get('1.001193'))!.aliases).toEqual(['giấy khai sinh cho bé']);
    });

    it('gives search the summaries of every procedure, without storage ids', async () => {
      await store.procedures.upsertMany(sample());
      const summaries = await store.procedures.summaries();
      expect(summaries.map((s) => s.code)).toEqual(['1.000894', '1.001193', '1.004222']);
      expect(Object.keys(summaries[0]).sort()).toEqual(
        ['agency', 'aliases', 'code', 'detail', 'field', 'levels', 'name', 'popularity', 'scope', 'situations'].sort(),
      );
    });

    it('keeps Vietnamese text byte for byte (NFC)', async () => {
      const [p] = sample();
      await store.procedures.upsertMany([{ ...p, name: 'Thủ tục đăng ký khai sinh (thử hoà)' }]);
      const name = (await store.procedures.get(p.code))!.name;
      expect(name).toBe('Thủ tục đăng ký khai sinh (thử hoà)');
      expect(name.normalize('NFC')).toBe(name);
    });

    it('stores branches and meta values', async () => {
      await store.branches.upsertMany([branch]);
      expect(await store.branches.get('test-branch')).toEqual(branch);
      expect(await store.branches.list()).toEqual([branch]);
      expect(await store.meta.get('missing')).toBeNull();
      await store.meta.set('knowledge', { hash: 'abc' });
      await store.meta.set('knowledge', { hash: 'def' });
      expect(await store.meta.get('knowledge')).toEqual({ hash: 'def' });
    });

    it('numbers transcript activities in order and keeps the latest of a long conversation', async () => {
      const seqs: number[] = [];
      for (let i = 0; i < 260; i++) seqs.push(await store.transcripts.append('conv-long', { type: 'message', text: `tin ${i}` }));
      expect(seqs).toEqual(Array.from({ length: 260 }, (_, i) => i + 1));
      const kept = await store.transcripts.after('conv-long', 0, 1000);
      expect(kept.length).toBeGreaterThanOrEqual(TRANSCRIPT_KEEP);
      expect(kept.length).toBeLessThan(260);
      expect(kept.at(-1)).toMatchObject({ seq: 260, activity: { text: 'tin 259', id: 'conv-long|0000260' } });
      expect(await store.transcripts.after('conv-long', 258, 10)).toHaveLength(2);
      expect(await store.transcripts.append('conv-other', { type: 'message' })).toBe(1);
    });

    it('keeps what was written across a restart', async () => {
      await store.procedures.upsertMany(sample());
      await store.meta.set('k', 1);
      for (const text of ['một', 'hai', 'ba']) await store.transcripts.append('conv-r', { type: 'message', text });
      await store.botState.write({ 'directline/conversations/conv-r/': { dialogState: { step: 2 } } });
      await store.close();
      store = await f.reopen();
      expect((await store.transcripts.after('conv-r', 1, 10)).map((i) => i.activity.text)).toEqual(['hai', 'ba']);
      expect(await store.transcripts.append('conv-r', { type: 'message', text: 'bốn' })).toBe(4);
      expect(await store.botState.read(['directline/conversations/conv-r/'])).toEqual({ 'directline/conversations/conv-r/': { dialogState: { step: 2 } } });
      expect(await store.procedures.count()).toBe(3);
      expect((await store.procedures.get('1.004222'))!.name).toBe('Đăng ký thường trú');
      expect(await store.meta.get('k')).toBe(1);
    });
  });
}
