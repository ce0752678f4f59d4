import { ActivityHandler, ConversationState, UserState, type StatePropertyAccessor, type Storage } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { MENU } from './format';
import { MainDialog, WELCOME } from '../../dialogs/mainDialog';
import { say, type DialogServices, type Profile } from '../../dialogs/dialogServices';

/** The assistant: one bot for every channel (Bot Framework, Direct Line, Zalo). */
export class AssistantBot extends ActivityHandler {
  private readonly conversationState: ConversationState;
  private readonly userState: UserState;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialog: MainDialog;

  constructor(storage: Storage, services: DialogServices) {
    super();
    this.conversationState = new ConversationState(storage);
    this.userState = new UserState(storage);
    this.dialogState = this.conversationState.createProperty<DialogState>('dialogState');
    const profile = this.userState.createProperty<Profile>('profile');
    this.dialog = new MainDialog(services, profile);

    this.onMessage(async (context, next) => {
      await this.dialog.run(context, this.dialogState);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const joined = (context.activity.membersAdded ?? []).some((m) => m.id !== context.activity.recipient.id);
      if (joined) await say(context, WELCOME, MENU);
      await next();
    });
    this.onDialog(async (context, next) => {
      await this.conversationState.saveChanges(context, false);
      await this.userState.saveChanges(context, false);
      await next();
    });
  }
}
