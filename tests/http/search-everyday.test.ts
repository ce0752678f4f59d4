import type { App } from '../../src/app';
import { api, startTestApp } from '../app-helpers';
import { memoryLogger, tempDir } from '../helpers';

/**
 * Everyday, long and off-topic questions through the real server over the whole bundled catalogue:
 * the index built from the store must carry the everyday vocabulary (situations are part of the
 * summary) and the refusal decision (the off-topic examples travel with the synonyms).
 */
let app: App;
const dir = tempDir();

beforeAll(async () => {
  app = await startTestApp({ dataDir: dir.path }, memoryLogger());
}, 120_000);
afterAll(async () => {
  await app.stop();
  dir.remove();
});

const search = async (q: string) => {
  const { status, body } = await api(app, 'GET', '/api/procedures/search?limit=3&q=' + encodeURIComponent(q));
  expect(status).toBe(200);
  return (body.results as { code: string }[]).map((r) => r.code);
};

describe('search over HTTP as people really ask', () => {
  it('finds the need inside a long, polite message', async () => {
    const codes = await search(
      'Dạ em chào anh chị, bà nội em mới mất hôm qua ở nhà, gia đình em muốn hỏi làm giấy chứng tử cho bà thì cần mang những gì ạ. Em cảm ơn nhiều.',
    );
    expect(codes[0]).toBe('1.000656');
  });

  it('finds a procedure from a life situation written for it', async () => {
    expect((await search('không muốn làm quản tài viên nữa thì nộp lại chứng chỉ'))[0]).toBe('1.014965');
  });

  it.each(['mấy giờ có trận Việt Nam gặp Indonesia', 'con bot này ngu thật', 'cho em hỏi công thức làm bánh cuốn nóng ạ'])(
    'gives no procedure for "%s"',
    async (q) => {
      expect(await search(q)).toEqual([]);
    },
  );
});
