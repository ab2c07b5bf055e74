import path from 'node:path';
import { defineConfig } from 'vite';

// The console is built into dist/console, which the API serves at `/` (ConsoleModule).
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: path.resolve(import.meta.dirname, '../../dist/console'),
    emptyOutDir: true,
    sourcemap: true,
    // The lazy map chunk carries the 1:50m atlas.
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      checks: { pluginTimings: false },
      // react-router's "use client" marks server components; nothing here renders on a server.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
