#!/usr/bin/env node
// Builds the renderer (out/renderer) with electron-vite's own renderer config, but only when it is
// missing or older than its sources, so `npm run web` starts in a second when nothing changed.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const builtPage = join(root, 'out/renderer/index.html');
/** What the renderer bundle is made of (besides node_modules, which package-lock.json stands for). */
const sources = ['src', 'electron.vite.config.ts', 'package-lock.json', 'tsconfig.web.json'];

/** Newest modification time under a path, skipping tests (they are not part of the bundle). */
function newestMtime(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function builtAt() {
  try {
    return statSync(builtPage).mtimeMs;
  } catch {
    return null;
  }
}

const force = process.argv.includes('--force');
const isFresh = () => {
  const built = builtAt();
  return built !== null && built >= Math.max(...sources.map((source) => newestMtime(join(root, source))));
};
if (!force && isFresh()) process.exit(0);

// Two launches at once (a test run and `npm run web`) must not write out/renderer together: the
// first takes a lock directory, the others wait for it and then find the build fresh.
const lock = join(root, 'out', '.renderer-build.lock');
mkdirSync(join(root, 'out'), { recursive: true });
for (;;) {
  try {
    mkdirSync(lock);
    break;
  } catch {
    let age = 0;
    try {
      age = Date.now() - statSync(lock).mtimeMs;
    } catch {
      continue;
    }
    // A lock left by a build that was killed is taken over after ten minutes.
    if (age > 600_000) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  }
}
process.on('exit', () => rmSync(lock, { recursive: true, force: true }));
if (!force && isFresh()) process.exit(0);
const built = builtAt();

console.log(built === null ? 'ProofDeck: building the UI (out/renderer)…' : 'ProofDeck: sources changed, rebuilding the UI…');
const started = performance.now();
// electron-vite resolves its config (plugins, base './', output dirs) exactly as `electron-vite
// build` does; only the renderer part is handed to Vite.
process.env.NODE_ENV_ELECTRON_VITE = 'production';
const { resolveConfig } = await import('electron-vite');
const { build } = await import('vite');
const resolved = await resolveConfig({ root, logLevel: 'warn' }, 'build', 'production');
const renderer = resolved.config?.renderer;
if (!renderer) {
  console.error('ProofDeck: electron.vite.config.ts has no renderer config');
  process.exit(1);
}
await build(renderer);
console.log(`ProofDeck: UI built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
