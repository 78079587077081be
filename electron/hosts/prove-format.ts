import type { ExperimentResult } from '../../src/experiments/types';

function cell(value: number | string | null): string {
  if (value === null) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : Number(value.toPrecision(4)).toString();
  return value;
}

/** A result as plain text for a terminal: title, device, table, verdict, context. */
export function formatResult(result: ExperimentResult, title: string): string {
  const header = result.table.columns.map((c) => c.en);
  const rows = result.table.rows.map((row) => row.map(cell));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  const device = `${result.device.name}${result.device.isFallback ? ' (software)' : ''} [${result.device.backend}]`;
  const lines = [
    `${title} (${result.experimentId})`,
    `device: ${device}`,
    `params: ${JSON.stringify(result.params)}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `verdict: ${result.verdict.holds ? 'HOLDS' : 'DOES NOT HOLD'} — ${result.verdict.summary.en}`,
  ];
  if (result.context) lines.push('', `context: ${result.context.en}`);
  lines.push(`(${(result.timings.wallMs / 1000).toFixed(1)} s)`, '');
  return lines.join('\n');
}
