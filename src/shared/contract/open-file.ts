import { z } from 'zod';
import { method } from './define';

/**
 * A deck file the operating system handed to ProofDeck (double-click, "Open with", a drop on the
 * dock icon, `npm run web -- --open FILE`). The host read and uploaded it; the UI knows it only by
 * upload id and name. When it could not be read, `error` says why and nothing was uploaded.
 */
export const OpenedFile = z.object({
  fileName: z.string(),
  uploadId: z.string().nullable(),
  error: z
    .object({ code: z.string(), message: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() })
    .nullable(),
});
export type OpenedFile = z.infer<typeof OpenedFile>;

export const openFileContract = {
  /**
   * Takes the files opened from the operating system since the last call (each is returned once).
   * The UI asks when it starts and whenever the `menu` event says `open-file`, so a file opened
   * before the window was listening is not lost. Works without a database.
   */
  'decks.openedFiles': method(z.object({}).strict(), z.array(OpenedFile)),
};
