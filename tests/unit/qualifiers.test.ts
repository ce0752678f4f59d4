import { QUALIFIERS, qualifierAgreement, qualifierBits } from '../../src/domain/search/qualifiers';
import { terms } from '../../src/domain/search/terms';

const qualifiersOf = (text: string, side: 'asked' | 'named') => QUALIFIERS.filter((_, i) => qualifierBits(terms(text).join(' '), side) & (1 << i)).map((x) => x.name);
const asked = (q: string) => qualifiersOf(q, 'asked');
const named = (n: string) => qualifiersOf(n, 'named');

describe('qualifiers a question says in its own words', () => {
  it.each([
    ['cưới vợ Trung Quốc thì đăng ký ở đâu', ['foreign']],
    ['chồng tôi người Úc muốn nhập quốc tịch', ['foreign']],
    ['đánh rơi hộ chiếu ở sân bay', ['reissue']],
    ['mất thẻ căn cước', ['reissue']],
    ['làm căn cước mất bao lâu', []],
    ['bố tôi mất để lại đất', []],
    ['giấy khai sinh ghi sai năm sinh', ['change']],
    ['đóng cửa tiệm, hủy giấy phép kinh doanh', ['end']],
    ['gia hạn giấy phép lao động', ['extension']],
    ['cấp sổ đỏ lần đầu', ['first']],
    ['làm căn cước cho con 10 tuổi', ['child']],
  ])('"%s" → %j', (q, expected) => expect(asked(q)).toEqual(expected));
});

describe('qualifiers an official name carries', () => {
  it.each([
    ['Đăng ký kết hôn có yếu tố nước ngoài', ['foreign']],
    ['Cấp lại thẻ căn cước', ['reissue']],
    ['Đăng ký thay đổi nội dung đăng ký hộ kinh doanh', ['change']],
    ['Chấm dứt hoạt động hộ kinh doanh', ['end']],
    ['Thủ tục đăng ký khai sinh', []],
  ])('"%s" → %j', (n, expected) => expect(named(n)).toEqual(expected));
});

describe('agreement', () => {
  it('is the share of the asked qualifiers the name has, and the share of the name\'s not asked', () => {
    expect(qualifierAgreement(0b1, 0b1)).toEqual({ agree: 1, extra: 0 });
    expect(qualifierAgreement(0b1, 0b0)).toEqual({ agree: 0, extra: 0 });
    expect(qualifierAgreement(0b0, 0b10)).toEqual({ agree: 0, extra: 1 });
    expect(qualifierAgreement(0b11, 0b01)).toEqual({ agree: 0.5, extra: 0 });
  });
});
