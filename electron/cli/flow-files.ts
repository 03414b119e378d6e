import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Diagnostic } from '@shared/diagnostics';
import { writeFileSetIntoFolder } from '../services/file-set';
import { hostFileName } from '../services/host-file-name';
import { ioReason } from '../services/io-advice';
import { ServiceError } from '../services/service-error';
import { CliFailure, EXIT } from './inputs';

// `compile --out DIR`: one HOST.flows per host, replaced as a set, so a deploy script that
// loops over the folder never pushes half a table or a mix of two compiles.

/** A host's table as `ovs-ofctl add-flows` reads it: printed when its file is written, so one host's text is held at a time. */
export interface HostFlowText {
  host: string;
  text: () => string;
}

/** `DIR/HOST.flows`, a name that stays inside DIR whatever the inventory calls the host. */
export function flowFilePath(dir: string, host: string): string {
  return join(dir, hostFileName(flowFileName(host), '.flows'));
}

/**
 * Writes every host's file, all or nothing. Ctrl-C while the files are written removes what
 * was written so far and leaves the old files; a write error says which file and why. Either
 * way a folder made for the files is removed again.
 * Returns a warning (MS206) for each `.flows` file of the folder that this compile did not
 * write: it is the user's, so it stays, but a script deploying the folder would push it; or
 * one, naming no file, when the folder could not be listed to find them.
 */
export async function writeFlowFiles(dir: string, tables: readonly HostFlowText[]): Promise<Diagnostic[]> {
  const interrupt = new AbortController();
  const onInterrupt = (): void => interrupt.abort();
  process.once('SIGINT', onInterrupt);
  try {
    await writeFileSetIntoFolder(dir, (full) => tables.map((t) => ({ path: flowFilePath(full, t.host), text: t.text })), interrupt.signal);
    return await staleFlowFiles(dir, new Set(tables.map((t) => basename(flowFilePath(dir, t.host)))));
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    if (interrupt.signal.aborted) throw new CliFailure(EXIT.interrupted, error.message);
    throw new CliFailure(EXIT.usage, error.message);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

async function staleFlowFiles(dir: string, written: ReadonlySet<string>): Promise<Diagnostic[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    // A folder this user may write in but not list: the files are written by now, and may sit beside older ones.
    // No location: a location names a stale file (the JSON's staleFiles).
    const message = `the folder ${dir} could not be listed to find .flows files an earlier compile left in it (${ioReason(error, 'read', dir)}); check it before deploying the folder`;
    return [{ code: 'MS206', severity: 'warning', message }];
  }
  const stale = entries.filter((e) => e.name.endsWith('.flows') && !e.isDirectory() && !written.has(e.name)).map((e) => e.name);
  return stale.sort().map((name) => ({
    code: 'MS206',
    severity: 'warning',
    message: `${name} is from an earlier compile: no workload of this inventory is on ${name.slice(0, -'.flows'.length)}; delete it before deploying the folder`,
    location: { file: join(dir, name) },
  }));
}

/** A host name as a file name: characters outside a safe set replaced, never `.` or `..`. */
function flowFileName(host: string): string {
  const safe = host.replace(/[^A-Za-z0-9_.:-]/g, '_');
  return /^\.*$/.test(safe) ? `_${safe}` : safe;
}
