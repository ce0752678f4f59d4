/**
 * What the knowledge base covers and how far it can be trusted: full records by field and by
 * promulgating ministry, fields not verified, records naming abolished bodies, obsolete records and
 * papers, the other warnings the converter set, and the fee rules in force on the day. Reads knowledge/
 * as the product does.
 *
 *   npm run kb:report [-- dir] [--json] [--date=YYYY-MM-DD]
 */
import { resolve } from 'node:path';
import type { FeeRule, Procedure } from '../knowledge/schemas';
import { localDate } from '../src/domain/calendar/vietnam-time';
import { rulesInForce } from '../src/domain/fees/fee-rules';
import { loadConfig } from '../src/config';
import { loadKnowledge } from '../src/knowledge-base/load';

export interface Coverage {
  name: string;
  full: number;
  total: number;
}

export interface KnowledgeReport {
  procedures: number;
  full: number;
  verified: number;
  /** Full records with no processing time published. */
  fullWithoutTime: number;
  byMinistry: Coverage[];
  byField: Coverage[];
  /** Records listing the field as not verified, per field. */
  unverifiedFields: Record<string, number>;
  warnings: Record<string, number>;
  staleBodyRecords: string[];
  obsoleteRecords: string[];
  /** The day the fee rules were read for (Vietnam date). */
  date: string;
  feeRulesInForce: FeeRule[];
}

function coverage(procedures: Procedure[], key: (p: Procedure) => string): Coverage[] {
  const by = new Map<string, Coverage>();
  for (const p of procedures) {
    const name = key(p) || '(không rõ)';
    const c = by.get(name) ?? { name, full: 0, total: 0 };
    c.total++;
    if (p.detail === 'full') c.full++;
    by.set(name, c);
  }
  return [...by.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
}

function count(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([, a], [, b]) => b - a));
}

export function knowledgeReport(procedures: Procedure[], feeRules: FeeRule[] = [], date = localDate(new Date())): KnowledgeReport {
  return {
    procedures: procedures.length,
    full: procedures.filter((p) => p.detail === 'full').length,
    verified: procedures.filter((p) => p.verified).length,
    fullWithoutTime: procedures.filter((p) => p.detail === 'full' && p.processingTimes.length === 0).length,
    byMinistry: coverage(procedures, (p) => (/^(UBND|Ủy ban nhân dân|Sở |Trung tâm)/i.test(p.promulgatedBy) ? 'Địa phương (UBND tỉnh, thành phố)' : p.promulgatedBy)),
    byField: coverage(procedures, (p) => p.field),
    // Curated notes name a field with an explanation ("agency (…)"): counted under the field.
    unverifiedFields: count(procedures.flatMap((p) => [...new Set(p.unverifiedFields.map((f) => f.split(/[ ([]/)[0]))])),
    warnings: count(procedures.flatMap((p) => p.warnings)),
    staleBodyRecords: procedures.filter((p) => p.warnings.includes('stale_body_name')).map((p) => p.code).sort(),
    obsoleteRecords: procedures.filter((p) => p.warnings.includes('obsolete_record')).map((p) => p.code).sort(),
    date,
    feeRulesInForce: rulesInForce(feeRules, date),
  };
}

const METHOD_NAMES = { direct: 'trực tiếp', online: 'trực tuyến', post: 'bưu chính' } as const;

const pct = (c: Coverage) => `${c.full}/${c.total} (${Math.round((100 * c.full) / c.total)}%)`;

export function formatReport(r: KnowledgeReport, fieldsShown = 25): string {
  const lines = [
    `Thủ tục: ${r.procedures}; có bản ghi đầy đủ (thành phần hồ sơ): ${r.full}; trong đó chưa công bố thời hạn: ${r.fullWithoutTime}`,
    `Bản ghi đã xác minh với văn bản chính thức: ${r.verified}; chưa xác minh: ${r.procedures - r.verified}`,
    '',
    'Theo cơ quan công bố (đầy đủ/tổng):',
    ...r.byMinistry.map((c) => `  ${pct(c).padEnd(16)} ${c.name}`),
    '',
    `Theo lĩnh vực (${fieldsShown} lĩnh vực nhiều thủ tục nhất trong ${r.byField.length}):`,
    ...r.byField.slice(0, fieldsShown).map((c) => `  ${pct(c).padEnd(16)} ${c.name}`),
    '',
    'Số bản ghi có mục chưa xác minh, theo mục:',
    ...Object.entries(r.unverifiedFields).map(([f, n]) => `  ${String(n).padStart(5)}  ${f}`),
    '',
    'Cảnh báo của bộ chuyển đổi:',
    ...Object.entries(r.warnings).map(([w, n]) => `  ${String(n).padStart(5)}  ${w}`),
    '',
    `Bản ghi nêu cơ quan cấp đã bỏ từ 01/7/2025 (${r.staleBodyRecords.length}): ${r.staleBodyRecords.join(', ')}`,
    `Bản ghi có văn bản gốc đã lỗi thời (${r.obsoleteRecords.length}): ${r.obsoleteRecords.join(', ')}`,
    '',
    `Quy định phí, lệ phí đang áp dụng ngày ${r.date.split('-').reverse().join('/')} (${r.feeRulesInForce.length}):`,
    ...r.feeRulesInForce.map((f) => {
      const what = f.kind === 'amount' ? `${f.item}: ${f.amountVnd!.toLocaleString('vi-VN')} đồng` : `miễn cho ${f.who}`;
      const until = f.validUntil ? `đến ${f.validUntil.split('-').reverse().join('/')}` : 'không thời hạn';
      return `  ${f.procedures.join(', ')}  ${what} (${f.methods.map((m) => METHOD_NAMES[m]).join(', ')}; ${f.legalBasis.code}; ${until}${f.verified ? '' : '; chưa xác minh'})`;
    }),
  ];
  return lines.join('\n');
}

function main(): number {
  const args = process.argv.slice(2);
  const dir = resolve(args.find((a) => !a.startsWith('--')) ?? loadConfig().knowledgeDir);
  const loaded = loadKnowledge(dir);
  if (!loaded.ok) {
    console.error(`${dir}: ${loaded.errors.length} lỗi`);
    for (const e of loaded.errors.slice(0, 20)) console.error(`  ${e.file}  ${e.path}  ${e.reason}`);
    return 1;
  }
  const date = args.find((a) => a.startsWith('--date='))?.slice(7) ?? localDate(new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    console.error('--date phải có dạng YYYY-MM-DD');
    return 1;
  }
  const report = knowledgeReport(loaded.knowledge.procedures, loaded.knowledge.feeRules ?? [], date);
  console.log(args.includes('--json') ? JSON.stringify(report, null, 2) : formatReport(report));
  return 0;
}

if (require.main === module) process.exit(main());
