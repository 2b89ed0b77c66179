import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vite';

// The API server (npm start) listens here; dev and preview proxy to it.
const backend = 'http://localhost:3000';
const proxy = {
  '/api': { target: backend, changeOrigin: false },
  '/socket.io': { target: backend, ws: true },
  // The card scan's OCR worker and models (api/ocr-assets.routes.ts).
  '/vendor': { target: backend, changeOrigin: false },
};

export default defineConfig({
  plugins: [
    paraglideVitePlugin({
      project: './project.inlang',
      outdir: './web/src/lib/paraglide',
      // The locale lives in rune state (web/src/lib/i18n/locale.svelte.ts), which overrides this.
      strategy: ['baseLocale'],
    }),
    sveltekit({
      adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html' }),
      files: { src: 'web/src', assets: 'web/static' },
    }),
  ],
  server: { proxy },
  preview: { proxy },
});
