import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { MessageFactory } from 'botbuilder';
import { fitButtons } from '../src/bot/buttons';
import type { IntentRecognizer } from '../src/bot/recognizer';
import type { Clock } from '../src/domain/calendar/clock';
import type { Logger } from '../src/logger';
import type { AvailabilityService } from '../src/services/availability-service';
import type { BookingService } from '../src/services/booking-service';
import type { WaitlistService } from '../src/services/waitlist-service';
import type { ChecklistService } from '../src/services/checklist-service';
import type { DossierService } from '../src/services/dossier-service';
import type { FeedbackService } from '../src/services/feedback-service';
import type { ProcedureCatalog, SearchMemo } from '../src/services/procedure-search';
import type { SearchHit } from '../src/domain/search/procedure-index';
import type { OfficerToken } from '../src/store/types';
import { coordinates } from '../src/domain/location';
import type { CentreProfile } from '../src/domain/centre/centre';

/** What the dialogs use: services only, never the store. */
export interface DialogServices {
  catalog: ProcedureCatalog;
  /** Branches, free slots and days (the booking horizon is the branch's, read there). */
  availability: AvailabilityService;
  bookings: BookingService;
  waitlist: WaitlistService;
  dossiers: DossierService;
  feedback: FeedbackService;
  checklists: ChecklistService;
  recognizer: IntentRecognizer;
  /** The active officer token behind a secret typed in the chat, or null. */
  authenticateOfficer(token: string): Promise<OfficerToken | null>;
  /** A stored officer token by id (officer mode re-checks it on every turn: revoked or expired ends it). */
  officerToken(id: string): Promise<OfficerToken | null>;
  /** How long an officer mode lasts in a conversation after the log-in. */
  officerSessionHours: number;
  clock: Clock;
  log: Logger;
  /** Public address of the server, for links (printable checklist, official page). */
  publicUrl: string;
  /** The centre (CENTRE) whose name, hotline and hours the dialogs say; absent: a centre without a name. */
  centre?: CentreProfile;
}

/**
 * Who the user is to the assistant; kept in user state across conversations. `mode` is 'officer' only
 * during a turn of a conversation with a verified officer session (see OfficerSession): it is never
 * taken from, nor kept in, user state.
 */
export interface Profile {
  mode: 'citizen' | 'officer' | 'volunteer';
  officerName: string | null;
  lastProcedureCode: string | null;
  name: string | null;
  phone: string | null;
  /** Last location the user shared, to list the nearest branches. */
  location: { lat: number; lon: number } | null;
  /** The branch the last centre answer was about ("địa chỉ luôn nhé" then means that one). */
  lastBranchId?: string | null;
  /** When the procedure in context was last shown or named (a reply about it is only assumed for a while). */
  lastProcedureAt?: string | null;
  /** The last booking made by this user ("hủy lịch vừa đặt" means that one). */
  lastBookingCode?: string | null;
}

export const NEW_PROFILE: Profile = { mode: 'citizen', officerName: null, lastProcedureCode: null, name: null, phone: null, location: null };

/** A location shared in this message (Bot Framework GeoCoordinates entity, as Zalo's adapter sends). */
export function sharedLocation(context: TurnContext): { lat: number; lon: number } | null {
  // Any client can send any entity: "abc" or out-of-range degrees are no location at all.
  const geo = context.activity.entities?.find((e) => e.type === 'GeoCoordinates') as { latitude?: unknown; longitude?: unknown } | undefined;
  return geo ? coordinates(geo.latitude, geo.longitude) : null;
}

export type ProfileAccessor = StatePropertyAccessor<Profile>;

/**
 * An officer log-in, kept in the conversation's state (never the user's: a user id is not a proof of
 * anything): which token, and until when. Each turn checks it again against the store.
 */
export interface OfficerSession {
  tokenId: string;
  name: string;
  expiresAt: string;
}

export type OfficerSessionAccessor = StatePropertyAccessor<OfficerSession | undefined>;

export async function profileOf(accessor: ProfileAccessor, context: TurnContext): Promise<Profile> {
  return accessor.get(context, { ...NEW_PROFILE });
}

const SEARCH_MEMO = Symbol('searchMemo');

/**
 * The catalogue's search, run once per text in a turn: the recognizer, a side question and a task's
 * step often search the same message. The memo lives in the turn's state and goes with the turn.
 */
export function turnSearch(context: TurnContext, services: Pick<DialogServices, 'catalog'>, text: string, limit: number): SearchHit[] {
  let memo = context.turnState.get(SEARCH_MEMO) as SearchMemo | undefined;
  if (!memo) context.turnState.set(SEARCH_MEMO, (memo = new Map()));
  return services.catalog.search(text, { limit }, memo);
}

/** How long after it was last shown a procedure is still the one a message without a name is about. */
export const CONTEXT_MINUTES = 30;

/** Makes a procedure the one in context, from now (see recentProcedure). */
export function rememberProcedure(profile: Profile, code: string, now: Date): void {
  profile.lastProcedureCode = code;
  profile.lastProcedureAt = now.toISOString();
}

/** The procedure in context when it was shown or named within CONTEXT_MINUTES, else null. */
export function recentProcedure(profile: Profile, now: Date): string | null {
  if (!profile.lastProcedureCode || !profile.lastProcedureAt) return null;
  return now.getTime() - Date.parse(profile.lastProcedureAt) <= CONTEXT_MINUTES * 60_000 ? profile.lastProcedureCode : null;
}

/** A short reply with the next steps as buttons. */
export async function say(context: TurnContext, text: string, actions: string[] = []): Promise<void> {
  if (!actions.length) {
    await context.sendActivity(MessageFactory.text(text));
    return;
  }
  const fitted = fitButtons(context.activity.channelId, text, actions);
  await context.sendActivity(MessageFactory.suggestedActions(fitted.actions, fitted.text));
}

/**
 * Who is talking, for per-user limits and records: channel and user id. Every channel sets `from.id`
 * from what it verified, never from what a client claims: Direct Line from the subject of the token
 * the server issued, Zalo from the signed webhook's sender, Bot Framework from the authenticated
 * connector (or the local Emulator, loopback only).
 */
export function clientOf(context: TurnContext): string {
  return `${context.activity.channelId}:${context.activity.from?.id ?? 'unknown'}`;
}

/**
 * Where this conversation can be notified later: the web chat conversation (its page polls) or the
 * Zalo user; null on channels that cannot carry a later message.
 */
export function notifyTarget(context: TurnContext): { channel: string; address: string } | null {
  const { channelId, conversation, from } = context.activity;
  if (channelId === 'directline') return { channel: 'webchat', address: conversation.id };
  if (channelId === 'zalo') return { channel: 'zalo', address: from.id };
  return null;
}
