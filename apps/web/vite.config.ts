import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig({
  plugins: [react()],
  resolve: {
    // The web app compiles the API contract from source, so no build of packages/api is needed first.
    alias: [
      { find: /^@opsloom\/api$/, replacement: path.resolve(root, '../../packages/api/src/index.ts') },
      { find: /^@opsloom\/api\/formats$/, replacement: path.resolve(root, '../../packages/api/src/cmdb/formats/index.ts') },
      // The CMDB import page converts CSV in the browser; the default csv-* builds need Node's Buffer.
      { find: /^csv-parse\/sync$/, replacement: 'csv-parse/browser/esm/sync' },
      { find: /^csv-stringify\/sync$/, replacement: 'csv-stringify/browser/esm/sync' },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
