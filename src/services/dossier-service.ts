/**
 * Dossier status for citizens (behind a proof of identity, throttled) and the officer actions that
 * move a dossier on, each leaving a notification in the outbox for the citizen's channel.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../domain/calendar/clock';
import { localDate, type LocalDate } from '../domain/calendar/vietnam-time';
import type { WorkingCalendar } from '../domain/calendar/working-days';
import {
  STATUS_LABELS,
  apologyText,
  shortName,
  dueDate,
  formatDate,
  isOverdue,
  proofMatches,
  type Dossier,
  type DossierStatus,
} from '../domain/dossier/dossier';
import type { Notification, Store } from '../store/types';
import { ServiceError } from './errors';
import { inertMarkdown } from '../domain/text/markdown';

/**
 * How many wrong proofs are evaluated before look-ups are refused (429). Each limit is a fixed
 * window on our clock, so a lock never lasts longer than its window.
 *
 * - Per code, short (`perCode` per `windowMinutes`, default 5 per 5 min): a stranger who guesses
 *   at someone's code locks it for at most 5 minutes, then the owner's right proof works again.
 * - Per code, daily ceiling (`perCodePerDay`, default 30 per Vietnam day): the short lock alone
 *   would let many addresses together test 1,440 proofs a day on one code (a proof matches the
 *   phone or the ID, 2 chances in 10,000 each); the ceiling bounds that to 30 (0.6% a day). Only a
 *   deliberate attack from several addresses reaches it; then the code waits until midnight.
 * - Per client, across codes (`perClient` per `clientWindowMinutes`, default 10 per 60 min): the
 *   longer penalty falls on whoever guesses, not on the owner.
 */
export interface LookupLimits {
  perCode: number;
  windowMinutes: number;
  perCodePerDay: number;
  perClient: number;
  clientWindowMinutes: number;
}

export interface NewDossier {
  code?: string;
  procedureCode: string;
  branchId: string;
  applicant: { name: string; phone: string; idNumber: string; notify: { channel: string; address: string } | null };
  receivedDate?: string;
  processingDays?: number;
  sample?: boolean;
}

/** What a citizen sees: no phone or ID number, the name shortened. */
export function citizenView(d: Dossier, today: LocalDate) {
  const overdue = isOverdue(d, today);
  return {
    code: d.code,
    procedure: { code: d.procedureCode, name: d.procedureName },
    branchId: d.branchId,
    applicant: shortName(d.applicant.name),
    status: d.status,
    statusLabel: STATUS_LABELS[d.status],
    receivedDate: d.receivedDate,
    dueDate: d.apology?.newDueDate ?? d.dueDate,
    originalDueDate: d.dueDate,
    overdue: overdue || d.apology !== null,
    // Written again from its parts: apologies stored by earlier versions carried the full name.
    apology: d.apology ? { reason: d.apology.reason, newDueDate: d.apology.newDueDate, text: apologyText(d, d.apology.reason, d.apology.newDueDate) } : null,
    missing: d.supplements.filter((s) => s.resolvedAt === null).map((s) => ({ documents: s.documents, reason: s.reason, requestedAt: s.at })),
    timeline: d.timeline.map((e) => ({ at: e.at, status: e.status, statusLabel: STATUS_LABELS[e.status], note: e.note })),
    resultReadyDate: d.resultReadyDate,
    sample: d.sample,
  };
}

/** Why a look-up is refused and when to come back, without saying whether the code exists. */
function refusal(limit: 'client' | 'code' | 'code-day', endsInMs: number): string {
  const minutes = Math.max(1, Math.ceil(endsInMs / 60_000));
  const wait = minutes > 90 ? `${Math.ceil(minutes / 60)} giờ` : `${minutes} phút`;
  if (limit === 'client') return `Ông/bà đã xác minh sai quá nhiều lần. Xin thử lại sau ${wait}.`;
  if (limit === 'code') return `Mã hồ sơ này đang tạm khóa tra cứu vì có nhiều lần xác minh sai. Xin thử lại sau ${wait}.`;
  return `Mã hồ sơ này đã bị xác minh sai quá nhiều lần trong hôm nay nên tạm khóa tra cứu trực tuyến đến hết ngày (khoảng ${wait} nữa). Ông/bà có thể hỏi trực tiếp tại trung tâm.`;
}


export class DossierService {
  constructor(
    private readonly store: Store,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    private readonly limits: LookupLimits,
    private readonly codePrefix: string,
  ) {}

  private today(): LocalDate {
    return localDate(this.clock.now());
  }

  /**
   * Citizen look-up. Unknown code and wrong proof get the same answer, and failures are throttled.
   * Every attempt reserves its place under each limit before the proof is evaluated (an atomic
   * conditional increment in the store), so concurrent requests cannot all pass a check made
   * before any of them was counted; a right proof gives its places back.
   */
  async lookup(code: string, proof: string, clientId: string) {
    const reserved = await this.reserveAttempt(code, clientId);
    const dossier = await this.store.dossiers.get(code);
    if (!dossier || !proofMatches(dossier.applicant, proof)) {
      throw new ServiceError(
        404,
        'dossier_not_found',
        'Không tìm thấy hồ sơ khớp với mã và thông tin xác minh. Xin kiểm tra mã hồ sơ trên phiếu hẹn và 4 số cuối điện thoại hoặc CCCD.',
      );
    }
    await this.release(reserved);
    return citizenView(dossier, this.today());
  }

  /** Takes one attempt under every limit, or none (429) when any limit is reached. */
  private async reserveAttempt(code: string, clientId: string): Promise<string[]> {
    const now = this.clock.now().getTime();
    // The code's limits first: a burst on one code is then refused by the code's short lock, and holds
    // at most that many of the client's places while it is evaluated.
    const limits = [
      { key: 'code', id: code, limit: this.limits.perCode, windowMs: this.limits.windowMinutes * 60_000, offsetMs: 0 },
      // The day as people in Vietnam count it (UTC+7), so the ceiling ends at their midnight.
      { key: 'code-day', id: code, limit: this.limits.perCodePerDay, windowMs: 86_400_000, offsetMs: 7 * 3_600_000 },
      { key: 'client', id: clientId, limit: this.limits.perClient, windowMs: this.limits.clientWindowMinutes * 60_000, offsetMs: 0 },
    ] as const;
    const taken: string[] = [];
    for (const l of limits) {
      const window = Math.floor((now + l.offsetMs) / l.windowMs);
      const key = `proof-fail|${l.key}|${l.id}|${l.windowMs}|${window}`;
      // The store's TTL clean-up runs on its own wall clock, not ours: keep the counter at least two windows there.
      const expires = new Date(Math.max((window + 2) * l.windowMs - l.offsetMs, Date.now() + 2 * l.windowMs));
      if (await this.store.counters.tryIncrement(key, l.limit, expires)) {
        taken.push(key);
        continue;
      }
      // Refused: the attempts already taken are given back, since this one is not evaluated.
      await this.release(taken);
      const endsInMs = (window + 1) * l.windowMs - l.offsetMs - now;
      throw new ServiceError(429, 'too_many_attempts', refusal(l.key, endsInMs));
    }
    return taken;
  }

  private async release(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.store.counters.decrement(key)));
  }

  /** The applicant, proven by the same proof as the look-up, agrees to be notified on a channel. */
  async subscribe(code: string, proof: string, notify: { channel: string; address: string }): Promise<boolean> {
    const dossier = await this.store.dossiers.get(code);
    if (!dossier || !proofMatches(dossier.applicant, proof)) return false;
    await this.store.dossiers.update(code, { set: { applicant: { ...dossier.applicant, notify } } });
    return true;
  }

  async create(input: NewDossier, officer: string) {
    const procedure = await this.store.procedures.get(input.procedureCode);
    if (!procedure) throw new ServiceError(404, 'procedure_not_found', `Không có thủ tục mã ${input.procedureCode}.`);
    if (!(await this.store.branches.get(input.branchId))) throw new ServiceError(404, 'branch_not_found', `Không có chi nhánh ${input.branchId}.`);
    const processingDays =
      input.processingDays ??
      procedure.processingTimes.find((t) => t.unit === 'working_days' && t.amount !== null && t.method === 'direct')?.amount ??
      procedure.processingTimes.find((t) => t.unit === 'working_days' && t.amount !== null)?.amount;
    if (processingDays === undefined || processingDays === null) {
      throw new ServiceError(400, 'processing_days_required', 'Thủ tục này chưa có thời hạn giải quyết theo ngày làm việc; xin nhập processingDays.', {
        fields: [{ path: 'processingDays', message: 'bắt buộc với thủ tục này' }],
      });
    }
    const received = input.receivedDate ?? this.today();
    const now = this.clock.now().toISOString();
    const code = input.code ?? (await this.nextCode(received));
    const dossier: Dossier = {
      code,
      procedureCode: procedure.code,
      procedureName: procedure.name,
      branchId: input.branchId,
      applicant: input.applicant,
      receivedDate: received,
      processingDays,
      dueDate: dueDate(received, processingDays, this.calendar),
      status: 'received',
      timeline: [{ at: now, status: 'received', note: 'Tiếp nhận hồ sơ', by: officer }],
      supplements: [],
      apology: null,
      resultReadyDate: null,
      sample: input.sample ?? false,
      createdAt: now,
    };
    if ((await this.store.dossiers.insert(dossier)) !== 'inserted') {
      throw new ServiceError(409, 'dossier_exists', `Mã hồ sơ ${code} đã tồn tại.`);
    }
    return dossier;
  }

  /** Receipt codes: PREFIX-YYMMDD-NNNN, numbered per day by an atomic counter in the store. */
  private async nextCode(received: LocalDate): Promise<string> {
    const day = received.slice(2).replace(/-/g, '');
    const n = await this.store.counters.increment(`dossier-seq|${this.codePrefix}|${day}`, new Date('2100-01-01'));
    return `${this.codePrefix}-${day}-${String(n).padStart(4, '0')}`;
  }

  async officerGet(code: string): Promise<Dossier> {
    const dossier = await this.store.dossiers.get(code);
    if (!dossier) throw new ServiceError(404, 'dossier_not_found', `Không có hồ sơ ${code}.`);
    return dossier;
  }

  async addEvent(code: string, status: DossierStatus, note: string, officer: string) {
    await this.officerGet(code);
    const set: Partial<Dossier> = { status };
    if (status === 'resolved') set.resultReadyDate = this.today();
    const updated = await this.store.dossiers.update(code, {
      set,
      push: { timeline: { at: this.clock.now().toISOString(), status, note, by: officer } },
    });
    if (status === 'resolved') await this.notify(updated!, 'dossier_resolved', `Hồ sơ ${code} đã có kết quả. Mời ông/bà đến nhận kết quả tại chi nhánh đã nộp.`);
    if (status === 'returned') await this.notify(updated!, 'dossier_returned', `Hồ sơ ${code} đã được trả kết quả. Cảm ơn ông/bà.`);
    return updated!;
  }

  async requestSupplement(code: string, documents: string[], reason: string, officer: string) {
    await this.officerGet(code);
    const at = this.clock.now().toISOString();
    const updated = await this.store.dossiers.update(code, {
      set: { status: 'supplement_requested' },
      push: {
        supplements: { at, documents, reason, resolvedAt: null },
        timeline: { at, status: 'supplement_requested', note: `Yêu cầu bổ sung: ${documents.join('; ')}. Lý do: ${reason}`, by: officer },
      },
    });
    await this.notify(updated!, 'supplement_requested', `Hồ sơ ${code} cần bổ sung: ${documents.join('; ')}. Lý do: ${reason}.`);
    return updated!;
  }

  async markLate(code: string, reason: string, newDueDate: LocalDate, officer: string) {
    const dossier = await this.officerGet(code);
    if (newDueDate <= dossier.dueDate) {
      throw new ServiceError(400, 'bad_new_due_date', `Ngày hẹn mới phải sau ngày hẹn cũ (${formatDate(dossier.dueDate)}).`, {
        fields: [{ path: 'newDueDate', message: 'phải sau ngày hẹn cũ' }],
      });
    }
    const at = this.clock.now().toISOString();
    const text = apologyText(dossier, reason, newDueDate);
    const updated = await this.store.dossiers.update(code, {
      set: { apology: { at, reason, newDueDate, text } },
      push: { timeline: { at, status: dossier.status, note: `Trễ hẹn: ${reason}. Hẹn mới ${formatDate(newDueDate)}`, by: officer } },
    });
    await this.notify(updated!, 'dossier_late', text);
    return updated!;
  }

  private async notify(d: Dossier, kind: Notification['kind'], text: string): Promise<void> {
    await this.store.outbox.enqueue({
      id: randomUUID(),
      recipient: { phone: d.applicant.phone, channel: d.applicant.notify?.channel ?? null, address: d.applicant.notify?.address ?? null },
      kind,
      // Officers' words reach the citizen's chat as markdown: no image in them may load.
      text: inertMarkdown(text),
      ref: d.code,
      createdAt: this.clock.now().toISOString(),
      deliveredAt: null,
    });
  }
}
