/** A time zone's offset at an instant, as Anki counts it (minutes west of UTC): the day numbers of a package depend on it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes west of UTC of `timeZone` at an instant (JavaScript's `getTimezoneOffset` sign, as Anki's `creationOffset`). */
export function minutesWestIn(timeZone: string): (ms: number) => number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, format);
  }
  const wall = format;
  return (ms) => {
    const parts: Record<string, number> = {};
    for (const part of wall.formatToParts(ms)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
    return Math.round((Math.floor(ms / 1000) * 1000 - asUtc) / 60_000);
  };
}
