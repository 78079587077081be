#!/usr/bin/env node
// better-sqlite3 is a native addon, built for one ABI at a time: Node's (tests, the browser host,
// the CLIs) or Electron's (`npm start`). `node scripts/native-abi.mjs electron|node` puts the right
// binary in place before either runs. Each binary is kept in node_modules/.cache after its first
// build or download, so switching back and forth is a file copy.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const moduleDir = join(root, 'node_modules/better-sqlite3');
const binary = join(moduleDir, 'build/Release/better_sqlite3.node');
const target = process.argv[2];
if (target !== 'node' && target !== 'electron') {
  console.error('usage: node scripts/native-abi.mjs node|electron');
  process.exit(2);
}

const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const cacheDir = (runtime) =>
  join(root, 'node_modules/.cache/proofdeck-native', runtime === 'node' ? `node-${process.versions.modules}` : `electron-${electronVersion}`, process.arch);
const cached = (runtime) => join(cacheDir(runtime), 'better_sqlite3.node');

/** True when the binary in place loads in this Node (so it is Node's ABI). */
function loadsInNode() {
  const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: root, encoding: 'utf8' });
  return probe.status === 0;
}

function keep(runtime) {
  mkdirSync(cacheDir(runtime), { recursive: true });
  copyFileSync(binary, cached(runtime));
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: moduleDir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

/** The same check in this process: cheap, but only good once (a loaded addon stays loaded). */
function loadsHere() {
  try {
    const Database = createRequire(join(root, 'package.json'))('better-sqlite3');
    new Database(':memory:').close();
    return true;
  } catch {
    return false;
  }
}

const nodeAbiInPlace = existsSync(binary) && loadsHere();
// Whatever is in place and works in Node is worth keeping before it is replaced.
if (nodeAbiInPlace && !existsSync(cached('node'))) keep('node');

if (target === 'node') {
  if (nodeAbiInPlace) process.exit(0);
  if (existsSync(cached('node'))) copyFileSync(cached('node'), binary);
  else {
    try {
      run(process.execPath, [join(root, 'node_modules/prebuild-install/bin.js')]);
    } catch {
      // No prebuilt binary (or no network): compile it, as better-sqlite3's own install does.
    }
  }
  if (!loadsInNode()) spawnSync('npm', ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit' });
  if (!loadsInNode()) throw new Error('better-sqlite3 does not load in Node; run `npm rebuild better-sqlite3`');
  keep('node');
  console.log('ProofDeck: better-sqlite3 switched to Node\'s ABI');
} else {
  if (existsSync(cached('electron'))) {
    copyFileSync(cached('electron'), binary);
  } else {
    console.log(`ProofDeck: fetching better-sqlite3 for Electron ${electronVersion}…`);
    try {
      run(process.execPath, [join(root, 'node_modules/prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch]);
    } catch {
      // Said plainly instead of a stack trace: the usual cause is a machine without network.
      console.error(
        `ProofDeck: could not download better-sqlite3 built for Electron ${electronVersion} (${process.platform}-${process.arch}). ` +
          '`npm start` needs it once, and Electron itself, from the network; try again when online. ' +
          'Without them, `npm run web` serves the same app to your browser and `npm test` runs.',
      );
      process.exit(1);
    }
    keep('electron');
  }
  console.log(`ProofDeck: better-sqlite3 set for Electron ${electronVersion} (tests and the browser host switch it back)`);
}
