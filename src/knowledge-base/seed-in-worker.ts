/**
 * The knowledge import at start, run in a worker thread. Importing the catalogue parses, validates
 * and copies some 33 MB of records; in the server's own heap that left ≈ 90 MB of old space V8 keeps
 * reserved for good (idle RSS 350 MB after a first start against 260 MB after a start with nothing to
 * import). A worker has a heap of its own, released whole when it ends; the server then opens the
 * store as on any later start. The worker opens the store itself (and, on the embedded store, its
 * directory lock) and closes it before it ends, so the server opens it only after.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/open-store';
import { seedIfNeeded, type ImportResult } from '../services/knowledge-import';

export interface SeedRequest {
  mongodbUri?: string;
  dataDir: string;
  knowledgeDir: string;
  centre: string;
}

/** An error as it crosses the thread boundary: what isStoreUnavailable and the logs read of it. */
interface SentError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  cause?: SentError;
}

function send(error: unknown, depth = 0): SentError {
  const e = (error ?? {}) as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; cause?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(error),
    ...(typeof e.stack === 'string' ? { stack: e.stack } : {}),
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.cause !== undefined && depth < 5 ? { cause: send(e.cause, depth + 1) } : {}),
  };
}

function revive(sent: SentError): Error {
  const error = new Error(sent.message, sent.cause ? { cause: revive(sent.cause) } : undefined) as Error & { code?: unknown };
  error.name = sent.name;
  if (sent.stack) error.stack = sent.stack;
  if (sent.code !== undefined) error.code = sent.code;
  return error;
}

/** The worker runs compiled code: under ts-jest (sources run as .ts) the import stays in-process. */
export const CAN_SEED_IN_WORKER = __filename.endsWith('.js');

/** seedIfNeeded in a worker thread; resolves once the worker has closed the store and ended. */
export function seedInWorker(request: SeedRequest): Promise<ImportResult | null> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { seedKnowledge: request } });
    let outcome: { result: ImportResult | null } | { error: SentError } | null = null;
    worker.on('message', (message: { result: ImportResult | null } | { error: SentError }) => {
      outcome = message;
      // The store is closed before the answer is sent: nothing left for the worker to finish.
      void worker.terminate();
    });
    worker.once('error', (error) => (outcome = { error: send(error) }));
    worker.once('exit', (code) => {
      if (outcome && 'result' in outcome) resolve(outcome.result);
      else reject(outcome ? revive(outcome.error) : new Error(`knowledge import worker ended with code ${code} before answering`));
    });
  });
}

async function runInWorker(request: SeedRequest): Promise<void> {
  let message: { result: ImportResult | null } | { error: SentError };
  try {
    const store = await openStore(request);
    try {
      message = { result: await seedIfNeeded(store, request.knowledgeDir, request.centre) };
    } finally {
      await store.close();
    }
  } catch (error) {
    message = { error: send(error) };
  }
  parentPort!.postMessage(message);
}

const request = isMainThread ? undefined : (workerData as { seedKnowledge?: SeedRequest } | null)?.seedKnowledge;
if (request) void runInWorker(request);
