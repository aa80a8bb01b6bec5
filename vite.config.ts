import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The browser app (src/ui, workers/). `npm run build` writes dist/, which `npm start` serves;
 * `npm run dev` runs Vite's dev server with /ws and /healthz proxied to the service on :8080.
 */
export default defineConfig({
  plugins: [react()],
  root: '.',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
  },
  worker: { format: 'es' },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
      '/healthz': 'http://127.0.0.1:8080',
    },
  },
});
