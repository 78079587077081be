import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

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
    plugins: [react()],
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
