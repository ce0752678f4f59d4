/**
 * A local fake of the Zalo OA API (tokens, consultation messages, template messages), built from the
 * request and response shapes public clients use. Tests point ZALO_API_BASE, ZALO_OAUTH_BASE and
 * ZALO_BUSINESS_API_BASE at it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local fake of the Zalo OA API, built from the documented request and response shapes. */
export function fakeZalo() {
  const sent: { userId: string; text: string; buttons: string[]; payloads: string[]; token: string }[] = [];
  const refreshes: Record<string, string>[] = [];
  /** Template messages (ZNS) received: the phone, the template and its values, our tracking id. */
  const templates: { phone: string; templateId: string; data: Record<string, string>; trackingId: string }[] = [];
  const state = { valid: 'AT1', failNext: [] as { status: number; error: number }[] };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (req.url === '/v4/oa/access_token') {
        const form = Object.fromEntries(new URLSearchParams(body));
        refreshes.push(form);
        if (req.headers.secret_key !== 'app-secret') return reply(400, { error: -14, message: 'bad secret' });
        state.valid = `AT${refreshes.length + 1}`;
        return reply(200, { access_token: state.valid, refresh_token: `RT${refreshes.length + 1}`, expires_in: '90000' });
      }
      if (req.url === '/v3.0/oa/message/cs') {
        const failure = state.failNext.shift();
        if (failure) return reply(failure.status, { error: failure.error, message: 'simulated' });
        if (req.headers.access_token !== state.valid) return reply(200, { error: -216, message: 'Access token is invalid' });
        const msg = JSON.parse(body);
        sent.push({
          userId: msg.recipient.user_id,
          text: msg.message.text,
          buttons: (msg.message.attachment?.payload?.buttons ?? []).map((b: { title: string }) => b.title),
          payloads: (msg.message.attachment?.payload?.buttons ?? []).map((b: { payload: string }) => b.payload),
          token: String(req.headers.access_token),
        });
        return reply(200, { error: 0, message: 'Success', data: { message_id: `m${sent.length}` } });
      }
      if (req.url === '/message/template') {
        if (req.headers.access_token !== state.valid) return reply(200, { error: -124, message: 'Access token is invalid' });
        const msg = JSON.parse(body);
        // What the public clients send; a phone not in 84xxxxxxxxx form or a missing template is refused.
        if (!/^84\d{9}$/.test(String(msg.phone)) || !msg.template_id || typeof msg.template_data !== 'object') {
          return reply(200, { error: -108, message: 'Invalid phone number or template' });
        }
        templates.push({ phone: msg.phone, templateId: String(msg.template_id), data: msg.template_data, trackingId: String(msg.tracking_id) });
        return reply(200, { error: 0, message: 'Success', data: { msg_id: `z${templates.length}`, sent_time: String(Date.now()) } });
      }
      reply(404, { error: -1 });
    });
  });
  return new Promise<{ server: Server; url: string; sent: typeof sent; refreshes: typeof refreshes; templates: typeof templates; state: typeof state }>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent, refreshes, templates, state })),
  );
}

