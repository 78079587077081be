import type { UiLocale } from '../../shared/i18n';

// Numbers of results, evidence and chart axes. Decimal quantities (tokens, N, ms, ratios) are
// written in decimal: 10,000 is "10,000", never "9.77K". Only bytes use binary units (KiB, MiB),
// and they say so.

const binaryUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Three significant digits, without a float's noise (0.30000000000000004) or a trailing ".0". */
function significant(value: number, digits = 3): number {
  return Number(value.toPrecision(digits));
}

/** A plain decimal number grouped as the locale groups it (1,234.5). */
export function decimal(value: number, locale: UiLocale, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  // Errors of 1e-7 must not print as 0.
  if (abs < 1e-3) return value.toExponential(digits - 1).replace(/\.?0+e/, 'e').replace('e+', 'e');
  if (Number.isInteger(value) && abs < 1e15) return value.toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-US');
  return significant(value, digits).toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-US', { maximumFractionDigits: 20 });
}

/** Bytes in binary units: 2096 → "2.05 KiB", 2 097 152 → "2 MiB", 304 → "304 B". */
export function bytes(value: number, locale: UiLocale): string {
  if (!Number.isFinite(value)) return String(value);
  let scaled = Math.abs(value);
  let unit = 0;
  while (scaled >= 1024 && unit < binaryUnits.length - 1) {
    scaled /= 1024;
    unit++;
  }
  const sign = value < 0 ? '-' : '';
  return `${sign}${unit === 0 ? decimal(scaled, locale) : significant(scaled).toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-US', { maximumFractionDigits: 20 })} ${binaryUnits[unit]}`;
}

/** Large decimal numbers on an axis: grouped below a million, then M/G (decimal, 10⁶ and 10⁹). */
function compactDecimal(value: number, locale: UiLocale): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${decimal(value / 1e9, locale)}G`;
  if (abs >= 1e6) return `${decimal(value / 1e6, locale)}M`;
  return decimal(value, locale, 6);
}

/** What an axis measures, as far as its ticks go. */
export type AxisQuantity = 'bytes' | 'decimal';

/**
 * Whether an axis counts bytes, from its label. Only "bytes" axes take binary ticks; an intensity
 * in FLOP per byte is a decimal ratio.
 */
export function axisQuantity(label: string): AxisQuantity {
  if (/flop\s*\/|flop\/|바이트당|per byte/i.test(label)) return 'decimal';
  return /\bbytes?\b|바이트|\b[KMG]iB\b/i.test(label) ? 'bytes' : 'decimal';
}

/** A tick label of an axis: binary units for bytes, decimal for everything else. */
export function tick(value: number, quantity: AxisQuantity, locale: UiLocale): string {
  if (quantity === 'bytes') return bytes(value, locale);
  return compactDecimal(value, locale);
}

/** A value with its unit, as the evidence table shows it. */
export function withUnit(value: number, unit: string, locale: UiLocale): string {
  switch (unit) {
    case 'B':
      return bytes(value, locale);
    case '×':
      return `${decimal(value, locale)}×`;
    case '%':
      return `${decimal(value, locale)}%`;
    case '':
    case 'p':
      return decimal(value, locale);
    default:
      return `${decimal(value, locale)} ${unit}`;
  }
}

/** Points that a log axis can draw: values ≤ 0 (an error of exactly 0) and non-finite ones are left out. */
export function drawable(points: readonly (readonly number[])[], xLog: boolean, yLog: boolean): number[][] {
  return points
    .filter((p) => p.every((v) => Number.isFinite(v)) && (!xLog || p[0] > 0) && (!yLog || p.slice(1).every((v) => v > 0)))
    .map((p) => [...p]);
}
