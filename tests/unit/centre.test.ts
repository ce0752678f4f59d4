import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Centre } from '../../knowledge/schemas';
import { centreProfile, contactLine, hotlineText, isCommuneLevel, receptionRefusal } from '../../src/domain/centre/centre';
import { preferCentreProvince, provinceOf, type Promulgation } from '../../src/domain/centre/scope';
import { centreIds, loadCentreOf } from '../../src/knowledge-base/load';
import { KNOWLEDGE_DIR, tempDir } from '../helpers';

describe('provinceOf', () => {
  it.each([
    ['UBND tỉnh Nghệ An', 'nghe an'],
    ['UBND Thành phố Huế', 'hue'],
    ['Trung tâm phục vụ hành chính công Thành phố Hà Nội', 'ha noi'],
    ['Sở Xây dựng - tỉnh Quảng Ngãi', 'quang ngai'],
    ['UBND Thành phố Hồ Chí Minh', 'ho chi minh'],
    ['Bộ Tư pháp', null],
  ])('%s → %s', (body, province) => expect(provinceOf(body)).toBe(province));
});

describe('preferCentreProvince', () => {
  const of: Record<string, Promulgation> = {
    n: { scope: 'national', promulgatedBy: 'Bộ Tư pháp' },
    na: { scope: 'provincial', promulgatedBy: 'UBND tỉnh Nghệ An' },
    hue: { scope: 'provincial', promulgatedBy: 'UBND Thành phố Huế' },
    x: { scope: 'provincial' },
  };
  const hits = [
    { code: 'n', score: 0.98 },
    { code: 'hue', score: 0.92 },
    { code: 'na', score: 0.91 },
    { code: 'x', score: 0.5 },
  ];
  const prefer = (province: string | null, query: string) => preferCentreProvince(hits, (c) => of[c], province, query).map((h) => h.code);

  it("puts the centre province's copy first, keeps national and unknown ones, drops other provinces'", () => {
    expect(prefer('Nghệ An', 'tư vấn pháp luật')).toEqual(['na', 'n', 'x']);
    expect(prefer('Hà Nội', 'tư vấn pháp luật')).toEqual(['n', 'x']);
  });
  it("keeps another province's copy when the query names it (with or without diacritics) or its code", () => {
    expect(prefer('Hà Nội', 'tư vấn pháp luật ở Huế')).toEqual(['n', 'hue', 'x']);
    expect(prefer('Hà Nội', 'tu van phap luat hue')).toEqual(['n', 'hue', 'x']);
    expect(prefer('Hà Nội', 'thủ tục hue')).toContain('hue');
    const haiPhong = () => ({ scope: 'provincial' as const, promulgatedBy: 'UBND Thành phố Hải Phòng' });
    expect(preferCentreProvince([{ code: '1.014890', score: 1 }], haiPhong, 'Hà Nội', 'thủ tục 1.014890')).toHaveLength(1);
    expect(preferCentreProvince([{ code: '1.014890', score: 1 }], haiPhong, 'Hà Nội', 'gia hạn thử nghiệm')).toHaveLength(0);
  });
  it('changes nothing without a centre province', () => {
    expect(prefer(null, 'x')).toEqual(['n', 'hue', 'na', 'x']);
  });
});

describe('commune level', () => {
  it('knows a commune procedure by its levels or its agency', () => {
    expect(isCommuneLevel({ levels: ['commune'], agency: 'Ủy ban nhân dân cấp xã' })).toBe(true);
    expect(isCommuneLevel({ levels: [], agency: 'UBND cấp xã' })).toBe(true);
    expect(isCommuneLevel({ levels: ['province', 'commune'], agency: 'Ủy ban nhân dân cấp tỉnh, Ủy ban nhân dân cấp xã' })).toBe(false);
    expect(isCommuneLevel({ levels: ['province'], agency: 'Sở Tư pháp' })).toBe(false);
  });
  it('refuses a commune procedure at a city branch, not at a commune point, and not without a centre', () => {
    const birth = { levels: ['commune' as const], agency: 'Ủy ban nhân dân cấp xã' };
    const hanoi = centreProfile(Centre.parse(JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'centres', 'hanoi.json'), 'utf8'))));
    expect(receptionRefusal(hanoi, 'hn-cn01', birth)?.code).toBe('commune_level');
    expect(receptionRefusal({ ...hanoi, communePointIds: ['hn-xa-1'] }, 'hn-xa-1', birth)).toBeNull();
    expect(receptionRefusal(centreProfile(null), 'test-a', birth)).toBeNull();
  });
});

describe('the bundled centres', () => {
  it('are the four centres of the seeds, each valid, with its branches under its prefix', () => {
    expect(centreIds(KNOWLEDGE_DIR)).toEqual(['binhduong', 'hanoi', 'hcmc', 'nghean']);
    for (const id of centreIds(KNOWLEDGE_DIR)) {
      const loaded = loadCentreOf(KNOWLEDGE_DIR, id);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
      const centre = loaded.centre!;
      expect(centre.id).toBe(id);
      for (const b of centre.branches) {
        expect(b.id.startsWith(centre.branchIdPrefix)).toBe(true);
        // Every fact sourced, or the record says it is a sample.
        expect(b.source !== null || b.sample).toBe(true);
      }
      expect(centre.pages.length).toBeGreaterThan(0);
    }
  });
  it('say no hotline they cannot source', () => {
    const profile = (id: string) => centreProfile((loadCentreOf(KNOWLEDGE_DIR, id) as { centre: Centre }).centre);
    expect(contactLine(profile('hanoi'))).toMatch(/024\.1022 \(nhánh 7, 8\)/);
    expect(profile('hcmc').hotlines).toEqual([]);
    expect(contactLine(profile('hcmc'))).not.toMatch(/Đường dây nóng/);
    // Said inside a sentence: the centre's own number, or the centre by name; never Hanoi's for another.
    expect(hotlineText(profile('hanoi'))).toBe('đường dây nóng 024.1022 (nhánh 7, 8)');
    expect(hotlineText({ ...profile('hcmc'), hotlines: [] })).toBe(`đường dây nóng của ${profile('hcmc').name}`);
  });
  it("refuse a branch outside the centre's prefix, naming the file and the field", () => {
    const dir = tempDir();
    try {
      mkdirSync(join(dir.path, 'centres'));
      const hanoi = JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'centres', 'hanoi.json'), 'utf8'));
      hanoi.branches[1].id = 'hcm-cn02';
      writeFileSync(join(dir.path, 'centres', 'hanoi.json'), JSON.stringify(hanoi));
      expect(loadCentreOf(dir.path, 'hanoi')).toEqual({
        ok: false,
        errors: [{ file: join('centres', 'hanoi.json'), path: '$.branches[1].id', reason: 'mã chi nhánh phải bắt đầu bằng hn-' }],
      });
    } finally {
      dir.remove();
    }
  });
});
