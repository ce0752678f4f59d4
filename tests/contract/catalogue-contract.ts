/** Contract of the catalogue repositories: procedures, branches and meta values. */
import { Branch, type Procedure } from '../../knowledge/schemas';
import { bundledKnowledge } from '../helpers';
import type { ContractSuite } from './harness';

function sample(): Procedure[] {
  const { procedures } = bundledKnowledge();
  return ['1.001193', '1.000894', '1.004222'].map((code) => structuredClone(procedures.find((p) => p.code === code)!));
}

const branch = (id: string, name = 'Chi nhánh thử nghiệm'): Branch =>
  Branch.parse({
    id,
    name,
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

export const proceduresContract: ContractSuite = (ctx) => {
  it('an empty catalogue has no procedures and no summaries', async () => {
    expect(await ctx.store.procedures.count()).toBe(0);
    expect(await ctx.store.procedures.summaries()).toEqual([]);
    expect(await ctx.store.branches.list()).toEqual([]);
  });

  it('stores procedures and returns them exactly, by official code', async () => {
    const procedures = sample();
    expect(await ctx.store.procedures.upsertMany(procedures)).toEqual({ inserted: 3, updated: 0 });
    expect(await ctx.store.procedures.count()).toBe(3);
    expect(await ctx.store.procedures.get('1.000894')).toEqual(procedures[1]);
    expect(await ctx.store.procedures.get('9.999999')).toBeNull();
  });

  it('re-importing the same records is idempotent, and a change replaces the record', async () => {
    const procedures = sample();
    await ctx.store.procedures.upsertMany(procedures);
    expect(await ctx.store.procedures.upsertMany(procedures)).toEqual({ inserted: 0, updated: 3 });
    expect(await ctx.store.procedures.count()).toBe(3);
    const changed = { ...procedures[0], aliases: ['giấy khai sinh cho bé'] };
    await ctx.store.procedures.upsertMany([changed]);
    expect((await ctx.store.procedures.get('1.001193'))!.aliases).toEqual(['giấy khai sinh cho bé']);
    expect(await ctx.store.procedures.upsertMany([])).toEqual({ inserted: 0, updated: 0 });
  });

  it('gives search the summaries of every procedure, without storage ids', async () => {
    await ctx.store.procedures.upsertMany(sample());
    const summaries = await ctx.store.procedures.summaries();
    expect(summaries.map((s) => s.code)).toEqual(['1.000894', '1.001193', '1.004222']);
    expect(Object.keys(summaries[0]).sort()).toEqual(['agency', 'aliases', 'code', 'detail', 'field', 'levels', 'name', 'popularity', 'promulgatedBy', 'scope', 'situations'].sort());
  });

  it('keeps Vietnamese text byte for byte (NFC)', async () => {
    const [p] = sample();
    await ctx.store.procedures.upsertMany([{ ...p, name: 'Thủ tục đăng ký khai sinh (thử hoà)' }]);
    const name = (await ctx.store.procedures.get(p.code))!.name;
    expect(name).toBe('Thủ tục đăng ký khai sinh (thử hoà)');
    expect(name.normalize('NFC')).toBe(name);
  });

  it('keeps what was written across a restart', async () => {
    await ctx.store.procedures.upsertMany(sample());
    const store = await ctx.restart();
    expect(await store.procedures.count()).toBe(3);
    expect((await store.procedures.get('1.004222'))!.name).toBe('Đăng ký thường trú');
  });
};

export const branchesContract: ContractSuite = (ctx) => {
  it('stores branches by id, lists them in id order and replaces a changed one', async () => {
    expect(await ctx.store.branches.upsertMany([branch('b-2'), branch('b-1')])).toEqual({ inserted: 2, updated: 0 });
    expect(await ctx.store.branches.get('b-1')).toEqual(branch('b-1'));
    expect(await ctx.store.branches.get('b-9')).toBeNull();
    expect((await ctx.store.branches.list()).map((b) => b.id)).toEqual(['b-1', 'b-2']);
    expect(await ctx.store.branches.upsertMany([branch('b-2', 'Chi nhánh đổi tên')])).toEqual({ inserted: 0, updated: 1 });
    expect((await ctx.store.branches.get('b-2'))!.name).toBe('Chi nhánh đổi tên');
    expect(await ctx.store.branches.list()).toHaveLength(2);
  });

  it('keeps branches across a restart', async () => {
    await ctx.store.branches.upsertMany([branch('b-1')]);
    const store = await ctx.restart();
    expect(await store.branches.list()).toEqual([branch('b-1')]);
  });
};

export const metaContract: ContractSuite = (ctx) => {
  it('stores one value when several processes set a missing key at once, and every caller gets that one', async () => {
    const values = ['s1', 's2', 's3', 's4', 's5', 's6'];
    const got = await Promise.all(values.map((v) => ctx.store.meta.setIfAbsent('directline-secret', v)));
    const stored = await ctx.store.meta.get('directline-secret');
    expect(values).toContain(stored);
    expect(got).toEqual(values.map(() => stored));
    expect(await ctx.store.meta.setIfAbsent('directline-secret', 'later')).toBe(stored);
  });

  it('returns null for a missing key, and the last value set', async () => {
    expect(await ctx.store.meta.get('missing')).toBeNull();
    await ctx.store.meta.set('knowledge', { hash: 'abc' });
    await ctx.store.meta.set('knowledge', { hash: 'def' });
    expect(await ctx.store.meta.get('knowledge')).toEqual({ hash: 'def' });
  });

  it('keeps every kind of JSON value as it was, falsy ones included', async () => {
    const values: Record<string, unknown> = {
      zero: 0,
      no: false,
      empty: '',
      text: 'Khóa bí mật của Direct Line',
      list: [1, 'hai', { ba: 3 }],
      nested: { version: 2, entries: [{ from: 'sổ đỏ', to: ['giấy chứng nhận quyền sử dụng đất'] }] },
    };
    for (const [key, value] of Object.entries(values)) await ctx.store.meta.set(key, value);
    for (const [key, value] of Object.entries(values)) expect(await ctx.store.meta.get(key)).toEqual(value);
  });

  it('keeps values across a restart', async () => {
    await ctx.store.meta.set('k', 1);
    const store = await ctx.restart();
    expect(await store.meta.get('k')).toBe(1);
  });
};
