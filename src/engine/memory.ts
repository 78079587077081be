/**
 * Creates labelled device buffers and keeps count of the bytes they hold, so every run can report
 * the peak device memory its algorithm needed. Buffers are destroyed through the meter so that the
 * count stays true.
 */
export class MemoryMeter {
  private readonly sizes = new Map<GPUBuffer, number>();
  private current = 0;
  private peak = 0;

  constructor(readonly device: GPUDevice) {}

  /** Bytes held now by buffers this meter created and has not destroyed. */
  get allocatedBytes(): number {
    return this.current;
  }

  /** The most bytes held at once since creation or the last `resetPeak`. */
  get peakBytes(): number {
    return this.peak;
  }

  /** Starts a new peak measurement from what is allocated now. */
  resetPeak(): void {
    this.peak = this.current;
  }

  /** A zero-filled buffer; `bytes` is rounded up to 4 and at least 4 (WebGPU rejects empty bindings). */
  createBuffer(label: string, bytes: number, usage: GPUBufferUsageFlags = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST): GPUBuffer {
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    const buffer = this.device.createBuffer({ label, size, usage });
    this.sizes.set(buffer, size);
    this.current += size;
    this.peak = Math.max(this.peak, this.current);
    return buffer;
  }

  /** A storage buffer holding `data`. */
  upload(label: string, data: Float32Array | Uint32Array, usage: GPUBufferUsageFlags = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST): GPUBuffer {
    const buffer = this.createBuffer(label, data.byteLength, usage | GPUBufferUsage.COPY_DST);
    if (data.byteLength > 0) this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return buffer;
  }

  destroy(buffer: GPUBuffer | undefined): void {
    if (!buffer) return;
    const size = this.sizes.get(buffer);
    if (size === undefined) return;
    this.sizes.delete(buffer);
    this.current -= size;
    buffer.destroy();
  }

  destroyAll(): void {
    for (const buffer of [...this.sizes.keys()]) this.destroy(buffer);
  }
}
