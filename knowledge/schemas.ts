/**
 * The knowledge base's record shapes. Every file in `knowledge/` is validated against these at import,
 * and the REST API answers with the same shapes, so the data and the API cannot drift apart.
 */
import { z } from 'zod';

/** Official national code of an administrative procedure, e.g. `1.001193`. */
export const ProcedureCode = z
  .string()
  .regex(/^\d\.\d{6,9}(-[A-Za-z]+)?$/, 'mã thủ tục phải có dạng 1.001193');
export type ProcedureCode = z.infer<typeof ProcedureCode>;

const Text = z.string().trim().min(1);

export const SourceRef = z.object({
  /** Public page or dataset the facts were taken from. */
  url: z.string().url(),
  title: Text,
  /** When the facts were collected (ISO date). */
  retrievedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /**
   * Where our copy of the official text came from when `url` is the official page itself (a public
   * crawl or export): kept so that every fact can be traced to the file it was read from.
   */
  copiedFrom: z
    .object({
      url: z.string().url(),
      /** Date of the copy (null: the copy does not say). */
      retrievedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
      format: z.string().default(''),
    })
    .optional(),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const ProcessingTime = z.object({
  /** How the dossier is filed: at the counter, online or by post. */
  method: z.enum(['direct', 'online', 'post', 'any']),
  /** null when the official text gives no single number (read `text`). */
  amount: z.number().nonnegative().nullable(),
  unit: z.enum(['working_days', 'days', 'hours', 'same_day', 'months', 'other']),
  /** The official wording, kept as published. */
  text: z.string(),
});
export type ProcessingTime = z.infer<typeof ProcessingTime>;

export const Fee = z.object({
  method: z.enum(['direct', 'online', 'post', 'any']),
  kind: z.enum(['fee', 'charge']),
  /** Amount in VND; null when the amount is only given in words in `description`. */
  amountVnd: z.number().nonnegative().nullable(),
  description: z.string(),
  exemptions: z.string().nullable().default(null),
});
export type Fee = z.infer<typeof Fee>;

export const RequiredDocument = z.object({
  name: Text,
  originals: z.number().int().nonnegative(),
  copies: z.number().int().nonnegative(),
  /** What kind of copy is accepted, when the official text says so. */
  copyKind: z.enum(['copy', 'certified_copy', 'copy_with_original', 'unspecified']).default('unspecified'),
  /**
   * true/false only when an official text we checked says so; null: unknown. The portal's own flag is
   * false on nearly every paper (its default), so converted records always carry null.
   */
  required: z.boolean().nullable(),
  /** The situation in which the document is needed (null: always). */
  condition: z.string().nullable().default(null),
  formCode: z.string().nullable().default(null),
  forms: z.array(z.object({ name: Text, url: z.string().url().nullable() })).default([]),
  /** Mistakes that get dossiers sent back for supplements. */
  commonMistakes: z.array(Text).default([]),
  /** The paper can be replaced by data the state already holds (VNeID, population database). */
  replaceableByData: z.string().nullable().default(null),
  /** The official text names a paper that no longer has legal value (CMND, sổ hộ khẩu): what to bring instead. */
  obsoletePaper: z.string().nullable().default(null),
});
export type RequiredDocument = z.infer<typeof RequiredDocument>;

export const DocumentCase = z.object({
  /** Official case heading, e.g. "Trường hợp cha, mẹ chưa đăng ký kết hôn". */
  name: z.string(),
  documents: z.array(RequiredDocument),
  /** Official notes published among the documents (no paper to bring, but rules to know). */
  notes: z.array(Text).default([]),
});
export type DocumentCase = z.infer<typeof DocumentCase>;

export const LegalBasis = z.object({
  code: z.string(),
  name: Text,
});
export type LegalBasis = z.infer<typeof LegalBasis>;

/**
 * Known weaknesses of a record, set by the converter so that reviewers and the report can find them.
 * stale_body_name: the official text names a body of a level abolished on 01/7/2025 (thị trấn, cấp
 * huyện…); obsolete_paper: it asks for CMND or sổ hộ khẩu; obsolete_record: the official record itself is
 * out of date; fee_amount_suspicious: an amount under 1,000 đồng; fees_first_only: the copy shows one fee
 * per submission method and may miss others; document_name_glued: a document name may end with a
 * form's file name; sections_resplit: the copy's sections were re-cut from its raw text;
 * legal_basis_codes_extracted: only the codes of the legal texts were read from a run-together text.
 */
export const RecordWarning = z.enum([
  'stale_body_name',
  'obsolete_paper',
  'obsolete_record',
  'fee_amount_suspicious',
  'fee_amount_corrected',
  'fees_first_only',
  'document_name_glued',
  'sections_resplit',
  'legal_basis_codes_extracted',
]);
export type RecordWarning = z.infer<typeof RecordWarning>;

export const Level = z.enum(['central', 'province', 'commune', 'other']);

export const Procedure = z.object({
  code: ProcedureCode,
  name: Text,
  /** Everyday names people use ("làm giấy khai sinh", "sổ đỏ"). */
  aliases: z.array(Text).default([]),
  /** Life situations in which people need it ("con mới sinh chưa có giấy tờ"): search vocabulary,
   * weighed below the name and aliases. */
  situations: z.array(Text).default([]),
  field: Text,
  fields: z.array(Text).default([]),
  /** Competent agency for display; `agencies` keeps every body the catalogue names. */
  agency: Text,
  agencies: z.array(Text).default([]),
  levels: z.array(Level).default([]),
  /** national: STANDARD in the national database; provincial: a province's own (SPECIFIC). */
  scope: z.enum(['national', 'provincial', 'internal']),
  promulgatedBy: z.string(),
  targets: z.array(Text).default([]),
  /** full: documents, fees and times are known; catalogue: only the catalogue entry. */
  detail: z.enum(['full', 'catalogue']),
  processingTimes: z.array(ProcessingTime).default([]),
  fees: z.array(Fee).default([]),
  legalBasis: z.array(LegalBasis).default([]),
  /** The legal basis as one run-together text, when the copy could not be split reliably (kept verbatim). */
  legalBasisText: z.string().default(''),
  onlineLevel: z.enum(['full', 'partial', 'none', 'unknown']),
  /** May be filed at any branch regardless of residence (phi địa giới). null: not published. */
  nonBoundary: z.boolean().nullable(),
  documentCases: z.array(DocumentCase).default([]),
  steps: z.array(Text).default([]),
  requirements: z.string().default(''),
  results: z.array(Text).default([]),
  /** How the result is returned (counter, post, electronic). */
  resultDelivery: z.string().nullable().default(null),
  source: SourceRef,
  /** True only when the facts were checked against the official publication. */
  verified: z.boolean(),
  /** Fields that could not be verified and must not be presented as fact. */
  unverifiedFields: z.array(z.string()).default([]),
  notes: z.string().default(''),
  warnings: z.array(RecordWarning).default([]),
  /** Ranking prior in [0, 1]: how often citizens ask for this procedure. */
  popularity: z.number().min(0).max(1).default(0),
});
export type Procedure = z.infer<typeof Procedure>;
export type ProcedureInput = z.input<typeof Procedure>;

/** What search needs of a procedure; kept small so the index of 5,670 procedures stays light. */
export type ProcedureSummary = Pick<
  Procedure,
  'code' | 'name' | 'aliases' | 'field' | 'agency' | 'scope' | 'detail' | 'popularity' | 'levels' | 'promulgatedBy'
> &
  Partial<Pick<Procedure, 'situations'>>;

/**
 * A curated overlay: facts sourced by hand for the most-asked procedures. Merged over the converted
 * national record (or standing alone when the portal export has no full record).
 */
export const CuratedProcedure = Procedure.partial().extend({
  code: ProcedureCode,
  source: SourceRef,
  verified: z.boolean(),
});
export type CuratedProcedure = z.infer<typeof CuratedProcedure>;

const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'giờ phải có dạng HH:MM');

export const OpeningHours = z.object({
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: z.number().int().min(1).max(7),
  open: HourMinute,
  close: HourMinute,
});

export const Counter = z.object({
  id: Text,
  name: Text,
  /** Fields (lĩnh vực) served at this counter; empty means every field. */
  fields: z.array(Text).default([]),
});

/** Fields of a branch record a source may fail to give (then listed in `unverifiedFields`). */
export const BranchField = z.enum([
  'name',
  'address',
  'district',
  'ward',
  'location',
  'phone',
  'status',
  'openingHours',
  'counters',
  'slotMinutes',
  'capacityPerSlot',
  'booking',
]);
export type BranchField = z.infer<typeof BranchField>;

export const Branch = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /**
   * What the place is. `branch`: a branch (chi nhánh) of the centre, receiving the procedures of the
   * province's departments. `commune`: a commune-level one-stop place (Trung tâm / Điểm phục vụ hành
   * chính công xã, phường, since 1/7/2025), where procedures settled at the commune level are filed.
   */
  kind: z.enum(['branch', 'commune']).default('branch'),
  name: Text,
  address: Text,
  district: Text,
  ward: z.string().nullable().default(null),
  city: Text,
  location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
  /** Coordinates are approximate (geocoded from the address), not surveyed. */
  locationApproximate: z.boolean().default(true),
  phone: z.string().nullable().default(null),
  status: z.enum(['operating', 'planned']),
  openingHours: z.array(OpeningHours),
  counters: z.array(Counter),
  slotMinutes: z.number().int().positive().default(15),
  /** People each counter can receive in one slot. */
  capacityPerSlot: z.number().int().positive().default(1),
  /** Booking rules of the branch (Hanoi's 2025 online queue conventions by default). */
  booking: z
    .object({
      /** No booking for a slot starting sooner than this. */
      leadMinutes: z.number().int().nonnegative().default(30),
      /** Bookable days: today and the next N days. */
      horizonDays: z.number().int().nonnegative().default(6),
      maxPerPhonePerDay: z.number().int().positive().default(2),
      /** People of this age or older are served first (null: no priority). */
      priorityAge: z.number().int().positive().nullable().default(75),
    })
    .prefault({}),
  /** Some field holds invented example values (hours, counters…): never present the record as fact. */
  sample: z.boolean(),
  /** The official text or press page the name and address come from (null: none found). */
  source: SourceRef.nullable(),
  /** Further pages that give or corroborate other facts of the record. */
  moreSources: z.array(SourceRef).default([]),
  /** True only when every field was checked against an official publication. */
  verified: z.boolean().default(false),
  /** Fields no source gives (left empty or holding sample values): not to be presented as fact. */
  unverifiedFields: z.array(BranchField).default([]),
  notes: z.string().default(''),
});
export type Branch = z.infer<typeof Branch>;

/**
 * One Public Administrative Service Centre (knowledge/centres/<id>.json, chosen by CENTRE): what the
 * citizen reads about "the centre" and the branches it books at. Every fact has a source or the
 * record says `sample`.
 */
export const Centre = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    /** Official name, as the welcome line says it. */
    name: Text,
    /** The province or city whose own catalogue copies (promulgated by its People's Committee) come first. */
    province: Text,
    /** Every branch id starts with it: a province-wide database keeps each centre's branches (and so its bookings) apart. */
    branchIdPrefix: z.string().regex(/^[a-z0-9]+-$/),
    address: Text,
    hotlines: z.array(z.object({ number: Text, label: Text })).default([]),
    /** Opening hours as published, in words (the bookable hours are each branch's). null: not published. */
    openingHoursText: z.string().nullable().default(null),
    /** Prefix of this centre's dossier codes (DOSSIER_CODE_PREFIX overrides it). */
    dossierCodePrefix: z.string().regex(/^[A-Z0-9]{2,12}(\.[A-Z0-9]{1,6})*$/).optional(),
    branches: z.array(Branch).min(1),
    /** Commune-level one-stop reception points (level commune procedures are filed there). */
    communePoints: z.array(Branch).default([]),
    /** Where commune-level procedures are filed when no reception point is listed. */
    communeAdvice: Text,
    /** Official pages and press the facts come from. */
    pages: z.array(SourceRef).min(1),
    sample: z.boolean(),
    notes: z.string().default(''),
  })
  .superRefine((centre, ctx) => {
    const seen = new Set<string>();
    for (const [list, kind] of [['branches', 'branch'], ['communePoints', 'commune']] as const) {
      centre[list].forEach((b, i) => {
        const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [list, i, field], message });
        if (!b.id.startsWith(centre.branchIdPrefix)) issue('id', `mã chi nhánh phải bắt đầu bằng ${centre.branchIdPrefix}`);
        if (seen.has(b.id)) issue('id', `mã ${b.id} bị trùng`);
        seen.add(b.id);
        if (b.kind !== kind) issue('kind', kind === 'branch' ? 'chi nhánh phải có kind "branch"' : 'điểm cấp xã phải có kind "commune"');
        // Every fact has a source, or the record says it is a sample.
        if (b.source === null && !b.sample) issue('source', 'không có nguồn thì phải ghi sample: true');
        if (b.verified && (b.source === null || b.sample || b.unverifiedFields.length > 0)) {
          issue('verified', 'verified: true chỉ khi có nguồn, không có dữ liệu mẫu và không còn trường chưa xác minh');
        }
        if (b.openingHours.length === 0 && !b.unverifiedFields.includes('openingHours')) issue('openingHours', 'giờ làm việc để trống thì phải ghi trong unverifiedFields');
      });
    }
  });
export type Centre = z.infer<typeof Centre>;

export const Holiday = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  name: Text,
  /** A working Saturday/Sunday swapped in to make a bridge holiday (ngày làm bù). */
  kind: z.enum(['holiday', 'compensatory_day_off', 'make_up_working_day']),
  source: SourceRef,
});
export type Holiday = z.infer<typeof Holiday>;

export const SynonymEntry = z.object({
  /** What people type ("cccd", "so do", "nhap khau"). Matched after folding diacritics. */
  terms: z.array(Text).min(1),
  /** What it means in official wording, added to the query. */
  expandsTo: z.array(Text).min(1),
  note: z.string().default(''),
});
export type SynonymEntry = z.infer<typeof SynonymEntry>;

export const SynonymDictionary = z.object({
  version: z.number().int(),
  entries: z.array(SynonymEntry),
  /** Words that carry little meaning in a question ("cho", "cần gì"); they weigh less in matching. */
  fillers: z.array(Text).default([]),
  /** Everyday language that is not about any procedure (from `everyday-offtopic.json`): what the
   * refusal decision learns the domain apart from. */
  offTopic: z.array(Text).default([]),
  /** Frames people write questions in ("cho em hỏi {} ạ"); `{}` is where the need goes. */
  frames: z.array(z.string().includes('{}')).default([]),
  /** The search's second stage (from `reranker.json`): travels with the dictionary, as the index is built from both. */
  reranker: z.lazy(() => RerankerFile.shape.model).optional(),
});
export type SynonymDictionary = z.infer<typeof SynonymDictionary>;

/**
 * `reranker.json`: weights of the search's second stage (src/domain/search/rerank.ts), written by
 * `npm run kb:train-reranker` with what it was trained on, so that it can be reproduced and judged.
 */
export const RerankerFile = z.object({
  note: z.string().default(''),
  model: z.object({
    depth: z.number().int().min(0).max(50),
    weights: z.object({
      unionQuery: z.number(),
      unionQueryBigram: z.number(),
      unionClause: z.number(),
      nameTitle: z.number(),
      nameQuery: z.number(),
      popularity: z.number(),
      fullRecord: z.number(),
      // Added later: a file written before them weighs them 0.
      qualifierAgree: z.number().default(0),
      qualifierExtra: z.number().default(0),
    }),
  }),
  training: z.record(z.string(), z.unknown()).default({}),
});
export type RerankerFile = z.infer<typeof RerankerFile>;

export const EverydayNames = z.object({
  note: z.string().default(''),
  entries: z.array(
    z.object({
      code: ProcedureCode,
      aliases: z.array(Text),
      /** Ranking prior in [0, 1]. */
      popularity: z.number().min(0).max(1),
    }),
  ),
});
export type EverydayNames = z.infer<typeof EverydayNames>;

/**
 * How people describe the procedures of one ministry (`knowledge/everyday/<ministry>.json`): everyday
 * aliases and life situations written from the official texts only. Search vocabulary, not legal facts;
 * each entry says which official record it was written from.
 */
export const EverydayVocabulary = z.object({
  ministry: Text,
  note: z.string().default(''),
  entries: z.array(
    z.object({
      codes: z.array(ProcedureCode).min(1),
      /** The official name the entry was written for (for reviewers; the code is what links). */
      name: z.string(),
      aliases: z.array(Text).default([]),
      situations: z.array(Text).default([]),
      /** The official record the vocabulary was written from. */
      source: z.string().min(1),
    }),
  ),
});
export type EverydayVocabulary = z.infer<typeof EverydayVocabulary>;

/** `knowledge/everyday-offtopic.json`: written examples of messages that are not about a procedure. */
export const EverydayOffTopic = z.object({
  note: z.string().default(''),
  frames: z.array(z.string().includes('{}')).min(1),
  examples: z.array(Text).min(1),
});
export type EverydayOffTopic = z.infer<typeof EverydayOffTopic>;

export const IntentName = z.enum([
  'greeting',
  'help',
  'menu',
  'cancel',
  'back',
  'thanks',
  'procedure',
  'checklist',
  'booking',
  'booking_manage',
  'status',
  'feedback',
  'complaint',
  'human',
  'volunteer',
  'officer',
]);
export type IntentName = z.infer<typeof IntentName>;

export const IntentExamples = z.object({
  note: z.string().default(''),
  intents: z.array(z.object({ name: IntentName, examples: z.array(Text).min(3) })),
  /** Words that say nothing about the task ("tôi", "muốn"); left out when comparing. */
  stopwords: z.array(Text).default([]),
});
export type IntentExamples = z.infer<typeof IntentExamples>;

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ngày phải có dạng YYYY-MM-DD');

/**
 * One fee rule with its legal basis and validity: fees change by circular (TT 64/2025/TT-BTC halves some
 * until 31/12/2026) and by resolution (NQ 66.22/2026/NQ-CP exempts citizens filing online), so the amount
 * a citizen owes depends on the day and on how the dossier is filed.
 * - `amount`: the amount of one fee item (`item`) of the procedures while the rule is in force; of two
 *   amount rules in force the same day for the same item, the one that began later applies (a temporary
 *   reduction over the permanent level).
 * - `exemption`: no fee for the people `who` describes, over every item of the procedures.
 */
export const FeeRule = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    kind: z.enum(['amount', 'exemption']),
    procedures: z.array(ProcedureCode).min(1),
    /** The fee item as citizens read it ("Cấp đổi thẻ căn cước"); amount rules only. */
    item: Text.optional(),
    amountVnd: z.number().int().nonnegative().optional(),
    /** Filing methods the rule covers: at the counter, online, by post. */
    methods: z.array(z.enum(['direct', 'online', 'post'])).min(1),
    /**
     * First and last day in force (Vietnam dates, inclusive). validUntil null: no end set; validFrom null:
     * the start was not checked (the rule is taken as in force on every day before its end).
     */
    validFrom: IsoDate.nullable(),
    validUntil: IsoDate.nullable(),
    /** Exemptions: who qualifies, in plain Vietnamese. */
    who: Text.optional(),
    legalBasis: LegalBasis,
    /** Where the rule was read; `verified` only when read in the official text itself. */
    source: SourceRef,
    verified: z.boolean(),
    note: z.string().default(''),
  })
  .superRefine((r, ctx) => {
    if (r.kind === 'amount' && (r.item === undefined || r.amountVnd === undefined))
      ctx.addIssue({ code: 'custom', message: 'quy định mức thu cần "item" và "amountVnd"', path: ['item'] });
    if (r.kind === 'exemption' && r.who === undefined) ctx.addIssue({ code: 'custom', message: 'quy định miễn cần "who"', path: ['who'] });
    if (r.validFrom !== null && r.validUntil !== null && r.validUntil < r.validFrom)
      ctx.addIssue({ code: 'custom', message: 'ngày hết hiệu lực trước ngày bắt đầu', path: ['validUntil'] });
  });
export type FeeRule = z.infer<typeof FeeRule>;

export const FeeRules = z.object({ note: z.string().default(''), rules: z.array(FeeRule) });
export type FeeRules = z.infer<typeof FeeRules>;
