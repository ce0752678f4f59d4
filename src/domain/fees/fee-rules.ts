/**
 * Which fee applies on a given day and filing method. Fees change by circular and resolution (a
 * temporary halving until a date, an exemption for citizens filing online for a few months), so the
 * answer depends on the day asked, never on when the record was written. Pure: rules and dates in.
 */
import type { Fee, FeeRule, LegalBasis } from '../../../knowledge/schemas';

export type FilingMethod = 'direct' | 'online' | 'post';
export const FILING_METHODS: readonly FilingMethod[] = ['direct', 'online', 'post'];

export interface FeeExemption {
  ruleId: string;
  who: string;
  legalBasis: LegalBasis;
  validUntil: string | null;
  verified: boolean;
}

export interface FeeInForce {
  /** The fee item as citizens read it. */
  item: string;
  /** null: the amount is only given in words (`item`). */
  amountVnd: number | null;
  /** The rule that sets the amount; null when the amount is the procedure record's own. */
  ruleId: string | null;
  legalBasis: LegalBasis | null;
  /** Last day this amount applies (null: no end set, or the record's own amount). */
  validUntil: string | null;
  verified: boolean;
}

export interface FeesOnDay {
  date: string;
  method: FilingMethod;
  fees: FeeInForce[];
  /** People who owe nothing that day by this method, when a rule says so. */
  exemption: FeeExemption | null;
  /** The next day on which what applies changes, and what applies then. */
  nextChange: { date: string; fees: FeeInForce[]; exemption: FeeExemption | null } | null;
}

function inForce(rule: FeeRule, date: string): boolean {
  return (rule.validFrom === null || rule.validFrom <= date) && (rule.validUntil === null || date <= rule.validUntil);
}

function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function covers(rule: FeeRule, code: string, method: FilingMethod): boolean {
  return rule.procedures.includes(code) && rule.methods.includes(method);
}

function stateOn(code: string, fees: Fee[], rules: FeeRule[], date: string, method: FilingMethod): Omit<FeesOnDay, 'nextChange'> {
  const amountRules = rules.filter((r) => r.kind === 'amount' && covers(r, code, method));
  let inForceFees: FeeInForce[];
  if (amountRules.length > 0) {
    const items = [...new Set(amountRules.map((r) => r.item!))];
    inForceFees = items.flatMap((item) => {
      // A later start wins: a temporary reduction over the permanent level (null start = earliest).
      const current = amountRules
        .filter((r) => r.item === item && inForce(r, date))
        .sort((a, b) => (b.validFrom ?? '').localeCompare(a.validFrom ?? ''))[0];
      return current
        ? [{ item, amountVnd: current.amountVnd!, ruleId: current.id, legalBasis: current.legalBasis, validUntil: current.validUntil, verified: current.verified }]
        : [];
    });
  } else {
    inForceFees = fees
      .filter((f) => f.method === method || f.method === 'any')
      .map((f) => ({ item: f.description, amountVnd: f.amountVnd, ruleId: null, legalBasis: null, validUntil: null, verified: false }));
  }
  const rule = rules.find((r) => r.kind === 'exemption' && covers(r, code, method) && inForce(r, date));
  const exemption = rule ? { ruleId: rule.id, who: rule.who!, legalBasis: rule.legalBasis, validUntil: rule.validUntil, verified: rule.verified } : null;
  return { date, method, fees: inForceFees, exemption };
}

/** The fees of one procedure on `date` (Vietnam date, YYYY-MM-DD) for one filing method. */
export function feesOn(code: string, fees: Fee[], rules: FeeRule[], date: string, method: FilingMethod): FeesOnDay {
  const state = stateOn(code, fees, rules, date, method);
  const changes = rules
    .filter((r) => covers(r, code, method))
    .flatMap((r) => [r.validFrom, r.validUntil === null ? null : dayAfter(r.validUntil)])
    .filter((d): d is string => d !== null && d > date)
    .sort();
  const next = changes[0];
  if (!next) return { ...state, nextChange: null };
  const then = stateOn(code, fees, rules, next, method);
  return { ...state, nextChange: { date: next, fees: then.fees, exemption: then.exemption } };
}

/** The fees in force on `date` for every filing method. */
export function feesByMethod(code: string, fees: Fee[], rules: FeeRule[], date: string): Record<FilingMethod, FeesOnDay> {
  return {
    direct: feesOn(code, fees, rules, date, 'direct'),
    online: feesOn(code, fees, rules, date, 'online'),
    post: feesOn(code, fees, rules, date, 'post'),
  };
}

/** Rules in force on `date` (for reports). */
export function rulesInForce(rules: FeeRule[], date: string): FeeRule[] {
  return rules.filter((r) => inForce(r, date));
}
