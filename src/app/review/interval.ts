import type { Translate } from '../../shared/i18n';

const units = { m: 'review.interval.minutes', h: 'review.interval.hours', d: 'review.interval.days', mo: 'review.interval.months', y: 'review.interval.years' } as const;

/**
 * An interval as the services write it ('10m', '4d', '1.2mo', '1y') in the UI's language: the
 * same short form in English, '10분', '4일', '1.2개월' in Korean.
 */
export function intervalText(short: string, t: Translate): string {
  const match = /^(\d+(?:\.\d+)?)(mo|m|h|d|y)$/.exec(short.trim());
  if (!match) return short;
  return t(units[match[2] as keyof typeof units], { value: match[1] });
}
