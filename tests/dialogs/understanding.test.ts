/**
 * How the assistant understands people (issue 13), dialog by dialog through botbuilder-testing's
 * DialogTestClient over the real main dialog and services (real app, embedded store, fixed clock).
 */
import { AutoSaveStateMiddleware, ConversationState, MemoryStorage, UserState, type Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { fixedClock } from '../../src/domain/calendar/clock';
import { MainDialog } from '../../dialogs/mainDialog';
import type { OfficerSession, Profile } from '../../dialogs/dialogServices';
import { useDialogTestApp } from '../app-helpers';

// Tuesday 01/12/2026, 08:30 in Hanoi: a working-day morning.
const clock = fixedClock('2026-12-01T01:30:00Z');
const testApp = useDialogTestApp(clock);

/** A new citizen talking to the main dialog; each call returns the replies to one message. */
function citizen() {
  const storage = new MemoryStorage();
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const dialog = new MainDialog(testApp().dialogServices, userState.createProperty<Profile>('profile'), conversationState.createProperty<OfficerSession | undefined>('officerSession'));
  const client = new DialogTestClient('test', dialog, undefined, [new AutoSaveStateMiddleware(userState)], conversationState);
  return async (text: string) => {
    const replies: Partial<Activity>[] = [];
    let reply = await client.sendActivity(text);
    while (reply) {
      replies.push(reply);
      reply = client.getNextReply();
    }
    return {
      text: replies.map((r) => r.text ?? '').join('\n'),
      buttons: replies.at(-1)?.suggestedActions?.actions.map((a) => String(a.title)) ?? [],
    };
  };
}

describe('polite openers never pick a task by themselves', () => {
  it.each(['cho hỏi làm hộ chiếu', 'hỏi làm hộ chiếu', 'em xin hỏi làm hộ chiếu', 'dạ cho cháu hỏi làm hộ chiếu', 'xin cấp hộ chiếu'])('"%s" finds the passport procedure', async (question) => {
    const say = citizen();
    const reply = await say(question);
    expect(reply.text).toMatch(/hộ chiếu/i);
    expect(reply.text).not.toMatch(/chấm điểm|Xin chào! Tôi là trợ lý/);
  });
});

describe('follow-ups about the procedure just shown', () => {
  it('answers fee, time, place and online from that record, one short reply each, without a new search', async () => {
    const say = citizen();
    expect((await say('đăng ký kết hôn')).text).toMatch(/mã 1\.000894/);
    for (const [question, fact] of [
      ['lệ phí bao nhiêu?', /phí, lệ phí/],
      ['mất bao lâu?', /thời hạn giải quyết/],
      ['nộp ở đâu?', /nộp tại/],
      ['có làm online được không?', /trực tuyến|chỉ nộp trực tiếp|Chưa có thông tin chính thức/],
    ] as const) {
      const reply = await say(question);
      expect(reply.text).toMatch(/\(mã 1\.000894\):/);
      expect(reply.text).toMatch(fact);
      expect(reply.text).not.toMatch(/Ông\/bà hỏi về thủ tục nào/);
      expect(reply.text.split('\n').length).toBeLessThanOrEqual(3);
    }
  });
});

describe('changing topic at any step', () => {
  it('leaves the booking for "thôi, cho hỏi làm hộ chiếu" and answers it', async () => {
    const say = citizen();
    expect((await say('đặt lịch đăng ký kết hôn')).text).toMatch(/chi nhánh nào/);
    const reply = await say('thôi, cho hỏi làm hộ chiếu');
    expect(reply.text).toMatch(/hộ chiếu/i);
    expect(reply.text).not.toMatch(/Xin chọn|chi nhánh nào/);
  });

  it('answers a side question at the date step and asks for the date again', async () => {
    const say = citizen();
    await say('đặt lịch đăng ký kết hôn');
    expect((await say('Hà Đông')).text).toMatch(/ngày nào/);
    const reply = await say('à mà trung tâm làm việc mấy giờ?');
    expect(reply.text).toMatch(/08:00/);
    expect(reply.text).toMatch(/ngày nào/);
  });

  it('refuses an off-topic question politely in the middle of a task, then goes on', async () => {
    const say = citizen();
    await say('đặt lịch đăng ký kết hôn');
    await say('Hà Đông');
    const reply = await say('à mà bạn biết quán bún chả nào ngon không');
    expect(reply.text).toMatch(/chỉ hỗ trợ thủ tục hành chính/);
    expect(reply.text).toMatch(/ngày nào/);
  });
});

describe('complaints in plain words', () => {
  it('records a broker asking money with a reference, warns, gives the hotline and asks how to answer', async () => {
    const say = citizen();
    const reply = await say('có người đứng ngoài cổng tự xưng là cò, đòi tôi 2 triệu để làm sổ đỏ nhanh, như vậy có đúng không?');
    const reference = /PA-\d{6}-\d{4}/.exec(reply.text)?.[0];
    expect(reference).toBeDefined();
    expect(reply.text).toMatch(/không đưa tiền/);
    expect(reply.text).toMatch(/đường dây nóng/);
    expect(reply.text).toMatch(/số điện thoại hoặc email/);
    const contact = await say('0912345678');
    expect(contact.text).toContain(reference!);
    const stored = await testApp().dialogServices.feedback.list('complaint', 50);
    expect(stored.some((f) => f.text.includes('tự xưng là cò'))).toBe(true);
    expect(stored.some((f) => f.text.includes(reference!) && f.text.includes('0912345678'))).toBe(true);
  });

  it.each(['cán bộ quầy số 3 thái độ rất hách dịch, quát tháo người dân', 'hồ sơ của tôi bị trả về 3 lần, lần nào cũng thiếu một thứ khác'])('understands "%s" as a complaint', async (text) => {
    const reply = await citizen()(text);
    expect(reply.text).toMatch(/PA-\d{6}-\d{4}/);
    expect(reply.text).not.toMatch(/chưa hiểu|chấm điểm/);
  });
});

describe('hand-over to an officer', () => {
  it('asks for a phone before promising a call, and keeps the promise to what it can do', async () => {
    const say = citizen();
    expect((await say('tôi muốn nói chuyện với người thật')).text).toMatch(/cán bộ/);
    expect((await say('hỏi về sổ đỏ đứng tên bố đã mất')).text).toMatch(/số điện thoại/);
    const done = await say('số tôi là 0987 001 122');
    expect(done.text).toMatch(/HT-\d{6}-\d{4}/);
    expect(done.text).toMatch(/0987001122/);
  });

  it('without a phone, says the officer cannot call back and gives the hotline', async () => {
    const say = citizen();
    await say('Gặp cán bộ');
    await say('hỏi về sổ đỏ');
    const done = await say('Không');
    expect(done.text).toMatch(/không gọi lại được/);
    expect(done.text).toMatch(/đường dây nóng/);
  });
});

describe('centre questions from the branch data', () => {
  it('lists the branches with their addresses and answers opening hours', async () => {
    const say = citizen();
    const list = await say('trung tâm có những chi nhánh nào');
    expect(list.text).toMatch(/1 Tràng Tiền/);
    expect(list.text).toMatch(/2 Quang Trung/);
    expect((await say('thứ bảy có làm việc không')).text).toMatch(/Thứ Bảy 08:00–12:00/);
    expect((await say('chi nhánh Hà Đông ở đâu')).text).toMatch(/2 Quang Trung/);
  });
});

describe('language and format', () => {
  it('answers an English question in both languages', async () => {
    const reply = await citizen()('Can I book an appointment to get a passport?');
    expect(reply.text).toMatch(/I answer in Vietnamese/);
    expect(reply.text).toMatch(/chi nhánh nào/);
  });

  it('shows no internal names and no 90-word button titles in a procedure choice', async () => {
    const reply = await citizen()('lam the can cuoc');
    expect(reply.text).not.toMatch(/undefined|documentCases|onlineLevel/);
    for (const b of reply.buttons) expect(b.length).toBeLessThanOrEqual(100);
  });
});

describe('dossier status', () => {
  it('asks the proof again after a wrong one, keeping the code', async () => {
    const say = citizen();
    expect((await say('tra cứu hồ sơ MAU-000000-0003')).text).toMatch(/4 số cuối/);
    const wrong = await say('9999');
    expect(wrong.text).toMatch(/Không tìm thấy/);
    expect(wrong.text).toMatch(/MAU-000000-0003: để xác minh/);
    expect((await say('0003')).text).toMatch(/bổ sung/i);
  });
});

describe('the documents check, from what the person says of their papers', () => {
  it('records papers named before the check and asks only the others', async () => {
    const say = citizen();
    await say('đăng ký kết hôn');
    const start = await say('em có cccd rồi, tờ khai thì chưa có');
    expect(start.text).toMatch(/Đã ghi: đã có — Hộ chiếu[^;]*; chưa có — Tờ khai/);
    expect(start.text).not.toMatch(/Ông\/bà đã có: \*\*(Tờ khai|Hộ chiếu)/);
    const verdict = await say('tóm lại còn thiếu gì');
    expect(verdict.text).toMatch(/Còn thiếu \(1\):\*\*\n- Tờ khai đăng ký kết hôn/);
    expect(verdict.text).toMatch(/Đã có: 1 giấy tờ/);
  });

  it('keeps a statement made at the case question, asks the case again, then applies it', async () => {
    const say = citizen();
    await say('đăng ký thường trú');
    expect((await say('kiểm tra giấy tờ')).text).toMatch(/Trường hợp nào/);
    const again = await say('có cccd rồi, chưa có tờ khai');
    expect(again.text).toMatch(/Xin chọn một trường hợp/);
    expect((await say('1')).text).toMatch(/Đã ghi: chưa có — Tờ khai thay đổi thông tin cư trú/);
  });

  it('takes a case in the words that tell it apart', async () => {
    const say = citizen();
    await say('đăng ký thường trú');
    await say('kiểm tra giấy tờ');
    expect((await say('em ở thuê')).text).toMatch(/Ông\/bà đã có: \*\*Hợp đồng, văn bản về việc cho thuê/);
  });

  it('answers whether a photocopy will do from the official list, naming the paper', async () => {
    const say = citizen();
    await say('đăng ký kết hôn');
    const reply = await say('cccd chỉ có bản photo thôi có được không');
    expect(reply.text).toMatch(/\(mã 1\.000894\): Hộ chiếu/);
    expect(reply.text).toMatch(/bản chính/);
  });
});
