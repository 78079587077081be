import type { ExperimentResult } from '../../src/experiments/types';
import type { Evidence } from '../../src/experiments/verdict';

function cell(value: number | string | null): string {
  if (value === null) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : Number(value.toPrecision(4)).toString();
  return value;
}

function evidenceValue(evidence: Evidence): string {
  const value = typeof evidence.value === 'number' ? cell(evidence.value) : String(evidence.value);
  return evidence.unit && evidence.unit !== 'p' ? `${value} ${evidence.unit}` : value;
}

const outcomeWords = { holds: 'HOLDS', 'does-not-hold': 'DOES NOT HOLD', 'not-shown': 'NOT SHOWN ON THIS DEVICE' } as const;

/**
 * The `--json` contract: one object with the verdict's outcome, its evidence (each measured or a
 * model, and whether it decided), the control arm's outcome, metrics and chart series.
 */
export function jsonResult(result: ExperimentResult) {
  return {
    experiment: result.experimentId,
    params: result.params,
    device: result.device,
    verdict: {
      outcome: result.verdict.outcome,
      holds: result.verdict.outcome === 'holds',
      summary: result.verdict.summary.en,
      evidence: result.verdict.evidence.map((e) => ({ name: e.label.en, value: e.value, unit: e.unit, source: e.source, decisive: e.decisive })),
    },
    control: { description: result.control.description.en, outcome: result.control.outcome },
    metrics: result.metrics,
    series: result.series,
  };
}

/** A result as plain text for a terminal: title, device, table, verdict with its checks, control, context. */
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
    `verdict: ${outcomeWords[result.verdict.outcome]} — ${result.verdict.summary.en}`,
    ...result.verdict.checks.map((c) => `  [${c.outcome}] ${c.observed.en}`),
    `  ${result.verdict.meaning.en}`,
    `control: ${outcomeWords[result.control.outcome]} — ${result.control.description.en}`,
    ...result.control.checks.map((c) => `  [${c.outcome}] ${c.observed.en}`),
    'evidence:',
    ...result.verdict.evidence.map((e) => `  ${e.source === 'model' ? '(model)   ' : e.decisive ? '(measured, decisive)' : '(measured)'} ${e.label.en}: ${evidenceValue(e)}`),
  ];
  if (result.context) lines.push('', `context: ${result.context.en}`);
  lines.push(`(${(result.timings.wallMs / 1000).toFixed(1)} s)`, '');
  return lines.join('\n');
}
