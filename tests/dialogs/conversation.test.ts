import { TestAdapter, type Activity } from 'botbuilder';
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { createOfficerToken } from '../../src/services/officer-auth';
import { startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

// Monday 23/11/2026, 07:00 in Hanoi.
const clock = fixedClock('2026-11-23T00:00:00Z');
const data = tempDir();
const knowledge = tempDir();
let app: App;

beforeAll(async () => {
  writeTestKnowledge(knowledge.path);
  app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 10_000 }, undefined, clock);
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});

/** A conversation with the whole bot (all dialogs, state in the embedded store). */
function conversation(user = `user-${Math.random().toString(36).slice(2)}`) {
  const adapter = new TestAdapter(async (context) => app.bot.run(context), { from: { id: user, name: user }, conversation: { id: `conv-${user}` } as never, channelId: 'test' } as never);
  const talk = async (text: string): Promise<Partial<Activity>[]> => {
    await adapter.receiveActivity(text);
    return adapter.activeQueue.splice(0);
  };
  return { adapter, talk };
}

const texts = (replies: Partial<Activity>[]) => replies.map((r) => r.text ?? '').join('\n');
const buttons = (replies: Partial<Activity>[]) => replies.flatMap((r) => r.suggestedActions?.actions.map((a) => String(a.title)) ?? []);

describe('finding a procedure', () => {
  it('answers an everyday question without diacritics with the official facts and next steps', async () => {
    const { talk } = conversation();
    const replies = await talk('lam giay khai sinh cho con');
    expect(texts(replies)).toMatch(/Thủ tục đăng ký khai sinh\*\* \(mã 1\.001193\)/);
    expect(texts(replies)).toMatch(/Cơ quan giải quyết: Ủy ban nhân dân cấp xã/);
    expect(buttons(replies)).toEqual(expect.arrayContaining(['Kiểm tra giấy tờ', 'Đặt lịch']));
  });

  it('says honestly when nothing matches, and logs the question for the knowledge team', async () => {
    const { talk } = conversation();
    const replies = await talk('thủ tục quvexi ở phường');
    expect(texts(replies)).toMatch(/chưa trả lời được|chưa tìm thấy/);
    expect(buttons(replies)).toContain('Gặp cán bộ');
    const unanswered = await app.dialogServices.feedback.list('unanswered', 10);
    expect(unanswered.some((u) => u.text === 'thủ tục quvexi ở phường')).toBe(true);
  });

  it('refuses an off-topic question politely, saying what it does (not "chưa hiểu")', async () => {
    const { talk } = conversation();
    const replies = await talk('giá vàng hôm nay bao nhiêu');
    expect(texts(replies)).toMatch(/chỉ hỗ trợ thủ tục hành chính/);
    expect(texts(replies)).not.toMatch(/chưa hiểu/);
    expect(buttons(replies)).toContain('Gặp cán bộ');
  });
});

describe('checking documents', () => {
  it('goes through the documents one by one, skips what does not apply, and ends with what is missing', async () => {
    const { talk } = conversation();
    await talk('đăng ký kết hôn');
    let replies = await talk('Kiểm tra giấy tờ');
    expect(texts(replies)).toMatch(/\(1\/\d+\)/);
    let missing = 0;
    for (let i = 0; i < 30 && !/Kết quả kiểm tra giấy tờ/.test(texts(replies)); i++) {
      const options = buttons(replies);
      const answer = options.includes('Không thuộc trường hợp này') ? 'Không thuộc trường hợp này' : i === 0 ? 'Chưa có' : 'Có';
      if (answer === 'Chưa có') missing++;
      replies = await talk(answer);
    }
    const summary = texts(replies);
    expect(summary).toMatch(/Kết quả kiểm tra giấy tờ: \*\*Thủ tục đăng ký kết hôn\*\*/);
    expect(summary).toMatch(new RegExp(`Còn thiếu \\(${missing}\\)`));
    const link = /\/checklists\/([A-Za-z0-9_-]+)/.exec(summary)![1];
    const page = await fetch(`${app.url}/checklists/${link}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/Còn thiếu 1 giấy tờ/);
  });
});

describe('a case told after a procedure', () => {
  it('gets what the record says about that procedure, not "chưa trả lời được"', async () => {
    const { talk } = conversation();
    await talk('đăng ký thường trú');
    const replies = await talk('mẹ tôi ở quê lên ở cùng tôi từ năm ngoái');
    expect(texts(replies)).toMatch(/Về \*\*Đăng ký thường trú\*\*/);
    expect(texts(replies)).not.toMatch(/chưa trả lời được/);
  });
});

describe('buttons', () => {
  it('route by the value they carry, not by the text that came with it', async () => {
    const { adapter } = conversation();
    await adapter.receiveActivity({ type: 'message', text: 'bấm nút', value: { action: 'book' } } as never);
    const replies = adapter.activeQueue.splice(0);
    expect(texts(replies)).toMatch(/đặt lịch để làm thủ tục gì/);
  });
});

describe('a question about a procedure in its first message', () => {
  it('"định đkkh, cần mang gì" gets the documents, not the card', async () => {
    const { talk } = conversation();
    const replies = await talk('e vs ny định đkkh, cần mang gì ạ');
    expect(texts(replies)).toMatch(/giấy tờ cần mang/);
    expect(texts(replies)).not.toMatch(/Cơ quan giải quyết/);
  });
});

describe('the documents check in words', () => {
  it('takes "có nhưng chưa công chứng" as to be asked again, says what it understood, and gives the verdict on "tóm lại"', async () => {
    const { talk } = conversation();
    await talk('đăng ký kết hôn');
    let replies = await talk('Kiểm tra giấy tờ');
    replies = await talk('em có nhưng chưa công chứng');
    expect(texts(replies)).toMatch(/Đã ghi: cần hỏi lại cán bộ/);
    expect(texts(replies)).toMatch(/\(2\/\d+\)/);
    replies = await talk('cái này em chưa có. tóm lại em còn thiếu gì');
    const summary = texts(replies);
    expect(summary).toMatch(/Kết quả kiểm tra giấy tờ/);
    expect(summary).toMatch(/Còn thiếu \(1\)/);
    expect(summary).toMatch(/Cần hỏi lại \(1\)/);
    expect(summary).toMatch(/Chưa kiểm tra/);
  });
});

describe('booking a slot', () => {
  it('books from the procedure in context: branch by district, day, time, name, phone; a wrong phone is asked again', async () => {
    const { talk } = conversation();
    await talk('đăng ký thường trú');
    let replies = await talk('Đặt lịch');
    expect(texts(replies)).toMatch(/Đặt lịch cho: \*\*Đăng ký thường trú\*\*/);
    expect(buttons(replies)).toContain('Chi nhánh nào cũng được');
    replies = await talk('hoan kiem');
    expect(texts(replies)).toMatch(/Chi nhánh thử A/);
    expect(buttons(replies)[0]).toBe('Hôm nay 23/11');
    replies = await talk('Ngày mai 24/11');
    expect(buttons(replies)).toContain('08:00');
    replies = await talk('9h30');
    expect(texts(replies)).toMatch(/họ tên/);
    replies = await talk('Nguyễn Văn Bình');
    replies = await talk('12345');
    expect(texts(replies)).toMatch(/chưa đúng/);
    replies = await talk('0912 345 678');
    expect(texts(replies)).toMatch(/09:30 ngày 24\/11\/2026/);
    replies = await talk('Đồng ý');
    const code = /Mã đặt lịch: \*\*([A-Z0-9]{8})\*\*/.exec(texts(replies))![1];
    const booking = await app.bookings.get(code, '0912345678', 'test');
    expect(booking).toMatchObject({ start: '2026-11-24T09:30:00+07:00', branchId: 'test-a', procedureCode: '1.004222' });
  });

  it('when the slot fills up meanwhile, offers the nearest times or the waitlist', async () => {
    const { talk } = conversation();
    await talk('đăng ký khai sinh');
    await talk('Đặt lịch');
    await talk('hoan kiem');
    await talk('Ngày mai 24/11');
    await talk('14h');
    await talk('Phan Thị Chờ');
    let replies = await talk('0911000333');
    expect(buttons(replies)).toEqual(['Đồng ý', 'Không']);
    for (const phone of ['0911000444', '0911000555']) {
      await app.bookings.book({ procedureCode: '1.001193', branchId: 'test-a', start: '2026-11-24T14:00:00+07:00', name: 'Người khác', phone }, 'test');
    }
    replies = await talk('Đồng ý');
    expect(texts(replies)).toMatch(/đã kín chỗ/);
    expect(buttons(replies)).toEqual(expect.arrayContaining(['Vào danh sách chờ', 'Không']));
    replies = await talk('Vào danh sách chờ');
    expect(texts(replies)).toMatch(/Đã vào danh sách chờ \(vị trí 1\)/);
  });

  it('"giúp" explains the step and asks again; "hủy" stops the booking at any step', async () => {
    const { talk } = conversation();
    await talk('đăng ký kết hôn');
    await talk('Đặt lịch');
    let replies = await talk('giúp');
    expect(texts(replies)).toMatch(/Đặt lịch đến nộp hồ sơ/);
    expect(texts(replies)).toMatch(/chi nhánh nào/);
    replies = await talk('hủy');
    expect(texts(replies)).toMatch(/Đã hủy/);
    expect(buttons(replies)).toEqual(['Tìm thủ tục', 'Kiểm tra giấy tờ', 'Đặt lịch', 'Tra cứu hồ sơ']);
    replies = await talk('lam giay khai sinh');
    expect(texts(replies)).toMatch(/1\.001193/);
  });

  it('"quay lại" starts the task again from its first question', async () => {
    const { talk } = conversation();
    await talk('đăng ký kết hôn');
    await talk('Đặt lịch');
    const atBranch = await talk('hoan kiem');
    expect(texts(atBranch)).toMatch(/ngày nào/);
    const replies = await talk('quay lại');
    expect(texts(replies)).toMatch(/Làm lại từ câu hỏi đầu tiên/);
    expect(texts(replies)).toMatch(/muốn đến chi nhánh nào/);
  });

  it('"hủy lịch vừa đặt" means the booking this user just made: no code or phone asked again', async () => {
    const { talk } = conversation();
    await talk('đăng ký thường trú');
    await talk('Đặt lịch');
    await talk('hoan kiem');
    await talk('Ngày mai 24/11');
    await talk('10h');
    await talk('Trần Văn Cường');
    await talk('0912 111 222');
    const code = /Mã đặt lịch: \*\*([A-Z0-9]{8})\*\*/.exec(texts(await talk('Đồng ý')))![1];
    let replies = await talk('à tôi muốn hủy lịch vừa đặt');
    expect(texts(replies)).toMatch(/vừa đặt/);
    expect(texts(replies)).toContain(code);
    expect(buttons(replies)).toEqual(['Hủy lịch', 'Giữ nguyên']);
    // "hủy" in words answers "hủy lịch hẹn này?": the booking is cancelled, not the question dropped.
    replies = await talk('ừ hủy đi');
    expect(texts(replies)).toMatch(new RegExp(`Đã hủy lịch hẹn ${code}`));
    expect((await app.bookings.get(code, '0912111222', 'test')).status).toBe('cancelled');
    // Another user asking the same gets asked for a code: the remembered booking is this user's only.
    const other = conversation();
    expect(texts(await other.talk('hủy lịch vừa đặt'))).toMatch(/mã đặt lịch/);
  });

  it('cancels a booking by code and phone', async () => {
    const { booking } = await app.bookings.book(
      { procedureCode: '1.001193', branchId: 'test-a', start: '2026-11-25T10:00:00+07:00', name: 'Lê Thị Hoa', phone: '0987000111' },
      'test',
    );
    const { talk } = conversation();
    let replies = await talk(`huy lich ${booking.code}`);
    expect(texts(replies)).toMatch(/Số điện thoại đã dùng/);
    replies = await talk('0987000111');
    // The message said "hủy": the question is only whether to cancel it.
    expect(texts(replies)).toMatch(/xác nhận hủy/);
    expect(buttons(replies)).toEqual(['Hủy lịch', 'Giữ nguyên']);
    replies = await talk('Hủy lịch');
    expect(texts(replies)).toMatch(/Đã hủy lịch hẹn/);
    expect((await app.bookings.get(booking.code, '0987000111', 'test')).status).toBe('cancelled');
  });
});

describe('dossier status', () => {
  it('accepts the code typed loosely, checks identity, and shows the apology of a late dossier', async () => {
    const { talk } = conversation();
    let replies = await talk('tra cứu hồ sơ mau 000000 0007');
    expect(texts(replies)).toMatch(/Hồ sơ MAU-000000-0007: để xác minh/);
    replies = await talk('0007');
    expect(texts(replies)).toMatch(/Trạng thái: \*\*Đang giải quyết\*\*/);
    expect(texts(replies)).toMatch(/xin lỗi/);
    expect(texts(replies)).toMatch(/Cần xác minh thực tế chỗ ở hợp pháp/);
  });

  it('takes the proof given with the code, and a wrong one is refused the same way', async () => {
    const { talk } = conversation();
    let replies = await talk('check giúp e hồ sơ MAU-000000-0007, 4 số cuối sđt là 0007');
    expect(texts(replies)).toMatch(/Trạng thái: \*\*Đang giải quyết\*\*/);
    // then a follow-up is about that dossier's procedure
    replies = await talk('vậy phải mang bổ sung đến đâu');
    expect(texts(replies)).toMatch(/Đăng ký thường trú/);
    const other = conversation();
    replies = await other.talk('hồ sơ MAU-000000-0007, 4 số cuối là 9999');
    expect(texts(replies)).not.toMatch(/Trạng thái/);
  });

  it('reads "4 số cuối là 0007", never takes the digits of the code typed again for the proof, and looks up a code whose words name a procedure', async () => {
    const { talk } = conversation();
    expect(texts(await talk('hồ sơ đăng ký thường trú MAU-000000-0007 xong chưa'))).toMatch(/để xác minh/);
    expect(texts(await talk('hồ sơ MAU-000000-0007'))).not.toMatch(/Trạng thái/);
    expect(texts(await talk('4 số cuối là 0007'))).toMatch(/Trạng thái: \*\*Đang giải quyết\*\*/);
  });

  it('answers a follow-up about a child with the catalogue\'s procedure for children', async () => {
    const { talk } = conversation();
    await talk('cấp lại căn cước');
    const replies = await talk('con tôi 12 tuổi có làm được không');
    expect(texts(replies)).toMatch(/dưới 14 tuổi/);
  });

  it('does not reveal a dossier to a wrong proof', async () => {
    const { talk } = conversation();
    await talk('Tra cứu hồ sơ');
    await talk('MAU-000000-0003');
    const replies = await talk('9999');
    expect(texts(replies)).toMatch(/Không tìm thấy hồ sơ khớp/);
    expect(texts(replies)).not.toMatch(/Lê Thị Mẫu|bổ sung/);
  });
});

describe('feedback, complaints and modes', () => {
  it('stores a complaint with a reference number', async () => {
    const { talk } = conversation();
    const replies = await talk('tôi muốn khiếu nại: có người đòi phong bì 500 nghìn khi nộp hồ sơ ở chi nhánh Hoàn Kiếm sáng nay');
    const reference = /\*\*(PA-\d{6}-\d{4})\*\*/.exec(texts(replies))![1];
    const complaints = await app.dialogServices.feedback.list('complaint', 10);
    expect(complaints.find((c) => c.reference === reference)?.text).toMatch(/phong bì/);
    // Officers read them over the REST API.
    const { secret } = await createOfficerToken(app.store, 'Giám sát', 'officer', clock.now());
    const listed = await fetch(`${app.url}/api/officer/feedback?kind=complaint`, { headers: { authorization: `Bearer ${secret}` } });
    expect(((await listed.json()) as { items: { reference: string }[] }).items.map((i) => i.reference)).toContain(reference);
  });

  it('a complaint about what was charged for a procedure gets that procedure\'s published fee', async () => {
    const { talk } = conversation();
    const replies = texts(await talk('tôi bị thu 100 nghìn lệ phí đăng ký kết hôn, vậy có đúng không'));
    expect(replies).toMatch(/PA-\d{6}-\d{4}/);
    expect(replies).toMatch(/Mức công bố: \*\*[^*]*kết hôn[^*]*\*\* \(mã 1\.000894\): phí, lệ phí/);
  });

  it('rates the assistant 1 to 5', async () => {
    const { talk } = conversation();
    await talk('Đánh giá');
    await talk('5');
    const replies = await talk('Bỏ qua');
    expect(texts(replies)).toMatch(/Cảm ơn ông\/bà đã đánh giá \(mã DG-\d{6}-\d{4}\)/);
  });

  it('officer mode: terse answers with codes, dossier look-up without proof', async () => {
    const { secret } = await createOfficerToken(app.store, 'Cán bộ Trần', 'officer', clock.now());
    const { talk } = conversation();
    await talk('tôi là cán bộ');
    let replies = await talk(secret);
    expect(texts(replies)).toMatch(/Chế độ cán bộ: Cán bộ Trần/);
    replies = await talk('dang ky thuong tru');
    expect(texts(replies)).toMatch(/^\*\*1\.004222\*\* Đăng ký thường trú/);
    expect(texts(replies)).toMatch(/Căn cứ:/);
    replies = await talk('MAU-000000-0002');
    expect(texts(replies)).toMatch(/MAU-000000-0002 \| 1\.004222 \| in_review/);
    const { booking } = await app.bookings.book(
      { procedureCode: '1.001193', branchId: 'test-a', start: '2026-11-25T11:00:00+07:00', name: 'Đỗ Văn Nam', phone: '0977000222' },
      'test',
    );
    replies = await talk(`lịch ${booking.code}`);
    expect(texts(replies)).toMatch(new RegExp(`${booking.code} \\| confirmed \\| 1\\.001193 \\| test-a \\| 2026-11-25 11:00 \\| Đỗ Văn Nam 0977000222`));
  });

  it('volunteer mode phrases the checklist for the person being helped', async () => {
    const { talk } = conversation();
    await talk('tôi là tình nguyện viên');
    await talk('đăng ký kết hôn');
    const replies = await talk('Kiểm tra giấy tờ');
    expect(texts(replies)).toMatch(/Người được hướng dẫn đã có/);
  });
});

describe('state survives a restart', () => {
  it('resumes a booking in the middle after the server restarts on the same store', async () => {
    const user = 'restart-user';
    let { talk } = conversation(user);
    await talk('đăng ký kết hôn');
    await talk('Đặt lịch');
    await app.stop();
    app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 10_000 }, undefined, clock);
    ({ talk } = conversation(user));
    const replies = await talk('hoan kiem');
    expect(texts(replies)).toMatch(/Chi nhánh thử A/);
    expect(texts(replies)).toMatch(/ngày nào/);
  });
});
