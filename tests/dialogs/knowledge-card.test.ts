import { TestAdapter, type Activity } from 'botbuilder';
import { fixedClock } from '../../src/domain/calendar/clock';
import { useDialogTestApp } from '../app-helpers';

/** What a citizen reads about audited procedures (knowledge audit 2026-12), through the bot and the API. */
const clock = fixedClock('2026-11-23T00:00:00Z');
const testApp = useDialogTestApp(clock);

async function ask(text: string): Promise<string> {
  const user = `user-${Math.random().toString(36).slice(2)}`;
  const adapter = new TestAdapter(async (context) => testApp().bot.run(context), { from: { id: user, name: user }, conversation: { id: `conv-${user}` } as never, channelId: 'test' } as never);
  await adapter.receiveActivity(text);
  return adapter.activeQueue.splice(0).map((r: Partial<Activity>) => r.text ?? '').join('\n');
}

describe('the procedure card after the audit corrections', () => {
  it('death registration: the current commune body, the same day, free within 15 days and the level of the HĐND after (no bare "Miễn phí"), unverified facts marked', async () => {
    const card = await ask('đăng ký khai tử');
    expect(card).toMatch(/mã 1\.000656/);
    expect(card).toMatch(/Cơ quan giải quyết: Ủy ban nhân dân cấp xã/);
    expect(card).not.toMatch(/thị trấn/);
    expect(card).toMatch(/Thời hạn: Ngay trong ngày/);
    expect(card).toMatch(/Phí, lệ phí: Miễn lệ phí khi đăng ký trong 15 ngày kể từ ngày chết .*; quá hạn: theo mức Hội đồng nhân dân thành phố/);
    expect(card).not.toMatch(/Miễn phí/);
    expect(card).toMatch(/Thời hạn: .*_\(chưa xác minh\)_/);
    expect(card).toMatch(/Nguồn: \[.*\]\(https:\/\/dichvucong\.gov\.vn\/thu-tuc-hanh-chinh\/019d2bfd-3fac-7489-b53b-9c6c958f2da4\)/);
  });

  it('the API gives the record with the fee not stated, the portal page and where the copy came from', async () => {
    const res = await fetch(`${testApp().url}/api/procedures/2.000806`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.fees.length).toBeGreaterThan(0);
    expect(body.fees.every((f: { amountVnd: number | null }) => f.amountVnd === null)).toBe(true);
    expect(body.verified).toBe(false);
    expect(body.source.url).toMatch(/^https:\/\/dichvucong\.gov\.vn\/thu-tuc-hanh-chinh\//);
    expect(body.source.copiedFrom.url).toMatch(/^https:\/\/github\.com\/VoidKeishi\/OpenGOV\/blob\//);
  });
});
