import { startApp, type App } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import type { Logger } from '../src/logger';
import { memoryLogger } from './helpers';

/** The real server on a free port over the given store directory (or MongoDB when given a URI). */
export async function startTestApp(overrides: Partial<Config> & { dataDir: string }, log: Logger = memoryLogger()): Promise<App> {
  const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', mongodbUri: undefined, logLevel: 'silent' as const, ...overrides };
  return startApp(config, log);
}
