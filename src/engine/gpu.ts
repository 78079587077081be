import { AppError } from '../shared/errors';
import type { DeviceInfo, EngineContext } from './device-info';

/** What went wrong with a device after it was acquired; recorded in one place per device. */
interface DeviceHealth {
  lostReason: string | null;
  errors: string[];
}

const healthByDevice = new WeakMap<GPUDevice, DeviceHealth>();

/**
 * Keeps each device's GPU object alive as long as the device: on Dawn for Node, a collected GPU
 * object breaks event processing for its devices and SwiftShader aborts at a later wait (futex /
 * mutex-owner errors, measured within 40 waits; none in 300 with the reference held).
 */
const instanceByDevice = new WeakMap<GPUDevice, GPU>();

/** Limits the engine raises to whatever the adapter offers (WebGPU's defaults are far lower). */
const raisedLimits = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  // The paged KV-cache binds its slabs to the attention kernels: more bindings, finer growth.
  'maxStorageBuffersPerShaderStage',
] as const;

const softwareAdapterNames = /swiftshader|llvmpipe|lavapipe|software|basic render/i;

export interface AcquireOptions {
  powerPreference?: GPUPowerPreference;
  /** 'adapter' (default): raise the engine's limits to the adapter's. 'default': WebGPU's defaults (128 MiB bindings), e.g. to test refusals cheaply. */
  limits?: 'adapter' | 'default';
  /** Request 'subgroups' where the adapter offers it (default true); false tests the kernels' plain path. */
  subgroups?: boolean;
}

/**
 * Acquires an adapter and a device with the engine's limits raised to the adapter's, and
 * `timestamp-query` when offered. A missing adapter is an expected result: it throws
 * `AppError('gpu-unavailable')` with the reason, never crashes.
 */
export async function acquireEngine(gpu: GPU | undefined, options: AcquireOptions = {}): Promise<EngineContext> {
  if (!gpu) throw new AppError('gpu-unavailable', 'WebGPU is not available in this environment', { reason: 'no navigator.gpu' });
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  } catch (error) {
    throw new AppError('gpu-unavailable', `requestAdapter failed: ${String(error)}`, { reason: String(error) });
  }
  if (!adapter) throw new AppError('gpu-unavailable', 'No WebGPU adapter was found', { reason: 'requestAdapter returned null' });

  const requiredLimits: Record<string, number> = {};
  if (options.limits !== 'default') for (const name of raisedLimits) requiredLimits[name] = adapter.limits[name];
  const timestampQuery = adapter.features.has('timestamp-query');
  const subgroups = options.subgroups !== false && adapter.features.has('subgroups');
  const requiredFeatures = [...(timestampQuery ? ['timestamp-query'] : []), ...(subgroups ? ['subgroups'] : [])] as GPUFeatureName[];

  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ label: 'ProofDeck.engine', requiredLimits, requiredFeatures });
  } catch (error) {
    throw new AppError('gpu-unavailable', `requestDevice failed: ${String(error)}`, { reason: String(error) });
  }
  instanceByDevice.set(device, gpu);
  watchDevice(device);
  return { device, info: describeDevice(adapter, device, timestampQuery) };
}

/** The DeviceInfo that goes with every result: adapter name, software fallback or not, features, limits. */
export function describeDevice(adapter: GPUAdapter, device: GPUDevice, timestampQuery: boolean): DeviceInfo {
  const info = adapter.info;
  const name = info.description || info.device || `${info.vendor} ${info.architecture}`.trim() || 'unknown adapter';
  const flagged = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true
    || (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const isFallback = flagged || softwareAdapterNames.test(`${name} ${info.vendor} ${info.architecture} ${info.device}`);
  return {
    name,
    vendor: info.vendor,
    architecture: info.architecture,
    isFallback,
    backend: 'webgpu',
    timestampQuery,
    subgroups: device.features.has('subgroups'),
    limits: {
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxBufferSize: device.limits.maxBufferSize,
      maxComputeWorkgroupStorageSize: device.limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: device.limits.maxComputeInvocationsPerWorkgroup,
    },
  };
}

/**
 * The one place where `device.lost` and `uncapturederror` are handled: both are recorded, and
 * `assertDeviceHealthy` turns them into an `AppError('gpu-lost')` at the next engine call. Safe to
 * call more than once for a device.
 */
export function watchDevice(device: GPUDevice): void {
  if (healthByDevice.has(device)) return;
  const health: DeviceHealth = { lostReason: null, errors: [] };
  healthByDevice.set(device, health);
  void device.lost.then((info) => {
    health.lostReason = `${info.reason}: ${info.message}`;
  });
  device.addEventListener('uncapturederror', (event) => {
    const message = (event as GPUUncapturedErrorEvent).error.message;
    // Keep the first few: one broken kernel tends to repeat the same error on every dispatch.
    if (health.errors.length < 8) health.errors.push(message);
  });
}

/** Throws `AppError('gpu-lost')` when the device was lost or reported an uncaptured error. */
export function assertDeviceHealthy(device: GPUDevice): void {
  const health = healthByDevice.get(device);
  if (!health) return;
  if (health.lostReason !== null) throw new AppError('gpu-lost', `The GPU device was lost (${health.lostReason})`, { reason: health.lostReason });
  if (health.errors.length > 0) {
    const first = health.errors[0];
    health.errors.length = 0;
    throw new AppError('gpu-lost', `The GPU reported an error: ${first}`, { reason: first });
  }
}
