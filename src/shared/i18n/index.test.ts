import { describe, expect, it } from 'vitest';
import { AppError, errorCodes } from '../errors';
import { createTranslator, messageKeys, resolveLocale, translateError } from './index';

describe('i18n', () => {
  it('has the same keys in Korean and English, and a message for every error code', () => {
    const en = messageKeys('en').sort();
    expect(messageKeys('ko').sort()).toEqual(en);
    for (const code of errorCodes) expect(en).toContain(`errors.${code}`);
  });

  it('fills parameters and chooses plural forms per language', () => {
    const en = createTranslator('en');
    const ko = createTranslator('ko');
    expect(en('review.summary.reviewed', { count: 1 })).toBe('card reviewed');
    expect(en('review.summary.reviewed', { count: 12 })).toBe('cards reviewed');
    expect(en('today.reviewedToday', { count: 1 })).toBe('1 review today');
    expect(en('today.reviewedToday', { count: 3 })).toBe('3 reviews today');
    expect(en('today.totalCards', { count: 1234 })).toBe('1,234 cards in your collection');
    expect(ko('today.reviewedToday', { count: 1 })).toBe('오늘 1장 복습');
    expect(ko('review.grade.3')).toBe('알맞음');
    expect(en('review.gradeLabel', { grade: 'Good', interval: '4d', key: 3 })).toBe('Good, next in 4d (key 3)');
  });

  it('writes numbers as the locale does, on the fast path for small integers too', () => {
    const locales = ['en', 'ko'] as const;
    const samples = [-1_234_567, -1000, -999, -12, -1, 0, 1, 7, 42, 999, 1000, 1234, 12_345, 100_000, 1_000_000, 987_654_321, 0.5, 2.25, 1234.5678];
    for (const locale of locales) {
      const t = createTranslator(locale);
      const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
      for (const key of samples) {
        const expected = locale === 'en' ? `Good, next in 4d (key ${format.format(key)})` : `Good, 다음 복습 4d 후 (키 ${format.format(key)})`;
        expect(t('review.gradeLabel', { grade: 'Good', interval: '4d', key })).toBe(expected);
      }
    }
  });

  it('translates an AppError by its code into the user language', () => {
    const error = new AppError('nothing-to-undo', 'nothing to undo');
    expect(translateError(createTranslator('ko'), error)).toBe('되돌릴 것이 없습니다.');
    expect(translateError(createTranslator('en'), error)).toBe('Nothing to undo.');
    const invalid = new AppError('import-invalid', 'zip entry escapes the folder', { detail: '../x' });
    expect(translateError(createTranslator('en'), invalid)).toBe('This file cannot be imported: ../x');
    // Without params, the English message fills the hole instead of a raw placeholder.
    const bare = new AppError('gpu-unavailable', 'no adapter');
    expect(translateError(createTranslator('ko'), bare)).toBe('사용할 수 있는 GPU가 없습니다: no adapter');
    expect(translateError(createTranslator('en'), new Error('boom'))).toBe('Something went wrong inside ProofDeck.');
  });

  it('follows the system language unless the user chose one', () => {
    expect(resolveLocale(null, ['ko-KR', 'en-US'])).toBe('ko');
    expect(resolveLocale(null, ['en-GB', 'ko'])).toBe('en');
    expect(resolveLocale(null, [])).toBe('en');
    expect(resolveLocale('en', ['ko-KR'])).toBe('en');
    expect(resolveLocale('ko', ['de-DE'])).toBe('ko');
  });
});
