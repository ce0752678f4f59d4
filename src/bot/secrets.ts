/**
 * Officer secrets typed into the chat ("tôi là cán bộ mc_…") must never be kept: the transcript, the
 * feedback list and the unanswered questions are read by other people. Every turn passes through
 * `redactSecrets` before anything stores or logs its text; the secret itself stays only in the turn's
 * memory, where the officer log-in step reads it.
 */
import type { TurnContext } from 'botbuilder';
import { OFFICER_SECRET_PATTERN } from '../services/officer-auth';

export const SECRET_PLACEHOLDER = '[mã bí mật đã ẩn]';
const SECRETS = Symbol('officerSecrets');

/** The text with every officer secret replaced, and the secrets found. */
export function redactText(text: string): { text: string; secrets: string[] } {
  const secrets = text.match(OFFICER_SECRET_PATTERN) ?? [];
  return { text: secrets.length ? text.replace(OFFICER_SECRET_PATTERN, SECRET_PLACEHOLDER) : text, secrets };
}

/**
 * Redacts the incoming activity of this turn in place and keeps the secrets in the turn state only.
 * Safe to call more than once (the Direct Line channel calls it before recording the transcript, the
 * bot again for every channel).
 */
export function redactSecrets(context: TurnContext): void {
  const activity = context.activity;
  if (typeof activity.text !== 'string') return;
  const { text, secrets } = redactText(activity.text);
  if (secrets.length === 0) return;
  activity.text = text;
  context.turnState.set(SECRETS, [...secretsOf(context), ...secrets]);
}

/** The officer secrets this turn's message carried (never stored anywhere). */
export function secretsOf(context: TurnContext): string[] {
  return (context.turnState.get(SECRETS) as string[] | undefined) ?? [];
}
