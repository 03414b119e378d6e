import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, truncateSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDataFolder, MAX_TEXT_FILE_BYTES, readTextFile, writeTextFileAtomic } from './project-files';

describe('writeTextFileAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'microseg-files-'));

  it('writes a new file and replaces an existing one whole', async () => {
    const path = join(dir, 'policy.yaml');
    await writeTextFileAtomic(path, 'one');
    await writeTextFileAtomic(path, 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
  });

  it('writes through a symlink to its file and keeps the link', async () => {
    const real = join(dir, 'real.yaml');
    const link = join(dir, 'link.yaml');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    const { path } = await writeTextFileAtomic(link, 'new');
    expect(path).toBe(real);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, 'utf8')).toBe('new');
  });

  it('refuses a folder or a device instead of replacing it', async () => {
    const folder = join(dir, 'folder.yaml');
    mkdirSync(folder);
    await expect(writeTextFileAtomic(folder, 'x')).rejects.toThrow(/is a folder, not a file/);
    // A pipe made here stands in for a device: a regression must not replace a real one.
    const pipe = join(dir, 'pipe.yaml');
    expect(spawnSync('mkfifo', [pipe]).status).toBe(0);
    await expect(writeTextFileAtomic(pipe, 'x')).rejects.toThrow(/pipe\.yaml: it is a named pipe, not a file/);
    expect(lstatSync(pipe).isFIFO()).toBe(true);
  });

  it('says the folder is missing only when it is', async () => {
    await expect(writeTextFileAtomic(join(dir, 'no-such-folder', 'p.yaml'), 'x')).rejects.toThrow(`p.yaml: its folder ${join(dir, 'no-such-folder')} does not exist; create it first, or choose a path in a folder that exists.`);
  });

  // /proc/self exists, but no file can be made in it: the system answers ENOENT there too.
  it.runIf(existsSync('/proc/self'))('says what the system refused where the folder exists but takes no new file', async () => {
    await expect(writeTextFileAtomic('/proc/self/x', 'x')).rejects.toThrow(
      'Could not write /proc/self/x: the folder /proc/self exists, but no file can be created in it (ENOENT: no such file or directory); choose another place.',
    );
  });
});

describe('makeDataFolder', () => {
  it('makes the folder with its parents, and takes one that is there', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'microseg-data-')), 'config', 'microseg');
    await makeDataFolder(folder);
    await makeDataFolder(folder);
    expect(lstatSync(folder).isDirectory()).toBe(true);
  });

  // Saving a host's target or a backup makes these folders: the user is told where and why, not of an unexpected failure.
  it('says where and why a folder cannot be made, as a failed write does', async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'microseg-data-')), 'config');
    writeFileSync(blocker, 'a file where the settings folder goes');
    await expect(makeDataFolder(blocker)).rejects.toMatchObject({
      name: 'ServiceError',
      code: 'io',
      message: `Could not write ${blocker}: it is a file, not a folder; move it away, and the folder is made there.`,
    });
    await expect(makeDataFolder(join(blocker, 'microseg'))).rejects.toMatchObject({
      code: 'io',
      message: `Could not write ${join(blocker, 'microseg')}: ${blocker} is a file, not a folder, so the path cannot go through it; correct the path, or choose a folder that exists.`,
    });
  });
});

describe('readTextFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'microseg-read-'));

  it('reads a regular file whole', async () => {
    writeFileSync(join(dir, 'policy.yaml'), 'kind: Policy\n');
    expect(await readTextFile(join(dir, 'policy.yaml'))).toEqual({ path: join(dir, 'policy.yaml'), text: 'kind: Policy\n' });
  });

  it('refuses a folder, a device and a pipe without a writer before reading, instead of failing late or waiting forever', async () => {
    await expect(readTextFile(dir)).rejects.toThrow(`Could not read ${dir}: it is a folder, not a file; name a regular file.`);
    await expect(readTextFile('/dev/zero')).rejects.toThrow('Could not read /dev/zero: it is a device, not a file; name a regular file.');
    const pipe = join(dir, 'pipe.yaml');
    expect(spawnSync('mkfifo', [pipe]).status).toBe(0);
    await expect(readTextFile(pipe)).rejects.toThrow(/pipe\.yaml: it is a named pipe, not a file/);
  });

  it('reads UTF-8 only: another encoding is refused, naming the likely one, rather than read as garbled names', async () => {
    const file = (name: string, bytes: Buffer): string => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    };
    const bom = file('bom.csv', Buffer.from('\uFEFFname,host\ncafé,h1\n', 'utf8'));
    expect((await readTextFile(bom)).text).toBe('\uFEFFname,host\ncafé,h1\n');
    const latin1 = file('latin1.csv', Buffer.from('name,host\ncafé,h1\n', 'latin1'));
    await expect(readTextFile(latin1)).rejects.toThrow(`Could not read ${latin1}: it is not UTF-8 text (Windows-1252 or Latin-1, as spreadsheets often save, or a binary file); save it as UTF-8.`);
    for (const [name, bytes] of [['utf16-bom.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,host\n', 'utf16le')])], ['utf16.csv', Buffer.from('name,host\n', 'utf16le')]] as const) {
      const path = file(name, bytes);
      await expect(readTextFile(path), name).rejects.toThrow(`Could not read ${path}: it is not UTF-8 text (UTF-16, or a binary file); save it as UTF-8.`);
    }
  });

  it('refuses a file over the limit before reading it, and names the limit', async () => {
    const huge = join(dir, 'huge.yaml');
    writeFileSync(huge, '');
    // Sparse: the size is there without the disk space.
    truncateSync(huge, MAX_TEXT_FILE_BYTES + 1);
    await expect(readTextFile(huge)).rejects.toThrow(`Could not read ${huge}: it is 257 MB, more than the 256 MB an input file may be; check that it is the right file.`);
  });
});

describe('paths as typed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'microseg-typed-'));

  it('gives back one spelling of a file however it was typed, so a save knows the file it read', async () => {
    const file = join(dir, 'a.yaml');
    writeFileSync(file, 'one');
    for (const spelling of [`${dir}//a.yaml`, `${dir}/./a.yaml`, `${dir}/../${basename(dir)}/a.yaml`]) {
      expect((await readTextFile(spelling)).path, spelling).toBe(file);
      expect((await writeTextFileAtomic(spelling, 'two')).path, spelling).toBe(file);
    }
  });

  it('refuses a path ending in "/" (a folder) rather than reading or writing the file before it', async () => {
    const file = join(dir, 'b.yaml');
    writeFileSync(file, 'one');
    const message = `Could not write ${file}/: the path ends in "/", so it names a folder, not a file; remove the "/" or add the file's name after it.`;
    await expect(writeTextFileAtomic(`${file}/`, 'two')).rejects.toThrow(message);
    await expect(readTextFile(`${file}/`)).rejects.toThrow(message.replace('write', 'read'));
    expect(readFileSync(file, 'utf8')).toBe('one');
  });

  it('names the file a path goes through, instead of the system\'s ENOTDIR', async () => {
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'one');
    await expect(writeTextFileAtomic(join(file, 'd.yaml'), 'x')).rejects.toThrow(`Could not write ${file}/d.yaml: ${file} is a file, not a folder, so the path cannot go through it; correct the path, or choose a folder that exists.`);
    await expect(readTextFile(join(file, 'more', 'd.yaml'))).rejects.toThrow(`Could not read ${file}/more/d.yaml: ${file} is a file, not a folder, so the path cannot go through it; correct the path, or choose a folder that exists.`);
  });
});
