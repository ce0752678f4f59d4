/**
 * Converts the national catalogue export (catalogue.jsonl + details/<code>.json, as the National Public
 * Service Portal published them) into our own schema: knowledge/procedures/national.jsonl.
 * Official texts are kept as published (only NFC and whitespace are normalised).
 * A development-time tool: the product reads knowledge/, never the export.
 *
 *   npm run kb:convert -- [exportDir] [outFile]
 */
import { readFileSync, readdirSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import {
  Procedure,
  type DocumentCase,
  type Fee,
  type ProcessingTime,
  type RequiredDocument,
} from '../knowledge/schemas';
import { nfc } from '../src/domain/text/normalize';

const CRAWL_COMMIT = '048ca4aeaac4cb773850f3e14a3eab9834504bc7';
const CRAWL_DATE = '2026-07-18';
const REPO = 'https://github.com/VoidKeishi/OpenGOV/blob/' + CRAWL_COMMIT + '/backend/data/crawl';
const SOURCE_TITLE = 'Cổng Dịch vụ công quốc gia, dữ liệu thủ tục hành chính (bản thu thập ' + CRAWL_DATE + ')';

const CatalogueLine = z.object({
  code: z.string(),
  name: z.string(),
  categories: z.array(z.string()),
  departments: z.array(z.string()),
  departmentPromulgate: z.string(),
  formalityTargetType: z.array(z.string()),
  type: z.enum(['STANDARD', 'SPECIFIC', 'STANDARD_INTERNAL']),
  state: z.string(),
});
type CatalogueLine = z.infer<typeof CatalogueLine>;

const Named = z.object({ name: z.string().nullish().optional(), code: z.string().nullish().optional() });
const DetailRecord = z.object({
  code: z.string(),
  name: z.string(),
  executionSteps: z.array(z.object({ name: z.string().nullish(), description: z.string().nullish() })),
  executionMethods: z.array(
    z.object({
      submissionMethod: z.string(),
      processingTime: z.union([z.number(), z.string()]).nullish(),
      processingTimeUnit: z.string().nullish(),
      description: z.string().nullish(),
      fees: z.array(z.object({ type: z.string(), value: z.number().nullish(), description: z.string().nullish() })),
    }),
  ),
  executionCases: z.array(
    z.object({
      name: z.string().nullish(),
      profileComponents: z.array(
        z.object({
          name: z.string(),
          originalQty: z.number().nullish(),
          copyQty: z.number().nullish(),
          required: z.boolean().nullish(),
          code: z.string().nullish().optional(),
          attachments: z.array(z.object({ name: z.string().nullish().optional(), url: z.string().nullish().optional() }).passthrough()),
        }),
      ),
    }),
  ),
  requirementsAndConditions: z.string().nullish(),
  legalBasisesDetails: z.array(Named).default([]),
  resultsDetails: z.array(Named).default([]),
  unitGroupsExecuting: z.array(Named).default([]),
  executingAgencies: z.string().nullish(),
  isNonTerritorial: z.boolean().nullish(),
  isFullProcess: z.boolean().nullish(),
  isOfflineOnly: z.boolean().nullish().optional(),
  isWard: z.boolean().nullish(),
  isProvince: z.boolean().nullish(),
  isMinistry: z.boolean().nullish(),
  returningMethods: z.array(z.object({ type: z.string(), value: z.array(z.string()) })).default([]),
  keywords: z.string().nullish(),
  cases: z.array(z.object({ processingDay: z.object({ qty: z.number(), type: z.string() }).nullish().optional() })).default([]),
});
type DetailRecord = z.infer<typeof DetailRecord>;

const METHOD: Record<string, ProcessingTime['method']> = { DIRECT: 'direct', ONLINE: 'online', POSTAL: 'post' };
const UNIT: Record<string, ProcessingTime['unit']> = {
  WORKING_DAY: 'working_days',
  DAY: 'days',
  HOUR: 'hours',
  MONTH: 'months',
  OTHER: 'other',
};
const UNIT_WORDS: Record<ProcessingTime['unit'], string> = {
  working_days: 'ngày làm việc',
  days: 'ngày',
  hours: 'giờ',
  months: 'tháng',
  same_day: 'trong ngày',
  other: '',
};

function clean(text: string | null | undefined): string {
  return nfc(text ?? '');
}

function levelsFromDepartments(departments: string[]): Procedure['levels'] {
  const levels = new Set<Procedure['levels'][number]>();
  for (const department of departments) {
    const d = department.toLowerCase();
    if (/cấp xã|xã, phường|cấp huyện/.test(d)) levels.add('commune');
    else if (/cấp tỉnh|^sở |tỉnh|thành phố|khu vực/.test(d)) levels.add('province');
    else if (/^bộ |^cục |chính phủ|ngân hàng nhà nước việt nam|^ủy ban .*nhà nước/.test(d)) levels.add('central');
    else levels.add('other');
  }
  return [...levels];
}

/** Some records give the time only as words ("Không quá 15 ngày…"); then amount is null and text carries it. */
function processingTimes(detail: DetailRecord): ProcessingTime[] {
  const fromMethods = detail.executionMethods.map((m): ProcessingTime => {
    const words = typeof m.processingTime === 'string' ? clean(m.processingTime) : '';
    const amount = typeof m.processingTime === 'number' ? m.processingTime : null;
    let unit = UNIT[m.processingTimeUnit ?? 'OTHER'] ?? 'other';
    const description = clean(m.description);
    if (unit === 'other' && /trong ngày/i.test(description + words)) unit = 'same_day';
    const stated = amount !== null && unit !== 'other' ? `${amount} ${UNIT_WORDS[unit]}` : '';
    const text =
      [stated, words, description].filter(Boolean).join('. ') ||
      `${amount ?? ''} (Cổng ghi đơn vị "khác", không kèm mô tả)`.trim();
    return { method: METHOD[m.submissionMethod] ?? 'any', amount: words && amount === null ? null : amount, unit, text };
  });
  const fromCases = detail.cases
    .map((c) => c.processingDay)
    .filter((d): d is { qty: number; type: string } => !!d && UNIT[d.type] !== undefined && d.type !== 'OTHER')
    .map((d): ProcessingTime => {
      const unit = UNIT[d.type];
      return { method: 'any', amount: d.qty, unit, text: `${d.qty} ${UNIT_WORDS[unit]}` };
    });
  const all = [...fromMethods, ...fromCases];
  const seen = new Set<string>();
  return all.filter((t) => {
    const key = JSON.stringify(t);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** A fee of value 0 usually carries its amount only in the description (see the export's README). */
function fees(detail: DetailRecord): Fee[] {
  const seen = new Set<string>();
  const out: Fee[] = [];
  for (const m of detail.executionMethods) {
    for (const f of m.fees) {
      const description = clean(f.description);
      const value = f.value ?? 0;
      const free = value === 0 && /miễn|không thu|không mất/i.test(description);
      const amountVnd = value > 0 ? value : free ? 0 : null;
      if (amountVnd === null && !description) continue;
      const fee: Fee = {
        method: METHOD[m.submissionMethod] ?? 'any',
        kind: f.type === 'FEE' ? 'fee' : 'charge',
        amountVnd,
        description,
        exemptions: null,
      };
      const key = JSON.stringify([fee.method, fee.kind, fee.amountVnd, fee.description]);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(fee);
      }
    }
  }
  return out;
}

function copyKind(name: string, copies: number): RequiredDocument['copyKind'] {
  const n = name.toLowerCase();
  if (/bản sao (có )?chứng thực|bản sao được chứng thực/.test(n)) return 'certified_copy';
  if (/bản sao.*(kèm|xuất trình) bản chính/.test(n)) return 'copy_with_original';
  if (copies > 0 || /bản sao|bản chụp/.test(n)) return 'copy';
  return 'unspecified';
}

/** "Trường hợp …: …" / "Trường hợp … thì …": the condition is the clause before the colon or "thì". */
function conditionOf(name: string): string | null {
  const m = /^[-+*•\s]*((?:trường hợp|đối với|nếu)[^:]{3,200}?)(?::|\s+thì\s)/i.exec(name);
  return m ? nfc(m[1]) : null;
}

function documentCases(detail: DetailRecord): DocumentCase[] {
  return detail.executionCases.map((c) => {
    const documents: RequiredDocument[] = [];
    const notes: string[] = [];
    for (const p of c.profileComponents) {
      const name = clean(p.name);
      if (!name) continue;
      const originals = p.originalQty ?? 0;
      const copies = p.copyQty ?? 0;
      if (originals === 0 && copies === 0) {
        notes.push(name);
        continue;
      }
      const formCode = /mẫu(?: số)? ([A-ZĐ]{1,4}\d{1,3}[a-z]?(?:\/[\w/-]+)?)/i.exec(name)?.[1] ?? null;
      documents.push({
        name,
        originals,
        copies,
        copyKind: copyKind(name, copies),
        required: p.required ?? false,
        condition: conditionOf(name),
        formCode,
        forms: p.attachments
          .filter((a) => a.name)
          .map((a) => ({ name: clean(a.name), url: a.url && /^https?:/.test(a.url) ? a.url : null })),
        commonMistakes: [],
        replaceableByData: null,
      });
    }
    return { name: clean(c.name), documents, notes };
  });
}

function resultDelivery(detail: DetailRecord): string | null {
  const where = new Set(detail.returningMethods.flatMap((r) => r.value));
  if (where.size === 0) return null;
  const words: Record<string, string> = {
    AT_SUBMISSION_PLACE: 'tại nơi nộp hồ sơ',
    AT_HOME: 'qua dịch vụ bưu chính',
    ONLINE: 'bản điện tử trên Cổng Dịch vụ công',
  };
  return [...where].map((w) => words[w] ?? w).join('; ');
}

function convert(line: CatalogueLine, detail: DetailRecord | null): Procedure {
  const departments = line.departments.map(clean).filter(Boolean);
  const executing = detail
    ? [...detail.unitGroupsExecuting.map((u) => clean(u.name)), clean(detail.executingAgencies)].filter(Boolean)
    : [];
  const agencies = [...new Set([...departments, ...executing])];
  const unverified: string[] = [];
  if (agencies.length === 0) unverified.push('agency');
  if (detail && detail.executionMethods.some((m) => m.processingTimeUnit === 'OTHER' && !clean(m.description))) {
    unverified.push('processingTimes');
  }
  if (detail && fees(detail).length === 0) unverified.push('fees');
  const base = {
    code: line.code.trim(),
    name: clean(line.name),
    aliases: [],
    field: clean(line.categories[0]) || 'Chưa phân loại',
    fields: line.categories.map(clean).filter(Boolean),
    agency: agencies[0] ?? `Chưa công bố (cơ quan công bố thủ tục: ${clean(line.departmentPromulgate)})`,
    agencies,
    scope: line.type === 'STANDARD' ? 'national' : line.type === 'SPECIFIC' ? 'provincial' : 'internal',
    promulgatedBy: clean(line.departmentPromulgate),
    targets: line.formalityTargetType.map(clean).filter(Boolean),
    verified: true,
    popularity: 0,
  } as const;
  if (!detail) {
    return Procedure.parse({
      ...base,
      levels: levelsFromDepartments(departments),
      detail: 'catalogue',
      onlineLevel: 'unknown',
      nonBoundary: null,
      source: { url: `${REPO}/catalog.jsonl`, title: SOURCE_TITLE, retrievedAt: CRAWL_DATE },
      unverifiedFields: [...unverified, 'processingTimes', 'fees', 'documentCases', 'legalBasis', 'onlineLevel', 'nonBoundary'],
      notes: 'Chỉ có thông tin danh mục; thành phần hồ sơ, phí và thời hạn chưa được thu thập.',
    });
  }
  const levels: Procedure['levels'] = [];
  if (detail.isMinistry) levels.push('central');
  if (detail.isProvince) levels.push('province');
  if (detail.isWard) levels.push('commune');
  const steps = detail.executionSteps
    .flatMap((s) => clean([s.name, s.description].filter(Boolean).join(': ')).split(/ (?=Bước \d)/))
    .map(clean)
    .filter(Boolean);
  return Procedure.parse({
    ...base,
    name: clean(detail.name) || base.name,
    levels: levels.length ? levels : levelsFromDepartments(departments),
    detail: 'full',
    processingTimes: processingTimes(detail),
    fees: fees(detail),
    legalBasis: detail.legalBasisesDetails
      .filter((l) => l.name)
      .map((l) => ({ code: clean(l.code), name: clean(l.name) })),
    onlineLevel: detail.isFullProcess ? 'full' : detail.isOfflineOnly ? 'none' : 'partial',
    nonBoundary: detail.isNonTerritorial ?? null,
    documentCases: documentCases(detail),
    steps,
    requirements: clean(detail.requirementsAndConditions),
    results: detail.resultsDetails.map((r) => clean(r.name)).filter(Boolean),
    resultDelivery: resultDelivery(detail),
    source: { url: `${REPO}/details/${line.code}.json`, title: SOURCE_TITLE, retrievedAt: CRAWL_DATE },
    unverifiedFields: unverified,
  });
}

function main(): void {
  const exportDir = resolve(process.argv[2] ?? '../shared/national-procedures');
  const outFile = resolve(process.argv[3] ?? 'knowledge/procedures/national.jsonl');
  const lines = readFileSync(join(exportDir, 'catalogue.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
  const detailsDir = join(exportDir, 'details');
  const detailFiles = new Set(existsSync(detailsDir) ? readdirSync(detailsDir) : []);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of lines) {
    const line = CatalogueLine.parse(JSON.parse(raw));
    line.code = line.code.trim();
    if (seen.has(line.code)) continue;
    seen.add(line.code);
    const file = `${line.code}.json`;
    const detail = detailFiles.has(file)
      ? DetailRecord.parse(JSON.parse(readFileSync(join(detailsDir, file), 'utf8')))
      : null;
    out.push(JSON.stringify(convert(line, detail)));
  }
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, out.join('\n') + '\n');
  console.log(`${out.length} procedures written to ${outFile}`);
}

main();
