import { RequiredDocument } from '../../knowledge/schemas';
import { caseFromText, mentionsPapers, paperDocuments, statedDocuments } from '../../src/domain/checklist-statements';

/** A tiny official list: names as the portal writes them (with a bullet, a form code, an explanation). */
const doc = (name: string, condition: string | null = null) => RequiredDocument.parse({ name, originals: 1, copies: 0, required: null, condition });
const DOCUMENTS = [
  doc('- Tờ khai đăng ký kết hôn theo mẫu'),
  doc('Hộ chiếu/Thẻ căn cước/Thẻ căn cước công dân hoặc giấy tờ tùy thân khác có ảnh'),
  doc('Bản sao bản án, quyết định ly hôn của Tòa án đã có hiệu lực pháp luật', 'Người đã ly hôn'),
  doc('Hợp đồng thuê nhà có công chứng hoặc chứng thực'),
];
const answers = (text: string) => Object.fromEntries(statedDocuments(text, DOCUMENTS));

describe('papers named in everyday words, with what is said of them', () => {
  it('reads one answer per clause', () => {
    expect(answers('2 đứa có cccd rồi, tờ khai thì chưa có')).toEqual({ 0: 'no', 1: 'yes' });
  });

  it('reads a paper named without its marks', () => {
    expect(answers('em co ban an ly hon roi')).toEqual({ 2: 'yes' });
  });

  it('takes "nhưng chưa công chứng" as about the paper just named', () => {
    expect(answers('có hợp đồng thuê nhưng chưa công chứng')).toEqual({ 3: 'unsure' });
  });

  it('says nothing of a paper only asked about', () => {
    expect(answers('có cần cccd không?')).toEqual({});
    expect(answers('tờ khai lấy ở đâu')).toEqual({});
  });

  it('takes a document for the paper its name names first', () => {
    const list = [doc('Tờ khai đăng ký kết hôn'), doc('Thông tin về chỗ ở hợp pháp được khai thác trong căn cước điện tử'), doc('Bản sao Giấy chứng nhận kết hôn')];
    expect(Object.fromEntries(statedDocuments('có giấy đăng ký kết hôn rồi', list))).toEqual({ 2: 'yes' });
    expect(Object.fromEntries(statedDocuments('có cccd rồi', list))).toEqual({});
  });

  it('says nothing of a paper the procedure does not list', () => {
    expect(answers('có sổ đỏ rồi')).toEqual({});
  });

  it('names the papers of a question without an answer', () => {
    expect(paperDocuments('hợp đồng thuê chỉ là bản photo có được không', DOCUMENTS)).toEqual([3]);
    expect(paperDocuments('mất bao lâu', DOCUMENTS)).toEqual([]);
  });

  it('tells a statement about papers from a question or a story', () => {
    expect(mentionsPapers('có cccd rồi, chưa có tờ khai')).toBe(true);
    expect(mentionsPapers('cccd có cần công chứng không?')).toBe(false);
    expect(mentionsPapers('em muốn đăng ký kết hôn')).toBe(false);
  });
});

describe('a case picked in words', () => {
  const CASES = [
    { name: 'Trường hợp nộp hồ sơ trực tiếp' },
    { name: 'Trường hợp nộp hồ sơ qua dịch vụ bưu chính' },
    { name: 'Trường hợp nộp hồ sơ trực tuyến' },
  ];

  it('by its number', () => {
    expect(caseFromText('2', CASES)).toBe(1);
    expect(caseFromText('số 3', CASES)).toBe(2);
    expect(caseFromText('2. Trường hợp nộp hồ sơ qua dịch vụ bưu chính', CASES)).toBe(1);
    expect(caseFromText('7', CASES)).toBeNull();
  });

  it('by the words that tell it apart, everyday ones included', () => {
    expect(caseFromText('nộp trực tiếp', CASES)).toBe(0);
    expect(caseFromText('gửi bưu điện', CASES)).toBe(1);
    expect(caseFromText('làm online', CASES)).toBe(2);
  });

  it('not by words every case has, nor by unrelated words', () => {
    expect(caseFromText('nộp hồ sơ', CASES)).toBeNull();
    expect(caseFromText('không biết nữa', CASES)).toBeNull();
  });
});
