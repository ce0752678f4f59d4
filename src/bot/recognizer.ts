/**
 * Recognises what a message is about: an intent learned from Vietnamese examples (natural's naive
 * Bayes over folded syllables and bigrams), codes typed in the message, and the procedure search.
 * Knows nothing of Bot Framework: the dialogs, Zalo and the tests use it the same way.
 */
import { BayesClassifier } from 'natural/lib/natural/classifiers';
import type { IntentExamples, IntentName } from '../../knowledge/schemas';
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

const BOOKING_CODE = /(?:^|[^A-Z0-9])([ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8})(?![A-Z0-9])/;

function features(text: string): string[] {
  const t = terms(text);
  const out = [...t];
  for (let i = 1; i < t.length; i++) out.push(t[i - 1] + '_' + t[i]);
  return out;
}

export class IntentRecognizer {
  private readonly classifier = new BayesClassifier();

  constructor(
    examples: IntentExamples,
    private readonly search: (query: string) => SearchHit[],
    private readonly dossierCodePattern: RegExp,
  ) {
    for (const intent of examples.intents) for (const example of intent.examples) this.classifier.addDocument(features(example), intent.name);
    this.classifier.train();
  }

  /** The command a short message stands for ("hủy", "menu", "giúp", "quay lại"), or null. */
  command(text: string): IntentName | null {
    return COMMANDS[terms(text).join(' ')] ?? null;
  }

  findDossierCode(text: string): string | null {
    const upper = text.normalize('NFC').toUpperCase();
    const re = /([A-Z0-9]{2,12}(?:\.[A-Z0-9]{1,6})*)[\s-]*(\d{6})[\s-]*(\d{4})/g;
    for (let m = re.exec(upper); m; m = re.exec(upper)) {
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

  recognize(text: string): Recognition {
    const dossierCode = this.findDossierCode(text);
    const bookingCode = dossierCode ? null : this.findBookingCode(text);
    const command = this.command(text);
    if (command) return { intent: command, confidence: 1, dossierCode, bookingCode, procedures: [] };
    const procedures = this.search(text);
    if (dossierCode) return { intent: 'status', confidence: 1, dossierCode, bookingCode, procedures };

    const f = features(text);
    const known = f.some((x) => this.classifier.features[x] !== undefined);
    const ranked = known ? this.classifier.getClassifications(f) : [];
    const sum = ranked.reduce((s, c) => s + c.value, 0) || 1;
    const top = ranked[0];
    const confidence = top ? top.value / sum : 0;
    const intent = top?.label as IntentName | undefined;

    if (bookingCode && (intent === 'booking_manage' || intent === 'booking' || !intent)) {
      return { intent: 'booking_manage', confidence: 1, dossierCode, bookingCode, procedures };
    }
    // A task word ("đặt lịch", "kiểm tra giấy tờ") wins over the procedure it mentions, which
    // becomes the task's context; otherwise a relevant procedure is what the person asks about.
    if (intent && intent !== 'procedure' && confidence >= 0.6) return { intent, confidence, dossierCode, bookingCode, procedures };
    if (procedures.length > 0) return { intent: 'procedure', confidence: Math.max(confidence, procedures[0].score), dossierCode, bookingCode, procedures };
    if (intent && intent !== 'procedure' && confidence >= 0.45) return { intent, confidence, dossierCode, bookingCode, procedures };
    return { intent: 'none', confidence, dossierCode, bookingCode, procedures };
  }
}
