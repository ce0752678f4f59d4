import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBotStateLog, openTranscriptLog } from '../../src/store/embedded/chat-logs';
import { TRANSCRIPT_IDLE_MINUTES } from '../../src/store/retention';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chat-logs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('embedded transcripts', () => {
  it('lets an idle conversation go from memory but keeps its watermark valid', async () => {
    const transcripts = await openTranscriptLog(dir);
    for (const text of ['chào', 'cấp lại CCCD']) await transcripts.repository.append('c1', { type: 'message', text });
    await transcripts.repository.append('c2', { type: 'message', text: 'đang hoạt động' });
    expect(await transcripts.repository.after('c1', 0, 10)).toHaveLength(2);

    transcripts.sweep(Date.now() + (TRANSCRIPT_IDLE_MINUTES + 1) * 60_000);
    expect(await transcripts.repository.after('c1', 0, 10)).toEqual([]);
    // A notification after the idle time continues the numbering the client's watermark expects.
    expect(await transcripts.repository.append('c1', { type: 'message', text: 'hồ sơ đã có kết quả' })).toBe(3);
    expect((await transcripts.repository.after('c1', 2, 10)).map((i) => i.activity.text)).toEqual(['hồ sơ đã có kết quả']);
    await transcripts.close();

    const reopened = await openTranscriptLog(dir);
    expect(await reopened.repository.append('c1', { type: 'message' })).toBe(4);
    expect(await reopened.repository.append('c2', { type: 'message' })).toBe(2);
    await reopened.close();
  });

  it('holds at most its memory budget, letting the least recently active conversations go first', async () => {
    const transcripts = await openTranscriptLog(dir, 8_000);
    const big = 'ư'.repeat(3_000);
    await transcripts.repository.append('old', { type: 'message', text: big });
    await transcripts.repository.append('middle', { type: 'message', text: big });
    await transcripts.repository.append('old', { type: 'message', text: 'vẫn đang nói chuyện' });
    await transcripts.repository.append('new', { type: 'message', text: big });
    // "middle" was the least recently active: its activities left memory; its numbering did not.
    expect(await transcripts.repository.after('middle', 0, 10)).toEqual([]);
    expect((await transcripts.repository.after('old', 0, 10)).map((i) => i.seq)).toEqual([1, 2]);
    expect(await transcripts.repository.append('middle', { type: 'message' })).toBe(2);
    await transcripts.close();
  });

  it('numbers concurrent appends to one conversation without gaps or repeats', async () => {
    const transcripts = await openTranscriptLog(dir);
    const seqs = await Promise.all(Array.from({ length: 30 }, (_, i) => transcripts.repository.append('c', { type: 'message', text: String(i) })));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const items = await transcripts.repository.after('c', 0, 100);
    expect(items.map((i) => i.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    await transcripts.close();
  });
});

describe('embedded bot state', () => {
  it('forgets a conversation\'s dialog after a day without a word, but keeps a Zalo user\'s profile', async () => {
    const state = await openBotStateLog(dir);
    await state.repository.write({ 'zalo/conversations/u1/': { dialogState: { step: 3 } }, 'zalo/users/u1/': { profile: { mode: 'volunteer' } } });
    state.sweep(Date.now() + 25 * 3_600_000);
    expect(await state.repository.read(['zalo/conversations/u1/', 'zalo/users/u1/'])).toEqual({ 'zalo/users/u1/': { profile: { mode: 'volunteer' } } });
    await state.close();
  });

  it('keeps the latest value of each key across a restart and a rewrite of the file', async () => {
    const state = await openBotStateLog(dir);
    // Enough writes that the file is rewritten from the few live keys.
    for (let i = 0; i < 25_000; i++) await state.repository.write({ [`k${i % 3}`]: { turn: i, text: 'Giấy khai sinh' } });
    await state.repository.delete(['k2']);
    await state.close();
    const lines = readFileSync(join(dir, 'botstate.log'), 'utf8').trim().split('\n').length;
    expect(lines).toBeLessThan(25_000);

    const reopened = await openBotStateLog(dir);
    expect(await reopened.repository.read(['k0', 'k1', 'k2'])).toEqual({
      k0: { turn: 24_999, text: 'Giấy khai sinh' },
      k1: { turn: 24_997, text: 'Giấy khai sinh' },
    });
    await reopened.close();
  });
});
