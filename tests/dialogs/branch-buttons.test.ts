/**
 * Branch buttons on a phone: the official names share their first 40 characters, so the button's
 * title must lead with what tells two branches apart, and a tap must still pick that branch.
 */
import { MemoryStorage, UserState, type Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { App } from '../../src/app';
import { Branch } from '../../knowledge/schemas';
import { fixedClock } from '../../src/domain/calendar/clock';
import { BookingDialog } from '../../dialogs/bookingDialog';
import type { Profile } from '../../dialogs/dialogServices';
import { startTestApp, TEST_BRANCHES, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

// The real names of two Hanoi branches, on the test branches' hours and counters.
const LONG_NAMES = [
  { ...TEST_BRANCHES[0], id: 'hn-cn01', district: 'Tây Hồ', name: 'Chi nhánh số 1 – Trung tâm Phục vụ hành chính công thành phố Hà Nội (Chi nhánh Tây Hồ)' },
  { ...TEST_BRANCHES[1], id: 'hn-cn02', district: 'Cầu Giấy', name: 'Chi nhánh số 2 – Trung tâm Phục vụ hành chính công thành phố Hà Nội (Chi nhánh Cầu Giấy)' },
].map((b) => Branch.parse(b));

const data = tempDir();
const knowledge = tempDir();
let app: App;

beforeAll(async () => {
  writeTestKnowledge(knowledge.path, { branches: LONG_NAMES });
  app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path }, undefined, fixedClock('2026-11-23T00:00:00Z'));
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});

async function talk(client: DialogTestClient, text: string): Promise<Partial<Activity>[]> {
  const replies: Partial<Activity>[] = [];
  for (let reply = await client.sendActivity(text); reply; reply = client.getNextReply()) replies.push(reply);
  return replies;
}

it('branch buttons lead with the branch number and district, short enough for a phone, and a tap books that branch', async () => {
  const client = new DialogTestClient('test', new BookingDialog(app.dialogServices, new UserState(new MemoryStorage()).createProperty<Profile>('profile')), { procedureCode: '1.001193' });
  const actions = (await talk(client, 'đặt lịch')).flatMap((r) => r.suggestedActions?.actions ?? []);
  const titles = actions.map((a) => String(a.title));
  expect(titles.slice(0, 2).sort()).toEqual(['Số 1 · Tây Hồ', 'Số 2 · Cầu Giấy']);
  for (const title of titles) expect(title.length).toBeLessThanOrEqual(28);
  // The tap sends the full official name, which picks exactly that branch.
  const second = actions.find((a) => a.title === 'Số 2 · Cầu Giấy')!;
  expect(second.value).toBe(LONG_NAMES[1].name);
  const next = (await talk(client, String(second.value))).map((r) => r.text ?? '').join('\n');
  expect(next).toContain(`${LONG_NAMES[1].name}, ${LONG_NAMES[1].address}`);
  expect(next).toMatch(/ngày nào/);
});
