import { fitButtons, TITLE_MAX } from '../../src/bot/buttons';

describe('buttons fitted to the channel', () => {
  const labels = ['Tìm thủ tục', 'Kiểm tra giấy tờ', 'Đặt lịch', 'Tra cứu hồ sơ', 'Gặp cán bộ', 'Khiếu nại', 'Menu'];

  it('shows Zalo at most 5 buttons and lists the rest with their numbers in the text', () => {
    const fitted = fitButtons('zalo', 'Ông/bà cần giúp gì?', labels);
    expect(fitted.actions).toHaveLength(5);
    expect(fitted.text).toBe('Ông/bà cần giúp gì?\n\n6. Khiếu nại\n7. Menu');
  });

  it('keeps every button on web chat', () => {
    expect(fitButtons('directline', 'x', labels).actions).toHaveLength(7);
  });

  it('shortens a long title but sends back the whole label as the value', () => {
    const long = 'Chi nhánh số 2 – Trung tâm Phục vụ hành chính công thành phố Hà Nội (Chi nhánh Cầu Giấy)';
    const [action] = fitButtons('directline', 'x', [long]).actions;
    expect(String(action.title).length).toBeLessThanOrEqual(TITLE_MAX);
    expect(action.value).toBe(long);
  });
});
