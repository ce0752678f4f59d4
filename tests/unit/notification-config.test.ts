import { loadConfig, parseOffsets } from '../../src/config';

const zaloEnv = { ZALO_APP_ID: '1', ZALO_APP_SECRET: 's', ZALO_OA_SECRET_KEY: 'k', ZALO_ACCESS_TOKEN: 'a', ZALO_REFRESH_TOKEN: 'r' };

describe('notification settings', () => {
  it('reads reminder offsets, largest first, and refuses what is not a number of days, hours or minutes', () => {
    expect(parseOffsets('1d,1h')).toEqual([86_400_000, 3_600_000]);
    expect(parseOffsets(' 30m , 2d ')).toEqual([2 * 86_400_000, 30 * 60_000]);
    expect(parseOffsets('')).toEqual([]);
    expect(parseOffsets('1w')).toBeNull();
    expect(parseOffsets('0h')).toBeNull();
    expect(loadConfig({}).reminderOffsets).toEqual([86_400_000, 3_600_000]);
    expect(loadConfig({ REMINDER_OFFSETS: '' }).reminderOffsets).toEqual([]);
    expect(() => loadConfig({ REMINDER_OFFSETS: 'tomorrow' })).toThrow(/REMINDER_OFFSETS/);
  });

  it('takes one ZNS template id per notification kind, and counts no-shows without limiting by default', () => {
    const config = loadConfig({ ...zaloEnv, ZALO_ZNS_TEMPLATE_BOOKING_REMINDER: '123456', ZALO_ZNS_TEMPLATE_LATE: '' });
    expect(config.zalo!.znsTemplates).toEqual({ booking_reminder: '123456', supplement_requested: undefined, dossier_resolved: undefined, dossier_late: undefined });
    expect(config.zalo!.csWindowHours).toBe(48);
    expect(config.zalo!.businessApiBase).toBe('https://business.openapi.zalo.me');
    expect(() => loadConfig({ ...zaloEnv, ZALO_ZNS_TEMPLATE_RESULT: 'abc' })).toThrow(/ZALO_ZNS_TEMPLATE_RESULT/);
    expect(loadConfig({}).noShow).toEqual({ limit: 0, windowDays: 90 });
  });
});
