import type { Evidence, RunResult } from '../../shared/contract';

type Check = RunResult['verdict']['checks'][number];

/**
 * Statistics a newcomer need not read first (p-values, slopes, Kendall's τ): shown under the
 * disclosure, while the checks say in words what they found.
 */
export function isJargon(evidence: Evidence): boolean {
  if (evidence.unit === 'p') return true;
  return /slope|kendall|\btau\b|τ|p-value|mann|기울기|p값/i.test(`${evidence.id} ${evidence.label.en} ${evidence.label.ko}`);
}

export interface EvidenceGroup {
  /** A check of the verdict, a check of the control arm, or the model numbers shown beside them. */
  kind: 'check' | 'control' | 'model';
  check: Check | null;
  rows: Evidence[];
}

/** The result's evidence grouped as the table shows it: each check's numbers, the control's, then the model. */
export function evidenceGroups(result: RunResult, include: (e: Evidence) => boolean): EvidenceGroup[] {
  const inChecks = new Set(result.verdict.checks.flatMap((c) => c.evidence.map((e) => e.id)));
  const groups: EvidenceGroup[] = [
    ...result.verdict.checks.map((check): EvidenceGroup => ({ kind: 'check', check, rows: check.evidence.filter(include) })),
    ...(result.control?.checks ?? []).map((check): EvidenceGroup => ({ kind: 'control', check, rows: check.evidence.filter(include) })),
    { kind: 'model', check: null, rows: result.verdict.evidence.filter((e) => !inChecks.has(e.id) && include(e)) },
  ];
  return groups.filter((group) => group.rows.length > 0);
}
