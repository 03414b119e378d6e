import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startHost } from './support/web-host';

// The built browser-mode host says which version it is. Needs no lab.

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

// A review's defect: started with node alone, the host said 0.1.0 whatever package.json said, and
// started from another package's npm script it said that package's version.
test("the host says package.json's version, whatever npm's environment says", async () => {
  const host = await startHost({ npm_package_version: '7.7.7-another-package' });
  try {
    const url = new URL(host.url);
    const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
    const res = await fetch(new URL('/api/app:info', url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ args: null }),
    });
    expect(await res.json()).toMatchObject({ ok: true, value: { version } });
  } finally {
    await host.stop();
  }
});
