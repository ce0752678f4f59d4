import { fitButtons, TITLE_MAX } from '../../src/bot/buttons';
import { actionOf } from '../../src/bot/actions';

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

describe('action buttons carry their action as the value', () => {
  it('sends an action as messageBack with {action}, showing the label; any other button sends its label', () => {
    const [book, branch] = fitButtons('directline', 'x', ['Đặt lịch', 'Chi nhánh thử A']).actions;
    expect(book).toMatchObject({ type: 'messageBack', title: 'Đặt lịch', text: 'Đặt lịch', displayText: 'Đặt lịch', value: { action: 'book' } });
    expect(branch).toMatchObject({ type: 'imBack', value: 'Chi nhánh thử A' });
  });

  it('routes by a valid value first, by the exact label otherwise; an unknown value counts for nothing', () => {
    expect(actionOf({ text: 'gì cũng được', value: { action: 'status' } })).toBe('status');
    expect(actionOf({ text: 'Đặt lịch', value: { action: 'admin' } })).toBe('book');
    expect(actionOf({ text: 'đặt lịch làm hộ chiếu', value: 'Đặt lịch' })).toBeNull();
    expect(actionOf({ text: 'ĐẶT LỊCH' })).toBe('book');
  });
});
