#!/usr/bin/env node
// Builds the renderer (out/renderer) with electron-vite's own renderer config, and the browser host
// (out/hosts/web.mjs) with esbuild, each only when it is missing or older than its sources, so
// `npm run web` starts in a second when nothing changed.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

// The browser host, bundled: Node then loads a few plain modules instead of tsx transpiling some
// 140 TypeScript files on every start (about half a second of the host's start here). The
// services are a second entry, services-worker.mjs, run in a worker thread from the start (see
// electron/hosts/services-thread.ts), so the HTTP thread itself loads only a few kilobytes. The
// GPU engine is a third, engine-child.mjs, run as a child process of the services (see
// electron/hosts/engine-process-host.ts), so a crash of Dawn never reaches them.
// Packages (better-sqlite3 and webgpu are native addons) stay in node_modules.
const hostEntry = join(root, 'out/hosts/web.mjs');
const hostSources = ['electron', 'src', 'package-lock.json', 'tsconfig.node.json'];
/** The engine process and the services worker are bundled too: the bundle points at their own entries. */
const engineEntry = "new URL('./engine-child.ts', import.meta.url)";
const servicesWorkerEntry = "new URL('./services-worker.ts', import.meta.url)";
/** So is the worker that reads untrusted deck files (electron/services/decks/isolated-parse.ts). */
const parseWorkerEntry = "new URL('./parse-worker.ts', import.meta.url)";

async function buildHost() {
  const { build } = await import('esbuild');
  const outdir = join(root, 'out/hosts');
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      web: 'electron/hosts/web.ts',
      'services-worker': 'electron/hosts/services-worker.ts',
      'engine-child': 'electron/hosts/engine-child.ts',
      'deck-parse-worker': 'electron/services/decks/parse-worker.ts',
    },
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Native addons (and the packages that load them) stay in node_modules; the rest is bundled:
    // one file reads faster than zod's hundreds.
    external: ['better-sqlite3', 'webgpu', '@open-spaced-repetition/binding', 'tsx'],
    // CommonJS packages in an ES module bundle still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __proofdeckRequire } from 'node:module';\nconst require = __proofdeckRequire(import.meta.url);" },
    outExtension: { '.js': '.mjs' },
    // Chunks sit next to web.mjs: out/hosts is as deep as electron/hosts, so `../..` is the repository.
    chunkNames: '[name]-[hash]',
    write: false,
    logLevel: 'warning',
    plugins: [
      {
        name: 'bundled-entries',
        setup(builder) {
          builder.onLoad({ filter: /engine-process-host\.ts$/ }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            if (!source.includes(engineEntry)) throw new Error(`${args.path}: the engine entry moved; update scripts/ensure-build.mjs`);
            return { contents: source.replace(engineEntry, "new URL('./engine-child.mjs', import.meta.url)"), loader: 'ts' };
          });
          builder.onLoad({ filter: /services-thread\.ts$/ }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            if (!source.includes(servicesWorkerEntry)) throw new Error(`${args.path}: the worker entry moved; update scripts/ensure-build.mjs`);
            return { contents: source.replace(servicesWorkerEntry, "new URL('./services-worker.mjs', import.meta.url)"), loader: 'ts' };
          });
          // Chunks sit next to the entries in out/hosts, so the sibling URL holds from any of them.
          builder.onLoad({ filter: /isolated-parse\.ts$/ }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            if (!source.includes(parseWorkerEntry)) throw new Error(`${args.path}: the worker entry moved; update scripts/ensure-build.mjs`);
            return { contents: source.replace(parseWorkerEntry, "new URL('./deck-parse-worker.mjs', import.meta.url)"), loader: 'ts' };
          });
        },
      },
    ],
  });
  mkdirSync(outdir, { recursive: true });
  // Each file is renamed into place, so a host starting meanwhile never reads half a file; chunks
  // have content hashes, so the entry (written last) never points at a chunk not yet there.
  const files = [...result.outputFiles].sort((a, b) => Number(a.path === hostEntry) - Number(b.path === hostEntry));
  for (const file of files) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  // Chunks of earlier builds: a host loads all of its chunks at start, so none still in use goes.
  const current = new Set(files.map((file) => file.path));
  for (const name of readdirSync(outdir)) {
    if (name.endsWith('.mjs') && !current.has(join(outdir, name))) rmSync(join(outdir, name), { force: true });
  }
}

let hostBuilt = null;
try {
  hostBuilt = statSync(hostEntry).mtimeMs;
} catch {
  // not built yet
}
if (force || hostBuilt === null || hostBuilt < Math.max(...hostSources.map((source) => newestMtime(join(root, source))))) {
  const started = performance.now();
  await buildHost();
  console.log(`ProofDeck: browser host bundled (out/hosts) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

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
