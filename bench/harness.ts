/**
 * What the load benchmarks share: the server as its own process on a fresh embedded store, an HTTP
 * client with keep-alive on loopback, percentiles and the results file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

// Idle sockets are let go before the server's 5 s keep-alive timeout: otherwise a request can be
// sent on a socket the server is closing at that moment (a reset the server could not prevent).
const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });

export interface Reply {
  status: number;
  json: any;
}

export function call(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = request(
      url,
      { method, agent, headers: { ...(data !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

export interface ServerProcess {
  base: string;
  data: string;
  process: ChildProcess;
  /** Resident memory now, in MB. */
  rss(): number;
  /** The highest resident memory so far, in MB. */
  peakRss(): number;
  /** Seconds since the server process was started (a window of its CPU profile, see profile-summary.ts). */
  uptime(): number;
  stop(): Promise<void>;
}

/**
 * Starts `dist/src/index.js` on loopback over a fresh data directory (prepared by `prepare`, if
 * given, before the server opens it) and waits for /healthz. BENCH_SERVER_FLAGS adds node flags.
 * `--cpu-prof` on the benchmark's command line (or BENCH_CPU_PROF=1) has the server write a V8 CPU
 * profile into a fresh directory under the system's temp directory, never into the repository; the
 * directory is printed when the server stops (summarise it with dist/bench/profile-summary.js).
 */
export async function startServer(env: Record<string, string>, prepare?: (dataDir: string) => Promise<void>): Promise<ServerProcess> {
  const data = mkdtempSync(join(tmpdir(), 'motcua-bench-'));
  if (prepare) await prepare(data);
  const port = 4700 + Math.floor(Math.random() * 500);
  const flags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const profileDir = process.argv.includes('--cpu-prof') || process.env.BENCH_CPU_PROF ? mkdtempSync(join(tmpdir(), 'motcua-cpuprof-')) : null;
  if (profileDir) flags.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...flags, 'dist/src/index.js'], {
    // The load generator is one client address: the per-address budget of new conversations is not what is measured.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: data, LOG_LEVEL: 'warn', MONGODB_URI: '', DIRECTLINE_CONVERSATIONS_PER_HOUR: '1000000', ...env },
    stdio: ['ignore', process.env.BENCH_DEBUG ? 'inherit' : 'ignore', 'inherit'],
  });
  // A benchmark that fails must not leave its server running.
  process.once('exit', () => child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await call(`${base}/healthz`, 'GET')).status === 200) break;
    } catch {
      // not up yet
    }
    if (i > 600 || child.exitCode !== null) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const status = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  return {
    base,
    data,
    process: child,
    rss: () => status('VmRSS'),
    peakRss: () => status('VmHWM'),
    uptime: () => (performance.now() - spawnedAt) / 1000,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      // The profile is written as the server exits (its SIGTERM handler ends with process.exit).
      if (profileDir) console.log(`server CPU profile in ${profileDir}`);
      if (process.env.BENCH_KEEP_DATA) console.log('data kept in', data);
      else rmSync(data, { recursive: true, force: true });
    },
  };
}

/** Adds one benchmark's figures to bench/results.json. */
export function saveResults(key: string, value: unknown): void {
  const file = 'bench/results.json';
  const results = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  results[key] = value;
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
}
