/**
 * The booking dialogs on their own (botbuilder-testing's DialogTestClient, real services and store),
 * and a turn that throws, over Direct Line as a user reaches it.
 */
import { MemoryStorage, UserState, type Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { fixedClock } from '../../src/domain/calendar/clock';
import { centreProfile } from '../../src/domain/centre/centre';
import { BookingDialog } from '../../dialogs/bookingDialog';
import { ManageBookingDialog } from '../../dialogs/manageBookingDialog';
import type { Profile } from '../../dialogs/dialogServices';
import { api, useDialogTestApp } from '../app-helpers';

// Monday 23/11/2026, 07:00 in Hanoi.
const clock = fixedClock('2026-11-23T00:00:00Z');
const testApp = useDialogTestApp(clock);

const profile = () => new UserState(new MemoryStorage()).createProperty<Profile>('profile');

/** Sends a message and collects every reply of the turn. */
async function talk(client: DialogTestClient, text: string): Promise<Partial<Activity>[]> {
  const replies: Partial<Activity>[] = [];
  let reply = await client.sendActivity(text);
  while (reply) {
    replies.push(reply);
    reply = client.getNextReply();
  }
  return replies;
}
const texts = (replies: Partial<Activity>[]) => replies.map((r) => r.text ?? '').join('\n');
const buttons = (replies: Partial<Activity>[]) => replies.flatMap((r) => r.suggestedActions?.actions.map((a) => String(a.title)) ?? []);

describe('booking dialog', () => {
  it('books an offered alternative time after "slot full" (it used to throw on every tap)', async () => {
    const client = new DialogTestClient('test', new BookingDialog(testApp().dialogServices, profile()), { procedureCode: '1.001193' });
    expect(texts(await talk(client, 'đặt lịch'))).toMatch(/chi nhánh nào/);
    await talk(client, 'hoan kiem');
    await talk(client, 'Ngày mai 24/11');
    await talk(client, '14h');
    await talk(client, 'Phan Thị Chờ');
    expect(buttons(await talk(client, '0911000333'))).toEqual(['Đồng ý', 'Không']);
    for (const phone of ['0911000444', '0911000555']) {
      await testApp().bookings.book({ procedureCode: '1.001193', branchId: 'test-a', start: '2026-11-24T14:00:00+07:00', name: 'Người khác', phone }, 'test');
    }
    const full = await talk(client, 'Đồng ý');
    expect(texts(full)).toMatch(/đã kín chỗ/);
    const alternative = buttons(full)[0];
    expect(alternative).toMatch(/^\d\d:\d\d \d\d\/\d\d$/);

    const booked = await talk(client, alternative);
    expect(texts(booked)).toMatch(/Đã đặt lịch/);
    expect(client.dialogTurnResult.status).toBe('complete');
    const code = client.dialogTurnResult.result as string;
    const booking = await testApp().bookings.get(code, '0911000333', 'test');
    expect(booking.start.slice(11, 16)).toBe(alternative.slice(0, 5));
  });
});

describe('managing a booking in the chat', () => {
  it('locks a code after 5 wrong phones, and says so politely', async () => {
    const { booking } = await testApp().bookings.book(
      { procedureCode: '1.001193', branchId: 'test-a', start: '2026-11-25T09:00:00+07:00', name: 'Lê Thị Chủ', phone: '0987111222' },
      'test',
    );
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const client = new DialogTestClient('test', new ManageBookingDialog(testApp().dialogServices, profile()), { bookingCode: booking.code });
      await talk(client, 'đổi lịch');
      answers.push(texts(await talk(client, `098700000${i}`)));
    }
    expect(answers.slice(0, 5).every((a) => /Không tìm thấy lịch hẹn/.test(a))).toBe(true);
    expect(answers[5]).toMatch(/tạm khóa tra cứu/);
    const owner = new DialogTestClient('test', new ManageBookingDialog(testApp().dialogServices, profile()), { bookingCode: booking.code });
    await talk(owner, 'đổi lịch');
    expect(texts(await talk(owner, '0987111222'))).toMatch(/tạm khóa tra cứu/); // the short lock applies to everyone
    clock.set('2026-11-23T01:00:00Z');
    try {
      const later = new DialogTestClient('test', new ManageBookingDialog(testApp().dialogServices, profile()), { bookingCode: booking.code });
      await talk(later, 'đổi lịch');
      expect(buttons(await talk(later, '0987111222'))).toEqual(['Hủy lịch', 'Đổi giờ', 'Giữ nguyên']);
    } finally {
      clock.set('2026-11-23T00:00:00Z');
    }
  });
});

describe('a turn that throws', () => {
  it('apologises and clears the conversation, so the next message starts clean', async () => {
    const token = (await api(testApp(), 'POST', '/v3/directline/tokens/generate')).body.token;
    const auth = { authorization: `Bearer ${token}` };
    const { conversationId: id } = (await api(testApp(), 'POST', '/v3/directline/conversations', undefined, auth)).body;
    let watermark = (await api(testApp(), 'GET', `/v3/directline/conversations/${id}/activities`, undefined, auth)).body.watermark;
    const say = async (text: string): Promise<string> => {
      await api(testApp(), 'POST', `/v3/directline/conversations/${id}/activities`, { type: 'message', from: { id: 'citizen-1' }, text }, auth);
      const next = await api(testApp(), 'GET', `/v3/directline/conversations/${id}/activities?watermark=${watermark}`, undefined, auth);
      watermark = next.body.watermark;
      return next.body.activities.filter((a: { from: { id: string } }) => a.from.id !== 'citizen-1').map((a: { text?: string }) => a.text ?? '').join('\n');
    };
    for (const text of ['đăng ký khai sinh', 'Đặt lịch', 'hoan kiem', 'Ngày mai 24/11', '15h', 'Trần Văn Lỗi']) await say(text);
    expect(await say('0911000777')).toMatch(/Xác nhận đặt lịch/);

    const book = testApp().bookings.book;
    testApp().bookings.book = () => Promise.reject(new Error('a step that throws'));
    try {
      expect(await say('Đồng ý')).toMatch(/tạm thời gián đoạn/);
    } finally {
      testApp().bookings.book = book;
    }
    const next = await say('xin chào');
    expect(next).toMatch(/Xin chào! Tôi là trợ lý Một Cửa/);
    expect(next).not.toMatch(/Xác nhận đặt lịch|gián đoạn/);
  });
});

describe('booking a commune-level procedure', () => {
  it('offers the commune points that book it, never a city branch', async () => {
    // test-b stands for a commune point of the centre: birth registration (UBND cấp xã) is offered there only.
    const centre = { ...centreProfile(null), communePointIds: ['test-b'] };
    const client = new DialogTestClient('test', new BookingDialog({ ...testApp().dialogServices, centre }, profile()), { procedureCode: '1.001193' });
    const offer = await talk(client, 'đặt lịch');
    // Birth registration is filed where one lives: the points are offered, with no "any" button.
    expect(texts(offer)).toMatch(/nộp tại xã, phường nơi ông\/bà cư trú/);
    expect(buttons(offer)).toContain('Chi nhánh thử B');
    expect(buttons(offer)).not.toContain('Chi nhánh thử A');
    expect(buttons(offer)).not.toContain('Chi nhánh nào cũng được');
    expect(texts(await talk(client, 'Chi nhánh thử B'))).toMatch(/Chi nhánh thử B, 2 Quang Trung/);
  });

  it('without a commune point that books it, says where commune-level procedures are filed', async () => {
    const centre = { ...centreProfile(null), communePointIds: ['test-x'] };
    const client = new DialogTestClient('test', new BookingDialog({ ...testApp().dialogServices, centre }, profile()), { procedureCode: '1.001193' });
    const reply = texts(await talk(client, 'đặt lịch'));
    expect(reply).toMatch(/Ủy ban nhân dân xã, phường nơi mình cư trú/);
    expect(reply).not.toMatch(/chi nhánh nào/);
    expect(client.dialogTurnResult.status).toBe('complete');
  });
});
