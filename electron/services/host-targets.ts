import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostTarget } from '@shared/api/contract';
import { writeTextFileAtomic } from './project-files';

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
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as { hosts?: HostTarget[] };
      return (parsed.hosts ?? []).sort((a, b) => a.host.localeCompare(b.host));
    } catch {
      return [];
    }
  }

  async get(host: string): Promise<HostTarget | undefined> {
    return (await this.list()).find((t) => t.host === host);
  }

  async save(target: HostTarget): Promise<HostTarget[]> {
    const others = (await this.list()).filter((t) => t.host !== target.host);
    return this.write([...others, target]);
  }

  async remove(host: string): Promise<HostTarget[]> {
    return this.write((await this.list()).filter((t) => t.host !== host));
  }

  private async write(hosts: HostTarget[]): Promise<HostTarget[]> {
    const sorted = hosts.sort((a, b) => a.host.localeCompare(b.host));
    await mkdir(this.configDir, { recursive: true });
    await writeTextFileAtomic(this.file, JSON.stringify({ hosts: sorted }, null, 2) + '\n');
    return sorted;
  }
}
