/** WORKERS: several server processes on one port, only on MongoDB (the embedded store allows one process). */
import { loadConfig } from '../../src/config';

describe('WORKERS', () => {
  it('is one process by default', () => {
    expect(loadConfig({}).workers).toBe(1);
  });

  it('runs several processes on MongoDB', () => {
    expect(loadConfig({ WORKERS: '4', MONGODB_URI: 'mongodb://127.0.0.1:27017/motcua' }).workers).toBe(4);
  });

  it('refuses several processes on the embedded store, and numbers that are not a process count', () => {
    expect(() => loadConfig({ WORKERS: '2' })).toThrow(/WORKERS: nhiều tiến trình cần MONGODB_URI/);
    for (const bad of ['0', '-1', '1.5', 'hai', '65']) expect(() => loadConfig({ WORKERS: bad, MONGODB_URI: 'mongodb://h/db' })).toThrow(/WORKERS/);
  });
});
