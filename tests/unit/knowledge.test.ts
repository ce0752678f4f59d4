import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RerankerFile } from '../../knowledge/schemas';
import { bundledKnowledge } from '../helpers';

/** The most-asked procedures (issue 3), which must be present with their everyday names. */
const MOST_ASKED = [
  '1.001193', '1.000894', '2.000806', '1.000656', '2.000986', '2.001023', '2.000635', '1.004873', '1.004859',
  '1.001022', '1.004222', '1.004194', '1.010041', '1.014061', '1.014062', '1.014063', '1.014064', '3.000333',
  '2.000815', '2.000884', '3.000347', '1.001612', '2.001583', '2.001610', '2.002041', '2.002023', '1.013978',
  '1.013831', '1.013225', '1.001456', '1.013067', '1.014748', '1.013855',
];

describe('the bundled knowledge base', () => {
  it('holds the whole national catalogue, each procedure once', () => {
    const { procedures } = bundledKnowledge();
    expect(procedures.length).toBeGreaterThan(5600);
    expect(new Set(procedures.map((p) => p.code)).size).toBe(procedures.length);
    expect(procedures.filter((p) => p.detail === 'full').length).toBeGreaterThanOrEqual(502);
  });

  it("attaches the search's second stage from reranker.json to the dictionary", () => {
    const file = RerankerFile.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'knowledge', 'reranker.json'), 'utf8')));
    expect(file.model.depth).toBeGreaterThan(0);
    expect(bundledKnowledge().synonyms!.reranker).toEqual(file.model);
  });

  it('has every most-asked procedure, with aliases and a ranking prior', () => {
    const byCode = new Map(bundledKnowledge().procedures.map((p) => [p.code, p]));
    for (const code of MOST_ASKED) {
      const p = byCode.get(code);
      expect(p).toBeDefined();
      expect(p!.aliases.length).toBeGreaterThan(0);
      expect(p!.popularity).toBe(1);
    }
  });

  it('cites a source for every record and marks what is not verified', () => {
    for (const p of bundledKnowledge().procedures) {
      expect(p.source.url).toMatch(/^https:\/\//);
      if (p.detail === 'catalogue') expect(p.unverifiedFields).toEqual(expect.arrayContaining(['documentCases', 'fees']));
    }
  });

  it('stores all text in NFC', () => {
    for (const p of bundledKnowledge().procedures.slice(0, 500)) {
      expect(p.name.normalize('NFC')).toBe(p.name);
      for (const c of p.documentCases) for (const d of c.documents) expect(d.name.normalize('NFC')).toBe(d.name);
    }
  });

  it('holds the curated full records of the social-insurance, unemployment and education procedures, each linking its portal page and the copy it came from', () => {
    const byCode = new Map(bundledKnowledge().procedures.map((p) => [p.code, p]));
    const codes = ['1.014160', '1.014163', '1.014171', '1.014172', '1.014173', '1.014178', '1.014179', '1.014140', '1.014749', '1.014750', '1.014751', '1.014752', '1.014753', '2.002854', '3.000465', '1.000915'];
    for (const code of codes) {
      const p = byCode.get(code)!;
      expect(p.detail).toBe('full');
      expect(p.documentCases.some((c) => c.documents.length > 0)).toBe(true);
      expect(p.processingTimes.length).toBeGreaterThan(0);
      expect(p.source.url).toMatch(/^https:\/\/dichvucong\.gov\.vn\/thu-tuc-hanh-chinh\/[0-9a-f-]{36}$/);
      expect(p.source.copiedFrom?.url).toMatch(/^https:\/\/github\.com\/.+\/details\/[0-9a-f-]{36}\.json$/);
      expect(p.verified).toBe(false);
      // The converter's "catalogue only" note no longer describes a record with documents.
      expect(p.notes).not.toMatch(/Chỉ có thông tin danh mục/);
    }
    // Both verification fees of the foreign-degree recognition, not only the first the portal lists online.
    expect(byCode.get('1.000915')!.fees.map((f) => f.amountVnd)).toEqual([250000, 500000]);
    // A fee of 0 without any text is not shown as free.
    expect(byCode.get('1.014163')!.fees).toEqual([]);
    expect(byCode.get('1.014163')!.unverifiedFields).toContain('fees');
    // One province's centre is not the agency of a nationwide procedure.
    expect(byCode.get('1.014752')!.agencies.join(' ')).not.toMatch(/Cao Bằng/);
  });

  it('keeps the official documents of a full record, with originals and copies', () => {
    const birth = bundledKnowledge().procedures.find((p) => p.code === '1.000894')!;
    const documents = birth.documentCases.flatMap((c) => c.documents);
    expect(documents.some((d) => /Tờ khai đăng ký kết hôn/.test(d.name) && d.originals === 1)).toBe(true);
  });
});
