/**
 * Creates labelled device buffers and keeps count of the bytes they hold, so every run can report
 * the peak device memory its algorithm needed. Buffers are destroyed through the meter so that the
 * count stays true. (What the DEVICE really accepted is measured by DeviceMemoryTracker below.)
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

/** An error the device reported for work the engine attempted (a refused allocation or binding). */
export interface DeviceRefusal {
  kind: 'validation' | 'out-of-memory' | 'internal';
  /** The device's own message. */
  message: string;
  /** What was attempted ('createBuffer StandardAttention.scores', 'createBindGroup …'). */
  attempted: string;
}

/**
 * Runs `attempt` inside 'validation', 'out-of-memory' and 'internal' error scopes and returns what
 * the device said about it: null when it accepted everything. This is how a refusal is observed
 * rather than predicted: the work is really asked of the device.
 */
export async function captureDeviceErrors<T>(device: GPUDevice, attempted: string, attempt: () => T): Promise<{ value: T | undefined; refusal: DeviceRefusal | null }> {
  // A tracker's own scopes catch its buffers' errors first; those are the earliest refusals.
  const tracker = DeviceMemoryTracker.active(device);
  const trackedBefore = tracker?.allocationCount ?? 0;
  device.pushErrorScope('internal');
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let value: T | undefined;
  let thrown: unknown = null;
  try {
    value = attempt();
  } catch (error) {
    thrown = error;
  }
  const validation = await device.popErrorScope();
  const outOfMemory = await device.popErrorScope();
  const internal = await device.popErrorScope();
  const trackedRefusal = tracker ? await tracker.firstRefusalSince(trackedBefore) : null;
  if (thrown && !validation && !outOfMemory && !internal && !trackedRefusal) throw thrown;
  if (trackedRefusal) return { value, refusal: { ...trackedRefusal, attempted: `${attempted}: ${trackedRefusal.attempted}` } };
  const error = validation ?? outOfMemory ?? internal;
  if (!error) return { value, refusal: null };
  const kind = error === validation ? 'validation' : error === outOfMemory ? 'out-of-memory' : 'internal';
  return { value, refusal: { kind, message: error.message.split('\n')[0], attempted } };
}

interface Allocation {
  label: string;
  size: number;
  /** Settles once the device said whether it accepted the buffer. */
  verdict: Promise<DeviceRefusal | null>;
  refused: DeviceRefusal | null;
}

type TimelineEvent = { allocation: Allocation; delta: 1 | -1 };

/** What a tracker saw over a run. */
export interface MemoryReport {
  /** Most bytes held at once by buffers the device accepted (the peak `torch.cuda.max_memory_allocated` would report). */
  peakBytes: number;
  /** Bytes still held by accepted buffers when the report was taken. */
  liveBytes: number;
  /** Every buffer the run asked for, in order. */
  allocations: { label: string; size: number; refused: DeviceRefusal | null }[];
  refusals: DeviceRefusal[];
}

/**
 * The one wrapper around a device's createBuffer while any tracker is installed: each buffer is
 * created inside its own error scopes (so only what the device accepted counts) and reported to
 * every installed tracker, so trackers nest (a run's and a kernel's) and see the same answer.
 */
class DeviceHub {
  readonly trackers = new Set<DeviceMemoryTracker>();
  private readonly original: GPUDevice['createBuffer'];

  constructor(private readonly device: GPUDevice) {
    this.original = device.createBuffer;
    const original = this.original;
    // An own property shadows the prototype's method for this device only.
    device.createBuffer = (descriptor: GPUBufferDescriptor): GPUBuffer => this.create(descriptor, () => original.call(device, descriptor));
  }

  private create(descriptor: GPUBufferDescriptor, create: () => GPUBuffer): GPUBuffer {
    const device = this.device;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let buffer: GPUBuffer;
    let validation: Promise<GPUError | null>;
    let outOfMemory: Promise<GPUError | null>;
    try {
      buffer = create();
    } finally {
      // Pop both even when creation threw (a RangeError for an impossible mappedAtCreation size).
      validation = device.popErrorScope();
      outOfMemory = device.popErrorScope();
    }
    const label = descriptor.label ?? 'unlabelled';
    const allocation: Allocation = {
      label,
      size: descriptor.size,
      refused: null,
      verdict: Promise.all([validation, outOfMemory]).then(([v, o]) => {
        const error = v ?? o;
        allocation.refused = error ? { kind: v ? 'validation' : 'out-of-memory', message: error.message.split('\n')[0], attempted: `createBuffer ${label}` } : null;
        return allocation.refused;
      }),
    };
    const watchers = [...this.trackers];
    for (const tracker of watchers) tracker.allocated(allocation);
    const destroy = buffer.destroy;
    let destroyed = false;
    buffer.destroy = function trackedDestroy(): undefined {
      if (!destroyed) {
        destroyed = true;
        for (const tracker of watchers) tracker.freed(allocation);
      }
      return destroy.call(buffer);
    };
    return buffer;
  }

  restore(): void {
    delete (this.device as { createBuffer?: unknown }).createBuffer;
    if (this.device.createBuffer !== this.original) this.device.createBuffer = this.original;
  }
}

const hubs = new WeakMap<GPUDevice, DeviceHub>();

/**
 * Records every `createBuffer` made on a device while it is installed (the engine's classes, the
 * GEMM's uniforms, readback staging: everything), each inside error scopes so that only buffers the
 * device really accepted count, and every `destroy`. Peak live bytes are computed from that
 * timeline. Trackers nest; `stop()` ends this one (and restores the device after the last).
 */
export class DeviceMemoryTracker {
  private readonly timeline: TimelineEvent[] = [];
  private readonly allocations: Allocation[] = [];
  private stopped = false;

  private constructor(readonly device: GPUDevice) {}

  /** Starts tracking `device`. */
  static install(device: GPUDevice): DeviceMemoryTracker {
    let hub = hubs.get(device);
    if (!hub) {
      hub = new DeviceHub(device);
      hubs.set(device, hub);
    }
    const tracker = new DeviceMemoryTracker(device);
    hub.trackers.add(tracker);
    return tracker;
  }

  /** The innermost tracker installed on `device`, if any. */
  static active(device: GPUDevice): DeviceMemoryTracker | undefined {
    const trackers = hubs.get(device)?.trackers;
    return trackers ? [...trackers].pop() : undefined;
  }

  /** Runs `work` with a tracker installed, and returns its result with the tracker's report. */
  static async measure<T>(device: GPUDevice, work: (tracker: DeviceMemoryTracker) => Promise<T>): Promise<{ value: T; memory: MemoryReport }> {
    const tracker = DeviceMemoryTracker.install(device);
    try {
      const value = await work(tracker);
      return { value, memory: await tracker.report() };
    } finally {
      tracker.stop();
    }
  }

  /** @internal Called by the device's wrapper for each buffer asked for. */
  allocated(allocation: Allocation): void {
    if (this.stopped) return;
    this.allocations.push(allocation);
    this.timeline.push({ allocation, delta: 1 });
  }

  /** @internal Called when a buffer this tracker saw is destroyed. */
  freed(allocation: Allocation): void {
    this.timeline.push({ allocation, delta: -1 });
  }

  /** Buffers asked for so far. */
  get allocationCount(): number {
    return this.allocations.length;
  }

  /** The first refusal among the buffers asked for from index `from` on, once the device answered. */
  async firstRefusalSince(from: number): Promise<DeviceRefusal | null> {
    const recent = this.allocations.slice(from);
    await Promise.all(recent.map((a) => a.verdict));
    return recent.find((a) => a.refused)?.refused ?? null;
  }

  /** Waits for the device's answer on every buffer so far and returns the refusals. */
  async settle(): Promise<DeviceRefusal[]> {
    await Promise.all(this.allocations.map((a) => a.verdict));
    return this.allocations.flatMap((a) => (a.refused ? [a.refused] : []));
  }

  /** Peak and live bytes of accepted buffers, every allocation and every refusal, so far. */
  async report(): Promise<MemoryReport> {
    const refusals = await this.settle();
    let live = 0;
    let peak = 0;
    for (const event of this.timeline) {
      if (event.allocation.refused) continue;
      live += event.delta * event.allocation.size;
      peak = Math.max(peak, live);
    }
    return {
      peakBytes: peak,
      liveBytes: live,
      allocations: this.allocations.map((a) => ({ label: a.label, size: a.size, refused: a.refused })),
      refusals,
    };
  }

  /** Ends this tracker; after the last one the device's own createBuffer is restored. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const hub = hubs.get(this.device);
    if (!hub) return;
    hub.trackers.delete(this);
    if (hub.trackers.size === 0) {
      hub.restore();
      hubs.delete(this.device);
    }
  }
}
