import { fieldNames } from '../../src/bot/format';

describe('answers name unverified facts in Vietnamese', () => {
  it('translates record field names', () => {
    expect(fieldNames(['processingTimes', 'fees', 'nonBoundary'])).toBe('thời hạn, phí, lệ phí, nộp phi địa giới');
  });
});
