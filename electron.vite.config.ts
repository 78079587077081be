import { readFileSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The card renderer (src/render: markdown-it, KaTeX, DOMPurify) is a chunk of its own so Today
 * does not wait for it, but the first card does: the page names it for preloading, so the browser
 * fetches and compiles it alongside the main script instead of after it has run.
 */
function preloadCardRenderer(): Plugin {
  return {
    name: 'proofdeck:preload-card-renderer',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        if (!context.bundle || !html.includes('id="root"')) return html;
        const chunk = Object.values(context.bundle).find((output) => output.type === 'chunk' && output.moduleIds.some((id) => id.replace(/\\/g, '/').endsWith('/src/render/index.ts')));
        if (!chunk) return html;
        return html.replace('</head>', `  <link rel="modulepreload" crossorigin href="./${chunk.fileName}">\n  </head>`);
      },
    },
  };
}

/**
 * Untrusted deck files are read in a worker thread (electron/services/decks/isolated-parse.ts),
 * whose source names its entry as `new URL('./parse-worker.ts', import.meta.url)`. In the main
 * bundle that entry becomes a chunk of its own, and the URL points at it from wherever the code
 * that starts the worker ends up.
 */
function bundleParseWorker(): Plugin {
  const entry = "new URL('./parse-worker.ts', import.meta.url)";
  const placeholder = /__PROOFDECK_PARSE_WORKER_([\w$]+)__/g;
  return {
    name: 'proofdeck:parse-worker',
    enforce: 'pre',
    transform(code, id) {
      if (!id.replace(/\\/g, '/').endsWith('/electron/services/decks/isolated-parse.ts')) return null;
      if (!code.includes(entry)) this.error('the parse worker entry moved; update bundleParseWorker in electron.vite.config.ts');
      const reference = this.emitFile({ type: 'chunk', id: resolve(__dirname, 'electron/services/decks/parse-worker.ts'), name: 'deck-parse-worker' });
      return { code: code.replace(entry, `new URL('__PROOFDECK_PARSE_WORKER_${reference}__', import.meta.url)`), map: null };
    },
    renderChunk(code, chunk) {
      if (!code.includes('__PROOFDECK_PARSE_WORKER_')) return null;
      // Relative to the chunk the code ended up in, so the URL holds wherever that is.
      const from = posix.dirname(chunk.fileName);
      return code.replace(placeholder, (_, reference: string) => {
        const target = posix.relative(from, this.getFileName(reference));
        return target.startsWith('.') ? target : `./${target}`;
      });
    },
  };
}

/**
 * A sandboxed preload is one file that can require only 'electron', but both preloads name their
 * IPC channels from electron/channels.ts: each gets its own copy of that module (an id per
 * importer) instead of a chunk the two would share.
 */
function preloadOwnChannels(): Plugin {
  const channels = resolve(__dirname, 'electron/channels.ts');
  const marker = '?preload-copy=';
  return {
    name: 'proofdeck:preload-own-channels',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer || !source.startsWith('.')) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      if (resolved?.id !== channels) return null;
      return `${channels}${marker}${importer.replace(/\\/g, '/').split('/').pop()}`;
    },
    load(id) {
      return id.startsWith(`${channels}${marker}`) ? readFileSync(channels, 'utf8') : null;
    },
  };
}

// Three builds: the main process (ESM, Node), the preload (CommonJS: a sandboxed renderer cannot
// load ESM preloads), and the renderer with two pages: the UI and the hidden engine page.
export default defineConfig({
  main: {
    plugins: [bundleParseWorker()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { main: resolve(__dirname, 'electron/main.ts') },
        external: ['better-sqlite3', 'webgpu', 'electron'],
      },
    },
  },
  preload: {
    plugins: [preloadOwnChannels()],
    build: {
      // A sandboxed preload can require only 'electron': the contract (and zod) must be bundled in.
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: {
          preload: resolve(__dirname, 'electron/preload.ts'),
          enginePreload: resolve(__dirname, 'electron/engine-preload.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src',
    plugins: [react(), preloadCardRenderer()],
    resolve: {
      // @vscode/markdown-it-katex requires an older KaTeX of its own (CommonJS); src/render hands
      // it ours, so one copy, the ES module, is enough (the card renderer loads 280 KB less).
      alias: [{ find: /^katex$/, replacement: resolve(__dirname, 'node_modules/katex/dist/katex.mjs') }],
    },
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves the renderer unminified; the browser parses every byte before the
      // first screen, so minified bundles show the first card sooner.
      minify: true,
      chunkSizeWarningLimit: 4096,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/index.html'),
          engine: resolve(__dirname, 'src/engine-page/index.html'),
        },
      },
    },
  },
});
