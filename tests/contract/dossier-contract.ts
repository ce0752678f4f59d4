/** Contract of dossiers and of the outbox of notifications that their changes leave. */
import type { Dossier } from '../../src/domain/dossier/dossier';
import type { Notification } from '../../src/store/types';
import type { ContractSuite } from './harness';

const dossier = (code: string, over: Partial<Dossier> = {}): Dossier => ({
  code,
  procedureCode: '1.004222',
  procedureName: 'Đăng ký thường trú',
  branchId: 'b-1',
  applicant: { name: 'Lê Văn Cường', phone: '0912345678', idNumber: '001090012345', notify: null },
  receivedDate: '2026-11-20',
  processingDays: 7,
  dueDate: '2026-12-01',
  status: 'received',
  timeline: [{ at: '2026-11-20T02:00:00.000Z', status: 'received', note: 'Tiếp nhận hồ sơ', by: 'Cán bộ A' }],
  supplements: [],
  apology: null,
  resultReadyDate: null,
  sample: false,
  createdAt: '2026-11-20T02:00:00.000Z',
  ...over,
});

export const dossiersContract: ContractSuite = (ctx) => {
  it('inserts a dossier once, refuses its code again, and returns it exactly', async () => {
    const d = dossier('HN-261120-0001');
    expect(await ctx.store.dossiers.insert(d)).toBe('inserted');
    expect(await ctx.store.dossiers.insert(dossier('HN-261120-0001', { branchId: 'b-2' }))).toBe('duplicate_code');
    expect(await ctx.store.dossiers.get('HN-261120-0001')).toEqual(d);
    expect(await ctx.store.dossiers.get('HN-261120-0002')).toBeNull();
  });

  it('sets fields and appends to the timeline and supplements in one change', async () => {
    await ctx.store.dossiers.insert(dossier('HN-261120-0001'));
    const event = { at: '2026-11-21T02:00:00.000Z', status: 'supplement_requested' as const, note: 'Yêu cầu bổ sung', by: 'Cán bộ B' };
    const supplement = { at: '2026-11-21T02:00:00.000Z', documents: ['Hợp đồng thuê nhà'], reason: 'Bản chụp', resolvedAt: null };
    const updated = await ctx.store.dossiers.update('HN-261120-0001', { set: { status: 'supplement_requested' }, push: { timeline: event, supplements: supplement } });
    expect(updated).toMatchObject({ status: 'supplement_requested', supplements: [supplement] });
    expect(updated!.timeline).toHaveLength(2);
    expect(updated!.timeline[1]).toEqual(event);
    expect(await ctx.store.dossiers.get('HN-261120-0001')).toEqual(updated);
    expect(await ctx.store.dossiers.update('HN-261120-0001', {})).toEqual(updated);
    expect(await ctx.store.dossiers.update('HN-261120-0999', { set: { status: 'resolved' } })).toBeNull();
    expect(await ctx.store.dossiers.get('HN-261120-0999')).toBeNull();
  });

  it('loses no appended event when officers change a dossier at the same time', async () => {
    await ctx.store.dossiers.insert(dossier('HN-261120-0001'));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ctx.store.dossiers.update('HN-261120-0001', { push: { timeline: { at: `2026-11-21T02:00:${String(i).padStart(2, '0')}.000Z`, status: 'in_review', note: `ghi chú ${i}`, by: 'Cán bộ' } } }),
      ),
    );
    const notes = (await ctx.store.dossiers.get('HN-261120-0001'))!.timeline.map((e) => e.note);
    expect(notes).toHaveLength(21);
    expect(new Set(notes).size).toBe(21);
  });

  it('lists the newest first, by branch, up to the limit', async () => {
    await ctx.store.dossiers.insert(dossier('HN-261120-0001', { createdAt: '2026-11-20T02:00:00.000Z' }));
    await ctx.store.dossiers.insert(dossier('HN-261120-0002', { createdAt: '2026-11-20T04:00:00.000Z', branchId: 'b-2' }));
    await ctx.store.dossiers.insert(dossier('HN-261120-0003', { createdAt: '2026-11-20T03:00:00.000Z' }));
    expect((await ctx.store.dossiers.list({ limit: 10 })).map((d) => d.code)).toEqual(['HN-261120-0002', 'HN-261120-0003', 'HN-261120-0001']);
    expect((await ctx.store.dossiers.list({ branchId: 'b-1', limit: 10 })).map((d) => d.code)).toEqual(['HN-261120-0003', 'HN-261120-0001']);
    expect((await ctx.store.dossiers.list({ limit: 1 })).map((d) => d.code)).toEqual(['HN-261120-0002']);
    expect((await ctx.store.dossiers.list({ limit: 1 }))[0]).toEqual(dossier('HN-261120-0002', { createdAt: '2026-11-20T04:00:00.000Z', branchId: 'b-2' }));
  });

  it('keeps dossiers and their changes across a restart', async () => {
    await ctx.store.dossiers.insert(dossier('HN-261120-0001'));
    await ctx.store.dossiers.update('HN-261120-0001', { set: { status: 'resolved', resultReadyDate: '2026-11-25' } });
    const store = await ctx.restart();
    expect(await store.dossiers.get('HN-261120-0001')).toMatchObject({ status: 'resolved', resultReadyDate: '2026-11-25' });
    expect(await store.dossiers.insert(dossier('HN-261120-0001'))).toBe('duplicate_code');
  });
};

const note = (id: string, over: Partial<Notification> = {}): Notification => ({
  id,
  recipient: { phone: '0912345678', channel: 'zalo', address: 'zalo-user-1' },
  kind: 'supplement_requested',
  text: 'Hồ sơ HN-261120-0001 cần bổ sung: Hợp đồng thuê nhà.',
  ref: 'HN-261120-0001',
  createdAt: '2026-11-20T02:00:00.000Z',
  deliveredAt: null,
  ...over,
});

export const outboxContract: ContractSuite = (ctx) => {
  it('gives a channel its pending notifications, oldest first, up to the limit', async () => {
    await ctx.store.outbox.enqueue(note('n3', { createdAt: '2026-11-20T03:00:00.000Z' }));
    await ctx.store.outbox.enqueue(note('n1', { createdAt: '2026-11-20T01:00:00.000Z' }));
    await ctx.store.outbox.enqueue(note('n2', { createdAt: '2026-11-20T02:00:00.000Z' }));
    await ctx.store.outbox.enqueue(note('web', { recipient: { phone: '0912345678', channel: 'directline', address: 'u-1' } }));
    await ctx.store.outbox.enqueue(note('none', { recipient: { phone: '0912345678', channel: null, address: null } }));
    expect((await ctx.store.outbox.pending('zalo', 10)).map((n) => n.id)).toEqual(['n1', 'n2', 'n3']);
    expect((await ctx.store.outbox.pending('zalo', 2)).map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(await ctx.store.outbox.pending('directline', 10)).toEqual([note('web', { recipient: { phone: '0912345678', channel: 'directline', address: 'u-1' } })]);
    expect(await ctx.store.outbox.pending('teams', 10)).toEqual([]);
  });

  it('a notification enqueued with no failure (null) is pending like one without the field', async () => {
    await ctx.store.outbox.enqueue(note('n-null', { failure: null }));
    await ctx.store.outbox.enqueue(note('n-absent', { createdAt: '2026-11-20T03:00:00.000Z' }));
    expect((await ctx.store.outbox.pending('zalo', 10)).map((n) => n.id)).toEqual(['n-null', 'n-absent']);
    await ctx.store.outbox.markFailed('n-null', 'người dùng không còn theo dõi');
    expect((await ctx.store.outbox.pending('zalo', 10)).map((n) => n.id)).toEqual(['n-absent']);
  });

  it('delivered and failed notifications leave the queue but stay visible by reference', async () => {
    await ctx.store.outbox.enqueue(note('n1', { createdAt: '2026-11-20T01:00:00.000Z' }));
    await ctx.store.outbox.enqueue(note('n2', { createdAt: '2026-11-20T02:00:00.000Z' }));
    await ctx.store.outbox.enqueue(note('n3', { createdAt: '2026-11-20T03:00:00.000Z', ref: 'HN-261120-0002' }));
    await ctx.store.outbox.markDelivered('n1', '2026-11-20T05:00:00.000Z');
    await ctx.store.outbox.markFailed('n2', 'ngoài thời hạn nhắn tin');
    expect((await ctx.store.outbox.pending('zalo', 10)).map((n) => n.id)).toEqual(['n3']);
    const forRef = await ctx.store.outbox.forRef('HN-261120-0001');
    expect(forRef).toEqual([note('n1', { createdAt: '2026-11-20T01:00:00.000Z', deliveredAt: '2026-11-20T05:00:00.000Z' }), note('n2', { createdAt: '2026-11-20T02:00:00.000Z', failure: 'ngoài thời hạn nhắn tin' })]);
    expect(await ctx.store.outbox.forRef('HN-000000-0000')).toEqual([]);
  });

  it('marking a notification that does not exist changes nothing', async () => {
    await ctx.store.outbox.enqueue(note('n1'));
    await ctx.store.outbox.markDelivered('n-none', '2026-11-20T05:00:00.000Z');
    await ctx.store.outbox.markFailed('n-none', 'không rõ');
    expect(await ctx.store.outbox.pending('zalo', 10)).toEqual([note('n1')]);
  });

  it('claims a keyed notification once, even when two claims race', async () => {
    const reminder = (id: string) =>
      note(id, { kind: 'booking_reminder', ref: 'K7M2QX9P', dedupeKey: 'reminder|K7M2QX9P|2026-11-24T09:00:00+07:00|1h' }) as Notification & { dedupeKey: string };
    const outcomes = await Promise.all([ctx.store.outbox.claim(reminder('r1')), ctx.store.outbox.claim(reminder('r2'))]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await ctx.store.outbox.claim(reminder('r3'))).toBe(false);
    expect(await ctx.store.outbox.forRef('K7M2QX9P')).toHaveLength(1);
    // Another offset or time is another reminder; notifications without a key never collide.
    expect(await ctx.store.outbox.claim({ ...reminder('r4'), dedupeKey: 'reminder|K7M2QX9P|2026-11-24T09:00:00+07:00|1d' })).toBe(true);
    await ctx.store.outbox.enqueue(note('plain-1'));
    await ctx.store.outbox.enqueue(note('plain-2'));
    const winner = outcomes[0] ? 'r1' : 'r2';
    expect((await ctx.store.outbox.pending('zalo', 10)).map((n) => n.id).sort()).toEqual(['plain-1', 'plain-2', winner, 'r4'].sort());
  });

  it('gives the notifications without a channel (phone only) and records how one was delivered', async () => {
    await ctx.store.outbox.enqueue(note('phone-only', { recipient: { phone: '0912345678', channel: null, address: null } }));
    await ctx.store.outbox.enqueue(note('zalo-1'));
    expect((await ctx.store.outbox.pending(null, 10)).map((n) => n.id)).toEqual(['phone-only']);
    await ctx.store.outbox.markDelivered('phone-only', '2026-11-20T05:00:00.000Z', 'zns');
    expect(await ctx.store.outbox.pending(null, 10)).toEqual([]);
    expect((await ctx.store.outbox.forRef('HN-261120-0001')).find((n) => n.id === 'phone-only')).toMatchObject({ deliveredVia: 'zns', deliveredAt: '2026-11-20T05:00:00.000Z' });
  });

  it('lets one of two racing senders take a notification, until it is delivered, given up or let go', async () => {
    const t0 = '2026-11-20T05:00:00.000Z';
    const lease = '2026-11-20T05:05:00.000Z';
    await ctx.store.outbox.enqueue(note('n1'));
    await ctx.store.outbox.enqueue(note('n2', { createdAt: '2026-11-20T03:00:00.000Z' }));
    const takes = await Promise.all(Array.from({ length: 8 }, () => ctx.store.outbox.take('n1', t0, lease)));
    expect(takes.filter(Boolean)).toHaveLength(1);
    // While taken it is not offered to other senders (but still pending for a caller that asks without a time).
    expect((await ctx.store.outbox.pending('zalo', 10, t0)).map((n) => n.id)).toEqual(['n2']);
    expect((await ctx.store.outbox.pending('zalo', 10)).map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(await ctx.store.outbox.take('n1', '2026-11-20T05:04:59.999Z', '2026-11-20T05:09:59.999Z')).toBe(false);
    // A sender that crashed holds it no longer than its lease: then another takes it.
    expect((await ctx.store.outbox.pending('zalo', 10, lease)).map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(await ctx.store.outbox.take('n1', lease, '2026-11-20T05:10:00.000Z')).toBe(true);
    // Let go after a transient failure: the next poll takes it at once.
    await ctx.store.outbox.release('n1');
    expect(await ctx.store.outbox.take('n1', '2026-11-20T05:06:00.000Z', '2026-11-20T05:11:00.000Z')).toBe(true);
    await ctx.store.outbox.markDelivered('n1', '2026-11-20T05:06:01.000Z');
    expect(await ctx.store.outbox.take('n1', '2026-11-20T06:00:00.000Z', '2026-11-20T06:05:00.000Z')).toBe(false);
    expect((await ctx.store.outbox.forRef('HN-261120-0001')).find((n) => n.id === 'n1')).toEqual(note('n1', { deliveredAt: '2026-11-20T05:06:01.000Z' }));
    expect(await ctx.store.outbox.take('n2', t0, lease)).toBe(true);
    await ctx.store.outbox.markFailed('n2', 'not_follower');
    expect(await ctx.store.outbox.take('n2', '2026-11-20T06:00:00.000Z', '2026-11-20T06:05:00.000Z')).toBe(false);
    expect(await ctx.store.outbox.take('n-none', t0, lease)).toBe(false);
  });

  it('keeps a taken notification taken across a restart', async () => {
    await ctx.store.outbox.enqueue(note('n1'));
    expect(await ctx.store.outbox.take('n1', '2026-11-20T05:00:00.000Z', '2026-11-20T05:05:00.000Z')).toBe(true);
    const store = await ctx.restart();
    expect(await store.outbox.take('n1', '2026-11-20T05:01:00.000Z', '2026-11-20T05:06:00.000Z')).toBe(false);
    expect(await store.outbox.take('n1', '2026-11-20T05:05:00.000Z', '2026-11-20T05:10:00.000Z')).toBe(true);
  });

  it('keeps the queue across a restart', async () => {
    await ctx.store.outbox.enqueue(note('n1'));
    await ctx.store.outbox.enqueue(note('n2'));
    await ctx.store.outbox.markDelivered('n1', '2026-11-20T05:00:00.000Z');
    const store = await ctx.restart();
    expect((await store.outbox.pending('zalo', 10)).map((n) => n.id)).toEqual(['n2']);
    expect(await store.outbox.forRef('HN-261120-0001')).toHaveLength(2);
  });
};
