/** Environment variables, parsed once. Nothing else reads process.env. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/** The project folder (where package.json is), whether running from src/ or from dist/src/. */
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const PACKAGE_ROOT = packageRoot(__dirname);

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'MONGODB_URI phải bắt đầu bằng mongodb:// hoặc mongodb+srv://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  KNOWLEDGE_DIR: z.string().min(1).default(resolve(PACKAGE_ROOT, 'knowledge')),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(64 * 1024),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  mongodbUri?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  knowledgeDir: string;
  maxBodyBytes: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Cấu hình không hợp lệ: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    mongodbUri: e.MONGODB_URI,
    logLevel: e.LOG_LEVEL,
    knowledgeDir: resolve(e.KNOWLEDGE_DIR),
    maxBodyBytes: e.MAX_BODY_BYTES,
  };
}
