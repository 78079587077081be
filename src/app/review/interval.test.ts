import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../shared/i18n';
import { intervalText } from './interval';

describe('intervals on the grade buttons', () => {
  it('are written in the UI language', () => {
    const ko = createTranslator('ko');
    const en = createTranslator('en');
    expect(['1m', '10m', '3h', '8d', '1.2mo', '2y'].map((s) => intervalText(s, ko))).toEqual(['1분', '10분', '3시간', '8일', '1.2개월', '2년']);
    expect(['1m', '10m', '3h', '8d', '1.2mo', '2y'].map((s) => intervalText(s, en))).toEqual(['1m', '10m', '3h', '8d', '1.2mo', '2y']);
    expect(intervalText('soon', ko)).toBe('soon');
  });
});

describe('the session time', () => {
  it('is written in the UI language', async () => {
    const { formatDuration } = await import('../screens/SessionSummary');
    expect(formatDuration(192_000, createTranslator('ko'))).toBe('3분 12초');
    expect(formatDuration(192_000, createTranslator('en'))).toBe('3m 12s');
    expect(formatDuration(45_000, createTranslator('ko'))).toBe('45초');
    expect(formatDuration(3_900_000, createTranslator('en'))).toBe('1h 5m');
  });
});
