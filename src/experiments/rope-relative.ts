import { referenceRotaryScores } from '../engine/reference/rotary';
import { SeededRandom } from '../engine/reference/random';
import { rotaryTables } from '../engine/transformer/DecoderWeights';
import { rotaryScores, type RotaryScoresResult } from '../engine/transformer/rotary-scores';
import { ropeRelativeMeta, type RopeRelativeParams } from './rope-relative.meta';
import { both, finish, guarded, joinContext, num, softwareGpuContext, throwIfAborted } from './support';
import type { Experiment, Localized, Series } from './types';
import { judge, measured, type Check } from './verdict';

/**
 * Scores that agree to float32 rounding: the largest difference is at most this fraction of the
 * largest score (a dot product of headDim float32 terms, each rotated by float32 tables).
 */
export const SHIFT_TOLERANCE = 1e-5;
const ROPE_BASE = 10000;

const ROPE = both('RoPE(회전)', 'RoPE (rotation)');
const ABSOLUTE = both('학습된 절대 위치 임베딩(위치마다 벡터를 더함)', 'learned absolute position embeddings (a vector added per position)');

/** One arm's scores on the block at positions 0… and on the same rows at positions shift…, and float64's. */
interface ArmScores {
  label: Localized;
  base: RotaryScoresResult;
  shifted: RotaryScoresResult;
  /** Float64 scores of the two blocks, computed from the same inputs. */
  referenceBase: Float64Array;
  referenceShifted: Float64Array;
}

function largest(values: ArrayLike<number>): number {
  let max = 0;
  for (let index = 0; index < values.length; index++) max = Math.max(max, Math.abs(values[index]));
  return max;
}

function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let index = 0; index < a.length; index++) max = Math.max(max, Math.abs(a[index] - b[index]));
  return max;
}

/** The claim's test on one arm: scores unchanged by the shift (to rounding), and the device's scores are float64's. */
function claimTest(arm: ArmScores, shift: number): Check[] {
  const scale = largest(arm.base.scores);
  const shiftDifference = largestDifference(arm.base.scores, arm.shifted.scores) / scale;
  const deviceError = Math.max(largestDifference(arm.base.scores, arm.referenceBase), largestDifference(arm.shifted.scores, arm.referenceShifted)) / scale;
  const invariant = shiftDifference <= SHIFT_TOLERANCE;
  return [
    {
      id: 'shift-invariant',
      claim: both(`${arm.label.ko}: 모든 위치를 ${shift}만큼 옮겨도 점수가 반올림 안에서 같다`, `${arm.label.en}: shifting every position by ${shift} leaves every score equal to rounding`),
      outcome: invariant ? 'holds' : 'does-not-hold',
      observed: both(
        `${arm.label.ko}: 옮기기 전후 점수의 최대 차이가 가장 큰 점수의 ${num(shiftDifference)}배(허용 ${num(SHIFT_TOLERANCE)}).`,
        `${arm.label.en}: the largest change of a score under the shift is ${num(shiftDifference)} of the largest score (tolerance ${num(SHIFT_TOLERANCE)}).`,
      ),
      evidence: [
        measured('shift-invariant.difference', both('옮긴 뒤 점수의 최대 차이 ÷ 가장 큰 점수', 'Largest change under the shift ÷ largest score'), shiftDifference, ''),
        measured('shift-invariant.largestScore', both('가장 큰 |점수|', 'Largest |score|'), scale, '', false),
      ],
    },
    {
      id: 'exact',
      claim: both(`${arm.label.ko}: 장치가 계산한 점수가 float64 결과와 반올림 안에서 같다`, `${arm.label.en}: the scores the device computed are float64's to rounding`),
      outcome: deviceError <= SHIFT_TOLERANCE ? 'holds' : 'does-not-hold',
      observed: both(
        `${arm.label.ko}: 장치의 점수와 float64 점수의 최대 차이가 가장 큰 점수의 ${num(deviceError)}배.`,
        `${arm.label.en}: the device's scores differ from float64's by at most ${num(deviceError)} of the largest score.`,
      ),
      evidence: [measured('exact.difference', both('float64 대비 최대 차이 ÷ 가장 큰 점수', 'Largest difference from float64 ÷ largest score'), deviceError, '')],
    },
  ];
}

/**
 * Scores a block of seeded q|k|v rows at positions 0 … positions − 1 and the same rows at
 * shift … shift + positions − 1, rotated by the decoder's rotary kernel (RoPE) or, for the control,
 * with a seeded vector per position added to q and k and no rotation (the same kernel with
 * identity tables); each block is also scored in float64.
 */
export const ropeRelative: Experiment<RopeRelativeParams> = {
  ...ropeRelativeMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const { positions: rows, shift, heads, headDim } = params;
    const width = 3 * heads * headDim;
    const random = new SeededRandom(params.seed);
    const content = Float32Array.from({ length: rows * width }, () => random.nextNormal());
    const lastPosition = shift + rows;
    const tables = rotaryTables({ headDim, maxPositions: lastPosition, ropeBase: ROPE_BASE });
    const identity = { cos: new Float32Array(tables.cos.length).fill(1), sin: new Float32Array(tables.sin.length) };
    // Learned absolute embeddings: a seeded vector per position for the queries and the keys (drawn
    // from the position's own stream, so only the positions used need drawing).
    const withEmbeddings = (start: number) => {
      const rowsOut = Float32Array.from(content);
      for (let row = 0; row < rows; row++) {
        const embedding = new SeededRandom(params.seed * 7 + 1 + (start + row) * 2);
        for (let index = 0; index < 2 * heads * headDim; index++) rowsOut[row * width + index] = Math.fround(rowsOut[row * width + index] + embedding.nextNormal());
      }
      return rowsOut;
    };
    const arms: ArmScores[] = [];
    const steps = 4;
    let done = 0;
    for (const rotate of [true, false]) {
      const blocks: { result: RotaryScoresResult; reference: Float64Array }[] = [];
      for (const start of [0, shift]) {
        throwIfAborted(signal);
        progress(done++ / steps, `${rotate ? 'RoPE' : 'absolute embeddings'}: positions ${start}…${start + rows - 1}`);
        const qkv = rotate ? content : withEmbeddings(start);
        const result = await guarded(signal, () => rotaryScores(engine, { heads, headDim, qkv, rows, start, ...(rotate ? tables : identity) }));
        blocks.push({ result, reference: referenceRotaryScores(qkv, rows, heads, headDim, start, rotate, ROPE_BASE) });
      }
      arms.push({ label: rotate ? ROPE : ABSOLUTE, base: blocks[0].result, shifted: blocks[1].result, referenceBase: blocks[0].reference, referenceShifted: blocks[1].reference });
    }
    progress(1, 'done');
    const [rope, absolute] = arms;
    const shiftChange = (arm: ArmScores) => largestDifference(arm.base.scores, arm.shifted.scores) / largest(arm.base.scores);
    const { verdict, control } = judge({
      checks: claimTest(rope, shift),
      control: {
        description: both(
          '대조군: 학습된 절대 위치 임베딩 — 위치마다 난수 벡터를 q와 k에 더하고 회전하지 않음(같은 커널에 항등 표)',
          'Control: learned absolute position embeddings — a seeded vector per position added to q and k, no rotation (the same kernel with identity tables)',
        ),
        checks: claimTest(absolute, shift),
      },
      summary: both(
        `측정(헤드 ${heads}개, 헤드 차원 ${headDim}, 위치 ${rows}개 블록을 0과 ${shift}에서): 모든 위치를 ${shift}만큼 옮기자 점수가 RoPE에서는 가장 큰 점수의 ${num(shiftChange(rope))}배만큼, 절대 위치 임베딩에서는 ${num(shiftChange(absolute))}배만큼 바뀌었습니다.`,
        `Measured (${heads} heads of dimension ${headDim}, a block of ${rows} positions at 0 and at ${shift}): shifting every position by ${shift} changed the scores by at most ${num(shiftChange(rope))} of the largest score with RoPE and ${num(shiftChange(absolute))} with absolute position embeddings.`,
      ),
      meaning: {
        holds: both(
          '카드의 답이 이 기기에서 확인되었습니다: RoPE에서는 회전이 두 위치의 차이만 남기므로 같은 문장을 어디에 두어도 어텐션 점수가 같습니다(차이는 float32 반올림뿐). 위치마다 벡터를 더하는 방식은 위치 자체에 따라 점수가 바뀝니다.',
          "The card's answer is confirmed on this device: with RoPE the rotations leave only the difference of the two positions, so the same tokens score the same wherever they sit (what is left is float32 rounding). Adding a vector per position makes the scores depend on the positions themselves.",
        ),
        'does-not-hold': both('이 실행에서 측정된 수치가 주장과 어긋납니다. 아래 항목에서 어느 부분인지 확인하세요.', 'A number measured in this run contradicts the claim: see which check below.'),
        'not-shown': both('이 실행에서는 대조군이 실패하지 않아 주장을 보여 주지 못했습니다.', 'In this run the control did not fail, so the claim is not shown.'),
      },
    });
    // Largest change per distance m − n, and one query row's scores by distance, for the charts (head 0).
    const distances = Array.from({ length: 2 * rows - 1 }, (_, i) => i - (rows - 1));
    const perDistance = (arm: ArmScores) =>
      distances.map((distance) => {
        let max = 0;
        for (let head = 0; head < heads; head++) {
          for (let m = Math.max(0, distance); m < Math.min(rows, rows + distance); m++) {
            const index = (head * rows + m) * rows + (m - distance);
            max = Math.max(max, Math.abs(arm.base.scores[index] - arm.shifted.scores[index]));
          }
        }
        return max / largest(arm.base.scores);
      });
    const query = rows - 1;
    const row = (scores: Float32Array) => Array.from({ length: rows }, (_, n) => scores[query * rows + n]);
    const keyDistance = Array.from({ length: rows }, (_, n) => n - query);
    const series: Series[] = [
      { id: 'rope-change', label: both('RoPE', 'RoPE'), x: distances, y: perDistance(rope) },
      { id: 'absolute-change', label: both('절대 위치 임베딩', 'Absolute embeddings'), x: distances, y: perDistance(absolute) },
      { id: 'tolerance', label: both(`허용 ${num(SHIFT_TOLERANCE)}`, `Tolerance ${num(SHIFT_TOLERANCE)}`), x: [distances[0], distances[distances.length - 1]], y: [SHIFT_TOLERANCE, SHIFT_TOLERANCE] },
      { id: 'rope-base', label: both('RoPE, 위치 0…', 'RoPE, positions 0…'), x: keyDistance, y: row(rope.base.scores) },
      { id: 'rope-shifted', label: both(`RoPE, 위치 ${shift}…`, `RoPE, positions ${shift}…`), x: keyDistance, y: row(rope.shifted.scores) },
      { id: 'absolute-base', label: both('절대, 위치 0…', 'Absolute, positions 0…'), x: keyDistance, y: row(absolute.base.scores) },
      { id: 'absolute-shifted', label: both(`절대, 위치 ${shift}…`, `Absolute, positions ${shift}…`), x: keyDistance, y: row(absolute.shifted.scores) },
    ];
    const tableRow = (arm: ArmScores) => [arm.label.en, largest(arm.base.scores), shiftChange(arm), (Math.max(largestDifference(arm.base.scores, arm.referenceBase), largestDifference(arm.shifted.scores, arm.referenceShifted)) / largest(arm.base.scores))];
    return finish(
      {
        experimentId: ropeRelativeMeta.id,
        params,
        device: engine.info,
        metrics: {
          ropeShiftChange: shiftChange(rope),
          absoluteShiftChange: shiftChange(absolute),
          ropeLargestScore: largest(rope.base.scores),
          tolerance: SHIFT_TOLERANCE,
          pairsCompared: heads * rows * rows,
        },
        table: {
          columns: [both('위치 표현', 'Positions'), both('가장 큰 |점수|', 'Largest |score|'), both('옮긴 뒤 최대 변화 ÷ 가장 큰 점수', 'Largest change under the shift ÷ largest score'), both('float64 대비 최대 차이 ÷ 가장 큰 점수', 'Largest difference from float64 ÷ largest score')],
          rows: [tableRow(rope), tableRow(absolute)],
        },
        series,
        charts: [
          {
            id: 'shift-change',
            title: both(`${shift}만큼 옮겼을 때 점수의 변화`, `Score change under a shift of ${shift}`),
            xLabel: both('거리 m − n', 'Distance m − n'),
            yLabel: both('변화 ÷ 가장 큰 점수 (로그)', 'Change ÷ largest score (log)'),
            yLog: true,
            series: ['rope-change', 'absolute-change', 'tolerance'],
          },
          {
            id: 'one-query',
            title: both(`마지막 쿼리의 점수: 0…과 ${shift}…`, `Last query's scores at 0… and ${shift}…`),
            xLabel: both('키까지의 거리 n − m', 'Distance to the key n − m'),
            yLabel: both('점수 q·k', 'Score q·k'),
            series: ['rope-base', 'rope-shifted', 'absolute-base', 'absolute-shifted'],
          },
        ],
        verdict,
        control,
        context: joinContext(
          both(
            `같은 난수 q·k 행(토큰의 내용)을 위치 0…${rows - 1}과 ${shift}…${shift + rows - 1}에 두고, 디코더가 쓰는 회전 커널(rotary.wgsl)로 회전한 뒤 장치에서 모든 쌍의 점수를 계산했습니다. 회전 표는 float64로 계산해 float32로 한 번 반올림하므로 큰 위치에서도 각도 오차가 커지지 않습니다. 대조군은 GPT-2·BERT처럼 위치마다 학습된(여기서는 난수) 벡터를 더합니다.`,
            `The same seeded q·k rows (the tokens' content) were placed at positions 0…${rows - 1} and ${shift}…${shift + rows - 1}, rotated by the decoder's own rotary kernel (rotary.wgsl) and scored pair by pair on the device. The rotation tables are computed in float64 and rounded once to float32, so the angle error does not grow with the position. The control adds a learned (here seeded) vector per position, as GPT-2 and BERT do.`,
          ),
          engine.info.isFallback ? softwareGpuContext : undefined,
        ),
      },
      startedAt,
    );
  },
};
