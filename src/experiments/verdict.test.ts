import { describe, expect, it } from 'vitest';
import { combine, judge, measured, modelled, type Check, type Outcome } from './verdict';

const words = { ko: '측정 1', en: 'measured 1' };
const meaning: Record<Outcome, { ko: string; en: string }> = {
  holds: { ko: 'ㅇ', en: 'yes' },
  'does-not-hold': { ko: 'ㄴ', en: 'no' },
  'not-shown': { ko: '?', en: 'unknown' },
};

function check(id: string, outcome: Outcome, evidence = [measured(`${id}.x`, words, 1, '')]): Check {
  return { id, claim: words, outcome, observed: { ko: `${id} ${outcome}`, en: `${id} ${outcome}` }, evidence };
}

describe('verdicts from checks on two arms', () => {
  it('combines: a contradiction wins, then anything not shown, else holds', () => {
    expect(combine([check('a', 'holds'), check('b', 'holds')])).toBe('holds');
    expect(combine([check('a', 'holds'), check('b', 'not-shown')])).toBe('not-shown');
    expect(combine([check('a', 'not-shown'), check('b', 'does-not-hold')])).toBe('does-not-hold');
    expect(combine([])).toBe('not-shown');
  });

  it('holds only when the control fails the same test', () => {
    const judged = judge({ checks: [check('a', 'holds')], control: { description: words, checks: [check('a', 'does-not-hold')] }, summary: words, meaning });
    expect(judged.verdict).toMatchObject({ outcome: 'holds', holds: true, meaning: meaning.holds });
    expect(judged.control.outcome).toBe('does-not-hold');
  });

  it('a control that passes (or cannot be told apart) turns holds into not-shown, saying why', () => {
    for (const controlOutcome of ['holds', 'not-shown'] as const) {
      const judged = judge({ checks: [check('a', 'holds')], control: { description: words, checks: [check('a', controlOutcome)] }, summary: words, meaning });
      expect(judged.verdict.outcome).toBe('not-shown');
      expect(judged.verdict.holds).toBe(false);
      expect(judged.verdict.summary.en).toMatch(/cannot tell the two apart/);
    }
  });

  it('never lets a model decide', () => {
    const byModel = check('a', 'holds', [{ ...modelled('a.traffic', words, 1, 'B'), decisive: true }]);
    expect(() => judge({ checks: [byModel], control: { description: words, checks: [check('a', 'does-not-hold')] }, summary: words, meaning })).toThrow(/model/);
    const noEvidence = check('a', 'holds', [modelled('a.traffic', words, 1, 'B')]);
    expect(() => judge({ checks: [noEvidence], control: { description: words, checks: [check('a', 'does-not-hold')] }, summary: words, meaning })).toThrow(/without measured evidence/);
  });

  it('lists modelled numbers with the evidence, undecisive', () => {
    const judged = judge({
      checks: [check('a', 'holds')],
      control: { description: words, checks: [check('a', 'does-not-hold')] },
      model: [modelled('traffic', words, 42, 'B')],
      summary: words,
      meaning,
    });
    expect(judged.verdict.evidence.map((e) => [e.id, e.source, e.decisive])).toEqual([
      ['a.x', 'measured', true],
      ['traffic', 'model', false],
    ]);
  });
});
