import { z } from 'zod';
import type { Localized, ParamField } from './types';

interface IntSpec {
  kind: 'int';
  label: Localized;
  min: number;
  max: number;
  default: number;
  step?: number;
}
interface BoolSpec {
  kind: 'bool';
  label: Localized;
  default: boolean;
}
export type ParamSpec = IntSpec | BoolSpec;

type Output<S extends Record<string, ParamSpec>> = { [K in keyof S]: S[K] extends IntSpec ? number : boolean };

/**
 * One declaration per parameter gives both the zod schema (the authority: defaults and bounds,
 * unknown keys refused) and the fields the UI draws, so the two never drift apart.
 */
export function defineParams<S extends Record<string, ParamSpec>>(specs: S): { schema: z.ZodType<Output<S>>; fields: ParamField[] } {
  const shape: Record<string, z.ZodType> = {};
  const fields: ParamField[] = [];
  for (const [key, spec] of Object.entries(specs)) {
    if (spec.kind === 'int') {
      let number = z.number().int().min(spec.min).max(spec.max);
      if (spec.step && spec.step > 1) number = number.multipleOf(spec.step);
      // Values from a URL, a CLI flag or an <input> arrive as strings.
      shape[key] = z.coerce.number().pipe(number).default(spec.default);
      fields.push({ key, label: spec.label, kind: 'int', min: spec.min, max: spec.max, step: spec.step ?? 1 });
    } else {
      shape[key] = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean()).default(spec.default);
      fields.push({ key, label: spec.label, kind: 'bool' });
    }
  }
  return { schema: z.object(shape).strict() as unknown as z.ZodType<Output<S>>, fields };
}

/** Labels shared by several experiments. */
export const labels = {
  seed: { ko: '난수 시드', en: 'Random seed' },
  heads: { ko: '헤드 수', en: 'Heads' },
  headDim: { ko: '헤드 차원 d', en: 'Head dimension d' },
  causal: { ko: '인과 마스크', en: 'Causal mask' },
  repeats: { ko: '반복 횟수', en: 'Repeats' },
  layers: { ko: '레이어 수', en: 'Layers' },
  modelDim: { ko: '모델 차원', en: 'Model dimension' },
  tokens: { ko: '생성 토큰 수', en: 'Tokens to generate' },
  promptTokens: { ko: '프롬프트 길이', en: 'Prompt length' },
} satisfies Record<string, Localized>;
