import { createLogger, maskPersonalData, withFields } from '../../src/logger';

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'debug') {
  const lines: string[] = [];
  const log = createLogger(level, (l) => lines.push(l));
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l)) };
}

describe('logs never carry personal numbers', () => {
  it('masks phone and ID numbers in messages and fields, keeping the last two digits', () => {
    expect(maskPersonalData('gọi 0912345678 hoặc +84912345678, CCCD 001090012345')).toBe(
      'gọi ********78 hoặc *********78, CCCD **********45',
    );
    const { log, lines, parsed } = capture('info');
    log.info('booking for 0987654321', { phone: '0987654321', applicant: { idNumber: '001090012345' }, note: 'số 0911222333' });
    expect(lines[0]).not.toMatch(/0987654321|001090012345|0911222333/);
    expect(parsed()[0]).toMatchObject({ level: 'info', msg: 'booking for ********21', phone: '***', applicant: { idNumber: '***' }, note: 'số ********33' });
  });

  it.each([
    ['0987.654.321', '********21'],
    ['0987 654 321', '********21'],
    ['0987-654-321', '********21'],
    ['+84 987 654 321', '*********21'],
    ['(+84) 987 654 321', '*********21'],
    ['84987654321', '*********21'],
    ['024 3825 1234', '*********34'],
    ['001 099 991 234', '**********34'],
    ['001099991234', '**********34'],
    ['123456789', '*******89'],
  ])('masks %s wherever it is written', (number, masked) => {
    expect(maskPersonalData(`sđt: ${number}.`)).toBe(`sđt: ${masked}.`);
    expect(maskPersonalData(number)).toBe(masked);
  });

  it('masks e-mail addresses, keeping the domain', () => {
    expect(maskPersonalData('gửi về nguyen.van.a@gmail.com nhé')).toBe('gửi về ***@gmail.com nhé');
  });

  it('leaves dates, codes, times, amounts and short numbers readable', () => {
    const text = 'hồ sơ HN-261120-0001 (hn 261120 0001) ngày 2026-11-20 lúc 09:30, mã 1.001193, lệ phí 1.000.000 đồng, MAU-000000-0007, 1764622800000';
    expect(maskPersonalData(text)).toBe(text);
  });

  it('never writes a personal name, an address or a secret, by field name', () => {
    const { log, lines, parsed } = capture();
    log.info('booking', { name: 'Nguyễn Văn Riêng Tư', fullName: 'Trần Thị B', address: '1 Tràng Tiền', token: 'mc_abc', proof: '1234', profile: { name: 'Lê C', phone: 987654321 } });
    expect(lines[0]).not.toMatch(/Riêng Tư|Trần Thị|Tràng Tiền|mc_abc|1234|Lê C|987654321/);
    expect(parsed()[0]).toMatchObject({ name: '***', fullName: '***', address: '***', token: '***', proof: '***', profile: { name: '***', phone: '***' } });
  });

  it('writes free text a citizen typed as its length and a digest, never the text', () => {
    const { log, lines, parsed } = capture();
    log.info('search found nothing', { query: 'Nguyễn Văn An 0987654321 phở' });
    log.info('search found nothing', { query: 'Nguyễn Văn An 0987654321 phở' });
    log.info('search found nothing', { query: 'giá vàng' });
    expect(lines.join('\n')).not.toMatch(/Nguyễn|phở|0987654321|vàng/);
    const [a, b, c] = parsed().map((l) => l.query);
    expect(a).toEqual({ length: 28, digest: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(b.digest).toBe(a.digest); // the same question asked twice can be counted
    expect(c.digest).not.toBe(a.digest);
  });

  it('keeps an error’s type, message, code, stack and cause, masked', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const error = new TypeError('no booking for 0987654321', { cause });
    const { log, lines, parsed } = capture();
    log.error('request failed', { requestId: 'req-1', error });
    const line = parsed()[0];
    expect(line).toMatchObject({ level: 'error', msg: 'request failed', requestId: 'req-1' });
    expect(line.error.type).toBe('TypeError');
    expect(line.error.message).toBe('no booking for ********21');
    expect(line.error.stack).toMatch(/^TypeError: no booking for \*{8}21\n\s+at /);
    expect(line.error.stack).toMatch(/logger\.test\.ts/);
    expect(line.error.cause).toMatchObject({ type: 'Error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' });
    expect(lines[0]).not.toMatch(/0987654321/);
  });

  it('logs what it is given without throwing: cycles, getters that throw, bigints, dates', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const hostile = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } });
    const { log, parsed } = capture();
    expect(() => log.info('cyclic', { cyclic, big: 10n, at: new Date('2026-11-20T00:00:00Z') })).not.toThrow();
    expect(() => log.info('hostile', { hostile })).not.toThrow();
    const [first, second] = parsed();
    expect(first).toMatchObject({ cyclic: { a: 1, self: '[circular]' }, big: '10', at: '2026-11-20T00:00:00.000Z' });
    expect(second).toMatchObject({ msg: 'hostile', hostile: '[could not be logged]' });
    const unreadable = new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } });
    expect(() => log.warn('unreadable', unreadable)).not.toThrow();
    expect(parsed()[2]).toMatchObject({ level: 'warn', msg: 'unreadable', fields: '[could not be logged]' });
  });

  it('binds request and conversation ids to every line of a logger', () => {
    const { log, parsed } = capture();
    const scoped = withFields(log, { requestId: 'r-42', conversationId: 'c-7' });
    scoped.warn('slow turn', { ms: 900 });
    scoped.info('turn done', { conversationId: 'c-8' });
    expect(parsed()).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'slow turn', requestId: 'r-42', conversationId: 'c-7', ms: 900 }),
      expect.objectContaining({ level: 'info', requestId: 'r-42', conversationId: 'c-8' }),
    ]);
  });

  it('writes one JSON line per call with an ISO time and the level as a word', () => {
    const { log, lines, parsed } = capture();
    log.debug('d');
    log.error('e');
    expect(lines).toHaveLength(2);
    expect(parsed()[0]).toMatchObject({ level: 'debug', msg: 'd', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    expect(parsed()[1].level).toBe('error');
    // The message comes before the fields, as readers of the old format expect.
    log.info('server listening', { url: 'http://127.0.0.1:1' });
    expect(lines[2]).toMatch(/"msg":"server listening","url":"http:\/\/127\.0\.0\.1:1"/);
  });

  it('writes nothing below the level', () => {
    const { log, lines } = capture('warn');
    log.info('quiet');
    log.debug('quieter');
    expect(lines).toEqual([]);
    createLogger('silent', (l) => lines.push(l)).error('nothing at all');
    expect(lines).toEqual([]);
  });
});
