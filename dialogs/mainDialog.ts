import { centreProfile, contactLine, hotlineText, welcomeLine, type CentreProfile } from '../src/domain/centre/centre';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  DialogSet,
  DialogTurnStatus,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogState,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { IntentName } from '../knowledge/schemas';
import type { SearchHit } from '../src/domain/search/procedure-index';
import { MENU } from '../src/bot/format';
import { ACTIONS, actionOf } from '../src/bot/actions';
import { fold } from '../src/domain/text/normalize';
import { secretsOf } from '../src/bot/secrets';
import { BOOKING_DIALOG, BookingDialog } from './bookingDialog';
import { CHECKLIST_DIALOG, ChecklistDialog } from './checklistDialog';
import { clientOf, profileOf, recentProcedure, say, sharedLocation, turnSearch, type DialogServices, type OfficerSessionAccessor, type ProfileAccessor, rememberProcedure } from './dialogServices';
import { FEEDBACK_DIALOG, FeedbackDialog } from './feedbackDialog';
import { MANAGE_BOOKING_DIALOG, ManageBookingDialog } from './manageBookingDialog';
import { PROCEDURE_DIALOG, ProcedureDialog } from './procedureDialog';
import { STATUS_DIALOG, StatusDialog } from './statusDialog';
import { answerAside, fallback, PROFILE_ACCESSOR, REROUTE } from './asides';
import { caseAnswer } from '../src/bot/short-answers';
import { statedDocuments } from '../src/domain/checklist-statements';
import { askPayingBroker, asksWhatIsMissing, closingLike, courtMatter, statesPossession, complaintLike, followUpTopics, slotAnswer, englishToVietnamese, explicitTask, handoverLike, helpLike, saysTask, isEnglish, topicSwitch, withoutOpeners, writtenOut } from '../src/bot/conversation-acts';

export const MAIN_DIALOG = 'mainDialog';

/** Divorce and other disputes (Luật Hôn nhân và gia đình 2014, Điều 51–55; Bộ luật Tố tụng dân sự 2015). */
export const COURT_MATTER =
  'Ly hôn (thuận tình hay đơn phương), tranh chấp nuôi con, chia tài sản, thừa kế do Tòa án nhân dân giải quyết (từ 1/7/2025: Tòa án nhân dân khu vực nơi cư trú), không phải thủ tục hành chính nộp tại Trung tâm. Sau khi có bản án, quyết định của Tòa án, các việc tiếp theo (thay đổi thông tin cư trú, ghi vào sổ hộ tịch việc ly hôn đã giải quyết ở nước ngoài…) thì tôi hướng dẫn được.';

/** Paying anyone outside the published fees: never. */
export const payNobody = (centre: CentreProfile | undefined) =>
  `Không nên. Không ai được thu tiền ngoài phí, lệ phí đã công bố; phí, lệ phí nộp tại quầy hoặc trực tuyến và có biên lai. Người mời "làm nhanh", "bao đậu" không phải cán bộ của Trung tâm. Ông/bà có thể phản ánh qua ${hotlineText(centre)} hoặc chọn "Khiếu nại".`;

/** Set when the routing step started an officer log-in (the next step then checks the secret). */
interface LoginValues {
  officerLogin?: boolean;
}
const WATERFALL = 'mainWaterfall';
const OFFICER_TOKEN = 'mainOfficerToken';

/** The welcome, in the name of the centre this assistant serves. */
export const welcome = (centre: CentreProfile = centreProfile(null)): string =>
  `${welcomeLine(centre)} Tôi giúp ông/bà:\n` +
  '- tìm đúng thủ tục (gõ tự nhiên, không dấu cũng được),\n' +
  '- kiểm tra giấy tờ cần mang,\n' +
  '- đặt lịch đến nộp hồ sơ,\n' +
  '- tra cứu hồ sơ đã nộp.\n\n' +
  'Ông/bà cần làm thủ tục gì?';

/** "giúp": the welcome, how to move around, and how to reach the centre's people. */
const help = (centre: CentreProfile = centreProfile(null)): string =>
  [welcome(centre), 'Ở bước nào cũng có thể gõ "hủy", "menu", "giúp" hoặc "quay lại".', contactLine(centre)].filter(Boolean).join('\n\n');

/** Routes each message to the task it is about; each task is its own dialog. */
export class MainDialog extends ComponentDialog {
  constructor(
    private readonly services: DialogServices,
    private readonly profile: ProfileAccessor,
    private readonly officerSession: OfficerSessionAccessor,
  ) {
    super(MAIN_DIALOG);
    this.addDialog(new ProcedureDialog(services, profile));
    this.addDialog(new ChecklistDialog(services, profile));
    this.addDialog(new BookingDialog(services, profile));
    this.addDialog(new ManageBookingDialog(services, profile));
    this.addDialog(new StatusDialog(services, profile));
    this.addDialog(new FeedbackDialog(services));
    this.addDialog(new TextPrompt(OFFICER_TOKEN));
    this.addDialog(new WaterfallDialog(WATERFALL, [this.routeStep.bind(this), this.afterStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  /** What a new member of the conversation is greeted with. */
  welcomeText(): string {
    return welcome(this.services.centre);
  }

  /** Continues the active task, or starts routing a new message. */
  async run(context: TurnContext, accessor: StatePropertyAccessor<DialogState>): Promise<void> {
    const dialogSet = new DialogSet(accessor);
    dialogSet.add(this);
    const dc = await dialogSet.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
  }

  override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    innerDc.context.turnState.set(PROFILE_ACCESSOR, this.profile);
    return super.onBeginDialog(innerDc, options);
  }

  /** A task left because the message changed topic ("à thôi, cho hỏi…"): the rest of the message is routed anew. */
  override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    innerDc.context.turnState.set(PROFILE_ACCESSOR, this.profile);
    const result = await super.onContinueDialog(innerDc);
    const reroute = innerDc.context.turnState.get(REROUTE) as string | undefined;
    if (reroute === undefined) return result;
    innerDc.context.turnState.delete(REROUTE);
    await innerDc.cancelAllDialogs();
    innerDc.context.activity.text = reroute;
    return innerDc.beginDialog(WATERFALL);
  }

  private async routeStep(step: WaterfallStepContext) {
    const typed = (step.context.activity.text ?? '').normalize('NFC').trim();
    // Polite openers and fillers ("cho hỏi", "em xin hỏi", "à thôi") never pick a task by themselves.
    const switched = topicSwitch(writtenOut(typed));
    let text = withoutOpeners(switched || writtenOut(typed)) || typed;
    let english = false;
    if (typed && isEnglish(typed)) {
      english = true;
      text = englishToVietnamese(typed);
      await step.context.sendActivity(
        text
          ? 'I answer in Vietnamese, the language of the official records; here is what I found for your question. (Tôi trả lời bằng tiếng Việt theo dữ liệu chính thức.)'
          : 'Sorry, I can only help with administrative procedures, and I answer in Vietnamese. Please tell me the procedure you need (for example: passport, temporary residence card), or choose "Gặp cán bộ" to talk to an officer. (Xin lỗi, tôi chỉ hỗ trợ thủ tục hành chính.)',
      );
      if (!text) return step.endDialog();
    }
    const profile = await profileOf(this.profile, step.context);
    const location = sharedLocation(step.context);
    if (location && !text) {
      profile.location = location;
      await this.profile.set(step.context, profile);
      const nearest = (await this.services.availability.branches(location)).filter((b) => b.status === 'operating').slice(0, 3);
      const lines = nearest.map((b) => `- ${b.name}, ${b.address} (khoảng ${b.distanceKm} km)`);
      await say(step.context, `Chi nhánh gần ông/bà nhất (nộp ở chi nhánh nào cũng được):\n${lines.join('\n')}`, ['Đặt lịch', 'Menu']);
      return step.endDialog();
    }
    // A message carrying an officer secret (already taken out of the text) is a log-in, whatever the
    // rest of it says: the secret must never end up as a question or a complaint.
    if (secretsOf(step.context).length > 0) {
      (step.values as LoginValues).officerLogin = true;
      return step.next();
    }
    // Only an emoji, a sticker's text or spaces: nothing to log as an unanswered question.
    if (!/[\p{L}\p{N}]/u.test(typed) && !location) {
      await say(step.context, 'Ông/bà cần giúp gì? Xin gõ câu hỏi hoặc chọn một việc bên dưới.', MENU);
      return step.endDialog();
    }
    // A button's value (or its exact label, typed or sent back by a channel without values) names the task.
    const action = actionOf({ text: typed, value: step.context.activity.value });
    const button: IntentName | undefined = action ? ACTIONS[action].intent : undefined;
    // "xin cảm ơn", "không cần đâu", "vậy thôi": the person is closing, not opening a question.
    if (!button && !english && closingLike(writtenOut(typed))) {
      await say(step.context, 'Rất vui được giúp ông/bà. Khi cần, ông/bà cứ nhắn lại.', ['Đánh giá', 'Menu']);
      return step.endDialog();
    }
    // "cho hỏi", "dạ em xin hỏi" alone: an opener waiting for its question (a greeting is answered as one).
    if (!button && !english && !switched && withoutOpeners(writtenOut(typed)) === '' && !/chao|hello|\bhi\b|alo/.test(fold(typed)) && !this.services.recognizer.command(typed)) {
      await say(step.context, 'Vâng, ông/bà cứ hỏi: thủ tục nào, giấy tờ gì, đặt lịch hay tra cứu hồ sơ?', MENU);
      return step.endDialog();
    }
    // "thứ năm", "11h", a phone, "đồng ý" with no task under way: the person answers a booking
    // question that is not being asked (the booking ended, or never started); say so, never search it.
    const slot = button || english || this.services.recognizer.findDossierCode(text) ? null : slotAnswer(text);
    if (slot) {
      await say(
        step.context,
        slot === 'confirmation'
          ? 'Hiện không có lịch hẹn nào đang chờ xác nhận. Ông/bà muốn đặt lịch thì chọn "Đặt lịch" và cho biết thủ tục.'
          : 'Hiện chưa có lịch hẹn nào đang đặt dở. Để đặt lịch, xin chọn "Đặt lịch" và cho biết thủ tục; tôi sẽ hỏi chi nhánh, ngày, giờ.',
        ['Đặt lịch', 'Menu'],
      );
      return step.endDialog();
    }
    if (!button && !english && handoverLike(text)) {
      // "gặp cán bộ tư vấn về đất đai": the subject is already said, only the phone is asked.
      const subject = /\b(ve|viec|hoi ve|tu van ve|lien quan)\b/.test(fold(text)) ? typed : undefined;
      return step.beginDialog(FEEDBACK_DIALOG, { kind: 'handover', text: subject });
    }
    if (!button && !english && helpLike(text)) {
      await say(step.context, help(this.services.centre), MENU);
      return step.endDialog();
    }
    // Divorce, custody, property disputes: a court's, not a procedure of the centre; said plainly.
    if (!button && !english && courtMatter(text)) {
      await say(step.context, COURT_MATTER, ['Tìm thủ tục', 'Menu']);
      return step.endDialog();
    }
    // "có nên nộp tiền cho họ không": never, said first; a report can follow.
    if (!button && !english && askPayingBroker(text)) {
      await say(step.context, payNobody(this.services.centre), ['Khiếu nại', 'Menu']);
      return step.endDialog();
    }
    // "còn thiếu gì" after a procedure: the documents check of that procedure, which ends with what is missing.
    // "có cccd rồi, tờ khai thì chưa có" right after a procedure: the papers it asks for, one by one.
    if (!button && !english && (asksWhatIsMissing(text) || statesPossession(text))) {
      const code = asksWhatIsMissing(text) ? profile.lastProcedureCode : recentProcedure(profile, this.services.clock.now());
      const current = code ? await this.services.catalog.get(code) : null;
      const named = current ? this.services.recognizer.recognize(text).procedures[0] : undefined;
      // Papers of this procedure named in the message ("cccd", "tờ khai") are its documents, not another procedure.
      const itsPapers = current ? statedDocuments(text, current.documentCases.flatMap((c) => c.documents)).size > 0 : false;
      if (current?.detail === 'full' && (itsPapers || !named || named.code === current.code || named.score < 0.6)) {
        return step.beginDialog(CHECKLIST_DIALOG, { procedureCode: current.code, statement: typed });
      }
    }
    if (!button && !english && complaintLike(text)) return step.beginDialog(FEEDBACK_DIALOG, { kind: 'complaint', text: text.length > 40 ? typed : undefined });
    if (!button && (await answerAside(step.context, this.services, text, true))) return step.endDialog();
    // A button names its task: what the recognizer would add (procedures, an intent) is not used
    // then, so only the codes are read and nothing is searched.
    const r = button ? this.services.recognizer.codesOnly(text) : this.services.recognizer.recognize(text, (q) => turnSearch(step.context, this.services, q, 5));
    // What is left beside a procedure's name is too little to make it a complaint, a hand-over or a
    // greeting ("cần đăng ký tạm trú gấp": "gấp" is not "gặp"; "cho người thuê phòng trọ").
    // A dossier code in the message is a status look-up, whatever procedure its words also name.
    const leftover =
      !button &&
      !r.dossierCode &&
      r.procedures.length > 0 &&
      (['complaint', 'human', 'feedback', 'greeting', 'help', 'menu', 'thanks'].includes(r.intent) || !saysTask(r.intent, text));
    const said = button || r.dossierCode ? null : explicitTask(text);
    let intent = (button ?? said ?? (leftover ? 'procedure' : r.intent)) as IntentName | 'none';
    // "thôi" or "quay lại" closing a long message ("… chắc để mai đi thôi") is not the command.
    if (!button && (intent === 'cancel' || intent === 'back') && !this.services.recognizer.command(text) && text.trim().split(/\s+/).length > 4) {
      intent = r.procedures.length > 0 ? 'procedure' : 'none';
    }
    // A long message (a whole story) is searched sentence by sentence: the procedure is in one of them.
    if (!button && intent === 'none' && r.procedures.length === 0 && text.length > 200) {
      // The procedure most sentences are about (then the best score): one aside about an ID card
      // does not outweigh a story about temporary residence.
      const votes = new Map<string, { hit: SearchHit; n: number }>();
      for (const sentence of text.split(/(?<=[.!?;])\s+|\n+/)) {
        const hit = turnSearch(step.context, this.services, sentence, 1)[0];
        if (!hit) continue;
        const v = votes.get(hit.code) ?? { hit, n: 0 };
        v.n++;
        if (hit.score > v.hit.score) v.hit = hit;
        votes.set(hit.code, v);
      }
      const best = [...votes.values()].sort((a, b) => b.n - a.n || b.hit.score - a.hit.score)[0]?.hit;
      if (best) {
        r.procedures = [best];
        intent = 'procedure';
      }
    }
    const procedureCode = r.procedures[0]?.code;
    if (procedureCode && !button && (intent === 'checklist' || intent === 'booking')) {
      rememberProcedure(profile, procedureCode, this.services.clock.now());
      await this.profile.set(step.context, profile);
    }

    switch (intent) {
      case 'greeting':
      case 'menu':
        await say(step.context, intent === 'greeting' ? welcome(this.services.centre) : 'Ông/bà cần giúp gì?', MENU);
        return step.endDialog();
      case 'help':
        await say(step.context, help(this.services.centre), MENU);
        return step.endDialog();
      case 'thanks':
        await say(step.context, 'Rất vui được giúp ông/bà.', ['Đánh giá', 'Menu']);
        return step.endDialog();
      case 'cancel':
      case 'back':
        await say(step.context, 'Không có việc nào đang làm dở. Ông/bà cần giúp gì?', MENU);
        return step.endDialog();
      case 'procedure':
        if (button || r.procedures.length === 0) {
          await say(step.context, 'Ông/bà cần làm thủ tục gì? Xin gõ tự nhiên, ví dụ "làm giấy khai sinh cho con", "đổi bằng lái".');
          return step.endDialog();
        }
        {
          // "làm ở đâu và cần gì": the documents, which the card does not list; else the first fact asked.
          const topics = followUpTopics(text);
          return step.beginDialog(PROCEDURE_DIALOG, { query: text, hits: r.procedures, topic: topics.includes('documents') ? 'documents' : (topics[0] ?? null) });
        }
      case 'checklist':
        return step.beginDialog(CHECKLIST_DIALOG, { procedureCode: button ? undefined : procedureCode });
      case 'booking':
        return step.beginDialog(BOOKING_DIALOG, { procedureCode: button ? undefined : procedureCode, text: button ? undefined : text });
      case 'booking_manage':
        return step.beginDialog(MANAGE_BOOKING_DIALOG, { bookingCode: r.bookingCode, action: /\bhuy\b/.test(fold(text)) ? 'cancel' : undefined });
      case 'status':
        return step.beginDialog(STATUS_DIALOG, { dossierCode: r.dossierCode, text });
      case 'feedback':
        return step.beginDialog(FEEDBACK_DIALOG, { kind: 'rating' });
      case 'complaint':
        return step.beginDialog(FEEDBACK_DIALOG, { kind: 'complaint', text: button ? undefined : text.length > 25 ? text : undefined });
      case 'human':
        return step.beginDialog(FEEDBACK_DIALOG, { kind: 'handover' });
      case 'volunteer':
        profile.mode = profile.mode === 'volunteer' ? 'citizen' : 'volunteer';
        await this.profile.set(step.context, profile);
        await say(
          step.context,
          profile.mode === 'volunteer'
            ? 'Đã bật chế độ tình nguyện viên: câu hỏi về giấy tờ dành cho người ông/bà đang hướng dẫn, danh sách in được, đặt lịch thay cho họ.'
            : 'Đã tắt chế độ tình nguyện viên.',
          MENU,
        );
        return step.endDialog();
      case 'officer':
        (step.values as LoginValues).officerLogin = true;
        return step.prompt(OFFICER_TOKEN, { prompt: 'Xin nhập mã truy cập cán bộ (bắt đầu bằng mc_).' });
      default: {
        const reference = await this.services.feedback.record('unanswered', text, { channel: step.context.activity.channelId, userId: clientOf(step.context) });
        this.services.log.info('question not answered', { reference });
        // Said right after a procedure ("em 20 tuổi làm lần đầu", "tôi nghỉ việc từ tháng trước"): the
        // person tells their case; what the record says about who, where and by when, then the next steps.
        const current = recentProcedure(profile, this.services.clock.now());
        const procedure = current ? await this.services.catalog.get(current) : null;
        if (procedure) {
          await say(step.context, caseAnswer(procedure), procedure.detail === 'full' ? ['Kiểm tra giấy tờ', 'Đặt lịch', 'Gặp cán bộ'] : ['Đặt lịch', 'Gặp cán bộ', 'Menu']);
          return step.endDialog();
        }
        await say(step.context, fallback(this.services.centre), [...MENU, 'Gặp cán bộ']);
        return step.endDialog();
      }
    }
  }

  /**
   * After the officer log-in: the secret comes from this turn's memory (the text only has the
   * placeholder). A valid token opens an officer session in this conversation, for a limited time.
   */
  private async afterStep(step: WaterfallStepContext) {
    if (!(step.values as LoginValues).officerLogin) return step.endDialog();
    const secret = secretsOf(step.context)[0];
    const officer = secret ? await this.services.authenticateOfficer(secret) : null;
    if (!officer) {
      this.services.log.info('officer log-in refused', { channel: step.context.activity.channelId });
      await say(step.context, 'Mã truy cập không đúng, đã hết hạn hoặc đã bị thu hồi.', MENU);
      return step.endDialog();
    }
    const now = this.services.clock.now().getTime();
    const sessionEnd = now + this.services.officerSessionHours * 3_600_000;
    const tokenEnd = officer.expiresAt ? Date.parse(officer.expiresAt) : Infinity;
    await this.officerSession.set(step.context, { tokenId: officer.id, name: officer.name, expiresAt: new Date(Math.min(sessionEnd, tokenEnd)).toISOString() });
    this.services.log.info('officer mode started', { tokenId: officer.id, channel: step.context.activity.channelId });
    await say(
      step.context,
      `Chế độ cán bộ: ${officer.name}. Trả lời ngắn, kèm mã và căn cứ; tra cứu hồ sơ không cần xác minh. Chế độ này chỉ trong cuộc trò chuyện này, tối đa ${this.services.officerSessionHours} giờ.`,
    );
    return step.endDialog();
  }
}
