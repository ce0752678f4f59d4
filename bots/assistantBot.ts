import { ActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext, type UserState } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { MENU } from '../src/bot/format';
import { redactSecrets } from '../src/bot/secrets';
import type { MainDialog } from '../dialogs/mainDialog';
import { NEW_PROFILE, say, type DialogServices, type OfficerSessionAccessor, type Profile } from '../dialogs/dialogServices';
import { tokenActive } from '../src/services/officer-auth';

export const OFFICER_MODE_ENDED =
  'Phiên làm việc của cán bộ đã kết thúc (hết thời hạn hoặc mã truy cập đã bị thu hồi). Câu trả lời trở lại như cho người dân; nếu cần, xin đăng nhập lại.';

/** The mode a profile had before this turn's officer session made it 'officer' (restored before saving). */
const MODE_BEFORE_OFFICER = Symbol('modeBeforeOfficer');

/** The states the bot saves after each turn, and the accessors its dialog was built with. */
export interface BotState {
  conversationState: ConversationState;
  userState: UserState;
  profile: StatePropertyAccessor<Profile>;
  officerSession: OfficerSessionAccessor;
}

/**
 * The assistant: one bot for every channel (Bot Framework, Direct Line, Zalo). It receives its dialog
 * (built by the app with the same state accessors), runs it for each message and saves the state.
 */
export class AssistantBot extends ActivityHandler {
  private readonly conversationState: ConversationState;
  private readonly userState: UserState;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly profile: StatePropertyAccessor<Profile>;
  private readonly officerSession: OfficerSessionAccessor;

  constructor(
    state: BotState,
    private readonly dialog: MainDialog,
    private readonly services: DialogServices,
  ) {
    super();
    ({ conversationState: this.conversationState, userState: this.userState, profile: this.profile, officerSession: this.officerSession } = state);
    this.dialogState = this.conversationState.createProperty<DialogState>('dialogState');

    this.onMessage(async (context, next) => {
      await this.applyOfficerSession(context);
      await this.dialog.run(context, this.dialogState);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const joined = (context.activity.membersAdded ?? []).some((m) => m.id !== context.activity.recipient.id);
      if (joined) await say(context, this.dialog.welcomeText(), MENU);
      await next();
    });
    this.onDialog(async (context, next) => {
      await this.keepModeOutOfUserState(context);
      await this.conversationState.saveChanges(context, false);
      await this.userState.saveChanges(context, false);
      await next();
    });
  }

  /** Every channel's turns come here: secrets are taken out of the message before any dialog sees it. */
  override async run(context: TurnContext): Promise<void> {
    redactSecrets(context);
    await super.run(context);
  }

  /**
   * Officer mode holds for this turn only when the conversation has an officer session whose time
   * has not run out and whose token the store still accepts; a revoked or expired token ends it.
   */
  private async applyOfficerSession(context: TurnContext): Promise<void> {
    const profile = await this.profile.get(context, { ...NEW_PROFILE });
    // Older versions kept the officer mode in user state, which any conversation claiming the same
    // user id could reach: it is never trusted from there.
    if (profile.mode === 'officer') Object.assign(profile, { mode: 'citizen', officerName: null });
    const session = await this.officerSession.get(context);
    if (!session) return;
    const now = this.services.clock.now();
    const inTime = Date.parse(session.expiresAt) > now.getTime();
    if (!inTime || !tokenActive(await this.services.officerToken(session.tokenId), now)) {
      await this.officerSession.delete(context);
      this.services.log.info('officer mode ended', { tokenId: session.tokenId, reason: inTime ? 'token revoked or expired' : 'session time over' });
      await say(context, OFFICER_MODE_ENDED);
      return;
    }
    context.turnState.set(MODE_BEFORE_OFFICER, profile.mode);
    Object.assign(profile, { mode: 'officer', officerName: session.name });
  }

  private async keepModeOutOfUserState(context: TurnContext): Promise<void> {
    // Only a turn with a valid officer session made the mode 'officer' (see applyOfficerSession).
    if (!context.turnState.has(MODE_BEFORE_OFFICER)) return;
    const profile = await this.profile.get(context);
    if (profile?.mode === 'officer') {
      Object.assign(profile, { mode: (context.turnState.get(MODE_BEFORE_OFFICER) as Profile['mode'] | undefined) ?? 'citizen', officerName: null });
    }
  }
}
