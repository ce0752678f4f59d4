import { startApp } from './app';
import { loadConfig } from './config';
import { createLogger } from './logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: reason }));
  try {
    const app = await startApp(config, log);
    const shutdown = async (signal: string) => {
      log.info('shutting down', { signal });
      await app.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  } catch (error) {
    log.error('could not start', { error });
    process.exit(1);
  }
}

void main();
