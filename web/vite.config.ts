// The comparator's own Vite build: `vite build web` writes web/dist, which `lethe serve` hosts.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  server: {
    // `LETHE_API=http://127.0.0.1:8080 npx vite web` develops the UI against a running `lethe serve`.
    proxy: { '/api': process.env.LETHE_API ?? 'http://127.0.0.1:8080' },
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
});
