#!/usr/bin/env node
// `npm run device-pack -- [--out DIR] [--no-compress]`: a self-contained folder that runs the device
// check on a Linux x86-64 machine WITHOUT Node.js or node_modules (the GPU machines of this project
// have CUDA and Python, not Node): the check bundled into one ES module, this machine's `node`
// binary and Dawn for Node (npm `webgpu`: its index.js and dawn.node), both xz-compressed, and
// run.sh, which unpacks them and runs `node device-check.mjs --out OUT`. The Vulkan loader is not
// in it: on a machine without libvulkan, bring it as the `device` tool's README says (.gl).
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values } = parseArgs({ options: { out: { type: 'string' }, 'no-compress': { type: 'boolean' } }, strict: true });
const out = resolve(values.out ?? join(root, '.device/pack'));
const compress = !values['no-compress'];

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'node_modules/webgpu/dist/linux-x64'), { recursive: true });

const { build } = await import('esbuild');
await build({
  absWorkingDir: root,
  entryPoints: ['electron/hosts/device-check.ts'],
  outfile: join(out, 'device-check.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'],
  banner: { js: "import { createRequire as __proofdeckRequire } from 'node:module';\nconst require = __proofdeckRequire(import.meta.url);" },
  logLevel: 'warning',
});

const webgpu = join(root, 'node_modules/webgpu');
copyFileSync(join(webgpu, 'index.js'), join(out, 'node_modules/webgpu/index.js'));
copyFileSync(join(webgpu, 'package.json'), join(out, 'node_modules/webgpu/package.json'));
const dawn = join(out, 'node_modules/webgpu/dist/linux-x64/dawn.node');
copyFileSync(join(webgpu, 'dist/linux-x64/dawn.node'), dawn);
copyFileSync(process.execPath, join(out, 'node'));
chmodSync(join(out, 'node'), 0o755);
if (compress) {
  // -T0: all cores; -6: the default level (node 99 MB → about 24 MB, dawn.node 21 MB → 5 MB).
  execFileSync('xz', ['-6', '-T0', '-f', join(out, 'node'), dawn], { stdio: 'inherit' });
}

writeFileSync(
  join(out, 'run.sh'),
  `#!/usr/bin/env bash
# Unpacks Node and Dawn (once) and runs the device check: bash run.sh OUT_DIR [--quick]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ -f "$here/node.xz" ] && xz -d -f "$here/node.xz"
[ -f "$here/node_modules/webgpu/dist/linux-x64/dawn.node.xz" ] && xz -d -f "$here/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
chmod +x "$here/node"
cd "$here"
exec ./node device-check.mjs --out "$@"
`,
);
chmodSync(join(out, 'run.sh'), 0o755);
const size = (file) => (existsSync(file) ? statSync(file).size : 0);
const total = ['device-check.mjs', compress ? 'node.xz' : 'node', `node_modules/webgpu/dist/linux-x64/dawn.node${compress ? '.xz' : ''}`].reduce((sum, f) => sum + size(join(out, f)), 0);
process.stdout.write(`device pack: ${out} (${(total / 2 ** 20).toFixed(1)} MiB)\n`);
