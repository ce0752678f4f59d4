import { contentCoding, jsonDepthExceeds } from '../../src/http/body';
import { coordinates } from '../../src/domain/location';
import { inertMarkdown } from '../../src/domain/text/markdown';
import { checkPersonName } from '../../src/domain/text/person-name';

describe('contentCoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['identity', 'identity'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    ['deflate', 'deflate'],
    [' gzip , identity', 'gzip'],
    ['br', null],
    ['gzip, br', null],
    ['gzip, gzip', null],
  ])('%p → %p', (header, coding) => expect(contentCoding(header)).toBe(coding));
});

describe('jsonDepthExceeds', () => {
  it('counts objects and arrays, not brackets in strings or escaped quotes', () => {
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds(JSON.stringify({ t: '[[[[{{{{"\\' }), 1)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(100_000), 32)).toBe(true);
  });
});

describe('coordinates', () => {
  it('takes finite degrees in range, as numbers or decimal text, and nothing else', () => {
    expect(coordinates(21.0285, 105.8542)).toEqual({ lat: 21.0285, lon: 105.8542 });
    expect(coordinates('-21.5', '105')).toEqual({ lat: -21.5, lon: 105 });
    for (const [lat, lon] of [['abc', 1], ['', ''], [' ', 1], ['0x10', 1], ['1e1', 1], [NaN, 1], [Infinity, 1], [91, 1], [1, 181], [null, 1], [undefined, 1], [true, 1], [[21], 1]]) {
      expect(coordinates(lat, lon)).toBeNull();
    }
  });
});

describe('inertMarkdown', () => {
  it('turns images into at most links and leaves other text alone', () => {
    expect(inertMarkdown('A ![x](http://e/p.png) B')).toBe('A ! [x](http://e/p.png) B');
    expect(inertMarkdown('[![x](http://e/p.png)](http://e)')).toBe('[! [x](http://e/p.png)](http://e)');
    expect(inertMarkdown('!![r][ref]')).toBe('!! [r][ref]');
    expect(inertMarkdown('Xin chào! [Menu]')).toBe('Xin chào! [Menu]');
    expect(inertMarkdown('Nguyễn Văn Bình')).toBe('Nguyễn Văn Bình');
  });
});

describe('checkPersonName', () => {
  it('composes, trims and keeps real names', () => {
    expect(checkPersonName('  Nguyễn   Văn Bình '.normalize('NFD'))).toEqual({ ok: true, name: 'Nguyễn Văn Bình' });
    expect(checkPersonName("H'Hen Niê")).toMatchObject({ ok: true });
    expect(checkPersonName('Lò Văn A')).toMatchObject({ ok: true });
  });
  it.each(['\u200b\u200b\u200b', '\u202eNguyen gnaoH', 'An\u2066h', 'AB\ud800CD', 'A\udc00B', 'Lan\u0000', 'A', '12', 'x'.repeat(101), 'Ha' + '\u0301'.repeat(4)])('refuses %j', (name) => {
    expect(checkPersonName(name)).toMatchObject({ ok: false, message: expect.stringMatching(/họ tên/) });
  });
});
