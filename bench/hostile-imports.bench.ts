/**
 * `npm run bench:hostile [-- --json] [--only TEXT]`: every hostile deck file of the suite
 * (tests/unit/decks/hostile/cases.ts) plus the report's full-size ones, each imported by the CLI
 * (`npm run decks -- import FILE`) in a process of its own, as a user would. Per file: the reason
 * it was refused, the CLI process's peak resident memory (VmHWM: main thread, parser worker and
 * SQLite together), its wall time from spawn to exit (Node and tsx start included; `list` on the
 * same data is the baseline), and whether the collection's file stayed byte-for-byte the same.
 * A file holds when it is refused with one of its expected reasons, the CLI exits 1 with the
 * reason (no crash), nothing changed, peak memory < 1 GiB and the refusal < 20 s. Linux only
 * (reads /proc). Cases that need a parser budget other than the real one are left to the suite.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hostileCases, reportCases, type HostileCase } from '../tests/unit/decks/hostile/cases';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, only: { type: 'string' } } });
const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'pd-bench-hostile-'));
const data = join(work, 'data');
const peakModule = join(work, 'peak.mjs');
// Written at exit by the CLI itself: the kernel's high-water mark of its resident memory.
writeFileSync(peakModule, "import { readFileSync } from 'node:fs';\nprocess.on('exit', () => process.stderr.write(`PEAK_RSS_KB ${readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\\s+(\\d+)/)[1]}\\n`));\n");

const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

function cli(args: string[]): { status: number | null; stdout: string; stderr: string; seconds: number; peakMiB: number } {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', peakModule, 'electron/hosts/decks.ts', ...args, '--data', data], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'en_US.UTF-8' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  const peak = /PEAK_RSS_KB (\d+)/.exec(run.stderr);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, seconds, peakMiB: peak ? Number(peak[1]) / 1024 : NaN };
}

const hashCollection = (): string => {
  const file = join(data, 'proofdeck.sqlite');
  // The CLI closes the database on exit, which folds the WAL back into the file.
  if (existsSync(`${file}-wal`) && readFileSync(`${file}-wal`).length > 0) throw new Error('the WAL was not checkpointed');
  return createHash('sha256').update(readFileSync(file)).digest('hex');
};

const seed = cli(['import', join(repo, '../shared/fixtures/anki/anki-update1.apkg')]);
if (seed.status !== 0) throw new Error(`seeding failed: ${seed.stderr}`);
const baseline = cli(['list']);
log(`ProofDeck hostile imports: CLI baseline (list) ${baseline.seconds.toFixed(1)} s, ${baseline.peakMiB.toFixed(0)} MiB; load ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);

interface Row {
  name: string;
  reason: string;
  peakMiB: number;
  seconds: number;
  unchanged: boolean;
  held: boolean;
}

const rows: Row[] = [];
const cases: HostileCase[] = [...hostileCases, ...reportCases].filter((c) => c.expect !== 'imports' && !c.budget && (!values.only || c.name.includes(values.only)));
for (const hostile of cases) {
  const made = hostile.make();
  const path = 'folder' in made ? made.folder : join(work, hostile.fileName);
  if (!('folder' in made)) writeFileSync(path, made);
  const before = hashCollection();
  const run = cli(['import', path, '--json']);
  const unchanged = hashCollection() === before;
  let reason = '(none)';
  try {
    const error = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}').error as { params?: { reason?: string } } | undefined;
    reason = String(error?.params?.reason ?? '(imported)');
  } catch {
    reason = `(exit ${run.status}) ${run.stderr.slice(-200)}`;
  }
  const expected = hostile.expect as string[];
  const held = run.status === 1 && expected.includes(reason) && unchanged && run.peakMiB < 1024 && run.seconds < 20;
  rows.push({ name: hostile.name, reason, peakMiB: Math.round(run.peakMiB), seconds: Math.round(run.seconds * 10) / 10, unchanged, held });
  log(`${held ? 'held' : 'FAILED'}  ${hostile.name.padEnd(66)} ${reason.padEnd(22)} ${String(Math.round(run.peakMiB)).padStart(5)} MiB ${run.seconds.toFixed(1).padStart(5)} s${unchanged ? '' : '  COLLECTION CHANGED'}`);
  if (!('folder' in made)) rmSync(path, { force: true });
}

const held = rows.filter((r) => r.held).length;
const peak = Math.max(...rows.map((r) => r.peakMiB));
const slowest = Math.max(...rows.map((r) => r.seconds));
log(`tried ${rows.length}, held ${held}; peak memory ${peak} MiB (goal < 1024), slowest refusal ${slowest} s (goal < 20), CLI start included`);
if (values.json) console.log(JSON.stringify({ tried: rows.length, held, peakMiB: peak, slowestSeconds: slowest, baselineSeconds: baseline.seconds, load: loadavg()[0], rows }, null, 2));
rmSync(work, { recursive: true, force: true });
process.exitCode = held === rows.length ? 0 : 1;
