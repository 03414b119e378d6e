import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostTarget } from '@shared/api/contract';
import { fitsHostTargetRule, HOST_TARGET_RULES } from '@shared/api/host-target-rules';
import { writeTextFileAtomic } from './project-files';
import { ServiceError } from './service-error';

/**
 * The user's SSH targets, one per enforcement host, kept outside the policy file: addresses
 * and key paths are personal, the policy is shared. Key paths are stored, never keys.
 */
export class HostTargetStore {
  private readonly file: string;

  constructor(private readonly configDir: string) {
    this.file = join(configDir, 'hosts.json');
  }

  async list(): Promise<HostTarget[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []; // no targets saved yet
      throw this.unreadable((error as Error).message);
    }
    // A damaged file is said, never taken as empty: the next save would write the one target over all the others.
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
    const target = (await this.list()).find((t) => t.host === host);
    const problem = target === undefined ? undefined : problemOf(target);
    if (problem !== undefined) throw new ServiceError('bad-request', `The SSH target of host "${host}" in ${this.file} has ${problem}. Correct it with Edit target under Hosts.`);
    return target;
  }

  async save(target: HostTarget): Promise<HostTarget[]> {
    const others = (await this.list()).filter((t) => t.host !== target.host);
    return this.write([...others, target]);
  }

  async remove(host: string): Promise<HostTarget[]> {
    return this.write((await this.list()).filter((t) => t.host !== host));
  }

  private unreadable(reason: string): ServiceError {
    return new ServiceError('io', `The SSH targets in ${this.file} cannot be read (${reason}). Repair the file (JSON: { "hosts": [ … ] }) or delete it to configure the hosts anew.`);
  }

  private async write(hosts: HostTarget[]): Promise<HostTarget[]> {
    const sorted = hosts.sort((a, b) => a.host.localeCompare(b.host));
    await mkdir(this.configDir, { recursive: true });
    await writeTextFileAtomic(this.file, JSON.stringify({ hosts: sorted }, null, 2) + '\n');
    return sorted;
  }
}

/** What is wrong with a stored target, as `a bad bridge "x" (it must be …)`; undefined when it is sound. */
function problemOf(target: HostTarget): string | undefined {
  for (const field of ['address', 'user', 'bridge'] as const) {
    const value: unknown = target[field];
    if (typeof value !== 'string' || !fitsHostTargetRule(field, value)) return `a bad ${field} ${JSON.stringify(value)} (it must be ${HOST_TARGET_RULES[field].message})`;
  }
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) return `a bad port ${JSON.stringify(target.port)} (it must be a port from 1 to 65535)`;
  const auth: unknown = target.auth;
  const keyPath = (auth as { keyPath?: unknown } | null)?.keyPath;
  const kind = (auth as { kind?: unknown } | null)?.kind;
  if (kind === 'agent' || (kind === 'key' && typeof keyPath === 'string' && keyPath !== '')) return undefined;
  return `a bad auth ${JSON.stringify(auth)} (it must be { "kind": "agent" } or { "kind": "key", "keyPath": "…" })`;
}

/** JSON.parse's `… at position 474` with the line and column a person looks for: `… at line 19, column 5`. */
function withLineAndColumn(message: string, text: string): string {
  return message.replace(/at position (\d+)(?: \(line \d+ column \d+\))?/, (_, at: string) => {
    const before = text.slice(0, Number(at)).split('\n');
    return `at line ${before.length}, column ${before.at(-1)!.length + 1}`;
  });
}
