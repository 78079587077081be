const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function oneDecimal(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/**
 * An interval as the grade buttons show it, in Anki's short form: '1m', '10m', '1h', '4d',
 * '1.2mo', '2.1y'. Minutes and days are whole; hours, months and years keep one decimal.
 */
export function formatInterval(ms: number): string {
  const span = Math.max(0, ms);
  if (span < HOUR) return `${Math.max(1, Math.round(span / MINUTE))}m`;
  if (span < DAY) return `${oneDecimal(span / HOUR)}h`;
  const days = span / DAY;
  if (days < 30) return `${Math.round(days)}d`;
  if (days < 365) return `${oneDecimal(days / (365 / 12))}mo`;
  return `${oneDecimal(days / 365)}y`;
}
