import { FeeRule, FeeRules, type Fee } from '../../knowledge/schemas';
import { feesByMethod, feesOn, rulesInForce } from '../../src/domain/fees/fee-rules';
import { loadKnowledge } from '../../src/knowledge-base/load';
import { KNOWLEDGE_DIR, bundledKnowledge, tempDir } from '../helpers';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A tiny table: a permanent level, a temporary halving, an online exemption for a few months. */
const source = { url: 'https://example.org/fee-fixture', title: 'Bảng thử nghiệm', retrievedAt: '2026-12-01' };
const basis = (code: string) => ({ code, name: `Văn bản ${code}` });
const rule = (r: Partial<FeeRule> & Pick<FeeRule, 'id' | 'kind'>): FeeRule =>
  FeeRule.parse({ procedures: ['1.000001'], methods: ['direct', 'online', 'post'], validFrom: null, validUntil: null, legalBasis: basis('1/2024/TT-BTC'), source, verified: true, ...r });
const RULES: FeeRule[] = [
  rule({ id: 'base', kind: 'amount', item: 'Cấp đổi', amountVnd: 50000 }),
  rule({ id: 'half', kind: 'amount', item: 'Cấp đổi', amountVnd: 25000, validFrom: '2025-07-01', validUntil: '2026-12-31', legalBasis: basis('64/2025/TT-BTC') }),
  rule({ id: 'online-free', kind: 'exemption', methods: ['online'], validFrom: '2026-08-15', validUntil: '2027-02-28', who: 'công dân số', legalBasis: basis('66.22/2026/NQ-CP') }),
];
const RECORD_FEES: Fee[] = [{ method: 'direct', kind: 'fee', amountVnd: 50000, description: 'Cấp đổi: 50.000 đồng', exemptions: null }];
const amount = (date: string, method: 'direct' | 'online' | 'post' = 'direct') => feesOn('1.000001', RECORD_FEES, RULES, date, method).fees.map((f) => f.amountVnd);

describe('fee rules by day and filing method', () => {
  it('the permanent level before the halving, the half during it (its last day included), the level again after', () => {
    expect(amount('2025-06-30')).toEqual([50000]);
    expect(amount('2025-07-01')).toEqual([25000]);
    expect(amount('2026-12-31')).toEqual([25000]);
    expect(amount('2027-01-01')).toEqual([50000]);
  });

  it('names the rule, its legal basis and its last day', () => {
    const [fee] = feesOn('1.000001', RECORD_FEES, RULES, '2026-12-01', 'direct').fees;
    expect(fee).toEqual({ item: 'Cấp đổi', amountVnd: 25000, ruleId: 'half', legalBasis: basis('64/2025/TT-BTC'), validUntil: '2026-12-31', verified: true });
  });

  it('exempts only the method the exemption covers, only within its dates', () => {
    const on = (date: string, method: 'direct' | 'online') => feesOn('1.000001', RECORD_FEES, RULES, date, method).exemption?.ruleId ?? null;
    expect(on('2026-08-14', 'online')).toBeNull();
    expect(on('2026-08-15', 'online')).toBe('online-free');
    expect(on('2027-02-28', 'online')).toBe('online-free');
    expect(on('2027-03-01', 'online')).toBeNull();
    expect(on('2026-09-01', 'direct')).toBeNull();
  });

  it('says when what applies changes next, and what applies then', () => {
    expect(feesOn('1.000001', RECORD_FEES, RULES, '2026-12-01', 'direct').nextChange).toEqual({
      date: '2027-01-01',
      fees: [expect.objectContaining({ amountVnd: 50000, ruleId: 'base' })],
      exemption: null,
    });
    const online = feesOn('1.000001', RECORD_FEES, RULES, '2026-08-01', 'online').nextChange!;
    expect([online.date, online.exemption?.ruleId, online.fees[0].amountVnd]).toEqual(['2026-08-15', 'online-free', 25000]);
    expect(feesOn('1.000001', RECORD_FEES, RULES, '2027-03-01', 'online').nextChange).toBeNull();
  });

  it('keeps the record\'s own fees, per method, for a procedure without an amount rule (exemptions still apply)', () => {
    const other: Fee[] = [
      { method: 'direct', kind: 'fee', amountVnd: 20000, description: 'Nộp trực tiếp', exemptions: null },
      { method: 'online', kind: 'fee', amountVnd: 10000, description: 'Nộp trực tuyến', exemptions: null },
    ];
    const rules = RULES.map((r) => (r.kind === 'exemption' ? { ...r, procedures: ['1.000002'] } : r));
    const today = feesByMethod('1.000002', other, rules, '2026-09-01');
    expect(today.direct.fees.map((f) => [f.amountVnd, f.ruleId])).toEqual([[20000, null]]);
    expect(today.online.fees.map((f) => f.amountVnd)).toEqual([10000]);
    expect(today.online.exemption?.ruleId).toBe('online-free');
    expect(today.post.fees).toEqual([]);
  });

  it('lists the rules in force on a day', () => {
    expect(rulesInForce(RULES, '2027-01-05').map((r) => r.id)).toEqual(['base', 'online-free']);
  });
});

describe('knowledge/fee-rules.json', () => {
  it('is valid, names only codes of the catalogue, and every rule says where it comes from and whether it was checked', () => {
    const rules = bundledKnowledge().feeRules!;
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect([r.id, r.source.url, typeof r.verified]).toEqual([r.id, expect.stringMatching(/^https:\/\//), 'boolean']);
  });

  const refused = (change: (doc: FeeRules) => void) => {
    const dir = tempDir();
    try {
      cpSync(KNOWLEDGE_DIR, dir.path, { recursive: true });
      const file = join(dir.path, 'fee-rules.json');
      const doc = FeeRules.parse(JSON.parse(readFileSync(file, 'utf8')));
      change(doc);
      writeFileSync(file, JSON.stringify(doc));
      const result = loadKnowledge(dir.path);
      return result.ok ? [] : result.errors;
    } finally {
      dir.remove();
    }
  };

  it('is refused at import, with the place named, when a rule names a code the catalogue does not hold', () => {
    expect(refused((doc) => (doc.rules[0] = { ...doc.rules[0], procedures: ['9.999999'] }))).toEqual([
      { file: 'fee-rules.json', path: '$.rules[0].procedures[0]', reason: 'mã thủ tục 9.999999 không có trong danh mục' },
    ]);
  });

  it('is refused at import when a rule ends before it begins', () => {
    expect(refused((doc) => (doc.rules[1] = { ...doc.rules[1], validFrom: '2027-01-01', validUntil: '2026-01-01' }))).toEqual([
      { file: 'fee-rules.json', path: '$.rules[1].validUntil', reason: 'ngày hết hiệu lực trước ngày bắt đầu' },
    ]);
  });
});
