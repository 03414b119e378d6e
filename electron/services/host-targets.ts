import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostTarget } from '@shared/api/contract';
import { HOST_TARGET_RULES } from '@shared/api/host-target-rules';
import { z } from 'zod';
import { writeTextFileAtomic } from './project-files';
import { ServiceError } from './service-error';

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
