import path from 'node:path';
import { defineConfig } from 'vite';

// The console is built into dist/console, which the API serves at `/` (ConsoleModule).
export default defineConfig({
  root: __dirname,
  base: '/',
  build: { outDir: path.resolve(__dirname, '../../dist/console'), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  oxc: { jsx: { runtime: 'automatic' } },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
