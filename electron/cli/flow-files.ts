import { join } from 'node:path';
import { prepareFolder, writeFileSetAtomic } from '../services/file-set';
import { hostFileName } from '../services/host-file-name';
import { ServiceError } from '../services/service-error';
import { CliFailure, EXIT } from './inputs';

// `compile --out DIR`: one HOST.flows per host, replaced as a set, so a deploy script that
// loops over the folder never pushes half a table or a mix of two compiles.

/** A host's table as `ovs-ofctl add-flows` reads it. */
export interface HostFlowText {
  host: string;
  text: string;
}

/** `DIR/HOST.flows`, a name that stays inside DIR whatever the inventory calls the host. */
export function flowFilePath(dir: string, host: string): string {
  return join(dir, hostFileName(flowFileName(host), '.flows'));
}

/**
 * Writes every host's file, all or nothing. Ctrl-C while the files are written removes what
 * was written so far and leaves the old files; a write error says which file and why.
 */
export async function writeFlowFiles(dir: string, tables: readonly HostFlowText[]): Promise<void> {
  const interrupt = new AbortController();
  const onInterrupt = (): void => interrupt.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const full = await prepareFolder(dir);
    await writeFileSetAtomic(tables.map((t) => ({ path: flowFilePath(full, t.host), text: t.text })), interrupt.signal);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    if (interrupt.signal.aborted) throw new CliFailure(EXIT.interrupted, error.message, [], false);
    throw new CliFailure(EXIT.usage, error.message, [], false);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

/** A host name as a file name: characters outside a safe set replaced, never `.` or `..`. */
function flowFileName(host: string): string {
  const safe = host.replace(/[^A-Za-z0-9_.:-]/g, '_');
  return /^\.*$/.test(safe) ? `_${safe}` : safe;
}
