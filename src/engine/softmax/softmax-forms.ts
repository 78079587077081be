import type { EngineContext } from '../device-info';
import { captureDeviceErrors, MemoryMeter } from '../memory';
import { computePipeline, uniformBuffer } from '../pipelines';
import { readFloat32 } from '../readback';
import { timeGpu, type GpuTiming, type TimingOptions } from '../timing';
import { softmaxFormsWgsl } from './softmax-forms.wgsl';

/** The three forms of softmax-forms.wgsl.ts (their entry points). */
export type SoftmaxForm = 'naive' | 'safe' | 'online';

/** Word offsets of WGSL `struct Params` in softmax-forms.wgsl.ts. */
const SoftmaxFormsParamsLayout = { rows: 0, length: 1, words: 4 } as const;

const WORKGROUP = 64;

export interface SoftmaxFormResult {
  form: SoftmaxForm;
  /** [rows][length] probabilities as the device wrote them (inf and NaN included). */
  probabilities: Float32Array;
  /** Logits each row's workgroup loaded before normalising, counted by the kernel itself. */
  loadsPerRow: number[];
  timing: GpuTiming | null;
}

/**
 * Runs one softmax form over `rows` rows of `length` logits on the device and reads back its
 * probabilities and its own count of loads per row; `timing` also times it (warm-up, ≥ 5 repeats).
 */
export async function runSoftmaxForm(
  engine: EngineContext,
  form: SoftmaxForm,
  logits: Float32Array,
  shape: { rows: number; length: number },
  options: { timing?: TimingOptions } = {},
): Promise<SoftmaxFormResult> {
  const { rows, length } = shape;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(length) || length < 1 || logits.length !== rows * length) {
    throw new Error(`runSoftmaxForm: ${logits.length} logits are not ${rows} rows of ${length}`);
  }
  if (rows > engine.device.limits.maxComputeWorkgroupsPerDimension) throw new Error(`runSoftmaxForm: ${rows} rows need more workgroups than one dimension holds`);
  const { device } = engine;
  const meter = new MemoryMeter(device);
  try {
    const pipeline = computePipeline(device, `SoftmaxForms.${form}`, softmaxFormsWgsl, { WORKGROUP }, form);
    const words = new Uint32Array(SoftmaxFormsParamsLayout.words);
    words[SoftmaxFormsParamsLayout.rows] = rows;
    words[SoftmaxFormsParamsLayout.length] = length;
    const params = uniformBuffer(device, 'SoftmaxForms.params', words.buffer);
    const input = meter.upload('SoftmaxForms.logits', logits);
    const output = meter.createBuffer('SoftmaxForms.probabilities', rows * length * 4);
    const loads = meter.createBuffer('SoftmaxForms.loads', rows * 4);
    try {
      const { value: bindGroup, refusal } = await captureDeviceErrors(device, `SoftmaxForms.${form} bindings`, () =>
        device.createBindGroup({
          label: `SoftmaxForms.${form}.bindGroup`,
          layout: pipeline.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: { buffer: params } }, // params
            { binding: 1, resource: { buffer: input } }, // logits
            { binding: 2, resource: { buffer: output } }, // probabilities
            { binding: 3, resource: { buffer: loads } }, // loads
          ],
        }),
      );
      if (refusal || !bindGroup) throw new Error(`runSoftmaxForm: the device refused ${refusal?.attempted}: ${refusal?.message}`);
      const encode = (encoder: GPUCommandEncoder) => {
        encoder.clearBuffer(loads);
        const pass = encoder.beginComputePass({ label: `SoftmaxForms.${form}` });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(rows);
        pass.end();
      };
      const timing = options.timing ? await timeGpu(engine, encode, options.timing) : null;
      const encoder = device.createCommandEncoder({ label: `SoftmaxForms.${form}.run` });
      encode(encoder);
      device.queue.submit([encoder.finish()]);
      const probabilities = await readFloat32(engine, output);
      const counted = new Uint32Array((await readFloat32(engine, loads)).buffer);
      return { form, probabilities, loadsPerRow: [...counted], timing };
    } finally {
      params.destroy();
    }
  } finally {
    meter.destroyAll();
  }
}
