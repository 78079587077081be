import type { EngineContext } from '../device-info';
import { computePipeline } from '../pipelines';

/**
 * One compiled entry point and one bind group: most of the decoder's buffers never change after
 * creation, so each pass binds them once and only the dispatch size varies. Kernels that read the
 * paged KV-cache are bound again (`bind`) when the cache gains a slab.
 */
export class ComputeKernel {
  private readonly pipeline: GPUComputePipeline;
  private bindGroup: GPUBindGroup | null = null;

  /**
   * `bindings` maps binding index → buffer (undefined: a binding this entry point does not use);
   * callers write the WGSL variable name in a comment beside each entry. Null: bound later.
   */
  constructor(
    private readonly engine: EngineContext,
    readonly label: string,
    code: string,
    constants: Record<string, number>,
    bindings: (GPUBuffer | undefined)[] | null,
    entryPoint = 'main',
  ) {
    this.pipeline = computePipeline(engine.device, label, code, constants, entryPoint);
    if (bindings) this.bind(bindings);
  }

  /** Replaces the bind group (same layout, other buffers). */
  bind(bindings: (GPUBuffer | undefined)[]): void {
    this.bindGroup = this.engine.device.createBindGroup({
      label: `${this.label}.bindGroup`,
      layout: this.pipeline.getBindGroupLayout(0),
      entries: bindings.flatMap((buffer, binding) => (buffer ? [{ binding, resource: { buffer } }] : [])),
    });
  }

  /** Records one dispatch of `x`·`y`·`z` workgroups in its own compute pass. */
  encode(encoder: GPUCommandEncoder, x: number, y = 1, z = 1): void {
    if (x === 0 || y === 0 || z === 0) return;
    if (!this.bindGroup) throw new Error(`${this.label}: encoded before its buffers were bound`);
    const pass = encoder.beginComputePass({ label: this.label });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
  }
}
