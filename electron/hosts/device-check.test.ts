import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The device check as it runs on a GPU machine without Node: the packed folder (bundle, this
// machine's node binary, Dawn) run with an empty environment, so nothing from node_modules or the
// checkout can stand in for what the pack carries. Here it finds SwiftShader; there, the NVIDIA ICD.

const dir = mkdtempSync(join(tmpdir(), 'proofdeck-device-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run device-pack / device-check', () => {
  it('packs a self-contained check that runs with no Node installation and writes its JSON', () => {
    const pack = join(dir, 'pack');
    const packed = spawnSync(process.execPath, ['scripts/device-pack.mjs', '--out', pack, '--no-compress'], { encoding: 'utf8', timeout: 120_000 });
    expect(packed.status, packed.stderr).toBe(0);
    const out = join(dir, 'out');
    const run = spawnSync(join(pack, 'node'), ['device-check.mjs', '--out', out, '--quick', '--only', 'flash-exact'], {
      cwd: pack,
      encoding: 'utf8',
      timeout: 300_000,
      env: { PATH: '/usr/bin:/bin', HOME: dir },
    });
    expect(run.status, run.stderr).toBe(0);
    // The adapter is named first, so a software adapter is never mistaken for the GPU.
    expect(run.stderr.split('\n')[0]).toMatch(/device: .*(SOFTWARE|hardware)/);
    for (const file of ['device.json', 'roofline.json', 'attention.json', 'flash-exact.json', 'summary.json']) expect(existsSync(join(out, file)), file).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.experiments).toEqual({ 'flash-exact': 'holds' });
    expect(summary.failures).toEqual({});
    const roofline = JSON.parse(readFileSync(join(out, 'roofline.json'), 'utf8'));
    expect(roofline.samples.copyMs.length).toBeGreaterThanOrEqual(5);
    const attention = JSON.parse(readFileSync(join(out, 'attention.json'), 'utf8'));
    expect(attention.map((row: { n: number }) => row.n)).toEqual([256, 512]);
  }, 400_000);
});
