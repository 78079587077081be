import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { referenceAttentionBackward, referenceAttentionForward } from '../../src/engine/reference/attention';
import { relativeL2Error } from '../../src/engine/reference/gemm';
import { roundToHalf } from '../../src/engine/attention/flash-storage.wgsl';
import { enginePids, eventually } from '../testing/engine';

// The prove CLI as a user runs it: a real process (tsx), Dawn + SwiftShader, stdout parsed.

const dir = mkdtempSync(join(tmpdir(), 'proofdeck-prove-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function prove(...args: string[]) {
  const result = spawnSync('npx', ['tsx', 'electron/hosts/prove.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function float32(file: string): Float32Array {
  const bytes = readFileSync(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

describe('npm run prove', () => {
  it('--json prints exactly one JSON object: the outcome, its evidence (measured or model), the control', () => {
    const { code, stdout, stderr } = prove('flash-exact', '--n', '65', '--headDim', '16', '--json');
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['control', 'device', 'experiment', 'metrics', 'params', 'series', 'verdict']);
    expect(out.experiment).toBe('flash-exact');
    // CLI strings become numbers; the defaults fill the rest.
    expect(out.params).toEqual({ n: 65, headDim: 16, heads: 2, causal: true, seed: 3 });
    const verdict = out.verdict as { outcome: string; holds: boolean; summary: string; evidence: { name: string; value: unknown; unit: string; source: string; decisive: boolean }[] };
    expect(verdict.outcome).toBe('holds');
    expect(verdict.holds).toBe(verdict.outcome === 'holds');
    expect(verdict.summary).toMatch(/float64/);
    expect(verdict.evidence.length).toBeGreaterThan(0);
    for (const e of verdict.evidence) {
      expect(Object.keys(e).sort()).toEqual(['decisive', 'name', 'source', 'unit', 'value']);
      if (e.decisive) expect(e.source).toBe('measured');
    }
    expect(out.control).toEqual({ description: expect.stringMatching(/rescal/), outcome: 'does-not-hold' });
    expect((out.device as { backend: string }).backend).toBe('webgpu');
    expect((out.series as unknown[]).length).toBeGreaterThan(1);
  });

  it('prints a table, the verdict with its checks and the control without --json, and refuses params out of bounds or unknown', () => {
    const text = prove('flash-exact', '--n', '33', '--headDim', '8', '--heads', '1');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Flash rel\. L2/);
    expect(text.stdout).toMatch(/verdict: HOLDS/);
    expect(text.stdout).toMatch(/control: DOES NOT HOLD/);
    expect(text.stdout).toMatch(/\(measured, decisive\)/);
    const bad = prove('flash-exact', '--n', '999999');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/invalid-args: --n/);
    const unknownFlag = prove('flash-exact', '--nn', '5');
    expect(unknownFlag.code).toBe(1);
    expect(unknownFlag.stderr).toMatch(/nn/);
    const unknown = prove('no-such-thing');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown experiment/);
  });

  it('attention --dump writes the kernels’ inputs and outputs as float32 files, and the outputs match a float64 reference', () => {
    const out = join(dir, 'attention');
    const { code, stderr } = prove('attention', '--n', '37', '--d', '16', '--heads', '2', '--causal', '--seed', '9', '--dump', out);
    expect(code, stderr).toBe(0);
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as Record<string, unknown>;
    // auto on Dawn + SwiftShader (a fallback adapter) picks the fallback variant.
    expect(meta).toMatchObject({ n: 37, d: 16, heads: 2, causal: true, seed: 9, backward: false, variant: 'fallback', precision: 'f32', isFallbackAdapter: true });
    expect(meta.adapter).toMatch(/swiftshader/i);
    const [q, k, v, flash, naive, lse] = ['q', 'k', 'v', 'o_flash', 'o_naive', 'lse'].map((name) => float32(join(out, `${name}.f32`)));
    expect(q.length).toBe(2 * 37 * 16);
    expect(lse.length).toBe(2 * 37);
    const reference = referenceAttentionForward(q, k, v, { batchHeads: 2, n: 37, d: 16, causal: true });
    for (const o of [flash, naive]) o.forEach((value, i) => expect(Math.abs(value - reference.o[i])).toBeLessThan(1e-5));
    lse.forEach((value, i) => expect(Math.abs(value - reference.lse[i])).toBeLessThan(1e-4));
  });

  it('Ctrl+C in the middle of a long run cancels it at once: exit 130, no crash, no engine process left', async () => {
    const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs')).href;
    const cli = spawn(process.execPath, ['--import', tsx, 'electron/hosts/prove.ts', 'flash-vs-naive', '--maxN', '4096'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    const [engine] = await eventually(() => (enginePids(cli.pid).length ? enginePids(cli.pid) : null), 60_000, 'the engine process to start');
    // Into the GPU passes (kernels compiled, work submitted).
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const started = performance.now();
    // As a terminal does: the whole process group, the engine included, gets SIGINT.
    cli.kill('SIGINT');
    process.kill(engine, 'SIGINT');
    const code = await exited;
    console.log(`prove: Ctrl+C → exit in ${(performance.now() - started).toFixed(0)} ms`);
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/prove: cancelled/);
    expect(stderr).not.toMatch(/FATAL|Promise not resolved/);
    await eventually(() => {
      try {
        const stat = readFileSync(`/proc/${engine}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z';
      } catch {
        return true;
      }
    }, 5000, 'the engine process to end');
  });

  it('attention --variant gpu --precision f16 --backward runs that kernel, names it in meta.json, and matches float64 on the dumped inputs', () => {
    const out = join(dir, 'attention-gpu');
    const shape = { batchHeads: 2, n: 45, d: 18, causal: false };
    const { code, stdout, stderr } = prove('attention', '--n', '45', '--d', '18', '--heads', '2', '--seed', '3', '--backward', '--variant', 'gpu', '--precision', 'f16', '--dump', out);
    expect(code, stderr).toBe(0);
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ n: 45, d: 18, heads: 2, causal: false, backward: true, variant: 'gpu', precision: 'f16' });
    // The gpu tiling takes 64–128 query rows per workgroup; 45 rows is not a multiple of the tiles.
    expect(meta.rowsPerWorkgroup).toBeGreaterThanOrEqual(64);
    expect(45 % (meta.keysPerTile as number)).not.toBe(0);
    expect(JSON.parse(stdout.trim()) as Record<string, unknown>).toMatchObject({ variant: 'gpu', precision: 'f16' });
    const [q, k, v, dO, flash, dq, dk, dv] = ['q', 'k', 'v', 'do', 'o_flash', 'dq_flash', 'dk_flash', 'dv_flash'].map((name) => float32(join(out, `${name}.f32`)));
    // The dump holds the inputs as the device saw them (rounded to half): every one is a half.
    expect(roundToHalf(q)).toEqual(q);
    expect(roundToHalf(dO)).toEqual(dO);
    const forward = referenceAttentionForward(q, k, v, shape);
    expect(relativeL2Error(flash, forward.o)).toBeLessThan(1e-5);
    const gradients = referenceAttentionBackward(q, k, v, dO, shape);
    expect(relativeL2Error(dq, gradients.dq)).toBeLessThan(1e-4);
    expect(relativeL2Error(dk, gradients.dk)).toBeLessThan(1e-4);
    expect(relativeL2Error(dv, gradients.dv)).toBeLessThan(1e-4);
  });

  it('attention refuses an unknown flag, variant or precision by name, and writes nothing', () => {
    const out = join(dir, 'attention-refused');
    for (const [args, message] of [
      [['--variant', 'tiled'], /--variant must be one of gpu, fallback, auto, got 'tiled'/],
      [['--precision', 'bf16'], /--precision must be one of f32, f16, got 'bf16'/],
      [['--varient', 'gpu'], /unknown option --varient/],
      [['--precision', 'f16', '--d', '7'], /--d must be even/],
    ] as const) {
      const result = prove('attention', '--n', '8', '--d', '8', '--seed', '1', '--dump', out, ...args);
      expect(result.code, result.stdout).toBe(1);
      expect(result.stderr).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('decode --dump writes tokens and logits of both ways, and they agree', () => {
    const out = join(dir, 'decode');
    const { code, stderr } = prove('decode', '--tokens', '5', '--seed', '4', '--dump', out);
    expect(code, stderr).toBe(0);
    const cached = JSON.parse(readFileSync(join(out, 'tokens_cache.json'), 'utf8')) as number[];
    expect(cached).toHaveLength(5);
    expect(JSON.parse(readFileSync(join(out, 'tokens_nocache.json'), 'utf8'))).toEqual(cached);
    const a = float32(join(out, 'logits_cache.f32'));
    const b = float32(join(out, 'logits_nocache.f32'));
    expect(a.length).toBe(b.length);
    expect(a.length % 5).toBe(0);
    a.forEach((value, i) => expect(Math.abs(value - b[i])).toBeLessThan(1e-4));
  });
});
