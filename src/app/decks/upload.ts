import { uploadChunkBytes, type Api } from '../../shared/contract';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

export function newUploadId(): string {
  return `up-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Sends a file to the services in 1 MiB chunks, in order, reporting the fraction sent. The same
 * path serves Electron (IPC) and the browser host (HTTP); nothing here knows which.
 */
export async function uploadFile(api: Api, uploadId: string, file: Blob, onProgress: (fraction: number) => void): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  onProgress(0);
  for (let offset = 0; offset < bytes.length || offset === 0; offset += uploadChunkBytes) {
    const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + uploadChunkBytes));
    await api['decks.upload']({ uploadId, offset, total: Math.max(1, bytes.length), data: toBase64(chunk) });
    onProgress(Math.min(1, (offset + chunk.length) / Math.max(1, bytes.length)));
    if (bytes.length === 0) break;
  }
}

/** Saves bytes the services produced as a download (works in Electron and in a browser). */
export function saveDownload(fileName: string, mime: string, base64: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
