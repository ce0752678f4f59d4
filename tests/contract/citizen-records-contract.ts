/** Contract of what citizens leave: feedback items and completed document checklists. */
import type { Checklist, FeedbackItem } from '../../src/store/types';
import type { ContractSuite } from './harness';

const item = (reference: string, kind: FeedbackItem['kind'], createdAt: string, over: Partial<FeedbackItem> = {}): FeedbackItem => ({
  reference,
  kind,
  text: 'Cán bộ hướng dẫn tận tình',
  rating: kind === 'rating' ? 5 : null,
  channel: 'directline',
  userId: 'u-1',
  createdAt,
  ...over,
});

export const feedbackContract: ContractSuite = (ctx) => {
  it('lists items newest first, of one kind or all, up to the limit', async () => {
    await ctx.store.feedback.add(item('DG-000001', 'rating', '2026-11-20T01:00:00.000Z'));
    await ctx.store.feedback.add(item('KN-000002', 'complaint', '2026-11-20T03:00:00.000Z', { text: 'Có người đòi tiền "bồi dưỡng"' }));
    await ctx.store.feedback.add(item('DG-000003', 'rating', '2026-11-20T02:00:00.000Z', { rating: 2 }));
    expect((await ctx.store.feedback.list(null, 10)).map((i) => i.reference)).toEqual(['KN-000002', 'DG-000003', 'DG-000001']);
    expect((await ctx.store.feedback.list('rating', 10)).map((i) => i.reference)).toEqual(['DG-000003', 'DG-000001']);
    expect(await ctx.store.feedback.list('rating', 1)).toEqual([item('DG-000003', 'rating', '2026-11-20T02:00:00.000Z', { rating: 2 })]);
    expect(await ctx.store.feedback.list('handover', 10)).toEqual([]);
  });

  it('refuses a second item with the same reference number, keeping the first', async () => {
    await ctx.store.feedback.add(item('DG-000001', 'rating', '2026-11-20T01:00:00.000Z'));
    await expect(ctx.store.feedback.add(item('DG-000001', 'complaint', '2026-11-20T02:00:00.000Z'))).rejects.toThrow();
    expect(await ctx.store.feedback.list(null, 10)).toEqual([item('DG-000001', 'rating', '2026-11-20T01:00:00.000Z')]);
  });

  it('keeps feedback across a restart', async () => {
    await ctx.store.feedback.add(item('DG-000001', 'rating', '2026-11-20T01:00:00.000Z'));
    const store = await ctx.restart();
    expect(await store.feedback.list(null, 10)).toHaveLength(1);
  });
};

const checklist = (id: string, over: Partial<Checklist> = {}): Checklist => ({
  id,
  procedureCode: '1.001193',
  procedureName: 'Thủ tục đăng ký khai sinh',
  caseName: null,
  items: [
    { name: 'Tờ khai đăng ký khai sinh', answer: 'yes', originals: 1, copies: 0, note: null },
    { name: 'Giấy chứng sinh', answer: 'no', originals: 1, copies: 0, note: 'Bệnh viện cấp' },
  ],
  forSomeoneElse: false,
  createdAt: '2026-11-20T02:00:00.000Z',
  ...over,
});

export const checklistsContract: ContractSuite = (ctx) => {
  it('returns a saved checklist exactly, and null for an unknown id', async () => {
    await ctx.store.checklists.save(checklist('c1'));
    expect(await ctx.store.checklists.get('c1')).toEqual(checklist('c1'));
    expect(await ctx.store.checklists.get('c2')).toBeNull();
  });

  it('saving the same id again replaces it', async () => {
    await ctx.store.checklists.save(checklist('c1'));
    await ctx.store.checklists.save(checklist('c1', { forSomeoneElse: true, caseName: 'Trường hợp cha mẹ chưa đăng ký kết hôn' }));
    expect(await ctx.store.checklists.get('c1')).toEqual(checklist('c1', { forSomeoneElse: true, caseName: 'Trường hợp cha mẹ chưa đăng ký kết hôn' }));
  });

  it('keeps checklists across a restart', async () => {
    await ctx.store.checklists.save(checklist('c1'));
    const store = await ctx.restart();
    expect(await store.checklists.get('c1')).toEqual(checklist('c1'));
  });
};
