/**
 * Who is talking on Direct Line is what the server issued (the token's subject), never what a client
 * writes in `from`; officer mode belongs to a conversation with a verified, unrevoked token; officer
 * secrets typed in the chat are never stored; per-client limits in the chat follow the trusted id.
 * Everything goes through the real HTTP server, as a web chat client reaches it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { createOfficerToken } from '../../src/services/officer-auth';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { memoryLogger, tempDir } from '../helpers';

// Monday 23/11/2026, 07:00 in Hanoi.
const clock = fixedClock('2026-11-23T00:00:00Z');
const data = tempDir();
const knowledge = tempDir();
const log = memoryLogger();
let app: App;
let admin: { authorization: string };

beforeAll(async () => {
  writeTestKnowledge(knowledge.path);
  app = await startTestApp(
    { dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 10_000, bookingsPerClientPerDay: 1, lookup: { perCode: 50, windowMinutes: 15, perCodePerDay: 50, perClient: 3, clientWindowMinutes: 15 } },
    log,
    clock,
  );
  admin = { authorization: `Bearer ${(await createOfficerToken(app.store, 'Quản trị', 'admin', new Date())).secret}` };
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});

type Activity = { from: { id: string }; text?: string; suggestedActions?: { actions: { title: string }[] } };

/** A web chat client: its own token, conversation and the user id the server gave it. */
async function webChat(previousToken?: string) {
  const generated = await api(app, 'POST', '/v3/directline/tokens/generate', undefined, previousToken ? { authorization: `Bearer ${previousToken}` } : {});
  expect(generated.status).toBe(200);
  const token = generated.body.token as string;
  const auth = { authorization: `Bearer ${token}` };
  const started = await api(app, 'POST', '/v3/directline/conversations', undefined, auth);
  const id = started.body.conversationId as string;
  let watermark = (await api(app, 'GET', `/v3/directline/conversations/${id}/activities`, undefined, auth)).body.watermark as string;
  /** Sends a message (with the `from` the client claims, if any) and returns the bot's replies. */
  const say = async (text: string, claimedFrom?: string): Promise<Activity[]> => {
    const sent = await api(app, 'POST', `/v3/directline/conversations/${id}/activities`, { type: 'message', ...(claimedFrom ? { from: { id: claimedFrom } } : {}), text }, auth);
    expect(sent.status).toBe(200);
    const read = await api(app, 'GET', `/v3/directline/conversations/${id}/activities?watermark=${watermark}`, undefined, auth);
    watermark = read.body.watermark;
    return (read.body.activities as Activity[]).filter((a) => a.from.id === 'motcua-assistant');
  };
  const transcript = async () => (await api(app, 'GET', `/v3/directline/conversations/${id}/activities`, undefined, auth)).body.activities as Activity[];
  return { id, token, auth, userId: generated.body.userId as string, started, say, transcript };
}

const texts = (replies: Activity[]) => replies.map((r) => r.text ?? '').join('\n');
const buttons = (replies: Activity[]) => replies.flatMap((r) => r.suggestedActions?.actions.map((a) => a.title) ?? []);

/** Every file of the data directory, as text (transcripts.log, botstate.log, feedback.db, …). */
function storedText(dir: string): string {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .map((path) => (statSync(path).isDirectory() ? storedText(path) : readFileSync(path, 'utf8')))
    .join('\n');
}

describe('Direct Line identity comes from the token', () => {
  it('gives every client its own server-issued user id, in the token and in the response', async () => {
    const a = await webChat();
    const b = await webChat();
    expect(a.userId).toMatch(/^dl-[A-Za-z0-9_-]{20,}$/);
    expect(b.userId).not.toBe(a.userId);
    expect(a.started.body).toMatchObject({ conversationId: a.id, userId: a.userId, expires_in: 3600 });
    // The token is a standard JWT naming the user and the conversation.
    const claims = JSON.parse(Buffer.from(a.token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ sub: a.userId, conv: a.id, iss: 'motcua-assistant', aud: 'motcua-directline' });
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('replaces a claimed from.id by the token subject, and logs the attempt', async () => {
    const a = await webChat();
    await a.say('xin chào', 'officer-desk-1');
    const echo = (await a.transcript()).find((x) => x.text === 'xin chào')!;
    expect(echo.from).toMatchObject({ id: a.userId, role: 'user' });
    expect(log.lines.some((l) => l.includes('claimed user id ignored') && l.includes('officer-desk-1'))).toBe(true);
    // The client's own (matching) id is not an attempt.
    const before = log.lines.length;
    await a.say('menu', a.userId);
    expect(log.lines.slice(before).some((l) => l.includes('claimed user id ignored'))).toBe(false);
  });

  it('does not let a client choose its user id when generating a token or starting a conversation', async () => {
    const victim = await webChat();
    const generated = await api(app, 'POST', '/v3/directline/tokens/generate', { user: { id: victim.userId } });
    expect(generated.body.userId).not.toBe(victim.userId);
    const started = await api(app, 'POST', '/v3/directline/conversations', { user: { id: victim.userId } });
    expect(started.status).toBe(201);
    expect(started.body.userId).not.toBe(victim.userId);
  });

  it('keeps the user (not the conversation) for a client presenting its valid token; refresh keeps both', async () => {
    const first = await webChat();
    const again = await webChat(first.token);
    expect(again.userId).toBe(first.userId);
    expect(again.id).not.toBe(first.id);
    const refreshed = await api(app, 'POST', '/v3/directline/tokens/refresh', undefined, first.auth);
    expect(refreshed.body).toMatchObject({ conversationId: first.id, userId: first.userId });
    const forged = first.token.slice(0, -4) + (first.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await api(app, 'POST', '/v3/directline/tokens/generate', undefined, { authorization: `Bearer ${forged}` })).status).toBe(403);
    expect((await api(app, 'POST', '/v3/directline/tokens/refresh', undefined, { authorization: `Bearer ${forged}` })).status).toBe(403);
  });

  it('never offers one anonymous client the name and phone another one booked with', async () => {
    // test-a takes one booking per slot: each client picks its own time.
    const book = async (chat: Awaited<ReturnType<typeof webChat>>, time: string, name?: string, phone?: string) => {
      await chat.say('đăng ký thường trú');
      await chat.say('Đặt lịch');
      await chat.say('hoan kiem');
      await chat.say('Ngày mai 24/11');
      const atName = await chat.say(time);
      expect(texts(atName)).toMatch(/họ tên/);
      if (!name) return { atName };
      const atPhone = await chat.say(name);
      await chat.say(phone!);
      const done = await chat.say('Đồng ý');
      expect(texts(done)).toMatch(/Mã đặt lịch/);
      return { atName, atPhone };
    };
    const a = await webChat();
    await book(a, '10h', 'Lê Văn Khách', '0977111222');
    const b = await webChat();
    const { atName } = await book(b, '10h30');
    expect(buttons(atName)).not.toContain('Lê Văn Khách');
    // The same client in a new conversation (presenting its token) is offered its own details.
    const aAgain = await webChat(a.token);
    const { atName: ownName } = await book(aAgain, '11h');
    expect(buttons(ownName)).toContain('Lê Văn Khách');
  });
});

describe('officer mode', () => {
  it('belongs to the conversation that logged in: another conversation claiming the same user id gets none', async () => {
    const { secret } = await createOfficerToken(app.store, 'Cán bộ Bàn 1', 'officer', clock.now(), 30);
    const officer = await webChat();
    await officer.say('tôi là cán bộ', 'officer-desk-1');
    expect(texts(await officer.say(secret, 'officer-desk-1'))).toMatch(/Chế độ cán bộ: Cán bộ Bàn 1/);
    expect(texts(await officer.say('tra cứu hồ sơ MAU-000000-0003', 'officer-desk-1'))).toMatch(/MAU-000000-0003 \| 1\.004194 \|/);

    const attacker = await webChat();
    for (const claimed of ['officer-desk-1', officer.userId]) {
      const replies = await attacker.say('tra cứu hồ sơ MAU-000000-0003', claimed);
      expect(texts(replies)).toMatch(/để xác minh, xin nhập 4 số cuối/);
      expect(texts(replies)).not.toMatch(/\| 1\.004194 \|/);
      await attacker.say('hủy');
    }
    // Nor does the officer's own user in a new conversation: the mode is not in user state.
    const sameUser = await webChat(officer.token);
    expect(texts(await sameUser.say('tra cứu hồ sơ MAU-000000-0003'))).toMatch(/để xác minh/);
  });

  it('is never taken from user state (where older versions kept it)', async () => {
    const chat = await webChat();
    await chat.say('xin chào');
    const key = `directline/users/${chat.userId}/`; // botbuilder UserState key (empty namespace)
    const stored = (await app.store.botState.read([key]))[key] as { profile?: Record<string, unknown> } | undefined;
    await app.store.botState.write({ [key]: { ...stored, profile: { ...(stored?.profile ?? {}), mode: 'officer', officerName: 'Cũ' }, eTag: '*' } });
    expect(texts(await chat.say('tra cứu hồ sơ MAU-000000-0003'))).toMatch(/để xác minh/);
  });

  it('ends at once when the token is revoked', async () => {
    const { secret, token } = await createOfficerToken(app.store, 'Cán bộ Thu Hồi', 'officer', clock.now(), 30);
    const chat = await webChat();
    await chat.say('tôi là cán bộ');
    await chat.say(secret);
    expect(texts(await chat.say('MAU-000000-0002'))).toMatch(/MAU-000000-0002 \| 1\.004222 \|/);
    const revoked = await api(app, 'DELETE', `/api/admin/officer-tokens/${token.id}`, undefined, admin);
    expect(revoked.status).toBe(200);
    const replies = await chat.say('tra cứu hồ sơ MAU-000000-0002');
    expect(texts(replies)).toMatch(/Phiên làm việc của cán bộ đã kết thúc/);
    expect(texts(replies)).toMatch(/để xác minh/);
    // Logging in again with the revoked secret is refused.
    await chat.say('hủy');
    await chat.say('tôi là cán bộ');
    expect(texts(await chat.say(secret))).toMatch(/Mã truy cập không đúng, đã hết hạn hoặc đã bị thu hồi/);
  });

  it('ends after the session time (8 hours by default)', async () => {
    const { secret } = await createOfficerToken(app.store, 'Cán bộ Ca Sáng', 'officer', clock.now(), 30);
    const chat = await webChat();
    await chat.say('tôi là cán bộ');
    expect(texts(await chat.say(secret))).toMatch(/tối đa 8 giờ/);
    try {
      clock.set('2026-11-23T07:59:00Z');
      expect(texts(await chat.say('MAU-000000-0002'))).toMatch(/\| 1\.004222 \|/);
      clock.set('2026-11-23T08:01:00Z');
      expect(texts(await chat.say('tra cứu hồ sơ MAU-000000-0002'))).toMatch(/Phiên làm việc của cán bộ đã kết thúc/);
    } finally {
      clock.set('2026-11-23T00:00:00Z');
    }
  });
});

describe('officer secrets typed in the chat', () => {
  it('are taken out before the transcript, the feedback list or the logs see them; the log-in still works', async () => {
    const inline = await createOfficerToken(app.store, 'Cán bộ Gõ Liền', 'officer', clock.now(), 30);
    const prompted = await createOfficerToken(app.store, 'Cán bộ Gõ Sau', 'officer', clock.now(), 30);
    const chat = await webChat();
    expect(texts(await chat.say(`tôi là cán bộ ${inline.secret}`))).toMatch(/Chế độ cán bộ: Cán bộ Gõ Liền/);
    const other = await webChat();
    await other.say('tôi là cán bộ');
    expect(texts(await other.say(prompted.secret))).toMatch(/Chế độ cán bộ: Cán bộ Gõ Sau/);
    // A secret pasted where it does not belong is not kept either.
    const stray = await webChat();
    await stray.say(`giá vàng hôm nay ${inline.secret} bao nhiêu`);

    const shown = [...(await chat.transcript()), ...(await other.transcript()), ...(await stray.transcript())].map((a) => a.text ?? '');
    expect(shown).toContain('tôi là cán bộ [mã bí mật đã ẩn]');
    expect(shown).toContain('[mã bí mật đã ẩn]');
    const feedback = await app.dialogServices.feedback.list(null, 500);
    const officerView = await api(app, 'GET', '/api/officer/feedback?kind=unanswered&limit=200', undefined, admin);
    for (const secret of [inline.secret, prompted.secret]) {
      expect(shown.join('\n')).not.toContain(secret);
      expect(JSON.stringify(feedback)).not.toContain(secret);
      expect(JSON.stringify(officerView.body)).not.toContain(secret);
      expect(log.lines.join('\n')).not.toContain(secret);
      expect(storedText(data.path)).not.toContain(secret);
    }
    expect(storedText(data.path)).toContain('[mã bí mật đã ẩn]');
  });
});

describe('per-client limits in the chat follow the trusted id', () => {
  it('counts wrong dossier proofs on the token subject, however the client rotates from.id', async () => {
    const chat = await webChat();
    const attempt = async (n: number) => {
      await chat.say(`tra cứu hồ sơ MAU-000000-000${n}`, `rotated-${n}`);
      return texts(await chat.say('9999', `rotated-${n}-b`));
    };
    for (const n of [1, 2, 3]) expect(await attempt(n)).not.toMatch(/quá nhiều lần/);
    expect(await attempt(4)).toMatch(/xác minh sai quá nhiều lần/i);
    // Another client is not affected.
    const other = await webChat();
    await other.say('tra cứu hồ sơ MAU-000000-0005');
    expect(texts(await other.say('9999'))).not.toMatch(/quá nhiều lần/);
  });
});

describe('per-client booking limit in the chat', () => {
  it('counts bookings on the token subject, however the client rotates from.id', async () => {
    const chat = await webChat();
    const book = async (time: string, phone: string, claimed: string) => {
      for (const text of ['đăng ký thường trú', 'Đặt lịch', 'hoan kiem', 'Ngày mai 24/11', time, 'Phạm Văn Đặt', phone]) await chat.say(text, claimed);
      return texts(await chat.say('Đồng ý', claimed));
    };
    expect(await book('14h', '0912000001', 'rotated-a')).toMatch(/Mã đặt lịch/);
    // One booking a day per client in this test's configuration: a new from.id does not make a new client.
    expect(await book('14h30', '0912000002', 'rotated-b')).toMatch(/Đã đạt giới hạn số lịch đặt trong ngày/);
  });
});

describe('feedback references', () => {
  it('are unique by construction (day and sequence), and a taken one is skipped without losing the complaint', async () => {
    // A reference already stored (restored data, a lost counter) must not make the complaint fail.
    await app.store.feedback.add({ reference: 'PA-261123-0001', kind: 'complaint', text: 'cũ', rating: null, channel: 'test', userId: 'test', createdAt: clock.now().toISOString() });
    const chat = await webChat();
    const replies = await chat.say('tôi muốn khiếu nại: cán bộ ở quầy 3 đòi thêm tiền ngoài lệ phí khi nhận hồ sơ');
    const reference = /\*\*(PA-\d{6}-\d{4})\*\*/.exec(texts(replies))?.[1];
    expect(reference).toMatch(/^PA-261123-000[2-9]$/);
    const complaints = await app.dialogServices.feedback.list('complaint', 50);
    expect(complaints.find((c) => c.reference === reference)?.text).toMatch(/đòi thêm tiền/);
    // Many at once, from many conversations: all stored, none shares a reference.
    const references = await Promise.all(
      Array.from({ length: 60 }, (_, i) => app.dialogServices.feedback.record('unanswered', `câu hỏi ${i}`, { channel: 'test', userId: `u${i}` })),
    );
    expect(new Set(references).size).toBe(60);
    expect(references.every((r) => /^CH-261123-\d{4}$/.test(r))).toBe(true);
  });
});

describe('Direct Line conversation budget per client address', () => {
  it('refuses new conversations over the hourly budget with 429 and Retry-After; existing ones go on', async () => {
    const dir = tempDir();
    const limited = await startTestApp({ dataDir: dir.path, knowledgeDir: knowledge.path, directLineConversationsPerHour: 3 }, undefined, clock);
    try {
      const first = await api(limited, 'POST', '/v3/directline/tokens/generate');
      expect(first.status).toBe(200);
      expect((await api(limited, 'POST', '/v3/directline/tokens/generate')).status).toBe(200);
      expect((await api(limited, 'POST', '/v3/directline/conversations')).status).toBe(201);
      const res = await fetch(`${limited.url}/v3/directline/tokens/generate`, { method: 'POST' });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
      expect(await res.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/Quá nhiều cuộc trò chuyện mới/) } });
      expect((await api(limited, 'POST', '/v3/directline/conversations')).status).toBe(429);
      // A client that already has its token still starts its conversation and talks.
      const auth = { authorization: `Bearer ${first.body.token}` };
      expect((await api(limited, 'POST', '/v3/directline/conversations', undefined, auth)).status).toBe(201);
      const sent = await api(limited, 'POST', `/v3/directline/conversations/${first.body.conversationId}/activities`, { type: 'message', text: 'xin chào' }, auth);
      expect(sent.status).toBe(200);
    } finally {
      await limited.stop();
      dir.remove();
    }
  });
});
