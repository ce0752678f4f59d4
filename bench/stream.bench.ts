/**
 * Reply latency as the citizen sees it, streaming against polling, in the same run on the same
 * server: half the conversations read over the Direct Line WebSocket (streamUrl), half poll
 * `GET …/activities?watermark=` every `poll` ms (Web Chat's polling interval was 500 ms). Every
 * conversation sends a message, waits until its client has seen the bot's reply, thinks `think` ms,
 * and goes on. A reply's latency runs from sending the message to the client holding the reply; the
 * two kinds of client alternate, so both meet the same load.
 *
 *   npm run bench:stream [-- --conversations 40 --seconds 20 --poll 500 --think 300]
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { arg, call, percentile, saveResults, startServer } from './harness';

const SCRIPT = ['xin chào', 'doi GPLX', 'lam giay khai sinh cho con', 'menu', 'tra cuu ho so MAU-000000-0007', '0007', 'cảm ơn'];

interface Session {
  id: string;
  auth: Record<string, string>;
  streamUrl: string;
  /** Activities seen by this client, by id. */
  seen: Map<string, Record<string, any>>;
  waiting: { messageId: string; done: () => void } | null;
  close: () => void;
}

/** Whether the client holds the bot's answer to the message. */
function answered(s: Session, messageId: string): boolean {
  for (const a of s.seen.values()) if (a.replyToId === messageId && a.from?.id !== undefined && a.type === 'message') return true;
  return false;
}

function receive(s: Session, activities: Record<string, any>[]): void {
  for (const a of activities) s.seen.set(String(a.id), a);
  if (s.waiting && answered(s, s.waiting.messageId)) s.waiting.done();
}

async function main(): Promise<void> {
  const conversations = arg('conversations', 40);
  const seconds = arg('seconds', 20);
  const poll = arg('poll', 500);
  const think = arg('think', 300);
  const server = await startServer({ REQUESTS_PER_MINUTE: '100000000', DIRECTLINE_STREAMS_PER_CLIENT: String(conversations * 2) });
  const base = server.base;

  const sessions = await Promise.all(
    Array.from({ length: conversations }, async (_, i) => {
      const { json } = await call(`${base}/v3/directline/tokens/generate`, 'POST');
      const auth = { authorization: `Bearer ${json.token}` };
      const started = await call(`${base}/v3/directline/conversations`, 'POST', undefined, auth);
      const s: Session = { id: json.conversationId, auth, streamUrl: started.json.streamUrl, seen: new Map(), waiting: null, close: () => undefined };
      return { s, streaming: i % 2 === 0 };
    }),
  );

  let stopping = false;
  for (const { s, streaming } of sessions) {
    if (streaming) {
      const ws = new WebSocket(s.streamUrl);
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      ws.on('message', (raw) => {
        const text = raw.toString();
        if (text) receive(s, JSON.parse(text).activities);
      });
      s.close = () => ws.close();
    } else {
      let watermark = '0';
      const loop = async () => {
        while (!stopping) {
          const res = await call(`${base}/v3/directline/conversations/${s.id}/activities?watermark=${watermark}`, 'GET', undefined, s.auth);
          if (res.status === 200) {
            watermark = res.json.watermark;
            receive(s, res.json.activities);
          }
          await new Promise((r) => setTimeout(r, poll));
        }
      };
      void loop();
    }
  }

  const latencies = { streaming: [] as number[], polling: [] as number[] };
  const timeouts = { streaming: 0, polling: 0 };
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    sessions.map(async ({ s, streaming }, i) => {
      const kind = streaming ? 'streaming' : 'polling';
      await new Promise((r) => setTimeout(r, (i * think) / conversations));
      for (let n = i % SCRIPT.length; performance.now() < end; n = (n + 1) % SCRIPT.length) {
        const t0 = performance.now();
        const seen = new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 10_000);
          s.waiting = {
            messageId: '',
            done: () => {
              clearTimeout(timer);
              resolve(true);
            },
          };
        });
        const sent = await call(`${base}/v3/directline/conversations/${s.id}/activities`, 'POST', { type: 'message', text: SCRIPT[n] }, s.auth);
        s.waiting!.messageId = sent.json?.id;
        if (answered(s, s.waiting!.messageId)) s.waiting!.done();
        const ok = await seen;
        s.waiting = null;
        if (ok) latencies[kind].push(performance.now() - t0);
        else timeouts[kind]++;
        await new Promise((r) => setTimeout(r, think));
      }
    }),
  );
  stopping = true;
  for (const { s } of sessions) s.close();
  await new Promise((r) => setTimeout(r, poll + 100));
  await server.stop();

  const summary = (kind: 'streaming' | 'polling') => {
    const sorted = latencies[kind].sort((a, b) => a - b);
    return { replies: sorted.length, timeouts: timeouts[kind], p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) };
  };
  const streaming = summary('streaming');
  const polling = summary('polling');
  const line = (label: string, r: ReturnType<typeof summary>) =>
    `  ${label.padEnd(24)} p50 ${r.p50.toFixed(1)} ms  p90 ${r.p90.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  (${r.replies} replies, ${r.timeouts} not seen within 10 s)`;
  console.log(`\nreply latency seen by the client, ${conversations} conversations (half each way), ${seconds} s, ${think} ms between turns (Node ${process.version})`);
  console.log(line('WebSocket stream:', streaming));
  console.log(line(`polling every ${poll} ms:`, polling));
  console.log(`  ratio of p50 (polling / streaming): ${(polling.p50 / streaming.p50).toFixed(1)}`);
  saveResults('stream', { conversations, seconds, poll, think, streaming, polling });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
