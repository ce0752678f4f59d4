import cluster from 'node:cluster';
import { startApp } from './app';
import { loadConfig } from './config';
import { createLogger, type Logger } from './logger';

/**
 * WORKERS=N (N > 1, on MongoDB): this process forks N server processes that share the port
 * (node:cluster hands each new connection to one of them in turn) and starts another when one
 * dies. Everything they must agree on is in the store (bot state, transcripts, counters and rate
 * limits, outbox, leases, the Direct Line secret), so any of them may serve any request.
 */
function supervise(workers: number, log: Logger): void {
  let stopping = false;
  const recentExits: number[] = [];
  for (let i = 0; i < workers; i++) cluster.fork();
  log.info('server processes started', { workers });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A process that keeps dying at start (bad configuration, a broken release) is restarted slowly.
    const now = Date.now();
    recentExits.push(now);
    while (recentExits.length && now - recentExits[0] > 60_000) recentExits.shift();
    const delay = recentExits.length > workers * 3 ? 10_000 : 500;
    log.error('server process stopped: starting another', { pid: worker.process.pid, code, signal, restartInMs: delay });
    setTimeout(() => {
      if (!stopping) cluster.fork();
    }, delay).unref();
  });
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal, workers: Object.keys(cluster.workers ?? {}).length });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    // A process that does not stop in time is not waited for.
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  if (config.workers > 1 && cluster.isPrimary) return supervise(config.workers, log);
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
