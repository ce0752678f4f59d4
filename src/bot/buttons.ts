/**
 * The one place where buttons are fitted to a channel: how many a channel shows (Zalo: 5; the rest
 * become a numbered list in the text, which the person can type) and how long a title may be. A
 * button sends back its full value (the routing key and what prompts match), whatever its title shows.
 */
import type { CardAction } from 'botbuilder';
import { actionByLabel } from './actions';

/** Buttons a channel shows at most (channels not listed show all). */
export const BUTTON_LIMITS: Readonly<Record<string, number>> = { zalo: 5 };
/** Longest title shown on a button; the value keeps the whole label. */
export const TITLE_MAX = 60;

function shortTitle(label: string): string {
  return label.length <= TITLE_MAX ? label : label.slice(0, TITLE_MAX - 1).replace(/\s+\S*$/, '') + '…';
}

export function fitButtons(channelId: string, text: string, labels: string[]): { text: string; actions: CardAction[] } {
  const limit = BUTTON_LIMITS[channelId] ?? labels.length;
  const shown = labels.slice(0, limit);
  const rest = labels.slice(limit);
  const list = rest.length ? `\n\n${rest.map((l, i) => `${limit + i + 1}. ${l}`).join('\n')}` : '';
  return { text: text + list, actions: shown.map((label) => button(label)) };
}

/**
 * An action button carries its action as the value (messageBack: the label is shown as the person's
 * message, the value routes it); any other button sends its label back (imBack), which the prompt
 * waiting for it matches.
 */
function button(label: string): CardAction {
  const action = actionByLabel(label);
  return action
    ? { type: 'messageBack', title: shortTitle(label), text: label, displayText: label, value: { action } }
    : { type: 'imBack', title: shortTitle(label), value: label };
}
