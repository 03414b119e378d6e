import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostTarget } from '@shared/api/contract';
import { describe, expect, it, vi } from 'vitest';
import { HostTargetStore, withSharedSwitches } from './host-targets';

// The tests run as root, whom no folder's mode refuses: a refused write comes from this double.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  return { ...real, writeFile: vi.fn(real.writeFile) };
});

const SOUND: HostTarget = { host: 'h1', address: '127.0.0.1', port: 2222, user: 'root', auth: { kind: 'key', keyPath: '/keys/id' }, bridge: 'br-int' };

/** A store whose hosts.json holds `hosts` as written by hand. */
function storeHolding(hosts: unknown[]): { store: HostTargetStore; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'microseg-targets-'));
  const file = join(dir, 'hosts.json');
  writeFileSync(file, JSON.stringify({ hosts }));
  return { store: new HostTargetStore(dir), file };
}

describe('HostTargetStore.get on a hand-edited hosts.json', () => {
  it('gives a sound target as written', async () => {
    expect(await storeHolding([SOUND]).store.get('h1')).toEqual(SOUND);
  });

  it('refuses a bridge that would reach the remote shell, naming the file, the host and the field', async () => {
    const { store, file } = storeHolding([{ ...SOUND, bridge: 'br-int;touch /tmp/x' }]);

    await expect(store.get('h1')).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining(`The SSH target of host "h1" in ${file} has a bad bridge "br-int;touch /tmp/x" (it must be a bridge name`) as unknown,
    });
  });

  it.each([
    ['user', { user: 'root$(id)' }],
    ['address', { address: '10.0.0.1 -oProxyCommand=x' }],
    ['port', { port: 70000 }],
    ['auth', { auth: { kind: 'key' } }],
  ])('refuses a bad %s', async (field, change) => {
    await expect(storeHolding([{ ...SOUND, ...change }]).store.get('h1')).rejects.toThrow(`has a bad ${field} `);
  });

  it('refuses a port written into the address, saying where the port goes', async () => {
    await expect(storeHolding([{ ...SOUND, address: '127.0.0.1:2222' }]).store.get('h1')).rejects.toThrow(
      'has a bad address "127.0.0.1:2222" (it must be a host name or IP address, IPv6 with its zone if it needs one (fe80::1%eth0); its port goes in the Port field). Correct it with Edit target under Hosts.',
    );
  });

  // A new user's defect: a link-local address with its zone, as `ip -6 addr` shows the interface, was refused.
  it('gives a target whose address is IPv6 with its zone, bracketed or bare', async () => {
    for (const address of ['[fe80::1%eth0]', 'fe80::1%eth0']) expect(await storeHolding([{ ...SOUND, address }]).store.get('h1')).toMatchObject({ address });
  });

  it('still lists a bad target, so the Hosts panel can show it for correcting', async () => {
    const bad = { ...SOUND, bridge: 'br;x' };
    expect(await storeHolding([bad]).store.list()).toEqual([bad]);
  });
});

describe('HostTargetStore on a damaged hosts.json', () => {
  it('says the file cannot be read, and a save leaves the other targets in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-targets-'));
    const file = join(dir, 'hosts.json');
    // A hand edit that left a trailing comma.
    const damaged = JSON.stringify({ hosts: [SOUND, { ...SOUND, host: 'h2' }] }).replace('"br-int"}', '"br-int",}');
    writeFileSync(file, damaged);
    const store = new HostTargetStore(dir);

    // The comma ends line 1 of this one-line file, before the closing brace.
    await expect(store.list()).rejects.toThrow(`The SSH targets in ${file} cannot be read (`);
    await expect(store.list()).rejects.toThrow(`at line 1, column ${damaged.indexOf(',}') + 2}`);
    await expect(store.save({ ...SOUND, host: 'h3' })).rejects.toThrow('Repair the file');
    expect(readFileSync(file, 'utf8')).toBe(damaged);
  });

  it('names an entry without a host name rather than failing as a bug', async () => {
    const { store } = storeHolding([SOUND, { address: '127.0.0.1' }]);
    await expect(store.list()).rejects.toThrow('cannot be read (entry 2 of "hosts" has no "host" name)');
  });

  // QA's defect: the Hosts panel, a deploy and a rollback said "EISDIR: illegal operation on a directory, read".
  it('says in plain words that a folder has its name, and what to do, for every reader of the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-targets-'));
    const file = join(dir, 'hosts.json');
    mkdirSync(file);
    const store = new HostTargetStore(dir);
    const said = `The SSH targets in ${file} cannot be read: it is a folder, not a file; move it away and configure the hosts anew under Hosts.`;
    await expect(store.list()).rejects.toThrow(said);
    await expect(store.get('h1')).rejects.toThrow(said);
    await expect(store.save(SOUND)).rejects.toThrow(said);
  });

  it('says that an empty file is empty, not that JSON input ended unexpectedly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-targets-'));
    writeFileSync(join(dir, 'hosts.json'), '\n');
    await expect(new HostTargetStore(dir).list()).rejects.toThrow(`The SSH targets in ${join(dir, 'hosts.json')} cannot be read (it is empty). Repair the file`);
  });

  it('has no targets while the file does not exist', async () => {
    expect(await new HostTargetStore(join(mkdtempSync(join(tmpdir(), 'microseg-targets-')), 'config')).list()).toEqual([]);
  });
});

/** Another host's target like SOUND, on a switch of its own (a bridge named after the host). */
const other = (host: string): HostTarget => ({ ...SOUND, host, bridge: `br-${host}` });

describe('HostTargetStore saves from several windows at once', () => {
  const fresh = (): { store: HostTargetStore; file: string } => storeHolding([]);

  it('keeps both of two saves made at the same time, each of its own host', async () => {
    const { store, file } = fresh();
    const second = new HostTargetStore(join(file, '..'));

    await Promise.all([store.save(SOUND, null), second.save(other('h2'), null), store.save(other('h3'))]);

    expect((await store.list()).map((t) => t.host)).toEqual(['h1', 'h2', 'h3']);
  });

  it('keeps the other targets when a save and a removal come at the same time', async () => {
    const { store } = storeHolding([SOUND, other('h2')]);

    await Promise.all([store.remove('h1'), store.save(other('h3'), null)]);

    expect((await store.list()).map((t) => t.host)).toEqual(['h2', 'h3']);
  });

  it('refuses a save made from a target another window has changed since, saying what changed, and keeps theirs', async () => {
    const { store, file } = storeHolding([SOUND]);
    const theirs = { ...SOUND, address: '10.0.0.2', bridge: 'br0' };
    await store.save(theirs, SOUND);
    const written = readFileSync(file, 'utf8');

    await expect(store.save({ ...SOUND, user: 'ops' }, SOUND)).rejects.toMatchObject({
      code: 'conflict',
      message:
        `The SSH target of host "h1" was changed elsewhere (another window, or ${file} edited) after this form opened: ` +
        'address 127.0.0.1 → 10.0.0.2, bridge br-int → br0. Yours was not saved. Your form is kept: Save target again to put yours in its place, or Cancel to keep that one.',
    });
    expect(readFileSync(file, 'utf8')).toBe(written);

    // Saved again from what the file holds now, it replaces theirs.
    await store.save({ ...theirs, user: 'ops' }, theirs);
    expect(await store.get('h1')).toEqual({ ...theirs, user: 'ops' });
  });

  it('refuses a first target when another window gave the host one meanwhile, and a target another window forgot', async () => {
    const { store, file } = storeHolding([SOUND]);
    await expect(store.save({ ...SOUND, port: 22 }, null)).rejects.toThrow(
      `Host "h1" was given an SSH target elsewhere (another window, or ${file} edited) after this form opened: root@127.0.0.1:2222, bridge br-int. Yours was not saved.`,
    );

    await store.remove('h1');
    await expect(store.save({ ...SOUND, port: 22 }, SOUND)).rejects.toThrow('The SSH target of host "h1" was forgotten elsewhere');
    expect(await store.list()).toEqual([]);
  });

  it('takes a save that makes the change another window already made', async () => {
    const { store } = storeHolding([SOUND]);
    const changed = { ...SOUND, bridge: 'br0' };
    await store.save(changed, SOUND);

    expect(await store.save(changed, SOUND)).toEqual([changed]);
  });
});

describe('HostTargetStore forgetting a target from several windows', () => {
  it('refuses to forget a target another window has changed since the form opened, saying what changed, and keeps theirs', async () => {
    const { store, file } = storeHolding([SOUND, other('h2')]);
    const theirs = { ...SOUND, address: '10.0.0.2' };
    await store.save(theirs, SOUND);
    const written = readFileSync(file, 'utf8');

    await expect(store.remove('h1', SOUND)).rejects.toMatchObject({
      code: 'conflict',
      message:
        `The SSH target of host "h1" was changed elsewhere (another window, or ${file} edited) after this form opened: address 127.0.0.1 → 10.0.0.2. ` +
        'It was not forgotten. Forget target again to forget that one, or Cancel to keep it.',
    });
    expect(readFileSync(file, 'utf8')).toBe(written);

    // Forgotten again from what the file holds now, it goes; the other host keeps its target.
    expect(await store.remove('h1', theirs)).toEqual([other('h2')]);
  });

  it('takes a forget of a target another window forgot already', async () => {
    const { store } = storeHolding([SOUND, other('h2')]);
    await store.remove('h1', SOUND);

    expect(await store.remove('h1', SOUND)).toEqual([other('h2')]);
  });
});

describe('HostTargetStore keeping each switch to one host', () => {
  it('refuses a target that reaches the switch another host reaches, however spelled, naming that host and what to do', async () => {
    const { store } = storeHolding([SOUND]);

    await expect(store.save({ ...SOUND, host: 'h2' }, null)).rejects.toMatchObject({
      code: 'bad-request',
      message:
        'Host "h1" already reaches the switch at root@127.0.0.1:2222, bridge br-int, and a deploy to either host would replace all of that bridge\'s Microseg flows, undoing the other\'s. ' +
        'The target of host "h2" was not saved: give it a switch of its own (another machine, port or bridge), or Forget target on host "h1" first.',
    });
    await expect(store.save({ ...SOUND, host: 'h2', address: 'localhost', user: 'ops' }, null)).rejects.toThrow(
      'Host "h1" already reaches the switch at root@127.0.0.1:2222, bridge br-int (ops@localhost:2222, bridge br-int names the same machine, port and bridge)',
    );
    // Nor may a host's target be moved onto another's switch.
    await store.save(other('h2'), null);
    await expect(store.save({ ...other('h2'), bridge: SOUND.bridge }, other('h2'))).rejects.toThrow('The target of host "h2" was not saved');
    expect(await store.list()).toEqual([SOUND, other('h2')]);
  });

  // A previous session's finding: zoned IPv6 addresses were compared as text, so one link-local switch took two hosts.
  it('refuses a zoned IPv6 address spelled otherwise, the zone kept apart as Linux names interfaces', async () => {
    const { store } = storeHolding([{ ...SOUND, address: 'fe80::1%eth0' }]);

    await expect(store.save({ ...SOUND, host: 'h2', address: 'fe80::0001%eth0' }, null)).rejects.toThrow(
      'Host "h1" already reaches the switch at root@[fe80::1%eth0]:2222, bridge br-int (root@[fe80::0001%eth0]:2222, bridge br-int names the same machine, port and bridge)',
    );
    expect((await store.save({ ...SOUND, host: 'h2', address: 'fe80::1%eth1' }, null)).map((t) => t.host)).toEqual(['h1', 'h2']);
  });

  it('gives a switch to only one of two hosts saved for it at the same time (two windows)', async () => {
    const { store, file } = storeHolding([]);
    const second = new HostTargetStore(join(file, '..'));

    const both = await Promise.allSettled([store.save(SOUND, null), second.save({ ...SOUND, host: 'h2' }, null)]);

    expect(both.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(await store.list()).toEqual([SOUND]);
  });

  it('saves a target beside a hand-edited entry that names no address', async () => {
    const { store } = storeHolding([{ host: 'h2', port: 22 }]);

    expect((await store.save(SOUND, null)).map((t) => t.host)).toEqual(['h1', 'h2']);
  });

  it('takes a target once the host that reached its switch is forgotten, and a host saved again on its own switch', async () => {
    const { store } = storeHolding([SOUND]);
    await store.remove('h1', SOUND);
    await store.save({ ...SOUND, host: 'h2' }, null);
    await store.save({ ...SOUND, host: 'h2', user: 'ops' }, { ...SOUND, host: 'h2' });

    expect(await store.list()).toEqual([{ ...SOUND, host: 'h2', user: 'ops' }]);
  });
});

describe('withSharedSwitches', () => {
  it('names, for each host of a pair that reaches one switch however spelled, the other host, as deploys are refused by', () => {
    const targets = [SOUND, { ...SOUND, host: 'h2', address: 'localhost' }, { ...SOUND, host: 'h3', bridge: 'br-other' }];

    expect(withSharedSwitches(targets)).toEqual({
      targets,
      sharedSwitches: [
        { host: 'h1', sharer: 'h2' },
        { host: 'h2', sharer: 'h1' },
      ],
    });
  });

  it('passes over an entry of a hand-edited file without an address, which names no switch', () => {
    const targets = [SOUND, { ...SOUND, host: 'h2', address: undefined as unknown as string }];

    expect(withSharedSwitches(targets).sharedSwitches).toEqual([]);
  });
});

// A review's defect: a refused save of hosts.json gave the advice for a file the user names
// ("choose a folder you may write in"), though its folder is the app's, not the user's choice.
describe('HostTargetStore.save where the system refuses the write', () => {
  it('says which file, why, and what to do about its folder', async () => {
    const { store, file } = storeHolding([]);
    vi.mocked(writeFile).mockRejectedValueOnce(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    await expect(store.save(SOUND)).rejects.toThrow(
      `The SSH targets cannot be saved in ${file}: permission denied (EACCES): this user may not write in ${join(file, '..')}; give this user write access to it (the app keeps its settings there), or run the app as the user who owns it.`,
    );
  });
});
