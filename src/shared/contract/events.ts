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

/** An experiment run ended (done, failed or cancelled); the UI then loads it with experiments.get. */
export const RunFinished = z.object({
  runId: z.number().int(),
  experimentId: z.string(),
  status: z.enum(['done', 'failed', 'cancelled']),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type RunFinished = z.infer<typeof RunFinished>;

/**
 * A command from the app menu (Electron) that the UI carries out, e.g. File › Import…;
 * `open-file`: the operating system opened deck files with ProofDeck; the UI takes them with
 * `decks.openedFiles` and shows the import preview.
 */
export const MenuCommand = z.object({ command: z.enum(['import', 'undo', 'redo', 'open-file']) });
export type MenuCommand = z.infer<typeof MenuCommand>;

/** Events the host pushes to the UI. Every transport carries them the same way. */
export const eventSchemas = {
  progress: Progress,
  'run-finished': RunFinished,
  menu: MenuCommand,
};
export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;
