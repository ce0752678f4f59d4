/**
 * Direct Line 3.0 streaming: a conversation's `streamUrl` opens a WebSocket on which every activity
 * of the conversation is pushed as the official service does, `{"activities":[…],"watermark":"n"}`,
 * with empty messages as keep-alives. The URL carries the conversation's token (`t=`), checked as
 * for polling (signed, unexpired, bound to this conversation); `watermark=` resumes after an
 * activity. Activities come from the store's transcript, so a socket never misses what a poll would
 * see: a local write wakes the socket at once, and behind MongoDB (several processes) each socket
 * also reads the store every second for what other processes wrote.
 *
 * Everything the client sends is untrusted: a bad upgrade (unknown path, bad or foreign token,
 * garbage handshake, over a limit) is answered with an HTTP error and the socket closed; clients
 * have nothing to send, so any frame over maxFrameBytes closes the socket (1009).
 */
import type { ClientAddress } from '../../http/client-address';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../logger';
import type { Store } from '../../store/types';
import type { DirectLineTokens } from './directline-routes';

export interface StreamLimits {
  /** Sockets open at once on one conversation; a new one beyond closes the oldest ("collision"). */
  perConversation: number;
  /** Sockets open at once from one client address; more are refused (429). */
  perClient: number;
  /** A socket on which nothing was delivered for this long is closed. */
  idleMinutes: number;
  keepAliveSeconds: number;
  maxFrameBytes: number;
}

interface Stream {
  socket: WebSocket;
  conversationId: string;
  client: string;
  watermark: number;
  lastDelivery: number;
  pumping: boolean;
  again: boolean;
}

const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,100})\/stream$/;
const BATCH = 100;

export class ActivityStreams {
  private readonly wss: WebSocketServer;
  private readonly byConversation = new Map<string, Set<Stream>>();
  private readonly byClient = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly poller: NodeJS.Timeout | null;
  private closed = false;

  constructor(
    private readonly deps: { tokens: DirectLineTokens; store: Store; log: Logger; limits: StreamLimits; clientAddress?: ClientAddress },
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: deps.limits.maxFrameBytes, perMessageDeflate: false, clientTracking: false });
    this.wss.on('error', (error) => deps.log.warn('direct line stream server error', { error }));
    this.timer = setInterval(() => this.keepAlive(), deps.limits.keepAliveSeconds * 1000);
    this.timer.unref();
    // One process holds the embedded store: every write goes through this process's adapter. Behind
    // MongoDB another process may have written, so sockets look in the store as well.
    this.poller = deps.store.kind === 'mongodb' ? setInterval(() => this.wakeAll(), 1000) : null;
    this.poller?.unref();
  }

  /** Number of open sockets (for tests and metrics). */
  get open(): number {
    let n = 0;
    for (const set of this.byConversation.values()) n += set.size;
    return n;
  }

  /** A new activity was recorded in the conversation: its sockets read and push it. */
  notify(conversationId: string): void {
    for (const stream of this.byConversation.get(conversationId) ?? []) this.pump(stream);
  }

  /** The HTTP server's `upgrade` event. Never throws: every failure ends in a closed socket. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.upgrade(req, socket, head).catch((error: unknown) => {
      this.deps.log.warn('direct line stream upgrade failed', { error });
      refuse(socket, 500, 'internal', 'Lỗi hệ thống.');
    });
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (this.closed) return refuse(socket, 503, 'unavailable', 'Hệ thống đang dừng.');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://stream.invalid');
    } catch {
      return refuse(socket, 400, 'bad_request', 'Địa chỉ không hợp lệ.');
    }
    const conversationId = STREAM_PATH.exec(url.pathname)?.[1];
    if (!conversationId) return refuse(socket, 404, 'not_found', 'Không tìm thấy địa chỉ này.');
    const token = url.searchParams.get('t') ?? /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const grant = token && token.length <= 4096 ? await this.deps.tokens.verify(`Bearer ${token}`) : null;
    if (!grant || grant.conversationId !== conversationId) {
      return refuse(socket, 403, 'forbidden', 'Mã phiên (token) không hợp lệ cho cuộc trò chuyện này.');
    }
    const client = this.deps.clientAddress ? this.deps.clientAddress(req) : (req.socket.remoteAddress ?? 'unknown');
    if ((this.byClient.get(client) ?? 0) >= this.deps.limits.perClient) {
      this.deps.log.warn('direct line streams per client reached', { client, limit: this.deps.limits.perClient });
      return refuse(socket, 429, 'rate_limited', 'Quá nhiều kết nối từ cùng một địa chỉ.');
    }
    const raw = url.searchParams.get('watermark');
    const watermark = raw !== null && /^\d{1,12}$/.test(raw) ? Number(raw) : 0;
    if (socket.destroyed) return;
    // Counted from now (not once attached), so a burst of upgrades cannot all pass the check.
    this.byClient.set(client, (this.byClient.get(client) ?? 0) + 1);
    let attached = false;
    socket.once('close', () => {
      if (!attached) this.release(client);
    });
    // ws answers a malformed handshake (bad key, version, method) with 400 itself.
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      attached = true;
      this.attach(ws, conversationId, client, watermark);
    });
  }

  private release(client: string): void {
    const left = (this.byClient.get(client) ?? 1) - 1;
    if (left > 0) this.byClient.set(client, left);
    else this.byClient.delete(client);
  }

  private attach(socket: WebSocket, conversationId: string, client: string, watermark: number): void {
    if (this.closed) {
      this.release(client);
      return void socket.close(1001, 'shutdown');
    }
    const stream: Stream = { socket, conversationId, client, watermark, lastDelivery: Date.now(), pumping: false, again: false };
    let set = this.byConversation.get(conversationId);
    if (!set) this.byConversation.set(conversationId, (set = new Set()));
    // The official service keeps one socket per conversation; a page reloaded or reconnecting often
    // leaves its old socket half-open, so the oldest one gives way rather than the new one.
    while (set.size >= this.deps.limits.perConversation) {
      const oldest = set.values().next().value as Stream;
      this.detach(oldest);
      oldest.socket.close(4000, 'collision');
    }
    set.add(stream);
    socket.on('error', () => socket.terminate());
    socket.on('close', () => this.detach(stream));
    // Nothing is expected from the client; ws closes on an oversize frame (1009) before this.
    socket.on('message', () => undefined);
    this.pump(stream);
  }

  private detach(stream: Stream): void {
    const set = this.byConversation.get(stream.conversationId);
    if (!set?.delete(stream)) return;
    if (set.size === 0) this.byConversation.delete(stream.conversationId);
    this.release(stream.client);
  }

  /** Sends what the socket has not seen yet, one read at a time per socket. */
  private pump(stream: Stream): void {
    if (stream.pumping) return void (stream.again = true);
    stream.pumping = true;
    void (async () => {
      try {
        do {
          stream.again = false;
          for (;;) {
            if (stream.socket.readyState !== WebSocket.OPEN) return;
            const items = await this.deps.store.transcripts.after(stream.conversationId, stream.watermark, BATCH);
            if (items.length === 0) break;
            stream.watermark = items.at(-1)!.seq;
            stream.lastDelivery = Date.now();
            stream.socket.send(JSON.stringify({ activities: items.map((i) => i.activity), watermark: String(stream.watermark) }));
            if (items.length < BATCH) break;
          }
        } while (stream.again);
      } catch (error) {
        // The store not answering: the next wake-up (a write, a keep-alive) tries again.
        this.deps.log.warn('direct line stream read failed', { conversationId: stream.conversationId, error });
      } finally {
        stream.pumping = false;
      }
    })();
  }

  private wakeAll(): void {
    for (const set of this.byConversation.values()) for (const stream of set) this.pump(stream);
  }

  private keepAlive(): void {
    const idleBefore = Date.now() - this.deps.limits.idleMinutes * 60_000;
    for (const set of [...this.byConversation.values()]) {
      for (const stream of [...set]) {
        if (stream.lastDelivery < idleBefore) {
          this.detach(stream);
          stream.socket.close(1000, 'idle');
          continue;
        }
        if (stream.socket.readyState === WebSocket.OPEN) stream.socket.send('');
      }
    }
  }

  /** Closes every socket (server stopping), so the HTTP server can close. */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    if (this.poller) clearInterval(this.poller);
    for (const set of [...this.byConversation.values()]) {
      for (const stream of [...set]) {
        this.detach(stream);
        stream.socket.terminate();
      }
    }
    this.wss.close();
  }
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** Answers an upgrade that is not accepted with an HTTP error in the API's one error shape. */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 1000).unref();
}
