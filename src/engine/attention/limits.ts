import { AppError } from '../../shared/errors';
import type { DeviceInfo } from '../device-info';
import type { AttentionShape } from './shape';

/** Bytes of one batchHeads × n × n float32 matrix (S or P of the standard attention). */
export function squareMatrixBytes(shape: AttentionShape): number {
  return shape.batchHeads * shape.n * shape.n * 4;
}

/** Bytes of one batchHeads × n × d float32 tensor (Q, K, V, O and their gradients). */
export function tensorBytes(shape: AttentionShape): number {
  return shape.batchHeads * shape.n * shape.d * 4;
}

/**
 * Refuses, before anything is allocated, a buffer of `bytes` that the device cannot hold or bind:
 * `AppError('gpu-limit')` naming the limit, its value and the bytes needed (params {needed, limit}).
 */
export function assertBufferFits(info: DeviceInfo, what: string, bytes: number): void {
  const { maxStorageBufferBindingSize, maxBufferSize } = info.limits;
  const [name, limit] = maxStorageBufferBindingSize <= maxBufferSize ? ['maxStorageBufferBindingSize', maxStorageBufferBindingSize] as const : ['maxBufferSize', maxBufferSize] as const;
  if (bytes > limit) {
    throw new AppError('gpu-limit', `${what} needs a buffer of ${bytes} bytes (${formatBytes(bytes)}), but the device's ${name} is ${limit} bytes (${formatBytes(limit)})`, {
      needed: bytes,
      limit,
      limitName: name,
    });
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(2)} MiB`;
  return `${(bytes / 1024).toFixed(2)} KiB`;
}
