import { asideLead, centreTopic, closingLike, complaintLike, declinesContact, englishToVietnamese, explicitTask, followUpTopic, isEnglish, offTopic, placeOnly, slotAnswer, topicSwitch, withoutOpeners, writtenOut } from '../../src/bot/conversation-acts';
import { judge } from '../../scripts/eval-conversation';
import { confirmAnswer, matchBranch, nameAndPhoneIn } from '../../src/bot/parse';

describe('openers and fillers', () => {
  it.each([
    ['cho hỏi làm hộ chiếu', 'làm hộ chiếu'],
    ['dạ cho cháu hỏi, đăng ký kết hôn', 'đăng ký kết hôn'],
    ['em xin hỏi thủ tục tạm trú', 'thủ tục tạm trú'],
    ['mình muốn hỏi về việc đăng ký tạm trú', 'đăng ký tạm trú'],
    ['xin cấp hộ chiếu', 'cấp hộ chiếu'],
    ['thẻ căn cước', 'thẻ căn cước'],
  ])('"%s" → "%s"', (text, rest) => expect(withoutOpeners(text)).toBe(rest));

  it('leaves nothing of a message that was only an opener (the caller keeps the message)', () => expect(withoutOpeners('cho hỏi')).toBe(''));

  it('reads the marks typed: "hội" is not "hỏi", "vé" is not "về"', () => {
    expect(withoutOpeners('hội người cao tuổi')).toBe('hội người cao tuổi');
    expect(withoutOpeners('vé máy bay')).toBe('vé máy bay');
    expect(withoutOpeners('hoi ve dang ky tam tru')).toBe('dang ky tam tru');
  });
});

describe('changes of topic', () => {
  it('finds what follows "thôi", "à mà thôi", "khoan đã", "ờ thôi để sau"', () => {
    expect(topicSwitch('thôi, cho hỏi làm hộ chiếu')).toBe('làm hộ chiếu');
    expect(topicSwitch('à mà thôi, cho hỏi cái này nộp online có được không')).toBe('cái này nộp online có được không');
    expect(topicSwitch('khoan đã, cho em hỏi đăng ký tạm trú')).toBe('đăng ký tạm trú');
    expect(topicSwitch('ờ thôi để sau, cho hỏi trung tâm mấy giờ đóng cửa')).toBe('trung tâm mấy giờ đóng cửa');
    expect(topicSwitch('thôi')).toBe('');
  });

  it('reads the marks typed: "thời gian" is not "thôi"', () => {
    expect(topicSwitch('thời gian giải quyết')).toBeNull();
    expect(topicSwitch('thoi cho hoi ho chieu')).toBe('ho chieu');
  });

  it('does not take an answer for a change of topic', () => {
    expect(topicSwitch('không, tôi muốn đổi sang 15h')).toBeNull();
    expect(topicSwitch('Tây Hồ')).toBeNull();
    expect(asideLead('ủa mà cho hỏi')).toBe(true);
    expect(asideLead('Có')).toBe(false);
  });
});

describe('what a message asks', () => {
  it.each([
    ['lệ phí bao nhiêu?', 'fee'],
    ['mất mấy ngày', 'time'],
    ['nộp hồ sơ ở đâu', 'place'],
    ['làm trên mạng được không', 'online'],
    ['cần giấy tờ gì', 'documents'],
    ['nhờ người khác đi nộp hộ được không', 'proxy'],
    ['làm căn cước', null],
  ])('"%s" is a follow-up about %s', (text, topic) => expect(followUpTopic(text)).toBe(topic));

  it('tells centre questions, complaints and off-topic questions apart', () => {
    expect(centreTopic('trung tâm làm việc mấy giờ')).toBe('hours');
    expect(centreTopic('chi nhánh Tây Hồ ở đường nào')).toBe('address');
    expect(centreTopic('làm căn cước ở đâu')).toBeNull();
    expect(complaintLike('có người tự xưng là cò đòi 2 triệu làm sổ đỏ nhanh')).toBe(true);
    expect(complaintLike('cán bộ thái độ hách dịch')).toBe(true);
    expect(complaintLike('đăng ký tạm trú cho người thuê phòng trọ')).toBe(false);
    expect(offTopic('xổ số miền bắc hôm nay')).toBe('other');
    expect(offTopic('điện thoại em bị lỗi bàn phím')).toBeNull();
  });

  it('reads English and chat spellings', () => {
    expect(isEnglish('Which documents do I need?')).toBe(true);
    expect(isEnglish('can giay to gi')).toBe(false);
    expect(englishToVietnamese('Can I book an appointment to get a passport?')).toBe('đặt lịch cấp hộ chiếu');
    expect(writtenOut('e mún đk kết hôn thì cần j ạ')).toBe('em muốn đăng ký kết hôn thì cần gì ạ');
  });
});

describe('the conversation judge', () => {
  it('fails a welcome, a missing mention and a missing reference, and passes a good reply', () => {
    const welcome = [{ text: 'Xin chào! Tôi là trợ lý Một Cửa của Trung tâm', buttons: [] }];
    expect(judge({ is_welcome: false }, welcome)).toEqual(['welcome']);
    expect(judge({ mentions_any: ['miễn'] }, [{ text: 'Phí: 70.000 đồng', buttons: [] }])).toHaveLength(1);
    expect(judge({ gives_reference: true }, [{ text: 'Đã ghi nhận', buttons: [] }])).toEqual(['no reference']);
    expect(judge({ asks_for: 'phone', gives_reference: true }, [{ text: 'Số tham chiếu PA-261201-0001. Xin để lại số điện thoại?', buttons: [] }])).toEqual([]);
    expect(judge({}, [])).toEqual(['no reply']);
  });
});

describe('acts found in the December 2026 conversations', () => {
  it('reads a weekday or a wait as such, not as money asked ("thứ 5" folds like "thu 5")', () => {
    expect(complaintLike('đặt lịch thường trú thứ 5 03/12 lúc 2h chiều, sdt 0977 111 222')).toBe(false);
    expect(complaintLike('trung tâm làm việc mấy giờ? thứ 7 có làm không')).toBe(false);
    expect(complaintLike('đợi 2 tiếng mới tới lượt')).toBe(false);
    expect(complaintLike('cán bộ thu 500k mới nhận hồ sơ')).toBe(true);
    expect(complaintLike('họ đòi tiền bồi dưỡng')).toBe(true);
  });

  it('does not take a number the person gives for a question about the hotline', () => {
    expect(centreTopic('đặt lịch ở chi nhánh tây hồ, sđt 0987 001 122')).toBeNull();
    expect(centreTopic('số điện thoại chi nhánh tây hồ')).toBe('hotline');
  });

  it('answers whether booking costs money as a centre question', () => {
    expect(centreTopic('đặt lịch có mất tiền không')).toBe('booking_fee');
    expect(centreTopic('đặt lịch làm hộ chiếu')).toBeNull();
  });

  it('hears "who handles it" as a follow-up about the agency', () => {
    expect(followUpTopic('thế ai giải quyết')).toBe('agency');
    expect(followUpTopic('cơ quan nào cấp')).toBe('agency');
  });

  it('refuses forged papers without taking prices or old people for them ("giả" folds like "giá", "già")', () => {
    expect(offTopic('chỉ em chỗ làm bằng đại học giả với, giá rẻ')).toBe('illegal');
    expect(offTopic('mua bằng lái ở đâu')).toBe('illegal');
    expect(offTopic('bằng lái giá bao nhiêu')).toBeNull();
    expect(offTopic('đổi bằng lái cho người già')).toBeNull();
    expect(offTopic('sổ đỏ giá trị bao nhiêu')).toBeNull();
  });

  it('matches off-topic words whole: "tất cả sinh viên" is not "ca sĩ"', () => {
    expect(offTopic('tat ca sinh vien thue tro phai dang ky tam tru')).toBeNull();
    expect(offTopic('ca sĩ nào hát hay')).toBe('other');
  });

  it('knows thanks and closings said alone', () => {
    for (const t of ['xin cảm ơn', 'Không cần', 'ok cảm ơn nhé', 'vậy thôi ạ']) expect(closingLike(t)).toBe(true);
    for (const t of ['cảm ơn, cho hỏi lệ phí bao nhiêu', 'không cần đặt lịch à?', 'đăng ký khai sinh']) expect(closingLike(t)).toBe(false);
  });

  it('finds a message that is only a place', () => {
    expect(placeOnly('chi nhánh tây hồ')).toBe('tay ho');
    expect(placeOnly('em ở Hà Đông ạ')).toBe('ha dong');
    expect(placeOnly('khai sinh cho con ở Tây Hồ')).toBeNull();
    expect(placeOnly('0912345678')).toBeNull();
  });

  it('hears a refusal to leave a number', () => {
    expect(declinesContact('thôi tôi không muốn để lại số điện thoại')).toBe(true);
    expect(declinesContact('0912345678')).toBe(false);
    expect(declinesContact('không')).toBe(false);
  });

  it('takes cancelling a booking for managing one, not making one', () => {
    expect(explicitTask('huỷ đặt lịch nhé')).toBe('booking_manage');
    expect(explicitTask('hủy lịch vừa đặt')).toBe('booking_manage');
    expect(explicitTask('đặt lịch làm hộ chiếu')).toBe('booking');
  });
});

describe('booking answers with no booking under way', () => {
  it.each([
    ['thứ năm', 'day'],
    ['mai', 'day'],
    ['vậy thứ hai 07/12', 'day'],
    ['11h', 'time'],
    ['3h chiều', 'time'],
    ['0915 246 802', 'phone'],
    ['Hoàng Văn Sơn 0915 246 802', 'phone'],
    ['Đồng ý', 'confirmation'],
  ])('"%s" is a %s', (text, kind) => expect(slotAnswer(text)).toBe(kind));

  it.each(['mai táng phí', 'thứ 7 có làm không', 'đăng ký khai sinh', 'lệ phí bao nhiêu'])('"%s" is not', (text) => expect(slotAnswer(text)).toBeNull());
});

describe('booking answers in a whole sentence', () => {
  it('finds the name and phone said with the request, only after a word that introduces the name', () => {
    expect(nameAndPhoneIn('đặt lịch kết hôn sáng mai 8h, người đến là Trần Thị Hoa, sđt 0987 001 122')).toEqual({ name: 'Trần Thị Hoa', phone: '0987001122' });
    expect(nameAndPhoneIn('thứ 5 lúc 2h chiều, tên Đỗ Minh Quân, sdt 0977 111 222')).toEqual({ name: 'Đỗ Minh Quân', phone: '0977111222' });
    expect(nameAndPhoneIn('Đăng Ký Khai Sinh 0912345678')).toBeNull();
  });

  it('reads yes and no in words at a confirmation', () => {
    expect(confirmAnswer('đúng rồi, đặt giúp mình')).toBe('yes');
    expect(confirmAnswer('Đồng ý')).toBe('yes');
    expect(confirmAnswer('Không')).toBe('no');
    expect(confirmAnswer('không, nhầm rồi')).toBe('no');
    expect(confirmAnswer('mấy giờ thì đến')).toBeNull();
  });

  it('takes a ward named in a sentence before a former district of the same name', () => {
    const point = (id: string, ward: string, district: string) => ({ id, name: `Điểm phường ${ward}`, district, ward, address: '' });
    const places = [point('a', 'Phú Thượng', 'Tây Hồ'), point('b', 'Tây Hồ', 'Tây Hồ')];
    expect(matchBranch('đặt lịch kết hôn ở chi nhánh tây hồ sáng mai 8h', places)?.id).toBe('b');
    expect(matchBranch('chi nhánh tây hồ', places)?.id).toBe('b');
    expect(matchBranch('Phú Thượng', places)?.id).toBe('a');
  });
});

describe('more acts from the third conversation set', () => {
  it('knows a court matter from a procedure that records one', () => {
    const { courtMatter } = jest.requireActual('../../src/bot/conversation-acts');
    expect(courtMatter('thủ tục ly hôn thuận tình')).toBe(true);
    expect(courtMatter('ghi chú ly hôn ở nước ngoài')).toBe(false);
    expect(courtMatter('ly hôn xong thì đổi hộ khẩu làm sao')).toBe(false);
  });

  it('reads "hôm nay trung tâm có làm không" as opening hours, and a thank-you with a question as a question', () => {
    expect(centreTopic('hôm nay thứ mấy trung tâm có làm không')).toBe('hours');
    expect(closingLike('ok cam on, nhung goi ngoai gio thi sao')).toBe(false);
    expect(centreTopic('ok cam on, nhung goi ngoai gio thi sao')).toBe('hotline');
  });

  it('hears "con tôi 12 tuổi" as about a child, and "mang cái đó đi đâu" as where', () => {
    expect(followUpTopic('CON TOI 12 TUOI CO LAM DUOC KHONG')).toBe('child');
    expect(followUpTopic('vay gio toi phai mang cai do di dau')).toBe('place');
  });
});

describe('the procedure in context', () => {
  it('holds for 30 minutes after it was last shown', () => {
    const { recentProcedure } = jest.requireActual('../../dialogs/dialogServices');
    const profile = { lastProcedureCode: '1.004222', lastProcedureAt: '2026-12-01T01:00:00.000Z' };
    expect(recentProcedure(profile, new Date('2026-12-01T01:29:00Z'))).toBe('1.004222');
    expect(recentProcedure(profile, new Date('2026-12-01T01:31:00Z'))).toBeNull();
    expect(recentProcedure({ lastProcedureCode: '1.004222' }, new Date())).toBeNull();
  });
});

describe('managing a booking in words', () => {
  it('reads "ừ hủy đi", "đổi sang ngày khác", "thôi giữ" among the actions offered', () => {
    const { manageAction } = jest.requireActual('../../dialogs/manageBookingDialog');
    const all = ['Hủy lịch', 'Đổi giờ', 'Giữ nguyên'];
    expect(manageAction('ừ hủy đi', all)).toBe('Hủy lịch');
    expect(manageAction('đổi sang ngày khác', all)).toBe('Đổi giờ');
    expect(manageAction('thôi giữ', all)).toBe('Giữ nguyên');
    expect(manageAction('đổi giờ', ['Hủy lịch', 'Giữ nguyên'])).toBeNull();
    expect(manageAction('mấy giờ', all)).toBeNull();
  });
});

describe('follow-ups read apart from the procedure words', () => {
  it('takes the follow-up question out of a message, and hears where to collect a result', () => {
    const { withoutFollowUps, courtMatter } = jest.requireActual('../../src/bot/conversation-acts');
    expect(withoutFollowUps('làm trên mạng được không')).not.toMatch(/mang/);
    expect(followUpTopic('lên nhận ở đâu')).toBe('pickup');
    expect(courtMatter('e co ban an ly hon va cccd, chua co to khai')).toBe(false);
  });
});

describe('papers one says one has', () => {
  it('is a statement about the documents, not a question', () => {
    const { statesPossession } = jest.requireActual('../../src/bot/conversation-acts');
    expect(statesPossession('2 đứa có cccd rồi, tờ khai thì chưa có')).toBe(true);
    expect(statesPossession('bệnh viện có cấp giấy báo tử rồi ạ')).toBe(true);
    expect(statesPossession('có cần bản chính không?')).toBe(false);
    expect(statesPossession('làm căn cước ở đâu')).toBe(false);
  });
});

describe('filing outside one\'s area and collecting results', () => {
  it('hears the boundary question in a short message only, and "lấy chồng" is not collecting a result', () => {
    expect(centreTopic('em thường trú ở Long Biên nhưng đi làm ở Cầu Giấy, nộp hồ sơ ở chi nhánh Cầu Giấy được không ạ')).toBe('boundary');
    expect(followUpTopic('làm giấy xác nhận độc thân để đi lấy chồng thì làm răng rứa')).not.toBe('pickup');
    expect(followUpTopic('thế em lên lấy ở đâu')).toBe('pickup');
  });
});
