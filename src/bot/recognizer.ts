/**
 * Recognises what a message is about: an intent from Vietnamese examples (nearest example, see
 * intent-classifier.ts), codes typed in the message, and the procedure search. Knows nothing of
 * Bot Framework: the dialogs, Zalo and the tests use it the same way.
 */
import type { IntentExamples, IntentName } from '../../knowledge/schemas';
import { IntentClassifier } from './intent-classifier';
import type { SearchHit } from '../domain/search/procedure-index';
import { terms } from '../domain/search/terms';

export interface Recognition {
  intent: IntentName | 'none';
  confidence: number;
  /** A dossier code found in the message, normalised to the printed form. */
  dossierCode: string | null;
  /** A booking code found in the message. */
  bookingCode: string | null;
  /** Procedures the message may be about, best first (empty when none is relevant). */
  procedures: SearchHit[];
}

/** Words alone that are commands at any step of a conversation. */
const COMMANDS: Record<string, IntentName> = {
  menu: 'menu',
  huy: 'cancel',
  'huy bo': 'cancel',
  thoi: 'cancel',
  cancel: 'cancel',
  giup: 'help',
  'tro giup': 'help',
  help: 'help',
  'quay lai': 'back',
  'tro lai': 'back',
  back: 'back',
};

/** A dossier code as people type it: prefix, 6 and 4 digits, separated by hyphens, spaces or nothing. */
const LOOSE_DOSSIER_CODE = /([A-Z0-9]{2,12}(?:\.[A-Z0-9]{1,6})*)[\s-]*(\d{6})[\s-]*(\d{4})/;

/** The text (upper-cased) with every dossier code as typed taken out, e.g. to read a proof beside it. */
export function withoutDossierCodes(text: string): string {
  return text.toUpperCase().replace(new RegExp(LOOSE_DOSSIER_CODE.source, 'g'), ' ');
}

/** Words written before a phone number, never a dossier code's prefix. */
const PHONE_WORDS = /^(SDT|SĐT|DT|ĐT|SO|SỐ|TEL|PHONE|ZALO|DD|DTDD|HOTLINE|LH)$/;

const BOOKING_CODE = /(?:^|[^A-Z0-9])([ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8})(?![A-Z0-9])/;

export class IntentRecognizer {
  private readonly classifier: IntentClassifier;

  constructor(
    examples: IntentExamples,
    private readonly search: (query: string) => SearchHit[],
    private readonly dossierCodePattern: RegExp,
    /** Official name and aliases of a procedure, to tell its words from the task's. */
    private readonly titles: (code: string) => string[] = () => [],
  ) {
    this.classifier = new IntentClassifier(examples);
  }

  /** The command a short message stands for ("hủy", "menu", "giúp", "quay lại"), or null. */
  command(text: string): IntentName | null {
    return COMMANDS[terms(text).join(' ')] ?? null;
  }

  findDossierCode(text: string): string | null {
    const upper = text.normalize('NFC').toUpperCase();
    const re = new RegExp(LOOSE_DOSSIER_CODE.source, 'g');
    for (let m = re.exec(upper); m; m = re.exec(upper)) {
      // "số đt 0912345678" is a phone, not dossier DT-091234-5678.
      if (PHONE_WORDS.test(m[1])) continue;
      const code = `${m[1]}-${m[2]}-${m[3]}`;
      if (this.dossierCodePattern.test(code)) return code;
    }
    return null;
  }

  findBookingCode(text: string): string | null {
    const m = BOOKING_CODE.exec(text.toUpperCase());
    // A code mixes letters and digits; an 8-letter word is just a word.
    return m && /\d/.test(m[1]) && /[A-Z]/.test(m[1]) ? m[1] : null;
  }

  /** A button's label: the codes it may carry, nothing searched (the button already names the task). */
  codesOnly(text: string): Recognition {
    const dossierCode = this.findDossierCode(text);
    return { intent: 'none', confidence: 0, dossierCode, bookingCode: dossierCode ? null : this.findBookingCode(text), procedures: [] };
  }

  /** `search`: the search to use for this message (a turn passes its memo, see turnSearch); the recognizer's own by default. */
  recognize(text: string, search: (query: string) => SearchHit[] = this.search): Recognition {
    const dossierCode = this.findDossierCode(text);
    const bookingCode = dossierCode ? null : this.findBookingCode(text);
    const command = this.command(text);
    if (command) return { intent: command, confidence: 1, dossierCode, bookingCode, procedures: [] };
    const procedures = search(text);
    if (dossierCode) return { intent: 'status', confidence: 1, dossierCode, bookingCode, procedures };

    // The procedure a message names is the search's business; the classifier says which task it is
    // ("đặt lịch làm sổ đỏ" is booking, about 1.013978). The procedure examples only help when the
    // search finds nothing ("tôi muốn hỏi thủ tục").
    const procedureWords = new Set(procedures.length ? this.titles(procedures[0].code).flatMap(terms) : []);
    const taskText = terms(text).filter((t) => !procedureWords.has(t)).join(' ');
    const ranked = this.classifier.rank(taskText);
    const whole = this.classifier.rank(text);
    // A message that is plainly a task as a whole ("góp ý cho trợ lý") stays that task even when a
    // procedure name shares its words.
    // A complaint or a request for a person is never swallowed by a procedure found in the same words
    // ("khiếu nại" is also the name of a procedure, and its everyday aliases are many).
    const isUrgent = (intent: string) => intent === 'complaint' || intent === 'human';
    const wholeTask = whole.find((r) => r.intent !== 'procedure' && r.similarity >= (isUrgent(r.intent) ? 0.4 : 0.6));
    const task = wholeTask ?? ranked.find((r) => r.intent !== 'procedure');
    const procedureLike = whole.find((r) => r.intent === 'procedure')?.similarity ?? 0;

    if (bookingCode && (!task || task.intent === 'booking_manage' || task.intent === 'booking' || task.similarity < 0.35)) {
      return { intent: 'booking_manage', confidence: 1, dossierCode, bookingCode, procedures };
    }
    const urgent = task?.intent === 'complaint' || task?.intent === 'human';
    if (task && task.similarity >= (urgent ? 0.3 : 0.35)) {
      return { intent: task.intent, confidence: task.similarity, dossierCode, bookingCode, procedures };
    }
    if (procedures.length > 0) return { intent: 'procedure', confidence: procedures[0].score, dossierCode, bookingCode, procedures };
    if (procedureLike >= 0.35) return { intent: 'procedure', confidence: procedureLike, dossierCode, bookingCode, procedures };
    const confidence = ranked[0]?.similarity ?? 0;
    return { intent: 'none', confidence, dossierCode, bookingCode, procedures };
  }
}
