import { describeIssues, type Method, type ParsedArgs } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import { findMeta } from '../../src/experiments/catalog';
import { checkedDeckName } from './decks/deck-ops';

/**
 * What the contract's schemas cannot say on their own, checked at the same door (dispatch.ts)
 * before any handler runs: an experiment's params against that experiment's own schema (its
 * bounds and defaults), which lives in the experiment registry rather than in the contract.
 */
type Check<M extends Method> = (args: ParsedArgs<M>, method: M) => ParsedArgs<M>;

function experimentParams(method: Method, experimentId: string, params: Record<string, unknown> | null | undefined, unknown: 'not-found' | 'invalid-args') {
  const meta = findMeta(experimentId);
  if (!meta) throw new AppError(unknown, `unknown experiment '${experimentId}'`, { id: experimentId, method, detail: `experimentId: ${experimentId}` });
  const parsed = meta.params.safeParse(params ?? {});
  if (!parsed.success) {
    const detail = describeIssues(parsed.error, { root: '(params)' });
    throw new AppError('invalid-args', `${method}: ${experimentId}: ${detail}`, { method, detail });
  }
  return parsed.data as Record<string, unknown>;
}

export const doorChecks: { [M in Method]?: Check<M> } = {
  // A deck name stored as Anki keeps it (each part between `::` trimmed); an empty one or an empty part is refused.
  'decks.create': (args) => ({ ...args, name: checkedDeckName(args.name) }),
  'decks.rename': (args) => ({ ...args, name: checkedDeckName(args.name) }),
  // Defaults filled in: the run is queued and stored with the params it runs with.
  'experiments.run': (args, method) => ({ ...args, params: experimentParams(method, args.experimentId, args.params, 'not-found') }),
  // A note's link to an experiment: the params are stored as the note gives them.
  'notes.save': (args, method) => {
    if (args.experimentId !== null) experimentParams(method, args.experimentId, args.experimentParams, 'invalid-args');
    return args;
  },
};
