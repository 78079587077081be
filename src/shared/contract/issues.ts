import type { z } from 'zod';

/**
 * The one wording of a validation failure: `path: message` for each issue (the first five),
 * joined by `; `. `prefix` goes before each path (`--` names a command-line flag); `root` stands
 * for an issue about the whole value.
 */
export function describeIssues(error: z.ZodError, options: { prefix?: string; root?: string; limit?: number } = {}): string {
  return error.issues
    .slice(0, options.limit ?? 5)
    .map((issue) => `${options.prefix ?? ''}${issue.path.length ? issue.path.join('.') : (options.root ?? '(args)')}: ${issue.message}`)
    .join('; ');
}
