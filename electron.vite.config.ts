import { resolve } from 'node:path';
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

// Three builds: the main process (ESM, Node), the preload (CommonJS: a sandboxed renderer cannot
// load ESM preloads), and the renderer with two pages: the UI and the hidden engine page.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { main: resolve(__dirname, 'electron/main.ts') },
        external: ['better-sqlite3', 'webgpu', 'electron'],
      },
    },
  },
  preload: {
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
