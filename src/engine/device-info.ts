/** What every result says about the device it ran on. */
export interface DeviceInfo {
  /** Human-readable adapter name ('SwiftShader Device (Subzero)', 'NVIDIA H100 …'). */
  name: string;
  vendor: string;
  architecture: string;
  /** True for a software rasterizer / CPU adapter: timings are not a GPU's. */
  isFallback: boolean;
  /** 'webgpu' or 'cpu-reference' (the float64 reference run in place of a GPU). */
  backend: 'webgpu' | 'cpu-reference';
  timestampQuery: boolean;
  /** The device was created with WGSL subgroup operations ('subgroups'); absent means no. */
  subgroups?: boolean;
  limits: {
    maxStorageBufferBindingSize: number;
    maxBufferSize: number;
    maxComputeWorkgroupStorageSize: number;
    maxComputeInvocationsPerWorkgroup: number;
  };
}

/**
 * What the engine is given by its caller (the hidden renderer, Chromium, Node on Dawn). The engine
 * never touches `navigator`, `document`, `window`, `electron` or `node:*`.
 */
export interface EngineContext {
  device: GPUDevice;
  info: DeviceInfo;
}
