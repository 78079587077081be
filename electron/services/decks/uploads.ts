import { maxImportBytes } from '../../../src/shared/contract';
import { invalid, tooLarge } from './types';

interface Upload {
  buffer: Uint8Array;
  received: number;
  touched: number;
}

const MAX_UPLOADS = 4;
const EXPIRE_MS = 30 * 60 * 1000;

/**
 * Files being uploaded for import, chunk by chunk, in memory. Bounded: at most four at a time,
 * each at most `maxImportBytes`, dropped after half an hour without a chunk.
 */
export class UploadStore {
  private uploads = new Map<string, Upload>();

  constructor(private now: () => number = Date.now) {}

  put(uploadId: string, offset: number, total: number, base64: string): number {
    if (total > maxImportBytes) {
      const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
      throw tooLarge(`the file is ${total} bytes`, { sizeMiB: mib(total), limitMiB: mib(maxImportBytes) }, 'file-too-large');
    }
    this.expire();
    let upload = this.uploads.get(uploadId);
    if (offset === 0 || !upload || upload.buffer.length !== total) {
      if (offset !== 0) throw invalid('upload', 'the upload was interrupted; please try again');
      if (!this.uploads.has(uploadId) && this.uploads.size >= MAX_UPLOADS) {
        const oldest = [...this.uploads.entries()].sort((a, b) => a[1].touched - b[1].touched)[0];
        this.uploads.delete(oldest[0]);
      }
      upload = { buffer: new Uint8Array(total), received: 0, touched: this.now() };
      this.uploads.set(uploadId, upload);
    }
    if (offset !== upload.received) throw invalid('upload', `chunk at ${offset} arrived out of order (expected ${upload.received})`);
    const chunk = Buffer.from(base64, 'base64');
    if (offset + chunk.length > total) throw invalid('upload', 'the upload is larger than announced');
    upload.buffer.set(chunk, offset);
    upload.received += chunk.length;
    upload.touched = this.now();
    return upload.received;
  }

  /** The complete file; throws when chunks are missing. */
  get(uploadId: string): Uint8Array {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw invalid('upload', 'the uploaded file is gone (expired or never sent); please choose it again');
    if (upload.received !== upload.buffer.length) throw invalid('upload', 'the upload is incomplete; please try again');
    upload.touched = this.now();
    return upload.buffer;
  }

  delete(uploadId: string): void {
    this.uploads.delete(uploadId);
  }

  private expire(): void {
    const now = this.now();
    for (const [id, upload] of this.uploads) if (now - upload.touched > EXPIRE_MS) this.uploads.delete(id);
  }
}
