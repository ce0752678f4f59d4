import { newBookingCode } from '../../src/domain/booking/booking';

describe('booking codes', () => {
  it('are 8 unambiguous characters mixing letters and digits, and do not repeat', () => {
    const codes = Array.from({ length: 2000 }, newBookingCode);
    for (const code of codes) {
      expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
      expect(code).toMatch(/\d/);
      expect(code).toMatch(/[A-Z]/);
    }
    expect(new Set(codes).size).toBe(codes.length);
  });
});
