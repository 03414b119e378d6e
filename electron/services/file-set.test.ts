import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareFolder, writeFileSetAtomic, writeFileSetIntoFolder } from './file-set';

describe('writeFileSetAtomic', () => {
  /** A folder holding an earlier set: a.flows and b.flows saying "old". */
  function folderWithOldSet(): string {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-file-set-'));
    writeFileSync(join(dir, 'a.flows'), 'old a');
    writeFileSync(join(dir, 'b.flows'), 'old b');
    return dir;
  }

  it('replaces every file of the set', async () => {
    const dir = folderWithOldSet();
    const written = await writeFileSetAtomic([{ path: join(dir, 'a.flows'), text: 'new a' }, { path: join(dir, 'b.flows'), text: 'new b' }]);
    expect(written).toEqual([join(dir, 'a.flows'), join(dir, 'b.flows')]);
    expect(readdirSync(dir).sort()).toEqual(['a.flows', 'b.flows']);
    expect(readFileSync(join(dir, 'b.flows'), 'utf8')).toBe('new b');
  });

  it('makes a text given as a function only when its file is written, after the files before it', async () => {
    const dir = folderWithOldSet();
    // What the folder holds as each text is made: the temporaries of the files written so far.
    const seen: string[][] = [];
    const file = (name: string) => ({ path: join(dir, name), text: () => (seen.push(readdirSync(dir).filter((n) => n.endsWith('.tmp'))), `new ${name}`) });
    await writeFileSetAtomic([file('a.flows'), file('b.flows'), file('c.flows')]);
    expect(seen.map((temps) => temps.length)).toEqual([0, 1, 2]);
    expect(readFileSync(join(dir, 'c.flows'), 'utf8')).toBe('new c.flows');
  });

  it('on a write error leaves every old file as it was, with no temporary left, and names the file', async () => {
    const dir = folderWithOldSet();
    // A name too long for the temporary beside it fails the second write, after the first.
    const tooLong = join(dir, `${'x'.repeat(250)}.flows`);
    const files = [{ path: join(dir, 'a.flows'), text: 'new a' }, { path: tooLong, text: 'new' }, { path: join(dir, 'b.flows'), text: 'new b' }];
    await expect(writeFileSetAtomic(files)).rejects.toThrow(`Nothing written into ${dir}: could not write ${tooLong}: the file name is too long (ENAMETOOLONG); choose a shorter name or a shorter path.`);
    expect(readdirSync(dir).sort()).toEqual(['a.flows', 'b.flows']);
    expect(readFileSync(join(dir, 'a.flows'), 'utf8')).toBe('old a');
  });

  // /proc/self exists, but no file can be made in it: the system answers ENOENT there, as for a missing folder.
  it.runIf(existsSync('/proc/self'))('says what the system refused where the folder exists but takes no new file', async () => {
    await expect(writeFileSetAtomic([{ path: '/proc/self/a.flows', text: 'a' }])).rejects.toThrow(
      'Nothing written into /proc/self: could not write /proc/self/a.flows: the folder /proc/self exists, but no file can be created in it (ENOENT: no such file or directory); choose another folder.',
    );
  });

  it('when interrupted writes nothing and removes its temporaries', async () => {
    const dir = folderWithOldSet();
    const interrupt = new AbortController();
    const files = [{ path: join(dir, 'a.flows'), text: 'new a' }, { path: join(dir, 'b.flows'), text: 'new b' }];
    const writing = writeFileSetAtomic(files, interrupt.signal);
    interrupt.abort();
    await expect(writing).rejects.toThrow(/^Interrupted: nothing written into/);
    expect(readdirSync(dir).sort()).toEqual(['a.flows', 'b.flows']);
    expect(readFileSync(join(dir, 'a.flows'), 'utf8')).toBe('old a');
  });

  it('refuses a folder in a file\'s place before writing any file', async () => {
    const dir = folderWithOldSet();
    mkdirSync(join(dir, 'c.flows'));
    const files = [{ path: join(dir, 'a.flows'), text: 'new a' }, { path: join(dir, 'c.flows'), text: 'new c' }];
    await expect(writeFileSetAtomic(files)).rejects.toThrow(/c\.flows is a folder, not a file; move it away/);
    expect(readFileSync(join(dir, 'a.flows'), 'utf8')).toBe('old a');
    expect(readdirSync(dir).sort()).toEqual(['a.flows', 'b.flows', 'c.flows']);
  });
});

describe('writeFileSetIntoFolder', () => {
  it('writes the set into a folder it makes, placed by the full path', async () => {
    const base = mkdtempSync(join(tmpdir(), 'microseg-into-'));
    const result = await writeFileSetIntoFolder(join(base, 'out', '.', 'flows'), (folder) => [{ path: join(folder, 'a.flows'), text: 'a' }]);
    expect(result).toEqual({ folder: join(base, 'out', 'flows'), written: [join(base, 'out', 'flows', 'a.flows')] });
    expect(readFileSync(join(base, 'out', 'flows', 'a.flows'), 'utf8')).toBe('a');
  });

  it('on a write error removes the folders it made, and only those', async () => {
    const base = mkdtempSync(join(tmpdir(), 'microseg-into-'));
    mkdirSync(join(base, 'there'));
    const files = (folder: string): { path: string; text: string }[] => [{ path: join(folder, 'a.flows'), text: 'a' }, { path: join(folder, `${'x'.repeat(250)}.flows`), text: 'b' }];
    await expect(writeFileSetIntoFolder(join(base, 'there', 'new', 'out'), files)).rejects.toThrow(/^Nothing written into .*the file name is too long/);
    expect(readdirSync(base)).toEqual(['there']);
    expect(readdirSync(join(base, 'there'))).toEqual([]);
  });

  it('when interrupted removes the folder it made', async () => {
    const base = mkdtempSync(join(tmpdir(), 'microseg-into-'));
    const interrupt = new AbortController();
    interrupt.abort();
    await expect(writeFileSetIntoFolder(join(base, 'out'), (folder) => [{ path: join(folder, 'a.flows'), text: 'a' }], interrupt.signal)).rejects.toThrow(/^Interrupted: nothing written into/);
    expect(readdirSync(base)).toEqual([]);
  });

  it('leaves a folder that was there, and its files, when the write fails', async () => {
    const base = mkdtempSync(join(tmpdir(), 'microseg-into-'));
    writeFileSync(join(base, 'a.flows'), 'old a');
    await expect(writeFileSetIntoFolder(base, (folder) => [{ path: join(folder, 'a.flows'), text: 'new a' }, { path: join(folder, `${'x'.repeat(250)}.flows`), text: 'b' }])).rejects.toThrow(/^Nothing written/);
    expect(readdirSync(base)).toEqual(['a.flows']);
    expect(readFileSync(join(base, 'a.flows'), 'utf8')).toBe('old a');
  });
});

describe('prepareFolder', () => {
  it('says a file is in the way of the folder, and what to do', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'microseg-folder-')), 'afile');
    writeFileSync(file, '');
    await expect(prepareFolder(file)).rejects.toThrow(`Cannot create the folder ${file}: it is a file, not a folder; choose a folder, or a name not taken yet.`);
    await expect(prepareFolder(join(file, 'out'))).rejects.toThrow(`Cannot create the folder ${join(file, 'out')}: ${file}, a part of its path, is a file, not a folder; choose a folder, or a name not taken yet.`);
  });

  it('names a device in the way as a device, not a file', async () => {
    await expect(prepareFolder('/dev/null')).rejects.toThrow('Cannot create the folder /dev/null: it is a device, not a folder; choose a folder, or a name not taken yet.');
    await expect(prepareFolder('/dev/null/out')).rejects.toThrow('Cannot create the folder /dev/null/out: /dev/null, a part of its path, is a device, not a folder;');
  });

  it('makes the missing folders of a path, names those it made, and leaves a folder that is there as it is', async () => {
    const base = mkdtempSync(join(tmpdir(), 'microseg-folder-'));
    await expect(prepareFolder(join(base, 'a', 'b'))).resolves.toEqual({ path: join(base, 'a', 'b'), made: [join(base, 'a'), join(base, 'a', 'b')] });
    expect(statSync(join(base, 'a', 'b')).isDirectory()).toBe(true);
    await expect(prepareFolder(join(base, 'a'))).resolves.toEqual({ path: join(base, 'a'), made: [] });
  });

  it('failing halfway down a path, removes the folders it made on the way', async () => {
    const base = mkdtempSync(join(tmpdir(), 'microseg-folder-'));
    // new/ can be made, the name below it cannot (longer than a file name may be).
    const tooLong = join(base, 'new', 'x'.repeat(300));
    await expect(prepareFolder(tooLong)).rejects.toThrow(`Cannot create the folder ${tooLong}: the file name is too long (ENAMETOOLONG); choose a shorter name or a shorter path.`);
    expect(readdirSync(base)).toEqual([]);
  });

  // Where mkdir says "no such file" though the parent is there, Node's recursive mkdir retries for ever.
  it.runIf(existsSync('/proc/self'))('fails, not hangs, where no folder can be made though its parent exists', async () => {
    await expect(prepareFolder('/proc/self/microseg-out')).rejects.toThrow(
      'Cannot create the folder /proc/self/microseg-out: no folder can be made there (ENOENT: no such file or directory); choose another place.',
    );
  });
});
