import { join } from 'node:path';
import type { HostTarget, HostTargets } from '@shared/api/contract';
import { HOST_TARGET_RULES, sshSwitch } from '@shared/api/host-target-rules';
import { z } from 'zod';
import { ServiceError } from './service-error';
import { readAppFile, writeAppFile, type AppFile } from './app-file';
import { namesASwitch, sharerOf } from './switch-identity';

const PORT_RULE = 'it must be a port from 1 to 65535';
const AUTH_RULE = 'it must be { "kind": "agent" } or { "kind": "key", "keyPath": "…" }';

/**
 * A target as a save request must give it and as remote work takes it from the file: the
 * bridge and user reach a remote command line, so only what HOST_TARGET_RULES allows.
 */
export const HOST_TARGET_SCHEMA = z.strictObject({
  host: z.string().min(1).max(253),
  address: z.string().regex(HOST_TARGET_RULES.address.pattern, `it must be ${HOST_TARGET_RULES.address.message}`),
  port: z.number(PORT_RULE).int(PORT_RULE).min(1, PORT_RULE).max(65535, PORT_RULE),
  user: z.string().regex(HOST_TARGET_RULES.user.pattern, `it must be ${HOST_TARGET_RULES.user.message}`),
  auth: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('key'), keyPath: z.string(AUTH_RULE).min(1, AUTH_RULE).max(4096) }), z.strictObject({ kind: z.literal('agent') })], AUTH_RULE),
  bridge: z.string().regex(HOST_TARGET_RULES.bridge.pattern, `it must be ${HOST_TARGET_RULES.bridge.message}`),
});

/**
 * The target a change was made from, as the file held it then: only compared, never run, so a
 * target that breaks HOST_TARGET_SCHEMA (hand-edited) can still be corrected from the form.
 */
export const BASE_TARGET_SCHEMA = z.strictObject({
  host: z.string().max(253),
  address: z.string().max(4096),
  port: z.number(),
  user: z.string().max(4096),
  auth: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('key'), keyPath: z.string().max(4096) }), z.strictObject({ kind: z.literal('agent') })]),
  bridge: z.string().max(4096),
});

/**
 * The user's SSH targets, one per enforcement host, kept outside the policy file: addresses
 * and key paths are personal, the policy is shared. Key paths are stored, never keys.
 */
export class HostTargetStore {
  private readonly file: string;
  private readonly appFile: AppFile;

  constructor(configDir: string) {
    this.file = join(configDir, 'hosts.json');
    this.appFile = { path: this.file, holds: 'The SSH targets', thenDo: 'configure the hosts anew under Hosts' };
  }

  async list(): Promise<HostTarget[]> {
    const text = await readAppFile(this.appFile);
    if (text === undefined) return []; // no targets saved yet
    // A damaged file is said, never taken as empty: the next save would write the one target over all the others.
    if (text.trim() === '') throw this.unreadable('it is empty');
    let hosts: unknown;
    try {
      hosts = (JSON.parse(text) as { hosts?: unknown } | null)?.hosts;
    } catch (error) {
      throw this.unreadable(withLineAndColumn((error as Error).message, text));
    }
    if (!Array.isArray(hosts)) throw this.unreadable('it has no "hosts" list');
    const nameless = hosts.findIndex((t: unknown) => typeof (t as { host?: unknown } | null)?.host !== 'string');
    if (nameless >= 0) throw this.unreadable(`entry ${nameless + 1} of "hosts" has no "host" name`);
    return (hosts as HostTarget[]).sort((a, b) => a.host.localeCompare(b.host));
  }

  /**
   * The target that remote work runs on. Checked as a save checks it: the file may have been
   * edited by hand, and its bridge and user reach a remote command line.
   */
  async get(host: string): Promise<HostTarget | undefined> {
    return this.targetIn(await this.list(), host);
  }

  /**
   * The host's target as `get` checks it, from `targets` as `list` read them: work on several
   * hosts reads the file once, so a hand edit meanwhile cannot give it targets from two versions.
   */
  targetIn(targets: readonly HostTarget[], host: string): HostTarget | undefined {
    const target = targets.find((t) => t.host === host);
    const problem = target === undefined ? undefined : problemOf(target);
    if (problem !== undefined) throw new ServiceError('bad-request', `The SSH target of host "${host}" in ${this.file} has ${problem}. Correct it with Edit target under Hosts.`);
    return target;
  }

  /**
   * Puts `target` in place of the host's target and keeps every other host's as the file holds it
   * now. `base`: the host's target the change was made from (null: it had none); when the file
   * holds another one by now (another window saved or forgot it, or the file was edited), the save
   * is refused, saying what changed. Without `base`, the host's target is replaced whatever it is.
   */
  async save(target: HostTarget, base?: HostTarget | null): Promise<HostTarget[]> {
    return this.change((hosts) => {
      const current = hosts.find((t) => t.host === target.host);
      // A window that saw the other change first and made the same one has nothing to be told.
      if (base !== undefined && !sameTarget(current, base) && !sameTarget(current, target)) throw this.stale(target.host, base, current);
      // Checked here, in the queue of changes, so that two windows cannot each give one switch to another host.
      const sharer = sharerOf(target, hosts);
      if (sharer !== undefined) throw sharedSwitch(target, sharer);
      return [...hosts.filter((t) => t.host !== target.host), target];
    });
  }

  /**
   * Forgets the host's target. `base`: the target the form showed; when the file holds another
   * one by now (another window saved it), nothing is forgotten and it fails with code `conflict`.
   * A target forgotten already is no conflict: the file ends as asked. Without `base`, whatever
   * target the host has is forgotten.
   */
  async remove(host: string, base?: HostTarget): Promise<HostTarget[]> {
    return this.change((hosts) => {
      const current = hosts.find((t) => t.host === host);
      if (base !== undefined && current !== undefined && !sameTarget(current, base)) {
        throw new ServiceError(
          'conflict',
          `The SSH target of host "${host}" was changed elsewhere (another window, or ${this.file} edited) after this form opened: ${changesOf(base, current)}. ` +
            'It was not forgotten. Forget target again to forget that one, or Cancel to keep it.',
        );
      }
      return hosts.filter((t) => t.host !== host);
    });
  }

  /**
   * Reads the file, edits its list and writes it back, one change after another per file: windows
   * of one process (the desktop app's, or the browser build's tabs on one host) save at once, and
   * two changes reading the file before either wrote it kept only the one written last. The
   * write is atomic (a temporary file renamed over it), so a reader never sees half a file.
   * Another process on the same folder (the desktop app and a browser-mode host at once) is not
   * waited for: its save between this read and this write is lost; one before the read shows as a stale base.
   */
  private change(edit: (hosts: HostTarget[]) => HostTarget[]): Promise<HostTarget[]> {
    const earlier = changes.get(this.file) ?? Promise.resolve();
    const done = earlier.then(async () => this.write(edit(await this.list())));
    // The next change waits for this one whether or not it was made; a failure is this caller's to hear.
    const settled = done.then(() => undefined, () => undefined);
    changes.set(this.file, settled);
    void settled.then(() => {
      if (changes.get(this.file) === settled) changes.delete(this.file);
    });
    return done;
  }

  private stale(host: string, base: HostTarget | null, current: HostTarget | undefined): ServiceError {
    const again = 'Your form is kept: Save target again to put yours in its place, or Cancel to keep that one.';
    if (current === undefined) {
      return new ServiceError('conflict', `The SSH target of host "${host}" was forgotten elsewhere (another window, or ${this.file} edited) after this form opened, so yours was not saved. Save target again to configure it anew, or Cancel.`);
    }
    const now = sshSwitch(current);
    if (base === null) {
      return new ServiceError('conflict', `Host "${host}" was given an SSH target elsewhere (another window, or ${this.file} edited) after this form opened: ${now}. Yours was not saved. ${again}`);
    }
    return new ServiceError('conflict', `The SSH target of host "${host}" was changed elsewhere (another window, or ${this.file} edited) after this form opened: ${changesOf(base, current)}. Yours was not saved. ${again}`);
  }

  private unreadable(reason: string): ServiceError {
    return new ServiceError('io', `The SSH targets in ${this.file} cannot be read (${reason}). Repair the file (JSON: { "hosts": [ … ] }) or delete it to configure the hosts anew.`);
  }

  private async write(hosts: HostTarget[]): Promise<HostTarget[]> {
    const sorted = hosts.sort((a, b) => a.host.localeCompare(b.host));
    await writeAppFile(this.appFile, JSON.stringify({ hosts: sorted }, null, 2) + '\n');
    return sorted;
  }
}

/**
 * The targets with the hosts whose switch another target reaches too, by the rule deploys and
 * rollbacks are refused by (sharerOf), so that the renderer never offers what would be refused.
 */
export function withSharedSwitches(targets: HostTarget[]): HostTargets {
  const sharedSwitches = targets.flatMap((target) => {
    const sharer = namesASwitch(target) ? sharerOf(target, targets) : undefined;
    return sharer === undefined ? [] : [{ host: target.host, sharer: sharer.host }];
  });
  return { targets, sharedSwitches };
}

/** The last change queued per hosts.json, which the next one waits for (see HostTargetStore.change). */
const changes = new Map<string, Promise<void>>();

/** Why `target` cannot be saved while `sharer`, another host's target, reaches the same switch. */
function sharedSwitch(target: HostTarget, sharer: HostTarget): ServiceError {
  const [mine, theirs] = [sshSwitch(target), sshSwitch(sharer)];
  const spelled = mine === theirs ? '' : ` (${mine} names the same machine, port and bridge)`;
  return new ServiceError(
    'bad-request',
    `Host "${sharer.host}" already reaches the switch at ${theirs}${spelled}, and a deploy to either host would replace all of that bridge's Microseg flows, undoing the other's. ` +
      `The target of host "${target.host}" was not saved: give it a switch of its own (another machine, port or bridge), or Forget target on host "${sharer.host}" first.`,
  );
}

/** How a person reads a target's settings, field by field. */
function fieldsOf(target: HostTarget): Record<string, string> {
  const auth = target.auth.kind === 'key' ? `key ${target.auth.keyPath}` : 'SSH agent';
  return { address: target.address, port: String(target.port), user: target.user, authentication: auth, bridge: target.bridge };
}

function sameTarget(a: HostTarget | null | undefined, b: HostTarget | null | undefined): boolean {
  if (a == null || b == null) return a == null && b == null;
  return JSON.stringify(fieldsOf(a)) === JSON.stringify(fieldsOf(b));
}

/** What changed from `before` to `after`: `address 10.0.0.1 → 10.0.0.2, bridge br-int → br0`. */
function changesOf(before: HostTarget, after: HostTarget): string {
  const [was, now] = [fieldsOf(before), fieldsOf(after)];
  return Object.keys(now)
    .filter((field) => was[field] !== now[field])
    .map((field) => `${field} ${was[field]!} → ${now[field]!}`)
    .join(', ');
}

/** What is wrong with a stored target, as `a bad bridge "x" (it must be …)`; undefined when it is sound. */
function problemOf(target: HostTarget): string | undefined {
  const checked = HOST_TARGET_SCHEMA.safeParse(target);
  const issue = checked.success ? undefined : checked.error.issues[0];
  if (issue === undefined) return undefined;
  const field = String(issue.path[0] ?? 'entry');
  return `a bad ${field} ${JSON.stringify((target as unknown as Record<string, unknown>)[field])} (${issue.message})`;
}

/** JSON.parse's `… at position 474` with the line and column a person looks for: `… at line 19, column 5`. */
function withLineAndColumn(message: string, text: string): string {
  return message.replace(/at position (\d+)(?: \(line \d+ column \d+\))?/, (_, at: string) => {
    const before = text.slice(0, Number(at)).split('\n');
    return `at line ${before.length}, column ${before.at(-1)!.length + 1}`;
  });
}
