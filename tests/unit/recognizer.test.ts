import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntentExamples } from '../../knowledge/schemas';
import { IntentRecognizer } from '../../src/bot/recognizer';
import { ProcedureIndex } from '../../src/domain/search/procedure-index';
import { DEFAULT_DOSSIER_CODE_PATTERN } from '../../src/domain/dossier/dossier';
import { bundledKnowledge, KNOWLEDGE_DIR } from '../helpers';

let recognizer: IntentRecognizer;
beforeAll(() => {
  const { procedures, synonyms } = bundledKnowledge();
  const index = new ProcedureIndex(procedures, synonyms!);
  const examples = IntentExamples.parse(JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'intents.json'), 'utf8')));
  recognizer = new IntentRecognizer(examples, (q) => index.search(q, { limit: 5 }), DEFAULT_DOSSIER_CODE_PATTERN, (code) => index.titlesOf(code));
});

describe('what a message is about', () => {
  it.each([
    ['tôi muốn khiếu nại: có người đòi phong bì 500 nghìn khi nộp hồ sơ ở chi nhánh sáng nay', 'complaint'],
    ['cán bộ ở quầy thái độ rất tệ', 'complaint'],
    ['cho tôi gặp người thật', 'human'],
    ['tôi muốn đặt lịch nộp hồ sơ ngày mai', 'booking'],
    ['hồ sơ của tôi đến đâu rồi', 'status'],
    ['bao giờ có kết quả hồ sơ', 'status'],
    ['kiểm tra giúp tôi giấy tờ cần mang', 'checklist'],
    ['xin chào', 'greeting'],
    ['cảm ơn nhé', 'thanks'],
    ['tôi muốn hủy lịch hẹn', 'booking_manage'],
    ['góp ý cho trợ lý', 'feedback'],
    ['đổi bằng lái', 'procedure'],
    ['nhap khau cho con', 'procedure'],
    ['đăng ký kết hôn', 'procedure'],
    ['tôi muốn làm căn cước', 'procedure'],
    ['kiểm tra giấy tờ đăng ký kết hôn', 'checklist'],
    ['cần mang gì để làm hộ chiếu', 'checklist'],
    ['hồ sơ sổ đỏ của tôi đến đâu rồi', 'status'],
  ])('"%s" → %s', (text, intent) => {
    expect(recognizer.recognize(text).intent).toBe(intent);
  });

  it('keeps the procedure a task is about as its context', () => {
    const r = recognizer.recognize('đặt lịch làm sổ đỏ');
    expect(r.intent).toBe('booking');
    expect(r.procedures[0].code).toBe('1.013978');
  });

  it('finds dossier codes typed with spaces, lower case or without dashes', () => {
    for (const typed of ['hn-261120-0001', 'HN 261120 0001', 'ho so hn2611200001 cua toi', 'HN - 261120 - 0001']) {
      expect(recognizer.findDossierCode(typed)).toBe('HN-261120-0001');
    }
    expect(recognizer.recognize('hồ sơ hn 261120 0001 đến đâu rồi')).toMatchObject({ intent: 'status', dossierCode: 'HN-261120-0001' });
  });

  it('finds booking codes, but not ordinary words', () => {
    expect(recognizer.findBookingCode('hủy lịch K7M2QX9P giúp tôi')).toBe('K7M2QX9P');
    expect(recognizer.findBookingCode('THANHLAP cong ty')).toBeNull();
  });

  it('reads the commands that work at any step', () => {
    expect(['hủy', 'Menu', 'giúp', 'quay lại', 'huy'].map((t) => recognizer.command(t))).toEqual(['cancel', 'menu', 'help', 'back', 'cancel']);
  });

  it('answers off-topic messages with no intent and no procedure', () => {
    expect(recognizer.recognize('giá vàng hôm nay')).toMatchObject({ intent: 'none', procedures: [] });
  });
});
