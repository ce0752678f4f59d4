import { createLogger, maskPersonalData } from '../../src/logger';

describe('logs never carry personal numbers', () => {
  it('masks phone and ID numbers in messages and fields, keeping the last two digits', () => {
    expect(maskPersonalData('gọi 0912345678 hoặc +84912345678, CCCD 001090012345')).toBe(
      'gọi ********78 hoặc **********78, CCCD **********45',
    );
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log.info('booking for 0987654321', { phone: '0987654321', applicant: { idNumber: '001090012345' }, note: 'số 0911222333' });
    const line = JSON.parse(lines[0]);
    expect(lines[0]).not.toMatch(/0987654321|001090012345|0911222333/);
    expect(line).toMatchObject({ level: 'info', phone: '***', applicant: { idNumber: '***' } });
  });

  it('leaves dates, codes and short numbers readable', () => {
    expect(maskPersonalData('hồ sơ HN-261120-0001 ngày 2026-11-20, mã 1.001193')).toBe('hồ sơ HN-261120-0001 ngày 2026-11-20, mã 1.001193');
  });

  it('writes nothing below the level', () => {
    const lines: string[] = [];
    createLogger('warn', (l) => lines.push(l)).info('quiet');
    expect(lines).toEqual([]);
  });
});
