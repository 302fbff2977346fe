// The web app's build. JSX goes through esbuild (Preact's automatic runtime); nothing is
// inlined into index.html, because the CSP (script-src/style-src 'self') forbids inline code.
// `npm run build` then runs scripts/sri.mjs, which adds Subresource Integrity and app-hash.txt.

import { defineConfig } from 'vitest/config';

export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No data: URLs for assets and no modulepreload polyfill injected into the page.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: true,
    sourcemap: false,
    reportCompressedSize: false,
  },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
  },
});
