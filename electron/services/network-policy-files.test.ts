import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Inventory, Workload } from '@shared/inventory/model';
import { emptyPolicy, type Policy } from '@shared/policy/model';
import { exportNetworkPolicyFiles } from './network-policy-files';

// The export writes into the folder the user chose and nowhere else, and all files or none.

function pod(name: string, namespace: string): Workload {
  return { id: `k8s:${namespace}/${name}`, name, host: 'node-1', addresses: ['10.0.0.9'], labels: { app: 'web' }, namespace, origin: { kind: 'kubernetes', source: 'test' } };
}

function design(namespace: string): Policy {
  return { ...emptyPolicy('t'), groups: [{ name: 'web', selector: { namespace, labels: 'app=web' } }], edges: [{ id: 'web-web', from: 'web', to: 'web', services: [{ protocol: 'tcp', ports: { from: 80, to: 80 } }], action: 'allow' }] };
}

// The tests run as root, whom no file's mode refuses: a refused read comes from this double.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  return { ...real, readFile: vi.fn(real.readFile) };
});

describe('exportNetworkPolicyFiles', () => {
  it('refuses a namespace that would name a file outside the folder, and writes nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'microseg-np-'));
    const out = join(root, 'a', 'out');
    const inventory: Inventory = { readAt: 'x', workloads: [pod('web-1', '../../pwned'), pod('web-2', 'shop')] };

    const fromInventory = await exportNetworkPolicyFiles(design('shop'), inventory, out);
    expect(fromInventory.files).toEqual([]);
    expect(fromInventory.warnings).toContainEqual(expect.objectContaining({ code: 'MS656', severity: 'error' }));

    const fromPolicy = await exportNetworkPolicyFiles(design('../../pwned'), undefined, out);
    expect(fromPolicy.warnings).toContainEqual(expect.objectContaining({ code: 'MS656', location: { element: { kind: 'group', id: 'web' } } }));
    expect(existsSync(join(root, 'pwned.yaml'))).toBe(false);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('writes no file unless every file can be written', async () => {
    const out = mkdtempSync(join(tmpdir(), 'microseg-np-'));
    mkdirSync(join(out, 'shop.yaml'));
    const inventory: Inventory = { readAt: 'x', workloads: [pod('web-1', 'alpha'), pod('web-2', 'shop')] };
    await expect(exportNetworkPolicyFiles(design('*'), inventory, out)).rejects.toThrow(/shop\.yaml is a folder/);
    expect(readdirSync(out)).toEqual(['shop.yaml']);
  });

  it('replaces a symlink in the folder instead of writing where it points', async () => {
    const root = mkdtempSync(join(tmpdir(), 'microseg-np-'));
    const out = join(root, 'out');
    mkdirSync(out);
    writeFileSync(join(root, 'victim.txt'), 'keep');
    symlinkSync(join(root, 'victim.txt'), join(out, 'shop.yaml'));
    const result = await exportNetworkPolicyFiles(design('shop'), undefined, out);
    expect(result.files).toEqual([join(out, 'shop.yaml')]);
    expect(readFileSync(join(root, 'victim.txt'), 'utf8')).toBe('keep');
    expect(readFileSync(join(out, 'shop.yaml'), 'utf8')).toContain('kind: NetworkPolicy');
    expect(readdirSync(out)).toEqual(['shop.yaml']);
  });

  it('warns of a namespace file an earlier export wrote and this one did not, and leaves it and other files be', async () => {
    const out = mkdtempSync(join(tmpdir(), 'microseg-np-'));
    const both: Inventory = { readAt: 'x', workloads: [pod('web-1', 'alpha'), pod('web-2', 'shop')] };
    await exportNetworkPolicyFiles(design('*'), both, out);
    writeFileSync(join(out, 'notes.yaml'), 'kind: ConfigMap\n');

    const result = await exportNetworkPolicyFiles(design('shop'), undefined, out);
    expect(result.files).toEqual([join(out, 'shop.yaml')]);
    expect(result.warnings).toEqual([
      {
        code: 'MS657',
        severity: 'warning',
        message: 'alpha.yaml is from an earlier export: this design has no NetworkPolicy for namespace alpha; delete the file before applying the folder (kubectl apply -f), or its old policies come back',
        location: { file: join(out, 'alpha.yaml') },
      },
    ]);
    expect(readdirSync(out).sort()).toEqual(['alpha.yaml', 'notes.yaml', 'shop.yaml']);
  });

  // QA's defect: another user's NAMESPACE.yaml in the folder ended the export as "unexpected failure (a bug): EACCES: permission denied".
  it('says which file of the folder it could not read to tell whether an earlier export left it, and why, after writing the export', async () => {
    const out = mkdtempSync(join(tmpdir(), 'microseg-np-'));
    const theirs = join(out, 'beta.yaml');
    writeFileSync(theirs, 'kind: NetworkPolicy\n');
    vi.mocked(readFile).mockRejectedValueOnce(Object.assign(new Error(`EACCES: permission denied, open '${theirs}'`), { code: 'EACCES', path: theirs }));

    const result = await exportNetworkPolicyFiles(design('shop'), undefined, out);
    expect(result.files).toEqual([join(out, 'shop.yaml')]);
    expect(result.warnings).toEqual([
      {
        code: 'MS657',
        severity: 'warning',
        message: 'beta.yaml could not be read to tell whether an earlier export left it (permission denied (EACCES): this user may not read it; get read access to it, or copy it somewhere you may read); check it before applying the folder (kubectl apply -f)',
        location: { file: theirs },
      },
    ]);
  });

  it('makes no folder when there is nothing to write', async () => {
    const root = mkdtempSync(join(tmpdir(), 'microseg-np-'));
    const out = join(root, 'out');
    const result = await exportNetworkPolicyFiles({ ...emptyPolicy('t'), groups: [{ name: 'outside', selector: { cidrs: ['192.0.2.0/24'] } }] }, undefined, out);
    expect(result.files).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });
});
