import { existsSync, mkdtempSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { writeFlowFiles } from './flow-files';

// The tests run as root, whom no folder's mode refuses: a refused listing comes from this double.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  return { ...real, readdir: vi.fn(real.readdir) };
});

describe('writeFlowFiles', () => {
  // QA's defect: a folder this user may write in but not list ended `compile --out` as "unexpected failure (a bug): EACCES".
  it('writes the files, then warns that the folder could not be listed for older ones, and why', async () => {
    const out = mkdtempSync(join(tmpdir(), 'microseg-flows-'));
    vi.mocked(readdir).mockRejectedValueOnce(Object.assign(new Error(`EACCES: permission denied, scandir '${out}'`), { code: 'EACCES', path: out }));

    const warnings = await writeFlowFiles(out, [{ host: 'h1', text: () => 'priority=0 actions=drop\n' }]);
    expect(existsSync(join(out, 'h1.flows'))).toBe(true);
    expect(warnings).toEqual([
      {
        code: 'MS206',
        severity: 'warning',
        message: `the folder ${out} could not be listed to find .flows files an earlier compile left in it (permission denied (EACCES): this user may not read it; get read access to it, or copy it somewhere you may read); check it before deploying the folder`,
      },
    ]);
  });
});
