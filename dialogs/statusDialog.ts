import { ChoiceFactory, ChoicePrompt, ListStyle, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { dossierText } from '../src/bot/format';
import { inertMarkdown } from '../src/domain/text/markdown';
import { ServiceError } from '../src/services/errors';
import { clientOf, notifyTarget, profileOf, say, type DialogServices, type ProfileAccessor, rememberProcedure } from './dialogServices';
import { InterruptibleDialog } from './interruptibleDialog';
import { hotlineText } from '../src/domain/centre/centre';
import { withoutDossierCodes } from '../src/bot/recognizer';

export const STATUS_DIALOG = 'statusDialog';
const WATERFALL = 'statusWaterfall';
const CODE = 'statusCode';
const PROOF = 'statusProof';
const SUBSCRIBE = 'statusSubscribe';

export interface StatusOptions {
  dossierCode?: string | null;
  /** Wrong proofs already typed for this code in this look-up (the service throttles beyond). */
  attempts?: number;
  /** The message that started the look-up: it may carry the proof too ("…0003, 4 số cuối sđt là 0003"). */
  text?: string;
}

/** The proof in an answer to the proof question: the answer itself, or one group of four digits in a short one. */
export function proofAnswer(text: string): string | null {
  const t = text.trim();
  if (/^\d{4}$/.test(t)) return t;
  if (t.split(/\s+/).length > 10) return null;
  // Digits of a dossier code typed again ("hồ sơ MAU-000000-0005") are never its proof.
  const withoutCode = withoutDossierCodes(t);
  const found = withoutCode.match(/(?<![\d.,-])\d{4}(?![\d.,-])/g);
  return found && found.length === 1 ? found[0] : null;
}

/** Four digits standing alone in a message, beside the dossier code (whose own digits are taken out). */
export function proofIn(text: string, code: string): string | null {
  const withoutCode = withoutDossierCodes(text);
  const found = withoutCode.match(/(?<![\d.,])\d{4}(?![\d.,])/g);
  return found && found.length === 1 && code ? found[0] : null;
}

/** A wrong proof is asked again this many times before the look-up ends (the code is kept meanwhile). */
const PROOF_ATTEMPTS = 3;

/** Dossier status: code (typed any way) → identity proof → status, due date, what is missing, apology. */
export class StatusDialog extends InterruptibleDialog {
  protected readonly helpText =
    'Mã hồ sơ in trên phiếu hẹn trả kết quả (ví dụ HN-261120-0001; gõ chữ thường, có dấu cách cũng được). Để bảo vệ thông tin, tôi hỏi 4 số cuối điện thoại hoặc CCCD của người nộp.';

  constructor(
    services: DialogServices,
    private readonly profile: ProfileAccessor,
  ) {
    super(STATUS_DIALOG, services);
    this.addDialog(new TextPrompt(CODE, async (p) => p.recognized.succeeded && this.services.recognizer.findDossierCode(p.recognized.value!) !== null));
    // "0004", or "4 số cuối là 0004": four digits standing alone in a short answer.
    this.addDialog(new TextPrompt(PROOF, async (p) => p.recognized.succeeded && proofAnswer(p.recognized.value!) !== null));
    this.addDialog(new ChoicePrompt(SUBSCRIBE, undefined, 'vi-vn'));
    this.addDialog(
      new WaterfallDialog(WATERFALL, [this.codeStep.bind(this), this.proofStep.bind(this), this.lookupStep.bind(this), this.subscribeStep.bind(this)]),
    );
    this.initialDialogId = WATERFALL;
  }

  private async codeStep(step: WaterfallStepContext<StatusOptions>) {
    if (step.options.dossierCode) return step.next(step.options.dossierCode);
    return step.prompt(CODE, {
      prompt: 'Xin cho biết mã hồ sơ trên phiếu hẹn trả kết quả.',
      retryPrompt: 'Mã hồ sơ chưa đúng định dạng (ví dụ HN-261120-0001). Xin kiểm tra lại trên phiếu hẹn.',
    });
  }

  private async proofStep(step: WaterfallStepContext<StatusOptions>) {
    const code = this.services.recognizer.findDossierCode(step.result as string)!;
    (step.values as { code?: string }).code = code;
    const profile = await profileOf(this.profile, step.context);
    if (profile.mode === 'officer') {
      const dossier = await this.services.dossiers.officerGet(code).catch(() => null);
      if (!dossier) {
        await say(step.context, `Không có hồ sơ ${code}.`);
        return step.endDialog();
      }
      await say(step.context, `${code} | ${dossier.procedureCode} | ${dossier.status} | nhận ${dossier.receivedDate} | hạn ${dossier.apology?.newDueDate ?? dossier.dueDate} | ${inertMarkdown(dossier.applicant.name)}`);
      return step.endDialog();
    }
    // The proof given with the code is used as if typed at this step (same check, same throttling).
    const given = step.options.attempts ? null : proofIn(step.options.text ?? '', code);
    if (given) return step.next(given);
    return step.prompt(PROOF, {
      prompt: `Hồ sơ ${code}: để xác minh, xin nhập 4 số cuối số điện thoại hoặc số CCCD của người nộp.`,
      retryPrompt: `Xin nhập đúng 4 chữ số (4 số cuối số điện thoại hoặc CCCD của người nộp). Không nhớ: gõ "hủy", rồi mang phiếu hẹn và giấy tờ tùy thân đến quầy trả kết quả, hoặc gọi ${hotlineText(this.services.centre)}.`,
    });
  }

  private async lookupStep(step: WaterfallStepContext<StatusOptions>) {
    const code = (step.values as { code: string }).code;
    try {
      const proof = proofAnswer(step.result as string) ?? (step.result as string).trim();
      const dossier = await this.services.dossiers.lookup(code, proof, clientOf(step.context));
      // Follow-ups ("phải mang bổ sung đến đâu", "lệ phí bao nhiêu") are then about this dossier's procedure.
      const profile = await profileOf(this.profile, step.context);
      if (dossier.procedure.code) {
        rememberProcedure(profile, dossier.procedure.code, this.services.clock.now());
        await this.profile.set(step.context, profile);
      }
      const notify = notifyTarget(step.context);
      const finished = dossier.status === 'returned' || dossier.status === 'rejected';
      if (notify && !finished) {
        (step.values as { proof?: string }).proof = proof;
        return step.prompt(SUBSCRIBE, {
          prompt: `${dossierText(dossier)}\n\nÔng/bà có muốn nhận thông báo tại đây khi hồ sơ có thay đổi (cần bổ sung, trễ hẹn, có kết quả)?`,
          choices: ChoiceFactory.toChoices(['Nhận thông báo', 'Không cần']),
          style: ListStyle.suggestedAction,
        });
      }
      const actions = dossier.missing.length ? ['Kiểm tra giấy tờ', 'Gặp cán bộ', 'Menu'] : dossier.overdue ? ['Gặp cán bộ', 'Khiếu nại', 'Menu'] : ['Đánh giá', 'Menu'];
      await say(step.context, dossierText(dossier), actions);
      return step.endDialog(code);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      const attempts = (step.options.attempts ?? 0) + 1;
      if (error.code === 'dossier_not_found' && attempts < PROOF_ATTEMPTS) {
        // The citizen keeps the code they typed and tries the proof again, without starting over.
        await step.context.sendActivity(error.message);
        return step.replaceDialog(WATERFALL, { dossierCode: code, attempts });
      }
      await say(step.context, error.message, ['Tra cứu hồ sơ', 'Gặp cán bộ', 'Menu']);
      return step.endDialog();
    }
  }

  private async subscribeStep(step: WaterfallStepContext<StatusOptions>) {
    const { code, proof } = step.values as { code: string; proof: string };
    if (step.result?.value === 'Nhận thông báo') {
      await this.services.dossiers.subscribe(code, proof, notifyTarget(step.context)!);
      await say(step.context, 'Đã đăng ký. Tôi sẽ báo tại đây khi hồ sơ có thay đổi.', ['Menu']);
    } else {
      await say(step.context, 'Vâng. Ông/bà có thể tra cứu lại bất cứ lúc nào.', ['Menu']);
    }
    return step.endDialog(code);
  }
}
