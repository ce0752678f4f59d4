/** Contract of what every chat turn writes: the bot's state and the Direct Line transcripts. */
import { TRANSCRIPT_KEEP } from '../../src/store/retention';
import type { ContractSuite } from './harness';

export const botStateContract: ContractSuite = (ctx) => {
  it('reads back what was written, omitting keys never written', async () => {
    expect(await ctx.store.botState.read(['directline/conversations/c1/'])).toEqual({});
    await ctx.store.botState.write({
      'directline/conversations/c1/': { dialogState: { step: 2 }, eTag: '1' },
      'directline/users/u1/': { profile: { name: 'Nguyễn Văn An' }, eTag: '1' },
    });
    expect(await ctx.store.botState.read(['directline/conversations/c1/', 'directline/users/u1/', 'directline/users/u2/'])).toEqual({
      'directline/conversations/c1/': { dialogState: { step: 2 }, eTag: '1' },
      'directline/users/u1/': { profile: { name: 'Nguyễn Văn An' }, eTag: '1' },
    });
    expect(await ctx.store.botState.read([])).toEqual({});
    await ctx.store.botState.write({});
  });

  it('creates an item only when the key holds none, once when several creators race', async () => {
    const key = 'directline/users/first/';
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => ctx.store.botState.insertIfAbsent(key, { n: i, eTag: `e${i}` })));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const winner = outcomes.indexOf(true);
    expect(await ctx.store.botState.read([key])).toEqual({ [key]: { n: winner, eTag: `e${winner}` } });
    expect(await ctx.store.botState.insertIfAbsent(key, { n: 9, eTag: 'e9' })).toBe(false);
    // The winner's eTag is the one a conditional replace checks.
    expect(await ctx.store.botState.replaceIf(key, { n: 10, eTag: 'e10' }, `e${winner}`)).toBe(true);
    await ctx.store.botState.delete([key]);
    expect(await ctx.store.botState.insertIfAbsent(key, { n: 11, eTag: 'e11' })).toBe(true);
  });

  it('replaces a value whole, and forgets deleted keys', async () => {
    await ctx.store.botState.write({ 'zalo/users/u1/': { a: 1, b: 2 } });
    await ctx.store.botState.write({ 'zalo/users/u1/': { a: 3 } });
    expect(await ctx.store.botState.read(['zalo/users/u1/'])).toEqual({ 'zalo/users/u1/': { a: 3 } });
    await ctx.store.botState.delete(['zalo/users/u1/', 'zalo/users/never/']);
    expect(await ctx.store.botState.read(['zalo/users/u1/'])).toEqual({});
  });

  it('keeps keys a document store would refuse ($-prefixed, dotted) and Vietnamese text', async () => {
    const value = { $type: 'x', 'a.b': { '$ref': 1 }, text: 'đặt lịch làm sổ đỏ', list: [null, 0, false] };
    await ctx.store.botState.write({ 'directline/conversations/c.$1/': value });
    expect(await ctx.store.botState.read(['directline/conversations/c.$1/'])).toEqual({ 'directline/conversations/c.$1/': value });
  });

  it('concurrent writes of different conversations are all kept', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => ctx.store.botState.write({ [`directline/conversations/c${i}/`]: { turn: i } })));
    const keys = Array.from({ length: 30 }, (_, i) => `directline/conversations/c${i}/`);
    const read = await ctx.store.botState.read(keys);
    expect(Object.keys(read)).toHaveLength(30);
    expect(read['directline/conversations/c29/']).toEqual({ turn: 29 });
  });

  it('replaces an item only while it has the eTag expected, one of concurrent writers winning', async () => {
    const key = 'directline/conversations/etag/';
    expect(await ctx.store.botState.replaceIf(key, { step: 1, eTag: 'b' }, 'a')).toBe(false);
    expect(await ctx.store.botState.read([key])).toEqual({});
    await ctx.store.botState.write({ [key]: { step: 1, eTag: 'a' } });
    expect(await ctx.store.botState.replaceIf(key, { step: 2, eTag: 'b' }, 'x')).toBe(false);
    expect(await ctx.store.botState.replaceIf(key, { step: 2, eTag: 'b' }, 'a')).toBe(true);
    expect(await ctx.store.botState.read([key])).toEqual({ [key]: { step: 2, eTag: 'b' } });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => ctx.store.botState.replaceIf(key, { step: 3, by: i, eTag: `c${i}` }, 'b')));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await ctx.store.botState.read([key])).toEqual({ [key]: { step: 3, by: winner, eTag: `c${winner}` } });
    await ctx.store.botState.delete([key]);
    expect(await ctx.store.botState.replaceIf(key, { step: 4, eTag: 'd' }, `c${winner}`)).toBe(false);
    await ctx.store.botState.write({ [key]: { step: 5 } });
    expect(await ctx.store.botState.replaceIf(key, { step: 5, eTag: 'e' }, 'undefined')).toBe(false);
    await ctx.store.botState.write({ [key]: { step: 5, eTag: 'e' } });
    const store = await ctx.restart();
    expect(await store.botState.replaceIf(key, { step: 6, eTag: 'f' }, 'e')).toBe(true);
    expect(await store.botState.read([key])).toEqual({ [key]: { step: 6, eTag: 'f' } });
  });

  it('keeps state across a restart, deletions included', async () => {
    await ctx.store.botState.write({ 'directline/conversations/c1/': { dialogState: { step: 2 } }, 'directline/conversations/c2/': { x: 1 } });
    await ctx.store.botState.delete(['directline/conversations/c2/']);
    const store = await ctx.restart();
    expect(await store.botState.read(['directline/conversations/c1/', 'directline/conversations/c2/'])).toEqual({ 'directline/conversations/c1/': { dialogState: { step: 2 } } });
  });
};

export const transcriptsContract: ContractSuite = (ctx) => {
  it('numbers activities in order and keeps the latest of a long conversation', async () => {
    const seqs: number[] = [];
    for (let i = 0; i < 260; i++) seqs.push(await ctx.store.transcripts.append('conv-long', { type: 'message', text: `tin ${i}` }));
    expect(seqs).toEqual(Array.from({ length: 260 }, (_, i) => i + 1));
    const kept = await ctx.store.transcripts.after('conv-long', 0, 1000);
    expect(kept.length).toBeGreaterThanOrEqual(TRANSCRIPT_KEEP);
    expect(kept.length).toBeLessThan(260);
    expect(kept.at(-1)).toMatchObject({ seq: 260, activity: { text: 'tin 259', id: 'conv-long|0000260' } });
    expect(await ctx.store.transcripts.after('conv-long', 258, 10)).toHaveLength(2);
    expect(await ctx.store.transcripts.append('conv-other', { type: 'message' })).toBe(1);
  });

  it('gives concurrent appends to one conversation consecutive numbers, each once', async () => {
    const seqs = await Promise.all(Array.from({ length: 30 }, (_, i) => ctx.store.transcripts.append('conv-burst', { type: 'message', text: `t${i}` })));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const read = await ctx.store.transcripts.after('conv-burst', 0, 100);
    expect(read.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const r of read) expect(r.activity.text).toBe(`t${seqs.indexOf(r.seq)}`);
  });

  it('reads after a watermark up to a limit, and nothing for an unknown conversation', async () => {
    for (let i = 0; i < 5; i++) await ctx.store.transcripts.append('conv-w', { type: 'message', text: `${i}` });
    expect((await ctx.store.transcripts.after('conv-w', 1, 2)).map((r) => r.seq)).toEqual([2, 3]);
    expect(await ctx.store.transcripts.after('conv-w', 5, 10)).toEqual([]);
    expect(await ctx.store.transcripts.after('conv-none', 0, 10)).toEqual([]);
  });

  it('keeps activities whose keys a document store would refuse', async () => {
    const activity = { type: 'message', channelData: { $where: '1', 'a.b': 2 }, value: { '$gt': '' }, text: 'Xin chào' };
    const seq = await ctx.store.transcripts.append('conv-$.x', activity);
    expect(await ctx.store.transcripts.after('conv-$.x', 0, 10)).toEqual([{ seq, activity: { ...activity, id: `conv-$.x|${String(seq).padStart(7, '0')}` } }]);
  });

  it('keeps the transcript and its numbering across a restart', async () => {
    for (const text of ['một', 'hai', 'ba']) await ctx.store.transcripts.append('conv-r', { type: 'message', text });
    const store = await ctx.restart();
    expect((await store.transcripts.after('conv-r', 1, 10)).map((i) => i.activity.text)).toEqual(['hai', 'ba']);
    expect(await store.transcripts.append('conv-r', { type: 'message', text: 'bốn' })).toBe(4);
  });
};
