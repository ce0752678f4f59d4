import { procedureLines } from '../../src/knowledge-base/load';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcedureIndex } from '../../src/domain/search/procedure-index';
import { untelex } from '../../src/domain/search/telex';
import { loadKnowledge } from '../../src/knowledge-base/load';
import { bundledKnowledge, KNOWLEDGE_DIR, tempDir } from '../helpers';

let index: ProcedureIndex;
beforeAll(() => {
  const { procedures, synonyms } = bundledKnowledge();
  index = new ProcedureIndex(procedures, synonyms!);
});

const top = (q: string) => index.search(q, { limit: 3 }).map((h) => h.code);

describe('how people describe procedures (knowledge/everyday/)', () => {
  it('brings every ministry file in: aliases and life situations join the record they were written for', () => {
    const record = bundledKnowledge().procedures.find((p) => p.code === '1.014965')!;
    expect(record.aliases).toContain('thôi hành nghề quản tài viên');
    expect(record.situations).toContain('không muốn làm quản tài viên nữa');
  });

  it('refuses a vocabulary file that names a code the catalogue does not have, and says where', () => {
    const dir = tempDir();
    try {
      mkdirSync(join(dir.path, 'procedures'));
      mkdirSync(join(dir.path, 'everyday'));
      const line = procedureLines(KNOWLEDGE_DIR)
        .find((l) => l.includes('"code":"1.001193"'))!;
      writeFileSync(join(dir.path, 'procedures', 'one.jsonl'), line + '\n');
      const entry = (codes: string[]) => ({ codes, name: 'x', aliases: ['làm khai sinh'], situations: [], source: 'portal record 1.001193' });
      writeFileSync(
        join(dir.path, 'everyday', 'bo-tu-phap.json'),
        JSON.stringify({ ministry: 'Bộ Tư pháp', entries: [entry(['1.001193']), entry(['1.001193', '9.999999'])] }),
      );
      const result = loadKnowledge(dir.path);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.errors).toEqual([
          { file: join('everyday', 'bo-tu-phap.json'), path: '$.entries[1].codes[1]', reason: expect.stringContaining('9.999999') },
        ]);
      }
    } finally {
      dir.remove();
    }
  });

  it('refuses an entry without the source it was written from', () => {
    const dir = tempDir();
    try {
      mkdirSync(join(dir.path, 'everyday'));
      writeFileSync(join(dir.path, 'everyday', 'x.json'), JSON.stringify({ ministry: 'Bộ Y tế', entries: [{ codes: ['1.001193'], name: 'x' }] }));
      const result = loadKnowledge(dir.path);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.map((e) => e.path)).toContain('$.entries[0].source');
    } finally {
      dir.remove();
    }
  });

  it('finds a procedure from a life situation, not only from its name', () => {
    expect(top('không muốn làm quản tài viên nữa thì nộp lại chứng chỉ')[0]).toBe('1.014965');
  });
});

describe('long messages: the need inside greetings, story and thanks', () => {
  it.each([
    [
      'Dạ em chào anh chị, bà nội em mới mất hôm qua ở nhà, gia đình em muốn hỏi làm giấy chứng tử cho bà thì cần mang những gì ạ. Em cảm ơn nhiều.',
      '1.000656',
    ],
    [
      'Chào ad, vợ chồng em mới sinh bé được hai tuần, giờ muốn đi làm giấy khai sinh cho cháu ở phường thì mang theo giấy tờ gì ạ, cảm ơn ad',
      '1.001193',
    ],
  ])('answers "%s"', (q, code) => {
    expect(top(q)[0]).toBe(code);
  });
});

describe('refusal apart from ranking', () => {
  it.each(['mấy giờ có trận Việt Nam gặp Indonesia', 'con bot này ngu thật', 'thời tiết Huế ngày mai thế nào ạ', 'ok cảm ơn'])(
    'reads "%s" as not about a procedure, and gives none',
    (q) => {
      expect(index.domainProbability(q)).toBeLessThan(0.2);
      expect(top(q)).toEqual([]);
    },
  );

  it('still refuses through relevance when the words look administrative ("công thức", "làm")', () => {
    expect(top('cho em hỏi công thức làm bánh cuốn nóng ạ')).toEqual([]);
  });

  it('reads a long question about a procedure as being about the domain', () => {
    expect(index.domainProbability('chào anh chị, cho em hỏi làm lại giấy khai sinh bị mất thì nộp ở đâu ạ, em cảm ơn')).toBeGreaterThan(0.7);
  });
});

describe('Telex typed by hand', () => {
  it('undoes doubled vowels, dd, w and the final tone letter', () => {
    expect(untelex('caaps')).toBe('cap');
    expect(untelex('ddieenj')).toBe('dien');
    expect(untelex('mowis')).toBe('moi');
    expect(untelex('khai')).toBeNull();
  });

  it('searches "caaps laij hooj chieeu" as "cấp lại hộ chiếu"', () => {
    const typed = top('caaps laij hooj chieeu');
    expect(typed.length).toBeGreaterThan(0);
    expect(typed[0]).toBe(top('cấp lại hộ chiếu')[0]);
  });
});
