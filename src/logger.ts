/**
 * The one logger: JSON lines on stdout, personal data masked. Phone and ID numbers are masked
 * wherever they appear, in messages and in fields, so a log can be shared without leaking them.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

// Vietnamese mobile numbers (0xxxxxxxxx, +84xxxxxxxxx) and ID numbers (9 or 12 digits).
const PERSONAL_NUMBER = /(?<![\w.])\+?\d{9,12}(?![\w.])/g;
const SENSITIVE_KEYS = /phone|sdt|idnumber|cccd|cmnd|identity|password|token|secret/i;

export function maskPersonalData(text: string): string {
  return text.replace(PERSONAL_NUMBER, (digits) => '*'.repeat(Math.max(0, digits.length - 2)) + digits.slice(-2));
}

function mask(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return SENSITIVE_KEYS.test(key) ? '***' : maskPersonalData(value);
  if (typeof value === 'number' && SENSITIVE_KEYS.test(key)) return '***';
  if (Array.isArray(value)) return value.map((v) => mask(v, key));
  if (value instanceof Error) return { name: value.name, message: maskPersonalData(value.message) };
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, k)]));
  }
  return value;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const log = (at: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[at] < RANK[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: at, msg: maskPersonalData(msg), ...(mask(fields ?? {}) as object) }));
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}
