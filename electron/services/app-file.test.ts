import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readAppFile, writeAppFile } from './app-file';

// The tests run as root, whom no file's mode refuses: a refused read or write comes from this double.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  return { ...real, readFile: vi.fn(real.readFile), writeFile: vi.fn(real.writeFile) };
});

/** The app's file `name` in a fresh folder, as HostTargetStore names hosts.json. */
function appFile(name = 'hosts.json'): { dir: string; path: string; file: { path: string; holds: string; thenDo: string } } {
  const dir = mkdtempSync(join(tmpdir(), 'microseg-app-file-'));
  const path = join(dir, name);
  return { dir, path, file: { path, holds: 'The SSH targets', thenDo: 'configure the hosts anew under Hosts' } };
}

describe('readAppFile', () => {
  it('gives the text, and nothing when there is no file yet', async () => {
    const { path, file } = appFile();
    expect(await readAppFile(file)).toBeUndefined();
    writeFileSync(path, '{ "hosts": [] }\n');
    expect(await readAppFile(file)).toBe('{ "hosts": [] }\n');
  });

  it('says that this user may not read it and what to do, never the system words alone', async () => {
    const { path, file } = appFile();
    writeFileSync(path, '{ "hosts": [] }\n');
    vi.mocked(readFile).mockRejectedValueOnce(Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES', path }));
    await expect(readAppFile(file)).rejects.toThrow(
      `The SSH targets in ${path} cannot be read: permission denied (EACCES): this user may not read it; give this user read and write access to it (the app saves it too), or run the app as the user who owns it.`,
    );
  });

  it('says that a folder has its name, and to move it away', async () => {
    const { path, file } = appFile();
    mkdirSync(path);
    await expect(readAppFile(file)).rejects.toThrow(`The SSH targets in ${path} cannot be read: it is a folder, not a file; move it away and configure the hosts anew under Hosts.`);
  });

  it("names the file that stands where the app's folder should be", async () => {
    const { dir, file } = appFile();
    const blocked = { ...file, path: join(dir, 'config', 'hosts.json') };
    writeFileSync(join(dir, 'config'), 'not a folder');
    await expect(readAppFile(blocked)).rejects.toThrow(`cannot be read: ${join(dir, 'config')} is a file, not a folder, so the app's folder cannot be there; move that file away and configure the hosts anew under Hosts.`);
  });

  it('says that a symbolic link in its place points where nothing is, rather than start without its contents', async () => {
    const { dir, path, file } = appFile();
    symlinkSync('moved/hosts.json', path);
    await expect(readAppFile(file)).rejects.toThrow(
      `The SSH targets in ${path} cannot be read: it is a symbolic link to ${join(dir, 'moved', 'hosts.json')}, which does not exist; put the file back there, or remove the link and configure the hosts anew under Hosts.`,
    );
  });

  it('refuses a file that is not UTF-8, as the inputs are', async () => {
    const { path, file } = appFile();
    writeFileSync(path, Buffer.from('{ "hosts": [{ "host": "caf\xe9" }] }', 'latin1'));
    await expect(readAppFile(file)).rejects.toThrow(`The SSH targets in ${path} cannot be read: it is not UTF-8 text`);
  });
});

// A review's defect: a refused save said to choose another folder, as for a file the user names.
describe('writeAppFile where the system refuses the write', () => {
  it.each([
    ['EROFS', 'the file system holding DIR is read-only (EROFS); remount it writable, then try again'],
    ['ENOSPC', 'the disk holding DIR is full, or your quota on it used up (ENOSPC); free some space on it, then try again'],
    ['EPERM', 'permission denied (EPERM): this user may not write in DIR; give this user write access to it (the app keeps its settings there), or run the app as the user who owns it'],
  ])('says which file, why (%s) and what to do about its folder, never to choose another', async (code, why) => {
    const { dir, path, file } = appFile();
    vi.mocked(writeFile).mockRejectedValueOnce(Object.assign(new Error(`${code}: refused`), { code }));
    await expect(writeAppFile(file, '{ "hosts": [] }\n')).rejects.toThrow(`The SSH targets cannot be saved in ${path}: ${why.replace('DIR', dir)}.`);
  });
});
