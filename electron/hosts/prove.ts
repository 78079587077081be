/**
 * `npm run prove -- <experiment-id> [--param value …] [--json] [--dump DIR] [--cpu-reference]`
 * runs one experiment headless on Dawn (in a child process, as the browser host does) and prints its
 * table and verdict, or one JSON object. `attention` and `decode` instead dump the engines' raw
 * outputs for outside checking (see prove-dump.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../src/shared/errors';
import { describeIssues } from '../../src/shared/contract/issues';
import { findMeta } from '../../src/experiments/catalog';
import type { ExperimentResult } from '../../src/experiments/types';
import { createProcessEngineHost } from './engine-process-host';
import { formatResult, jsonResult } from './prove-format';

interface Cli {
  command: string;
  values: Record<string, string | boolean>;
}

/** `--key value`, `--flag` (true), `--key=value`; keys keep their spelling (camelCase params). */
export function parseCli(argv: readonly string[]): Cli {
  const [command, ...rest] = argv;
  const values: Record<string, string | boolean> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) throw new AppError('invalid-args', `unexpected argument '${arg}'`);
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    if (eq >= 0) values[body.slice(0, eq)] = body.slice(eq + 1);
    else if (i + 1 < rest.length && !rest[i + 1].startsWith('--')) values[body] = rest[++i];
    else values[body] = true;
  }
  return { command: command ?? '', values };
}

const usage = `usage: npm run prove -- <experiment-id> [--param value …] [--json] [--dump DIR] [--cpu-reference]
       npm run prove -- attention --n N --d D --heads H [--causal] --seed S --dump DIR [--backward]
                          [--variant gpu|fallback|auto] [--precision f32|f16]
       npm run prove -- decode --tokens T --seed S --dump DIR
experiments: kv-cache-speed, kv-cache-memory, flash-vs-naive, flash-exact, flash-backward, kv-flash-synergy,
             prefill-decode-batching, gqa-mqa, paged-attention, kv-quantization, rope-relative,
             speculative-decoding, online-softmax`;

async function runExperimentCli(cli: Cli): Promise<number> {
  const meta = findMeta(cli.command);
  if (!meta) throw new AppError('not-found', `unknown experiment '${cli.command}'\n${usage}`);
  const { json, dump, 'cpu-reference': cpu, ...raw } = cli.values;
  const parsed = meta.params.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('invalid-args', describeIssues(parsed.error, { prefix: '--', root: '?', limit: Infinity }));
  }
  const host = createProcessEngineHost();
  const controller = new AbortController();
  // Ctrl+C: the engine process is abandoned at once (killed, which is safe whatever it has
  // submitted to the GPU) rather than waited for through a pass that may take a minute.
  process.once('SIGINT', () => {
    controller.abort();
    void host.close();
  });
  let result: ExperimentResult;
  try {
    result = await host.run(
      { experimentId: meta.id, params: parsed.data as Record<string, unknown>, backend: cpu ? 'cpu-reference' : 'webgpu' },
      {
        signal: controller.signal,
        onProgress: (fraction, message) => {
          if (!json && process.stderr.isTTY) process.stderr.write(`\r${String(Math.round(fraction * 100)).padStart(3)}% ${message.padEnd(60).slice(0, 60)}`);
        },
      },
    );
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    process.stderr.write('\rprove: cancelled'.padEnd(70) + '\n');
    return 130;
  } finally {
    if (!json && process.stderr.isTTY) process.stderr.write('\r'.padEnd(70) + '\r');
    await host.close();
  }
  if (typeof dump === 'string') {
    mkdirSync(dump, { recursive: true });
    writeFileSync(join(dump, `${meta.id}.json`), JSON.stringify(result, null, 2));
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(jsonResult(result))}\n`);
  } else {
    process.stdout.write(formatResult(result, meta.title.en));
  }
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const cli = parseCli(argv);
  if (!cli.command || cli.values.help) {
    process.stdout.write(`${usage}\n`);
    return cli.command ? 0 : 2;
  }
  if (cli.command === 'attention' || cli.command === 'decode') {
    const { dumpAttention, dumpDecode } = await import('./prove-dump');
    if (cli.command === 'attention') await dumpAttention(cli.values);
    else await dumpDecode(cli.values);
    return 0;
  }
  return runExperimentCli(cli);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof AppError ? `${error.code}: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`prove: ${message}\n`);
    process.exit(1);
  },
);
