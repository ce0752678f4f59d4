import { TextPrompt, WaterfallDialog, type DialogContext, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DocumentCase, RequiredDocument } from '../knowledge/schemas';
import { MessageFactory } from 'botbuilder';
import { caseChoices, dataReplacement, itemReply, quantityText, shortLabel } from '../src/domain/checklist';
import { caseFromText, mentionsPapers, statedDocuments, type StatedAnswer } from '../src/domain/checklist-statements';
import type { Checklist } from '../src/store/types';
import { profileOf, say, turnSearch, type DialogServices, type ProfileAccessor } from './dialogServices';
import { InterruptibleDialog } from './interruptibleDialog';

export const CHECKLIST_DIALOG = 'checklistDialog';
const WATERFALL = 'checklistWaterfall';
const ITEM_LOOP = 'checklistItemLoop';
const ASK_PROCEDURE = 'checklistAskProcedure';
const CHOOSE = 'checklistChoice';
const ITEM = 'checklistItem';

const HAVE = 'Có';
const MISSING = 'Chưa có';
const UNSURE = 'Không rõ';
const NOT_MY_CASE = 'Không thuộc trường hợp này';

export interface ChecklistOptions {
  procedureCode?: string;
  /** What the person already said of their papers ("có cccd rồi, tờ khai thì chưa có"): those are not asked again. */
  statement?: string;
}

/** Only the code is kept in dialog state (it is persisted every turn); the record is read again. */
interface ChecklistValues {
  procedureCode?: string;
  statement?: string;
}
const values = (step: WaterfallStepContext) => step.values as ChecklistValues;

interface LoopState {
  procedureCode: string;
  documents: RequiredDocument[];
  index: number;
  answers: Checklist['items'];
  caseName: string | null;
  forSomeoneElse: boolean;
  /** What was understood of an answer typed in words, said before the next question. */
  acknowledged?: string | null;
  /** Set when the verdict was asked for before the last document: the index not reached. */
  stoppedAt?: number;
  /** Answers already given in words for documents not reached yet (index → answer): not asked again. */
  stated?: Record<number, StatedAnswer>;
}

/** A sentence's full stop, unless it already ends on "…" (a shortened name). */
const ended = (text: string) => (/[.…]$/.test(text) ? text : `${text}.`);

const SAID: Record<StatedAnswer, string> = { yes: 'đã có', no: 'chưa có', unsure: 'cần hỏi lại cán bộ' };

/** "Đã ghi: đã có — Hộ chiếu/Thẻ căn cước…; chưa có — Tờ khai…" for papers named in one message. */
function statedAcknowledgement(stated: Map<number, StatedAnswer>, documents: readonly RequiredDocument[]): string | null {
  if (stated.size === 0) return null;
  // One group per answer, each paper once (two cases can list the same paper).
  const groups = new Map<StatedAnswer, Set<string>>();
  for (const [i, a] of [...stated].sort((x, y) => x[0] - y[0])) {
    if (!groups.has(a)) groups.set(a, new Set());
    groups.get(a)!.add(shortLabel(documents[i].name, 80));
  }
  const parts = [...groups].map(([a, labels]) => `${SAID[a]} — ${[...labels].join(', ')}`);
  return ended(`Đã ghi: ${parts.join('; ')}`);
}

/** "Đã ghi: cần hỏi lại — Hợp đồng thuê nhà…" for an answer typed in words (a button needs no echo). */
function acknowledgement(typed: string, answer: string | null, d: RequiredDocument): string | null {
  if (!answer || [HAVE, MISSING, UNSURE, NOT_MY_CASE].includes(typed.trim())) return null;
  const what = { yes: 'đã có', no: 'chưa có', unsure: 'cần hỏi lại cán bộ', not_my_case: 'không thuộc trường hợp của ông/bà' }[answer];
  return ended(`Đã ghi: ${what} — ${shortLabel(d.name, 120)}`);
}

/** Goes through a procedure's official documents one by one and ends with what is still missing. */
export class ChecklistDialog extends InterruptibleDialog {
  protected readonly helpText =
    'Tôi đọc lần lượt từng giấy tờ trong thành phần hồ sơ chính thức. Trả lời "Có", "Chưa có" hoặc "Không rõ"; cuối cùng tôi liệt kê giấy tờ còn thiếu.';

  /** An answer about the document in words ("có nhưng chưa công chứng", "tóm lại còn thiếu gì") is this step's, not a side question. */
  protected override keeps(text: string, innerDc: DialogContext): boolean {
    const active = innerDc.activeDialog;
    if (active?.id === CHOOSE) {
      // "có cccd rồi, chưa có tờ khai" before the case is chosen: kept for the check, the case asked again.
      if (mentionsPapers(text) && !/^\s*\d/.test(text)) {
        const root = innerDc.stack[0]?.state as { values?: ChecklistValues } | undefined;
        if (root?.values) root.values.statement = [root.values.statement, text].filter(Boolean).join('. ');
        return true;
      }
      return caseFromText(text, (active.state.options?.validations as { name: string }[] | undefined) ?? []) !== null;
    }
    const reply = itemReply(text, true);
    return reply.answer !== null || reply.summary || mentionsPapers(text);
  }

  constructor(
    services: DialogServices,
    private readonly profile: ProfileAccessor,
  ) {
    super(CHECKLIST_DIALOG, services);
    this.addDialog(new TextPrompt(ASK_PROCEDURE));
    // A case by its button, its number or the words that tell it apart ("nộp trực tiếp", "làm hộ").
    this.addDialog(
      new TextPrompt(CHOOSE, async (p) => {
        const text = p.recognized.value ?? '';
        // A statement about papers names no case, even when its words match one ("tờ khai").
        if (!p.recognized.succeeded || (mentionsPapers(text) && !/^\s*\d/.test(text))) return false;
        return caseFromText(text, (p.options.validations as { name: string }[] | undefined) ?? []) !== null;
      }),
    );
    // An answer in words as well as the buttons ("có nhưng chưa công chứng", "tóm lại còn thiếu gì").
    this.addDialog(
      new TextPrompt(ITEM, async (p) => {
        const text = p.recognized.value ?? '';
        const reply = itemReply(text, true);
        return p.recognized.succeeded && (reply.answer !== null || reply.summary || mentionsPapers(text));
      }),
    );
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        this.procedureStep.bind(this),
        this.caseStep.bind(this),
        this.documentsStep.bind(this),
        this.summaryStep.bind(this),
      ]),
    );
    this.addDialog(new WaterfallDialog(ITEM_LOOP, [this.askItemStep.bind(this), this.recordItemStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private async procedureStep(step: WaterfallStepContext<ChecklistOptions>) {
    if (step.options.statement) values(step).statement = step.options.statement;
    const code = step.options.procedureCode ?? (await profileOf(this.profile, step.context)).lastProcedureCode;
    if (code) return step.next(code);
    return step.prompt(ASK_PROCEDURE, { prompt: 'Ông/bà cần kiểm tra giấy tờ cho thủ tục nào? (ví dụ: đăng ký khai sinh)' });
  }

  private async caseStep(step: WaterfallStepContext<ChecklistOptions>) {
    const answer = step.result as string;
    const code = /^\d\.\d{6}/.test(answer) ? answer : turnSearch(step.context, this.services, answer, 1)[0]?.code;
    const procedure = code ? await this.services.catalog.get(code) : null;
    if (!procedure) {
      await say(step.context, 'Xin lỗi, tôi chưa tìm thấy thủ tục đó. Ông/bà thử gõ tên khác.', ['Kiểm tra giấy tờ', 'Menu']);
      return step.endDialog();
    }
    values(step).procedureCode = procedure.code;
    const { always, situations } = caseChoices(procedure);
    if (always.length === 0 && situations.length === 0) {
      await say(
        step.context,
        `Thủ tục **${procedure.name}** (mã ${procedure.code}) chưa có thành phần hồ sơ đã xác minh trong dữ liệu của tôi. Xin xem trang chính thức: ${procedure.source.url}`,
        ['Đặt lịch', 'Gặp cán bộ', 'Menu'],
      );
      return step.endDialog();
    }
    if (situations.length === 0) return step.next(null);
    const shown = situations.slice(0, 10);
    const labels = shown.map((c, i) => `${i + 1}. ${shortLabel(c.name, 70)}`);
    return step.prompt(CHOOSE, {
      prompt: MessageFactory.suggestedActions(
        labels,
        `Kiểm tra giấy tờ cho **${procedure.name}** (mã ${procedure.code}). Thủ tục này có nhiều trường hợp. Trường hợp nào đúng với ${await this.who(step)}?`,
      ),
      retryPrompt: MessageFactory.suggestedActions(
        labels,
        'Xin chọn một trường hợp trong danh sách (bấm nút, gõ số thứ tự, hoặc gõ vài chữ của trường hợp, ví dụ "nộp trực tiếp"). Không rõ trường hợp của mình: gõ "hủy" rồi chọn "Gặp cán bộ".',
      ),
      // The case names, for reading an answer typed in words (only names: dialog state is saved every turn).
      validations: shown.map((c) => ({ name: c.name })),
    });
  }

  private async documentsStep(step: WaterfallStepContext<ChecklistOptions>) {
    const procedure = (await this.services.catalog.get(values(step).procedureCode!))!;
    const { always, situations } = caseChoices(procedure);
    let chosen: DocumentCase | null = null;
    if (typeof step.result === 'string') {
      const index = caseFromText(step.result, situations.slice(0, 10));
      chosen = index === null ? null : (situations[index] ?? null);
    }
    // Documents everyone needs first; those for particular situations after.
    const all = [...always, ...(chosen ? [chosen] : [])].flatMap((c) => c.documents);
    const documents = [...all.filter((d) => !d.condition), ...all.filter((d) => d.condition)];
    const profile = await profileOf(this.profile, step.context);
    // Papers already named before the check began are not asked again.
    const stated = values(step).statement ? statedDocuments(values(step).statement!, documents) : new Map<number, StatedAnswer>();
    const already = statedAcknowledgement(stated, documents);
    await say(
      step.context,
      `Kiểm tra giấy tờ cho **${procedure.name}** (mã ${procedure.code}): ${documents.length} giấy tờ. ${already ? `${already} Tôi hỏi những giấy tờ còn lại nhé.` : 'Tôi hỏi lần lượt từng giấy tờ nhé.'}`,
    );
    const state: LoopState = {
      procedureCode: procedure.code,
      documents,
      index: 0,
      answers: [],
      caseName: chosen?.name ?? null,
      forSomeoneElse: profile.mode === 'volunteer',
      stated: Object.fromEntries(stated),
    };
    return step.beginDialog(ITEM_LOOP, state);
  }

  private async askItemStep(step: WaterfallStepContext<LoopState>) {
    const state = step.options;
    // Documents already answered in words are recorded, not asked.
    while (state.index < state.documents.length && state.stated?.[state.index]) {
      const d = state.documents[state.index];
      state.answers.push({ name: d.name, answer: state.stated[state.index], originals: d.originals, copies: d.copies, note: dataReplacement(d) });
      state.index++;
    }
    if (state.index >= state.documents.length) return step.endDialog(state);
    const d = state.documents[state.index];
    const who = state.forSomeoneElse ? 'Người được hướng dẫn' : 'Ông/bà';
    const lines = [`(${state.index + 1}/${state.documents.length}) ${who} đã có: **${shortLabel(d.name, 300)}**?`, `Cần: ${quantityText(d)}.`];
    if (d.copyKind === 'certified_copy') lines.push('Lưu ý: bản sao phải có chứng thực (hoặc cấp từ sổ gốc); bản photo thường không được nhận.');
    if (d.copyKind === 'copy_with_original') lines.push('Lưu ý: mang theo bản chính để cán bộ đối chiếu.');
    const replacement = dataReplacement(d);
    if (replacement) lines.push(replacement);
    for (const mistake of d.commonMistakes) lines.push(`Lỗi hay gặp: ${mistake}`);
    const choices = d.condition ? [HAVE, MISSING, UNSURE, NOT_MY_CASE] : [HAVE, MISSING, UNSURE];
    const lead = state.acknowledged ? `${state.acknowledged}\n\n` : '';
    return step.prompt(ITEM, {
      prompt: MessageFactory.suggestedActions(choices, lead + lines.join('\n\n')),
      retryPrompt: MessageFactory.suggestedActions(choices, `Xin trả lời "${HAVE}", "${MISSING}" hoặc "${UNSURE}"${d.condition ? ` (hoặc "${NOT_MY_CASE}")` : ''}; gõ "tóm lại" để xem ngay giấy tờ còn thiếu.`),
    });
  }

  private async recordItemStep(step: WaterfallStepContext<LoopState>) {
    const state = step.options;
    const d = state.documents[state.index];
    const typed = String(step.result ?? '');
    const reply = itemReply(typed, Boolean(d.condition));
    const { summary } = reply;
    // Papers the message names ("có bản án ly hôn và cccd, chưa có tờ khai"): each gets its answer; the
    // current one only if it is among them (the "chưa có" was about the declaration, not about it).
    const said = statedDocuments(typed, state.documents);
    const named = new Map([...said].filter(([i]) => i >= state.index));
    const answer = named.size > 0 ? (named.get(state.index) ?? null) : reply.answer;
    named.delete(state.index);
    if (answer && answer !== 'not_my_case') {
      state.answers.push({ name: d.name, answer, originals: d.originals, copies: d.copies, note: dataReplacement(d) });
    }
    const fromStatement = answer !== null && said.has(state.index);
    const acknowledged = fromStatement
      ? statedAcknowledgement(new Map([[state.index, answer as StatedAnswer], ...named]), state.documents)
      : [acknowledgement(typed, answer, d), statedAcknowledgement(named, state.documents)].filter(Boolean).join(' ') || null;
    const stated = { ...state.stated, ...Object.fromEntries(named) };
    const next = { ...state, stated, index: answer ? state.index + 1 : state.index, acknowledged };
    // "tóm lại còn thiếu gì": the verdict now, with the documents not asked yet listed apart.
    if (summary) return step.endDialog({ ...next, stoppedAt: next.index });
    return step.replaceDialog(ITEM_LOOP, next);
  }

  private async summaryStep(step: WaterfallStepContext<ChecklistOptions>) {
    const state = step.result as LoopState;
    // Documents not reached but already answered in words count as answered.
    const notAsked: RequiredDocument[] = [];
    for (let i = state.stoppedAt ?? state.documents.length; i < state.documents.length; i++) {
      const d = state.documents[i];
      const said = state.stated?.[i];
      if (said) state.answers.push({ name: d.name, answer: said, originals: d.originals, copies: d.copies, note: dataReplacement(d) });
      else notAsked.push(d);
    }
    const procedure = (await this.services.catalog.get(state.procedureCode))!;
    const checklist = await this.services.checklists.save({
      procedureCode: procedure.code,
      procedureName: procedure.name,
      caseName: state.caseName,
      items: state.answers,
      forSomeoneElse: state.forSomeoneElse,
    });
    const missing = state.answers.filter((a) => a.answer === 'no');
    const unsure = state.answers.filter((a) => a.answer === 'unsure');
    const ready = state.answers.filter((a) => a.answer === 'yes');
    const list = (items: typeof missing) => items.map((a) => `- ${shortLabel(a.name, 160)} (${quantity(a)})`).join('\n');
    const parts = [`Kết quả kiểm tra giấy tờ: **${procedure.name}**`];
    if (missing.length === 0 && unsure.length === 0 && notAsked.length === 0) parts.push('Đã đủ giấy tờ theo danh sách chính thức.');
    if (missing.length) parts.push(`**Còn thiếu (${missing.length}):**\n${list(missing)}`);
    if (unsure.length) parts.push(`**Cần hỏi lại (${unsure.length}):**\n${list(unsure)}`);
    if (notAsked.length) parts.push(`**Chưa kiểm tra (${notAsked.length}):**\n${notAsked.map((d) => `- ${shortLabel(d.name, 160)}${d.condition ? ' (nếu thuộc trường hợp)' : ''}`).join('\n')}`);
    parts.push(`Đã có: ${ready.length} giấy tờ.`);
    parts.push(`Danh sách in được: ${this.services.publicUrl}/checklists/${checklist.id}`);
    await say(step.context, parts.join('\n\n'), ['Đặt lịch', 'Đánh giá', 'Menu']);
    return step.endDialog(checklist.id);
  }

  private async who(step: WaterfallStepContext): Promise<string> {
    return (await profileOf(this.profile, step.context)).mode === 'volunteer' ? 'người được hướng dẫn' : 'ông/bà';
  }
}

function quantity(a: Checklist['items'][number]): string {
  return [a.originals ? `${a.originals} bản chính` : '', a.copies ? `${a.copies} bản sao` : ''].filter(Boolean).join(' + ') || 'theo hướng dẫn';
}
