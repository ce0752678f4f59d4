/**
 * An append-only file of JSON lines with group commit, for the collections every chat turn writes
 * (bot state, transcripts). Each record is acknowledged only once it is written (a kill -9 loses
 * nothing acknowledged), but the records appended while a write is in flight go out together in the
 * next write, so many concurrent conversations cost a few writes, not one write each in a queue.
 * The file is rewritten from the caller's live records now and then (temporary file, fsync, rename),
 * so it never holds much more than what is live and a crash mid-rewrite leaves the old file whole.
 */
import { closeSync, createReadStream, existsSync, fstatSync, openSync, readSync, ftruncateSync, writeFileSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Every complete write ends with a newline; a crash in the middle of an append leaves a torn last
 * line. Move it aside (for inspection) and cut it off, so the file loads with every complete write.
 */
export function repairTornTail(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return false;
    let end = size;
    const chunk = Buffer.alloc(64 * 1024);
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      readSync(fd, chunk, 0, end - start, start);
      const newline = chunk.subarray(0, end - start).lastIndexOf(0x0a);
      if (newline >= 0) {
        end = start + newline + 1;
        break;
      }
      end = start;
    }
    const torn = Buffer.alloc(size - end);
    readSync(fd, torn, 0, torn.length, end);
    writeFileSync(`${file}.torn-${Date.now()}`, torn);
    ftruncateSync(fd, end);
    return true;
  } finally {
    closeSync(fd);
  }
}

export class CorruptLogError extends Error {
  constructor(file: string, corrupt: number, total: number) {
    super(`${file}: ${corrupt} of ${total} lines are not valid records; the file was left untouched`);
    this.name = 'CorruptLogError';
  }
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

export class AppendLog {
  private handle: FileHandle | null = null;
  private pending: string[] = [];
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  /** Batches written while a rewrite is under way, to be copied into the new file. */
  private appendedDuringRewrite: string[] | null = null;
  private paused = false;
  private closed = false;
  /** Lines in the file, live or superseded: the caller compares it with its live records. */
  lines = 0;

  private constructor(readonly file: string) {}

  /**
   * Opens the log and replays every record in order. A torn last line is set aside; a few corrupt
   * lines (a disk error) are skipped, but a file mostly unreadable is refused rather than emptied.
   */
  static async open(file: string, replay: (record: unknown) => void): Promise<AppendLog> {
    const log = new AppendLog(file);
    if (!existsSync(file)) return log;
    repairTornTail(file);
    let corrupt = 0;
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line) continue;
      log.lines++;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        corrupt++;
        continue;
      }
      replay(record);
    }
    if (corrupt > Math.max(1, log.lines / 100)) throw new CorruptLogError(file, corrupt, log.lines);
    return log;
  }

  /** Resolves once the record is in the file. */
  append(record: object): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.file} is closed`));
    return new Promise<void>((resolve, reject) => {
      this.pending.push(JSON.stringify(record) + '\n');
      this.waiters.push({ resolve, reject });
      this.startFlush();
    });
  }

  private startFlush(): void {
    if (this.flushing || this.paused) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = null;
      // Records appended by callers resumed after the loop's last check.
      if (this.pending.length) this.startFlush();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length && !this.paused) {
      const batch = this.pending.join('');
      const waiters = this.waiters;
      const count = this.pending.length;
      this.pending = [];
      this.waiters = [];
      try {
        this.handle ??= await open(this.file, 'a');
        await this.handle.appendFile(batch, 'utf8');
        this.lines += count;
        this.appendedDuringRewrite?.push(batch);
        for (const w of waiters) w.resolve();
      } catch (error) {
        // A failed write may have left part of a line: reopen (and repair on the next start).
        await this.handle?.close().catch(() => undefined);
        this.handle = null;
        for (const w of waiters) w.reject(error);
      }
    }
  }

  /**
   * Replaces the file with `records` (the caller's live state, taken before calling). Appends go on
   * into the old file while the new one is written and synced; then they pause only to copy what was
   * appended meanwhile to the new file and rename it. Records replay in order, so a record both in
   * the snapshot and appended after it comes out the same.
   */
  async rewrite(records: readonly object[]): Promise<void> {
    if (this.appendedDuringRewrite || this.closed) return;
    this.appendedDuringRewrite = [];
    const temp = `${this.file}.rewrite`;
    let out: FileHandle | null = null;
    try {
      out = await open(temp, 'w');
      for (let i = 0; i < records.length; i += 1000) {
        await out.write(records.slice(i, i + 1000).map((r) => JSON.stringify(r) + '\n').join(''));
      }
      await out.sync();
      this.paused = true;
      while (this.flushing) await this.flushing;
      const meanwhile = this.appendedDuringRewrite;
      if (meanwhile.length) await out.write(meanwhile.join(''));
      await out.close();
      out = null;
      await this.handle?.close();
      this.handle = null;
      await rename(temp, this.file);
      this.lines = records.length + meanwhile.reduce((n, batch) => n + countLines(batch), 0);
    } finally {
      await out?.close().catch(() => undefined);
      this.appendedDuringRewrite = null;
      this.paused = false;
      this.startFlush();
    }
    await syncDirectory(dirname(this.file));
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.handle?.close();
    this.handle = null;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // some file systems cannot sync a directory
  } finally {
    await handle.close();
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
