import { itemAnswer, itemReply } from '../../src/domain/checklist';

describe('answers about one document, typed in words', () => {
  it.each([
    ['Có', 'yes'],
    ['có rồi ạ', 'yes'],
    ['em có bản chính', 'yes'],
    ['Chưa có', 'no'],
    ['chưa', 'no'],
    ['ko có', 'no'],
    ['bị mất rồi', 'no'],
    ['Không rõ', 'unsure'],
    ['em có hợp đồng thuê nhà nhưng chưa công chứng, chủ nhà ko ở đây', 'unsure'],
    ['có nhưng hết hạn rồi', 'unsure'],
    ['tóm lại em còn thiếu gì', 'summary'],
  ])('"%s" → %s', (text, answer) => expect(itemAnswer(text, false)).toBe(answer));

  it('takes "not my case" only for a document that has a condition', () => {
    expect(itemAnswer('không thuộc trường hợp này', true)).toBe('not_my_case');
    expect(itemAnswer('không thuộc trường hợp này', false)).not.toBe('not_my_case');
  });

  it('does not take a question about the document for an answer', () => {
    expect(itemAnswer('có cần bản chính không?', false)).toBeNull();
    expect(itemAnswer('mẫu nào vậy', false)).toBeNull();
    expect(itemAnswer('lệ phí bao nhiêu', false)).toBeNull();
  });

  it('reads both halves of "… chưa có. tóm lại còn thiếu gì"', () => {
    expect(itemReply('tờ khai CT01 em cũng chưa có. tóm lại em còn thiếu gì', false)).toEqual({ answer: 'no', summary: true });
    expect(itemReply('Có', false)).toEqual({ answer: 'yes', summary: false });
  });
});
