import type { Localized } from './types';

/**
 * How a claim fared in one run: `holds` (every check was measured to hold), `does-not-hold` (a
 * number measured in this run contradicts it), `not-shown` (this device cannot show it, with the
 * measured reason: the difference is within the run's noise, the passes are compute-bound …).
 */
export type Outcome = 'holds' | 'does-not-hold' | 'not-shown';

/**
 * One number behind a verdict. `measured`: observed on the device in this run (a time, bytes the
 * device really allocated, a refusal it really gave, an error against float64). `model`: computed
 * from a formula (traffic, FLOPs, expected bytes), shown for understanding; a model never decides.
 */
export interface Evidence {
  id: string;
  label: Localized;
  value: number | string | boolean | null;
  /** 'ms', 'B', '×', 'GB/s', 'GFLOP/s', 'p', '' … */
  unit: string;
  source: 'measured' | 'model';
  /** True when a check's outcome depends on it; only measured evidence may be decisive. */
  decisive: boolean;
}

/** One testable part of a claim, judged on one arm's measurements. */
export interface Check {
  id: string;
  /** What this part claims, in plain words. */
  claim: Localized;
  outcome: Outcome;
  /** What was observed, in plain words with the numbers. */
  observed: Localized;
  evidence: Evidence[];
}

/** The claim's test applied to the experiment's own arm. */
export interface Verdict {
  outcome: Outcome;
  /** `outcome === 'holds'` (kept for lists and older clients). */
  holds: boolean;
  /** What was measured, in plain words, leading with the outcome's reason. */
  summary: Localized;
  /** What the outcome means for the card's answer. */
  meaning: Localized;
  checks: Check[];
  /** Every check's evidence, flattened (the CLI's contract). */
  evidence: Evidence[];
}

/** The same test applied to the counterfactual arm (cache off, scores materialised …). */
export interface ControlArm {
  /** What the control arm is. */
  description: Localized;
  outcome: Outcome;
  summary: Localized;
  checks: Check[];
}

/** A measured number (decisive unless said otherwise). */
export function measured(id: string, label: Localized, value: Evidence['value'], unit: string, decisive = true): Evidence {
  return { id, label, value, unit, source: 'measured', decisive };
}

/** A modelled number: shown, labelled as a model, never decisive. */
export function modelled(id: string, label: Localized, value: Evidence['value'], unit: string): Evidence {
  return { id, label, value, unit, source: 'model', decisive: false };
}

/** Combines checks: any contradiction → does-not-hold; else anything unshown → not-shown; else holds. */
export function combine(checks: readonly Pick<Check, 'outcome'>[]): Outcome {
  if (checks.some((c) => c.outcome === 'does-not-hold')) return 'does-not-hold';
  if (checks.length === 0 || checks.some((c) => c.outcome === 'not-shown')) return 'not-shown';
  return 'holds';
}

function joined(parts: Localized[]): Localized {
  return { ko: parts.map((p) => p.ko).join(' '), en: parts.map((p) => p.en).join(' ') };
}

/** Invariant: a decisive number is a measured one. A model deciding a verdict is a bug. */
function assertDecisiveMeasured(checks: readonly Check[]): void {
  for (const check of checks) {
    const decisive = check.evidence.filter((e) => e.decisive);
    const model = decisive.find((e) => e.source !== 'measured');
    if (model) throw new Error(`check '${check.id}': decisive evidence '${model.id}' is a model`);
    if (check.outcome !== 'not-shown' && decisive.length === 0) throw new Error(`check '${check.id}' decides ${check.outcome} without measured evidence`);
  }
}

const controlNotFailed: Localized = {
  ko: '같은 검사를 대조군에 적용했더니 대조군도 통과했거나 판별되지 않았습니다. 이 실행에서 이 검사는 둘을 구별하지 못하므로 주장은 보여지지 않은 것으로 판정합니다.',
  en: 'Applied to the control arm, the same test did not fail it. A test that cannot tell the two apart shows nothing, so the claim counts as not shown in this run.',
};

export interface Judged {
  verdict: Verdict;
  control: ControlArm;
}

/**
 * The verdict of a run: the claim's checks on the experiment's own arm and the same checks on the
 * control arm. The claim holds only when every check holds AND the control fails the same test;
 * a control that passes (or is not shown) downgrades a 'holds' to 'not-shown'.
 */
export function judge(input: {
  checks: Check[];
  control: { description: Localized; checks: Check[] };
  /** Modelled numbers shown beside the verdict (traffic, FLOPs): listed with the evidence, never deciding. */
  model?: Evidence[];
  /** Leads the summary: what was measured, in plain words. */
  summary: Localized;
  meaning: Record<Outcome, Localized>;
}): Judged {
  assertDecisiveMeasured(input.checks);
  if (input.model?.some((e) => e.source !== 'model' || e.decisive)) throw new Error('judge: `model` takes modelled, non-decisive evidence only');
  assertDecisiveMeasured(input.control.checks);
  const controlOutcome = combine(input.control.checks);
  let outcome = combine(input.checks);
  const notes: Localized[] = [input.summary];
  if (outcome === 'holds' && controlOutcome !== 'does-not-hold') {
    outcome = 'not-shown';
    notes.push(controlNotFailed);
  }
  const controlSummary = joined(input.control.checks.map((c) => c.observed));
  return {
    verdict: {
      outcome,
      holds: outcome === 'holds',
      summary: joined(notes),
      meaning: input.meaning[outcome],
      checks: input.checks,
      evidence: [...input.checks.flatMap((c) => c.evidence), ...(input.model ?? [])],
    },
    control: { description: input.control.description, outcome: controlOutcome, summary: controlSummary, checks: input.control.checks },
  };
}
