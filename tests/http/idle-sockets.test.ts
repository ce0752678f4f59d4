import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type * as restify from 'restify';
import { createBaseServer } from '../../src/http/server';
import { createLogger } from '../../src/logger';

/**
 * The idle-socket timeout closes connections that send nothing (a half-sent request), but never one
 * whose request arrived whole and is waiting for the answer: under load, or with a slow store, an
 * answer may take longer than the timeout (1,000 bookings at once on the MongoDB-wire test server
 * were reset at 15 s before).
 */
let server: restify.Server;
let port: number;
const IDLE_MS = 300;

beforeAll(async () => {
  server = createBaseServer({ maxBodyBytes: 65_536, log: createLogger('silent'), idleSocketMs: IDLE_MS });
  server.post('/slow', async (_req: restify.Request, res: restify.Response) => {
    await new Promise((r) => setTimeout(r, IDLE_MS * 3));
    res.send(200, { ok: true });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends raw bytes on one connection; resolves with what came back and whether the server closed it. */
function raw(bytes: string, waitMs: number): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let closedByServer = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closedByServer });
    }, waitMs);
    socket.on('data', (d) => (text += d.toString()));
    socket.on('close', () => {
      closedByServer = true;
      clearTimeout(timer);
      resolve({ text, closedByServer });
    });
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

it('answers a whole request that takes longer than the idle timeout', async () => {
  const body = '{"a":1}';
  const result = await raw(`POST /slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`, IDLE_MS * 10);
  expect(result.text).toMatch(/^HTTP\/1\.1 200/);
  expect(result.text).toMatch(/"ok":true/);
});

it('closes a half-sent request after the idle timeout, without an answer', async () => {
  const started = Date.now();
  const result = await raw('POST /slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":', IDLE_MS * 10);
  expect(result.closedByServer).toBe(true);
  expect(result.text).toBe('');
  expect(Date.now() - started).toBeLessThan(IDLE_MS * 8);
});
