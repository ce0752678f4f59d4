/**
 * The one logger: JSON lines on stdout through pino (already in the tree through restify, at the
 * same version), with personal data masked by our own formatter, so a log can be shared without
 * leaking who the citizens are.
 *
 * What is masked, wherever it appears (messages, fields, error messages and stacks):
 * - phone numbers, however written: "0987654321", "0987.654.321", "0987 654 321", "0987-654-321",
 *   "+84 987 654 321", "84987654321", landlines "024 3825 1234";
 * - ID numbers: 12-digit citizen IDs, also grouped ("001 099 991 234"), and any run of 9–12 digits
 *   (old 9-digit ID cards, passports, bank accounts);
 * - e-mail addresses.
 * The last two digits stay, so an officer can still tell two numbers apart in a log.
 *
 * By field name: phone, ID, proof, password, token, secret, authorization and cookie fields become
 * "***"; personal names and addresses ("name", "fullName", "address"…) become "***" too, since a name
 * cannot be recognised inside free text. Free text a citizen typed ("query", "text", "comment",
 * "utterance") is never written: only its length and a digest keyed per process, so the same query
 * seen twice in one run can be counted, but the text cannot be recovered by guessing it.
 *
 * Errors keep their type, message, code, stack and cause (masked), since a 500 that cannot be traced
 * to a line cannot be fixed. `requestId` (restify's `req.id()`) and `conversationId` are plain fields:
 * callers pass them, or bind them once with `withFields`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import pino from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/**
 * A logger that adds `bound` (e.g. `{ requestId: req.id() }` or `{ conversationId }`) to every line,
 * over any Logger (tests pass their own). Fields given at the call win over bound ones.
 */
export function withFields(log: Logger, bound: LogFields): Logger {
  return {
    debug: (msg, fields) => log.debug(msg, { ...bound, ...fields }),
    info: (msg, fields) => log.info(msg, { ...bound, ...fields }),
    warn: (msg, fields) => log.warn(msg, { ...bound, ...fields }),
    error: (msg, fields) => log.error(msg, { ...bound, ...fields }),
  };
}

// Separators people put between digit groups.
const SEP = '[ .\\-]?';
const PERSONAL_NUMBER = new RegExp(
  [
    // A 12-digit citizen ID, grouped or not ("001 099 991 234", "001099991234").
    `\\d(?:${SEP}\\d){11}`,
    // A phone number: +84 / (+84) / 84 or a leading 0, then 9 or 10 more digits in any grouping.
    `(?:\\(?\\+84\\)?${SEP}|84${SEP}|0)\\d(?:${SEP}\\d){8,9}`,
    // Any other run of 9 to 12 digits.
    `\\d{9,12}`,
  ]
    .map((p) => `(?:${p})`)
    .join('|'),
  'g',
);
// Not inside a longer token: a dossier code "HN-261120-0001", "1.001193" or a date stays readable.
const NUMBER_IN_TEXT = new RegExp(`(?<![\\w.+\\-])(?:${PERSONAL_NUMBER.source})(?!\\w)`, 'g');
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

const SENSITIVE_KEYS = /phone|sdt|idnumber|cccd|cmnd|identity|password|passwd|token|secret|authorization|cookie|apikey|api_key|proof|otp/i;
const PERSONAL_KEYS = /^(?:name|fullname|full_name|hoten|ho_ten|displayname|username|applicant|applicantname|citizen|citizenname|address|email)$/i;
const FREE_TEXT_KEYS = /^(?:q|query|text|comment|utterance|question)$/i;

export function maskPersonalData(text: string): string {
  return text
    .replace(NUMBER_IN_TEXT, (match) => {
      const digits = match.replace(/\D/g, '');
      return '*'.repeat(Math.max(0, digits.length - 2)) + digits.slice(-2);
    })
    .replace(EMAIL, (address) => '***@' + address.slice(address.lastIndexOf('@') + 1));
}

// A fresh key each process: a digest links repeats within one run and cannot be looked up later.
const DIGEST_KEY = randomBytes(16);
function describeFreeText(text: string): { length: number; digest: string } {
  return { length: [...text].length, digest: createHmac('sha256', DIGEST_KEY).update(text).digest('hex').slice(0, 12) };
}

const MAX_DEPTH = 8;

function maskError(error: Error, seen: WeakSet<object>, depth: number): LogFields {
  const out: LogFields = { type: error.name, message: maskPersonalData(String(error.message)) };
  if (error.stack) out.stack = maskPersonalData(error.stack);
  // Own fields such as code, statusCode or errno say what failed; they go through the same masking.
  for (const [key, value] of Object.entries(error)) {
    if (key === 'message' || key === 'stack' || key === 'cause') continue;
    out[key] = mask(value, key, seen, depth + 1);
  }
  if (error.cause !== undefined) out.cause = mask(error.cause, 'cause', seen, depth + 1);
  if (error instanceof AggregateError) out.errors = mask(error.errors, 'errors', seen, depth + 1);
  return out;
}

function mask(value: unknown, key: string, seen: WeakSet<object>, depth: number, secret = false): unknown {
  if (value === null || value === undefined) return value;
  // Under a phone, ID, name… key every value is hidden, also inside an object (`applicant: {…}`).
  const hidden = secret || SENSITIVE_KEYS.test(key) || PERSONAL_KEYS.test(key);
  if (typeof value !== 'object') {
    if (hidden) return '***';
    if (typeof value === 'string') return FREE_TEXT_KEYS.test(key) ? describeFreeText(value) : maskPersonalData(value);
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : typeof value === 'bigint' ? String(value) : value;
  }
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    if (value instanceof Error) return hidden ? '***' : maskError(value, seen, depth);
    if (value instanceof Date) return hidden ? '***' : Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.slice(0, 100).map((v) => [key, v])
      : value instanceof Map
        ? [...value.entries()].slice(0, 100).map(([k, v]) => [String(k), v])
        : value instanceof Set
          ? [...value].slice(0, 100).map((v) => [key, v])
          : Object.entries(value);
    const masked = entries.map(([k, v]) => [k, mask(v, k, seen, depth + 1, hidden)] as const);
    return Array.isArray(value) || value instanceof Set ? masked.map(([, v]) => v) : Object.fromEntries(masked);
  } finally {
    seen.delete(value);
  }
}

/** The fields of a line, masked; the formatter pino runs on every line (bindings included). */
export function maskFields(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    try {
      out[key] = mask(value, key, new WeakSet(), 1);
    } catch {
      // A getter that throws must not take the caller down with it: the field says so instead.
      out[key] = '[could not be logged]';
    }
  }
  return out;
}

function wrap(instance: pino.Logger): Logger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (msg: string, fields?: LogFields): void => {
      if (!instance.isLevelEnabled(level)) return;
      const text = maskPersonalData(String(msg));
      try {
        // The message goes first among the fields, as before pino: `{"level","time","pid","msg",…}`,
        // so a reader (or a test watching stdout for "server listening") sees it next to its fields.
        instance[level]({ msg: text, ...fields });
      } catch {
        // Logging never crashes the process (fields that cannot even be read, a closed stdout).
        try {
          instance[level]({ msg: text, fields: '[could not be logged]' });
        } catch {
          // Nothing more can be done without risking the caller.
        }
      }
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/**
 * The logger at `level`. `write` receives each JSON line without its newline (tests read them back);
 * without it, lines go to stdout, written before the call returns when stdout is a file, a pipe or
 * a terminal (Node on Linux), so a line logged just before `process.exit` is kept.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  // process.stdout rather than pino.destination(1): Node writes to a pipe blocking, where sonic-boom's
  // synchronous mode sleeps 100 ms on every EAGAIN when the reader (a supervisor, a test) is slow.
  const destination = write ? { write: (chunk: string) => write(chunk.replace(/\n$/, '')) } : process.stdout;
  const instance = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => maskFields(fields),
      },
    },
    destination,
  );
  return wrap(instance);
}
