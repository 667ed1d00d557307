/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API server for `npm run dev`; override with KEEPSAKE_API=http://127.0.0.1:5300 npm run dev
const target = process.env.KEEPSAKE_API ?? 'http://localhost:5000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../Keepsake/wwwroot',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/healthz': { target, changeOrigin: false },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    globals: false,
    css: false,
  },
});
