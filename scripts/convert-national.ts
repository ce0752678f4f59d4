/**
 * Converts the national catalogue and the full records we have copies of into our own schema, in
 * knowledge/procedures/:
 *   - catalogue.jsonl: procedures known only from the catalogue (name, field, agency);
 *   - full-<promulgating body>.jsonl: procedures with documents, fees, times and steps, one file per
 *     ministry (local governments together), so that a review reads one ministry's diff at a time.
 * Inputs (development only; the product reads knowledge/, never the export):
 *   <exportDir>/catalogue.jsonl, <exportDir>/details/<code>.json (the portal's API, 502 records) and
 *   <exportDir>/more/<code>.json (page, API and .doc copies from public repositories; see its README).
 * Page ids on the portal (for links to the official page) come from scripts/data/portal-pages.json.
 * Official texts are kept as published (only NFC and whitespace are normalised); the rules that
 * decide what a fee of 0 or a unit "khác" means are in scripts/national-rules.ts.
 * The output directory is regenerated: .jsonl files in it that this run did not write are removed.
 *
 *   npm run kb:convert -- [exportDir] [outDir] [portalPagesFile]
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { Procedure, type ProcessingTime, type RecordWarning } from '../knowledge/schemas';
import { fold } from '../src/domain/text/normalize';
import { markObsoletePapers } from '../src/knowledge-base/obsolete-papers';
import {
  applyCorrection,
  casesFrom,
  chooseAgency,
  clean,
  feeFrom,
  hasDocuments,
  legalCodes,
  methodOf,
  onlineLevelOf,
  orderTimes,
  parseTimeText,
  preferLine,
  sameProcedure,
  timeFrom,
  uniqueFees,
  type FeeInput,
} from './national-rules';

const CRAWL_COMMIT = '048ca4aeaac4cb773850f3e14a3eab9834504bc7';
const CRAWL_DATE = '2026-07-18';
const OPENGOV = 'https://github.com/VoidKeishi/OpenGOV/blob/' + CRAWL_COMMIT + '/backend/data/crawl';
const PORTAL = 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/';
const CATALOGUE_TITLE = 'Cổng Dịch vụ công quốc gia, danh mục thủ tục hành chính (bản thu thập ' + CRAWL_DATE + ')';
const PAGE_TITLE = 'Cổng Dịch vụ công quốc gia, trang thủ tục hành chính';

/** Every field of a converted record comes from the portal or a copy of it: none is checked by us. */
const PORTAL_FIELDS = ['agency', 'processingTimes', 'fees', 'documentCases', 'legalBasis', 'onlineLevel', 'nonBoundary'];

export const CatalogueLine = z.object({
  code: z.string(),
  name: z.string(),
  categories: z.array(z.string()),
  departments: z.array(z.string()),
  departmentPromulgate: z.string(),
  formalityTargetType: z.array(z.string()),
  type: z.enum(['STANDARD', 'SPECIFIC', 'STANDARD_INTERNAL']),
  state: z.string(),
});
export type CatalogueLine = z.infer<typeof CatalogueLine>;

const Named = z.object({ name: z.string().nullish().optional(), code: z.string().nullish().optional() });
const DetailRecord = z.object({
  id: z.string().nullish(),
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
  isWard: z.boolean().nullish(),
  isProvince: z.boolean().nullish(),
  isMinistry: z.boolean().nullish(),
  returningMethods: z.array(z.object({ type: z.string(), value: z.array(z.string()) })).default([]),
  cases: z
    .array(z.object({ code: z.string().nullish(), processingDay: z.object({ qty: z.number(), type: z.string() }).nullish().optional() }))
    .default([]),
});
type DetailRecord = z.infer<typeof DetailRecord>;

/** A record of ../more (format in its README). */
const MoreRecord = z.object({
  code: z.string(),
  name: z.string(),
  catalogueName: z.string().nullish(),
  inNationalCatalogue: z.boolean(),
  source: z.object({
    repo: z.string(),
    path: z.string(),
    commit: z.string(),
    date: z.string().nullish(),
    url: z.string().nullish(),
    originalFile: z.string().nullish(),
  }),
  sourceFormat: z.string(),
  agency: z.string().nullish(),
  executingAgenciesText: z.string().nullish(),
  level: z.string().nullish(),
  field: z.string().nullish(),
  methods: z.array(
    z.object({
      method: z.string().nullish(),
      methodVi: z.string().nullish(),
      processingTime: z.number().nullish(),
      processingTimeUnit: z.string().nullish(),
      processingTimeText: z.string().nullish(),
      feeText: z.string().nullish(),
      feeDescription: z.string().nullish(),
      fees: z.array(z.object({ type: z.string(), value: z.number().nullish(), currency: z.string().nullish(), description: z.string().nullish() })).nullish(),
      description: z.string().nullish(),
    }),
  ),
  processingCases: z.array(z.object({ code: z.string(), qty: z.number().nullish(), unit: z.string().nullish() })).nullish(),
  documents: z
    .array(
      z.object({
        name: z.string(),
        originals: z.number().int().nonnegative(),
        copies: z.number().int().nonnegative(),
        condition: z.string().nullish(),
        forms: z.array(z.string()).nullish(),
        nameMayEndWithFormFileName: z.boolean().nullish(),
      }),
    )
    .default([]),
  documentsNote: z.string().nullish(),
  steps: z.string().nullish(),
  legalBasis: z.array(z.object({ name: z.string(), code: z.string().nullish() })).nullish(),
  legalBasisText: z.string().nullish(),
  requirements: z.string().nullish(),
  results: z.array(z.string()).nullish(),
  resultsText: z.string().nullish(),
  onlineLevel: z.string().nullish(),
  isNonTerritorial: z.boolean().nullish(),
  portalUpdatedAt: z.string().nullish(),
  sectionsResplitFromRawText: z.boolean().nullish(),
});
type MoreRecord = z.infer<typeof MoreRecord>;

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

function levelsFromText(level: string | null | undefined): Procedure['levels'] {
  const l = fold(level ?? '');
  const out: Procedure['levels'] = [];
  if (l.includes('cap bo')) out.push('central');
  if (l.includes('cap tinh')) out.push('province');
  if (l.includes('cap xa')) out.push('commune');
  if (l.includes('co quan khac')) out.push('other');
  return out;
}

/** Steps as a list: one line or one "Bước N" each. */
function stepList(text: string): string[] {
  return text
    .split(/\n|(?= Bước \d)/)
    .map(clean)
    .filter(Boolean);
}

/** Mentions of abolished bodies inside official texts ("chuyển cho Công an cấp huyện"). */
function mentionsStaleBody(text: string): boolean {
  return /(công an|bảo hiểm xã hội|ủy ban nhân dân|ubnd|tòa án nhân dân|chi cục thuế|ban chỉ huy quân sự)( cấp)? (huyện|quận|thị xã)(?!\p{L})/iu.test(text);
}

function base(line: CatalogueLine) {
  return {
    code: line.code,
    name: clean(line.name),
    aliases: [],
    field: clean(line.categories[0]) || 'Chưa phân loại',
    fields: line.categories.map(clean).filter(Boolean),
    scope: line.type === 'STANDARD' ? 'national' : line.type === 'SPECIFIC' ? 'provincial' : 'internal',
    promulgatedBy: clean(line.departmentPromulgate),
    targets: line.formalityTargetType.map(clean).filter(Boolean),
    verified: false,
    popularity: 0,
  } as const;
}

function fallbackAgency(line: CatalogueLine): string {
  return `Chưa công bố (cơ quan công bố thủ tục: ${clean(line.departmentPromulgate) || 'không rõ'})`;
}

function finish(record: Record<string, unknown>, warn: Set<RecordWarning>): Procedure {
  const parsed = Procedure.parse(record);
  const corrected = applyCorrection(parsed, warn);
  return markObsoletePapers(Procedure.parse({ ...corrected, warnings: [...warn].sort() }));
}

export function convertCatalogueOnly(line: CatalogueLine, pageId: string | null = null): Procedure {
  const warn = new Set<RecordWarning>();
  const { agency, agencies } = chooseAgency(line.departments, [], warn);
  return finish(
    {
      ...base(line),
      agency: agency ?? fallbackAgency(line),
      agencies,
      levels: levelsFromDepartments(agencies),
      detail: 'catalogue',
      onlineLevel: 'unknown',
      nonBoundary: null,
      source: pageId
        ? {
            url: PORTAL + pageId,
            title: PAGE_TITLE,
            retrievedAt: CRAWL_DATE,
            copiedFrom: { url: `${OPENGOV}/catalog.jsonl`, retrievedAt: CRAWL_DATE, format: 'catalogue' },
          }
        : { url: `${OPENGOV}/catalog.jsonl`, title: CATALOGUE_TITLE, retrievedAt: CRAWL_DATE },
      unverifiedFields: PORTAL_FIELDS,
      notes: 'Chỉ có thông tin danh mục; thành phần hồ sơ, phí và thời hạn chưa được thu thập.',
    },
    warn,
  );
}

/** A record of details/ (the portal's API JSON). */
export function convertDetail(line: CatalogueLine, detail: DetailRecord, pageId: string | null = null): Procedure {
  const id = detail.id ?? pageId;
  const warn = new Set<RecordWarning>();
  const steps = detail.executionSteps.flatMap((s) => stepList([s.name, s.description].filter(Boolean).join(': ')));
  const stepsText = steps.join(' ');
  const channels: ProcessingTime[] = [];
  const fees: FeeInput[] = [];
  for (const m of detail.executionMethods) {
    const method = methodOf(m.submissionMethod);
    const words = typeof m.processingTime === 'string' ? m.processingTime : '';
    const amount = typeof m.processingTime === 'number' ? m.processingTime : null;
    const row = timeFrom(method, amount, m.processingTimeUnit ?? 'OTHER', words, { description: m.description ?? '', steps: stepsText });
    if (row) channels.push(row);
    for (const f of m.fees) {
      fees.push({ method, kind: f.type === 'FEE' ? 'fee' : 'charge', value: f.value ?? null, currency: 'VND', description: f.description ?? '' });
    }
  }
  const caseRows = detail.cases.flatMap((c, i) => {
    const d = c.processingDay;
    if (!d || d.type === 'OTHER') return [];
    const row = timeFrom('any', d.qty, d.type, '', { description: '', steps: stepsText });
    return row ? [{ code: c.code ?? String(i).padStart(4, '0'), row }] : [];
  });
  const documentCases = casesFrom(
    detail.executionCases.map((c) => ({
      heading: c.name ?? '',
      papers: c.profileComponents.map((p) => ({
        name: p.name,
        originals: p.originalQty ?? 0,
        copies: p.copyQty ?? 0,
        forms: p.attachments.map((a) => a.name ?? ''),
        formUrls: p.attachments.map((a) => (a.url && /^https?:/.test(a.url) ? a.url : null)),
      })),
    })),
    warn,
  );
  const executing = [...detail.unitGroupsExecuting.map((u) => clean(u.name)), clean(detail.executingAgencies)].filter(Boolean);
  const { agency, agencies } = chooseAgency(line.departments, executing, warn);
  if (mentionsStaleBody(stepsText)) warn.add('stale_body_name');
  const processingTimes = orderTimes(channels, caseRows);
  const levels: Procedure['levels'] = [];
  if (detail.isMinistry) levels.push('central');
  if (detail.isProvince) levels.push('province');
  if (detail.isWard) levels.push('commune');
  const where = new Set(detail.returningMethods.flatMap((r) => r.value));
  const delivery: Record<string, string> = {
    AT_SUBMISSION_PLACE: 'tại nơi nộp hồ sơ',
    AT_HOME: 'qua dịch vụ bưu chính',
    ONLINE: 'bản điện tử trên Cổng Dịch vụ công',
  };
  const copy = `${OPENGOV}/details/${line.code}.json`;
  return finish(
    {
      ...base(line),
      name: clean(detail.name) || clean(line.name),
      agency: agency ?? fallbackAgency(line),
      agencies,
      levels: levels.length ? levels : levelsFromDepartments(agencies),
      detail: hasDocuments(documentCases) ? 'full' : 'catalogue',
      processingTimes,
      fees: uniqueFees(fees.map((f) => feeFrom(f, warn))),
      legalBasis: detail.legalBasisesDetails.filter((l) => l.name).map((l) => ({ code: clean(l.code), name: clean(l.name) })),
      onlineLevel: onlineLevelOf(detail.executionMethods.map((m) => methodOf(m.submissionMethod)), detail.isFullProcess),
      nonBoundary: detail.isNonTerritorial ?? null,
      documentCases,
      steps,
      requirements: clean(detail.requirementsAndConditions),
      results: detail.resultsDetails.map((r) => clean(r.name)).filter(Boolean),
      resultDelivery: where.size ? [...where].map((w) => delivery[w] ?? w).join('; ') : null,
      source: {
        url: id ? PORTAL + id : copy,
        title: id ? PAGE_TITLE : CATALOGUE_TITLE,
        retrievedAt: CRAWL_DATE,
        copiedFrom: { url: copy, retrievedAt: CRAWL_DATE, format: 'api-json' },
      },
      unverifiedFields: PORTAL_FIELDS,
    },
    warn,
  );
}

/** "Phí : 0 Đồng (…)", "50,000 VNĐ", "160000 Việt Nam Đồng", "Miễn phí", "Không có thông tin", "10 USD". */
export function parseFeeText(text: string): { value: number | null; currency: FeeInput['currency']; kind: FeeInput['kind']; note: string } {
  const t = clean(text);
  const kind: FeeInput['kind'] = /^phí\s*:/i.test(t) ? 'charge' : 'fee';
  const body = t.replace(/^(lệ phí|phí)\s*:\s*/i, '');
  const note = /\((.*)\)\s*$/s.exec(body)?.[1] ?? '';
  const head = body.replace(/\(.*\)\s*$/s, '').trim();
  if (/^(miễn phí|không có thông tin)?$/i.test(head)) return { value: null, currency: 'VND', kind, note };
  const m = /^([\d.,]+|không|o)?\s*(việt nam đồng|vnđ|đồng|usd)?/i.exec(head);
  const raw = m?.[1] ?? '';
  const value = /^\d[\d.,]*$/.test(raw) ? Number(raw.replace(/[.,]/g, '')) : raw ? 0 : null;
  const currency = /usd/i.test(m?.[2] ?? '') ? 'USD' : m?.[2] || value !== null ? 'VND' : 'other';
  return { value, currency, kind, note: value === null && !m?.[2] ? [head, note].filter(Boolean).join(' ') : note };
}

/** A record of more/ (page text, API JSON or the old portal's .doc export). */
export function convertMore(line: CatalogueLine, more: MoreRecord, pageId: string | null = null): Procedure {
  const warn = new Set<RecordWarning>();
  const stepsRaw = more.steps ?? '';
  const steps = stepList(stepsRaw);
  const stepsText = clean(stepsRaw);
  const channels: ProcessingTime[] = [];
  const fees: FeeInput[] = [];
  const methods = more.methods.map((m) => methodOf(m.method, m.methodVi));
  more.methods.forEach((m, i) => {
    const method = methods[i];
    const parsed =
      m.processingTime !== null && m.processingTime !== undefined
        ? { amount: m.processingTime, unitCode: m.processingTimeUnit ?? 'OTHER', words: '' }
        : parseTimeText(m.processingTimeText ?? '');
    const row = timeFrom(method, parsed.amount, parsed.unitCode, parsed.words, { description: m.description ?? '', steps: stepsText });
    if (row) channels.push(row);
    if (m.fees && m.fees.length > 0) {
      for (const f of m.fees) {
        const currency = !f.currency || /đồng|vnđ|vnd/i.test(f.currency) ? 'VND' : /usd/i.test(f.currency) ? 'USD' : 'other';
        fees.push({ method, kind: f.type === 'FEE' ? 'fee' : 'charge', value: f.value ?? null, currency, description: f.description ?? '' });
      }
    } else if (m.feeText !== null && m.feeText !== undefined) {
      const fee = parseFeeText(m.feeText);
      fees.push({ method, kind: fee.kind, value: fee.value, currency: fee.currency, description: [fee.note, m.feeDescription ?? ''].map(clean).filter(Boolean).join('. ') });
    }
  });
  const pageText = more.sourceFormat.startsWith('page-text');
  // Trap 3: the page shows one fee per channel; other fees of the API are lost.
  if (pageText) warn.add('fees_first_only');
  if (more.sectionsResplitFromRawText) warn.add('sections_resplit');
  const caseRows = (more.processingCases ?? []).flatMap((c) => {
    if (c.qty === null || c.qty === undefined || !c.unit || c.unit === 'OTHER') return [];
    const row = timeFrom('any', c.qty, c.unit, '', { description: '', steps: stepsText });
    return row ? [{ code: c.code, row }] : [];
  });
  // Documents under their case heading, consecutive papers of one heading together.
  const groups: { heading: string; papers: Parameters<typeof casesFrom>[0][number]['papers'] }[] = [];
  for (const d of more.documents) {
    const heading = clean(d.condition);
    let group = groups[groups.length - 1];
    if (!group || group.heading !== heading) groups.push((group = { heading, papers: [] }));
    group.papers.push({ name: d.name, originals: d.originals, copies: d.copies, forms: d.forms ?? [], mayBeGlued: !!d.nameMayEndWithFormFileName });
  }
  const documentCases = casesFrom(groups, warn);
  const note = clean(more.documentsNote);
  if (note && note !== 'no-table') {
    if (documentCases.length === 0) documentCases.push({ name: '', documents: [], notes: [] });
    documentCases[0].notes.push(note);
  }
  const copyAgencies = (more.agency ?? '').split(/,\s*(?=[\p{Lu}])/u).map(clean).filter(Boolean);
  const { agency, agencies } = chooseAgency(line.departments, copyAgencies, warn);
  if (mentionsStaleBody(stepsText)) warn.add('stale_body_name');
  let legalBasis = (more.legalBasis ?? []).map((l) => ({ code: clean(l.code), name: clean(l.name) })).filter((l) => l.name);
  const legalBasisText = clean(more.legalBasisText);
  if (legalBasis.length === 0 && legalBasisText) {
    legalBasis = legalCodes(legalBasisText);
    warn.add('legal_basis_codes_extracted');
  }
  const processingTimes = orderTimes(channels, caseRows);
  const copyUrl = `https://github.com/${more.source.repo}/blob/${more.source.commit}/${more.source.path}`;
  const uuid = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/.exec(more.source.path)?.[1];
  const portalUrl = more.source.url && more.source.url.startsWith(PORTAL) ? more.source.url : uuid ? PORTAL + uuid : pageId ? PORTAL + pageId : null;
  const copyDate = more.source.date ?? more.portalUpdatedAt?.slice(0, 10) ?? null;
  const format = more.sourceFormat.split(' ')[0];
  const fullProcess = more.onlineLevel ? /toàn trình/i.test(more.onlineLevel) : null;
  const results = more.results?.length ? more.results.map(clean).filter(Boolean) : clean(more.resultsText) ? [clean(more.resultsText)] : [];
  const notes = [
    format === 'doc-extracted' ? `Bản xuất ${more.source.originalFile ?? 'ChiTietTTHC'} của cổng cũ.` : '',
    pageText ? 'Bản chép trang Cổng chỉ hiện một khoản phí cho mỗi cách nộp; có thể còn khoản khác.' : '',
  ].filter(Boolean);
  return finish(
    {
      ...base(line),
      agency: agency ?? fallbackAgency(line),
      agencies,
      field: clean(line.categories[0]) || clean(more.field) || 'Chưa phân loại',
      levels: levelsFromText(more.level).length ? levelsFromText(more.level) : levelsFromDepartments(agencies),
      detail: hasDocuments(documentCases) ? 'full' : 'catalogue',
      processingTimes,
      fees: uniqueFees(fees.map((f) => feeFrom(f, warn))),
      legalBasis,
      legalBasisText: legalBasis.length && !more.legalBasis?.length ? legalBasisText : '',
      onlineLevel: onlineLevelOf(methods.filter((m) => m !== 'any'), fullProcess),
      nonBoundary: more.isNonTerritorial ?? null,
      documentCases,
      steps,
      requirements: clean(more.requirements),
      results,
      source: {
        url: portalUrl ?? copyUrl,
        title: portalUrl ? PAGE_TITLE : `${PAGE_TITLE} (bản xuất .doc của cổng cũ)`,
        retrievedAt: copyDate ?? CRAWL_DATE,
        copiedFrom: { url: copyUrl, retrievedAt: copyDate, format },
      },
      unverifiedFields: PORTAL_FIELDS,
      notes: notes.join('\n'),
    },
    warn,
  );
}

export interface ConversionResult {
  procedures: Procedure[];
  /** Records of more/ not used, with the reason. */
  skipped: { code: string; reason: string }[];
}

/**
 * Where each code's page is on the portal: the catalogue export lacks the page id, the crawl it comes
 * from has it (scripts/data/portal-pages.json, with its source). Keyed by code and procedure type,
 * because one code is used twice (F13).
 */
export type PortalPages = Map<string, string>;

export function readPortalPages(file: string): PortalPages {
  const pages = new Map<string, string>();
  if (!existsSync(file)) return pages;
  const data = z.object({ pages: z.array(z.object({ code: z.string(), type: z.string(), id: z.string().regex(/^[0-9a-f-]{36}$/) })) }).parse(JSON.parse(readFileSync(file, 'utf8')));
  for (const p of data.pages) pages.set(`${p.code} ${p.type}`, p.id);
  return pages;
}

/** Reads an export directory and converts it; pure apart from reading files. */
export function convertExport(exportDir: string, pages: PortalPages = new Map()): ConversionResult {
  const skipped: ConversionResult['skipped'] = [];
  const lines = new Map<string, CatalogueLine>();
  for (const raw of readFileSync(join(exportDir, 'catalogue.jsonl'), 'utf8').split('\n')) {
    if (!raw.trim()) continue;
    const line = CatalogueLine.parse(JSON.parse(raw));
    line.code = line.code.trim();
    const other = lines.get(line.code);
    if (other) {
      // F13: two catalogue lines share a code once trimmed; keep the one citizens can use.
      const kept = preferLine(other, line);
      const dropped = kept === line ? other : line;
      skipped.push({ code: line.code, reason: `mã trùng trong danh mục: bỏ "${clean(dropped.name)}" (${dropped.type}), giữ "${clean(kept.name)}"` });
      lines.set(line.code, kept);
    } else lines.set(line.code, line);
  }
  const read = (dir: string) => new Set(existsSync(dir) ? readdirSync(dir).filter((f) => /^\d\.\d+.*\.json$/.test(f)) : []);
  const detailsDir = join(exportDir, 'details');
  const moreDir = join(exportDir, 'more');
  const details = read(detailsDir);
  const more = read(moreDir);
  const excludedFile = join(moreDir, 'excluded.json');
  const excluded = new Set(
    existsSync(excludedFile) ? (JSON.parse(readFileSync(excludedFile, 'utf8')) as { code: string }[]).map((e) => e.code) : [],
  );
  const procedures: Procedure[] = [];
  for (const line of [...lines.values()].sort((a, b) => a.code.localeCompare(b.code))) {
    const file = `${line.code}.json`;
    const pageId = pages.get(`${line.code} ${line.type}`) ?? null;
    if (details.has(file)) {
      procedures.push(convertDetail(line, DetailRecord.parse(JSON.parse(readFileSync(join(detailsDir, file), 'utf8'))), pageId));
      continue;
    }
    if (more.has(file) && !excluded.has(line.code)) {
      const record = MoreRecord.parse(JSON.parse(readFileSync(join(moreDir, file), 'utf8')));
      // Trap 1: a copy of another procedure under this code is not used.
      if (record.code.trim() !== line.code || !sameProcedure(line.name, record.name)) {
        skipped.push({ code: line.code, reason: `bản chép là thủ tục khác: "${clean(record.name)}"` });
      } else {
        procedures.push(convertMore(line, record, pageId));
        continue;
      }
    }
    procedures.push(convertCatalogueOnly(line, pageId));
  }
  for (const file of more) {
    const code = file.replace(/\.json$/, '');
    if (!lines.has(code)) skipped.push({ code, reason: 'không có trong danh mục quốc gia hiện hành (có thể đã được thay thế)' });
    else if (excluded.has(code)) skipped.push({ code, reason: 'bị loại trong excluded.json' });
  }
  return { procedures, skipped: skipped.sort((a, b) => a.code.localeCompare(b.code)) };
}

/** The file a record is written to: catalogue-only records together, full ones by promulgating body. */
export function fileFor(p: Procedure): string {
  if (p.detail === 'catalogue' && p.processingTimes.length === 0 && p.fees.length === 0) return 'catalogue.jsonl';
  const body = fold(p.promulgatedBy);
  const slug = /^(ubnd|uy ban nhan dan|so |trung tam)/.test(body) || !body ? 'dia-phuong' : body.replace(/\(.*?\)/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `full-${slug}.jsonl`;
}

export function writeProcedures(outDir: string, procedures: Procedure[]): Map<string, number> {
  const files = new Map<string, string[]>();
  for (const p of procedures) {
    const file = fileFor(p);
    if (!files.has(file)) files.set(file, []);
    // Life situations are search vocabulary kept in knowledge/everyday/, joined at load time: the
    // portal has none, so the converted record does not carry the empty list.
    const { situations, ...record } = p;
    files.get(file)!.push(JSON.stringify(situations.length > 0 ? p : record));
  }
  mkdirSync(outDir, { recursive: true });
  for (const old of readdirSync(outDir)) if (old.endsWith('.jsonl') && !files.has(old)) rmSync(join(outDir, old));
  const counts = new Map<string, number>();
  for (const [file, lines] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    writeFileSync(join(outDir, file), lines.join('\n') + '\n');
    counts.set(file, lines.length);
  }
  return counts;
}

function main(): void {
  const exportDir = resolve(process.argv[2] ?? '../shared/national-procedures');
  const outDir = resolve(process.argv[3] ?? 'knowledge/procedures');
  if (!existsSync(join(exportDir, 'catalogue.jsonl'))) {
    // Development only: the export lives beside the repository (../shared), not in it. The bundled
    // knowledge/procedures/ is what it wrote; nothing needs rebuilding on a fresh clone.
    console.error(`kb:convert: no national export at ${exportDir} (catalogue.jsonl). It is a development step: give the export directory as the first argument, e.g. npm run kb:convert -- ../shared/national-procedures. knowledge/procedures/ is already built and unchanged.`);
    process.exitCode = 1;
    return;
  }
  const pages = readPortalPages(resolve(process.argv[4] ?? 'scripts/data/portal-pages.json'));
  const { procedures, skipped } = convertExport(exportDir, pages);
  const counts = writeProcedures(outDir, procedures);
  for (const [file, n] of counts) console.log(`${String(n).padStart(5)}  ${file}`);
  const full = procedures.filter((p) => p.detail === 'full').length;
  console.log(`${procedures.length} procedures (${full} with a full record) written to ${outDir}`);
  console.log(`${skipped.length} records of the export not used:`);
  for (const s of skipped) console.log(`  ${s.code}  ${s.reason}`);
}

if (require.main === module) main();
