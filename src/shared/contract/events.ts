import { z } from 'zod';

/** Progress of long work (an experiment run, an import), pushed from the host to the UI. */
export const Progress = z.object({
  /** Which job: an experiment run id or an import id. */
  jobId: z.string(),
  /** 0..1 */
  fraction: z.number().min(0).max(1),
  message: z.string(),
});
export type Progress = z.infer<typeof Progress>;

/** Events the host pushes to the UI. Every transport carries them the same way. */
export const eventSchemas = {
  progress: Progress,
};
export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;
