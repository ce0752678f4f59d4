import { fold, nfc, syllables } from '../../src/domain/text/normalize';
import { terms } from '../../src/domain/search/terms';

describe('Vietnamese normalisation', () => {
  it('stores text as NFC with collapsed spaces', () => {
    const decomposed = 'Đăng ký  khai sinh'.normalize('NFD');
    expect(nfc(decomposed)).toBe('Đăng ký khai sinh');
    expect(nfc(decomposed)).toHaveLength('Đăng ký khai sinh'.length);
  });

  it('folds case, diacritics and đ so people can type without accents', () => {
    expect(fold('ĐĂNG KÝ Kết Hôn')).toBe('dang ky ket hon');
    expect(fold('Đổi giấy phép lái xe'.normalize('NFD'))).toBe('doi giay phep lai xe');
  });

  it('treats old and new tone placement alike', () => {
    expect(fold('hoà')).toBe(fold('hòa'));
    expect(fold('thuỷ')).toBe(fold('thủy'));
  });

  it('treats final i and y alike after a consonant, as Vietnamese spelling does', () => {
    expect(terms('đăng kí')).toEqual(terms('đăng ký'));
    expect(terms('lí lịch')).toEqual(terms('lý lịch'));
    expect(terms('qui định')).toEqual(terms('quy định'));
    expect(terms('thủy')).toEqual(['thuy']);
  });

  it('splits on punctuation and keeps numbers', () => {
    expect(syllables('Mẫu CT07, phiếu số 1!')).toEqual(['mau', 'ct07', 'phieu', 'so', '1']);
  });
});
