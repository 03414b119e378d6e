import { test as base } from '@playwright/test';
import { DesignerPage } from '../pages/designer-page';
import { readLab, type Lab } from './lab';
import { startHost, type RunningHost } from './web-host';

/**
 * What the end-to-end tests share: the lab `npm run lab` started (read only when a test asks
 * for it), a browser-mode host of their own with a fresh settings folder, and the page object.
 */
export const test = base.extend<{ host: RunningHost; designer: DesignerPage }, { lab: Lab }>({
  // Playwright reads a fixture's dependencies from its destructured first parameter, so a
  // fixture that needs none has to say `{}`.
  lab: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      await use(readLab());
    },
    { scope: 'worker' },
  ],
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const host = await startHost();
    await use(host);
    await host.stop();
  },
  designer: async ({ page }, use) => {
    await use(new DesignerPage(page));
  },
});

export { expect } from '@playwright/test';
