import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README's file-name rule, checked over every tracked source file: kebab-case, except a
 * file named for its one export (a PascalCase component or class, a camelCase `use…` hook) and
 * the numbered migrations (`006_undo.ts`).
 */
const kebab = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const pascal = /^[A-Z][A-Za-z0-9]*$/;
const hook = /^use[A-Z][A-Za-z0-9]*$/;
const migration = /^\d{3}_[a-z0-9]+(_[a-z0-9]+)*$/;

function sourceFiles(): string[] {
  return execFileSync('git', ['ls-files', '*.ts', '*.tsx', '*.mjs', '*.js'], { encoding: 'utf8' })
    .split('\n')
    .filter((path) => path !== '' && !path.startsWith('node_modules/'));
}

/** What is wrong with a file's name, or null when it follows the rule. */
function nameProblem(path: string): string | null {
  const [stem, ...qualifiers] = basename(path).split('.').slice(0, -1);
  const bad = qualifiers.find((part) => !kebab.test(part));
  if (bad !== undefined) return `qualifier "${bad}" is not kebab-case`;
  if (kebab.test(stem)) return null;
  if (path.includes('/migrations/') && migration.test(stem)) return null;
  if (hook.test(stem) || pascal.test(stem)) {
    const source = readFileSync(path, 'utf8');
    const exported = new RegExp(`export (default )?(abstract )?(class|function|const|interface|type) ${stem}\\b`);
    return exported.test(source) ? null : `named ${stem} but exports nothing of that name`;
  }
  return 'not kebab-case';
}

describe('file names', () => {
  it('follow the README rule in every tracked source file', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(300);
    const problems = files.map((path) => [path, nameProblem(path)] as const).filter(([, problem]) => problem !== null);
    expect(problems).toEqual([]);
  });

  it('catch a camelCase function module', () => {
    expect(nameProblem('src/engine/attention/runAttention.ts')).toBe('not kebab-case');
  });
});
