import type { Diagnostic, SourceLocation } from '@shared/diagnostics';
import type { Inventory } from '@shared/inventory/model';
import type { Policy } from '@shared/policy/model';
import { parsePolicyFile } from '@shared/policy/policy-file';
import { parseInventoryText } from '../services/inventory-file';
import { FileError, readTextFile } from '../services/project-files';
import { ServiceError } from '../services/service-error';

/** Exit codes of `microseg`, documented in the README. */
export const EXIT = { ok: 0, inputErrors: 1, usage: 2, dropped: 3, redirected: 4, interrupted: 130 } as const;

/** A failure that ends the command with a code; diagnostics are printed by the caller. */
export class CliFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly diagnostics: Diagnostic[] = [],
    /** Whether the usage text helps: only when the command line is wrong, not when a file is. */
    readonly showUsage = false,
  ) {
    super(message);
  }
}

/** The command line itself is wrong (an unknown option, a missing argument): exit 2, with the usage text. */
export function wrongUsage(message: string): CliFailure {
  return new CliFailure(EXIT.usage, message, [], true);
}

/**
 * For commands whose exit code 1 already means an answer (`impact`: something changes,
 * `replay`: something is dropped): rethrows an input-errors failure as a usage one (exit 2).
 */
export function asUsageFailure(error: unknown): never {
  throw error instanceof CliFailure && error.code === EXIT.inputErrors ? new CliFailure(EXIT.usage, error.message, error.diagnostics) : error;
}

/** A file the command reads, through the services' reader and its limits; failing, a usage failure (exit 2) naming it. */
export async function readInput(path: string, what: string): Promise<string> {
  try {
    return (await readTextFile(path)).text;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    throw new CliFailure(EXIT.usage, `cannot read ${what} ${path}: ${error instanceof FileError ? error.reason : error.message}`);
  }
}

/** A policy file read: the policy, its warnings, and where a path into it is in the file (for a compile's diagnostics). */
export interface LoadedPolicy {
  policy: Policy;
  diagnostics: Diagnostic[];
  locate: (path: string) => SourceLocation;
}

/** The policy, or a failure carrying every diagnostic. */
export async function loadPolicy(path: string): Promise<LoadedPolicy> {
  const parsed = parsePolicyFile(await readInput(path, 'policy'), path);
  if (!parsed.policy || !parsed.locate) throw new CliFailure(EXIT.inputErrors, `${path} has errors`, parsed.diagnostics);
  return { policy: parsed.policy, diagnostics: parsed.diagnostics, locate: parsed.locate };
}

export async function loadInventory(path: string | undefined): Promise<Inventory> {
  if (!path) throw wrongUsage('this command needs --inventory FILE (YAML or CSV)');
  const parsed = parseInventoryText(await readInput(path, 'inventory'), path, new Date().toISOString());
  if (!parsed.inventory) throw new CliFailure(EXIT.inputErrors, `${path} has errors`, parsed.diagnostics);
  return parsed.inventory;
}
