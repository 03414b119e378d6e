import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) },
  },
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts'],
    environment: 'node',
    // The renderer's own stylesheets are read by a test (styles.test.ts); other CSS stays blank.
    css: { include: [/renderer\/src\/styles\/.+\.css/] },
    // Property tests run thousands of cases; on a loaded 2-core machine the 5 s default turns
    // them into timing tests. Speed is measured by `npm run bench`, not here.
    testTimeout: 120_000,
  },
});
