import { formatDiagnostic, hasErrors, type Diagnostic } from '@shared/diagnostics';
import { parsePolicyFile } from '@shared/policy/policy-file';
import { printable } from '@shared/text';
import { CliFailure, EXIT, readInput } from './inputs';

// `microseg check POLICY...`: every file is checked and reported, an unreadable one too, so one
// run answers for the whole set. The diagnostics are the report, so they go to stdout, where
// `check policy.yaml > report.txt` finds them; only a file that cannot be read is said on stderr.

/** One file's answer: its diagnostics, or why it could not be read. */
export interface FileCheck {
  policy: string;
  diagnostics: Diagnostic[];
  error?: string;
}

export async function checkCommand(paths: readonly string[], json: boolean): Promise<{ text: string; code: number }> {
  const checks: FileCheck[] = [];
  for (const path of paths) checks.push(await checkFile(path));
  const code = Math.max(EXIT.ok, ...checks.map(exitFor));
  if (json) return { text: JSON.stringify({ files: checks }, null, 2), code };

  const lines: string[] = [];
  for (const c of checks) {
    for (const d of c.diagnostics) lines.push(formatDiagnostic(d));
    if (c.error) process.stderr.write(`microseg: ${printable(c.error)}\n`);
    else if (!hasErrors(c.diagnostics)) lines.push(`${printable(c.policy)}: no errors${c.diagnostics.length > 0 ? ` (${c.diagnostics.length} warning${c.diagnostics.length === 1 ? '' : 's'})` : ''}`);
  }
  return { text: lines.join('\n'), code };
}

async function checkFile(path: string): Promise<FileCheck> {
  try {
    return { policy: path, diagnostics: parsePolicyFile(await readInput(path, 'policy'), path).diagnostics };
  } catch (error) {
    if (!(error instanceof CliFailure)) throw error;
    return { policy: path, diagnostics: [], error: error.message };
  }
}

function exitFor(check: FileCheck): number {
  return check.error ? EXIT.usage : hasErrors(check.diagnostics) ? EXIT.inputErrors : EXIT.ok;
}
