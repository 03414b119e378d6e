import type { Diagnostic } from '@shared/diagnostics';
import type { Renames } from '@shared/policy/renames';
import type { Policy } from '@shared/policy/model';
import type { FileTextReply, FileTextRequest } from '../workers/policy-file.worker';
import FileTextWorker from '../workers/policy-file.worker?worker';
import { WorkerCaller } from '../workers/worker-caller';

const printer = new WorkerCaller<FileTextRequest, FileTextReply>(() => new FileTextWorker(), 'Printing the policy');

/**
 * The policy's errors, or the text of its file when it has none (keeping the comments of
 * `earlierText`, a group's or edge's followed through the renames since, see keepComments), worked out in a worker so a
 * save of thousands of groups does not freeze the page. One worker serves every save and the
 * YAML view, started on the first request.
 */
export async function policyFileText(
  policy: Policy,
  earlierText: string | null,
  renamed: Renames,
): Promise<{ errors: Diagnostic[]; text: string | null }> {
  const reply = await printer.ask({ kind: 'save', policy, earlierText, renamed });
  if (reply.kind !== 'save') throw new Error(`The policy printer answered a save with a ${reply.kind} reply`);
  return reply;
}

/** The policy's file text, printed whatever errors it holds: exactly what Save would write at its revision. */
export async function printedPolicy(policy: Policy, earlierText: string | null, renamed: Renames): Promise<string> {
  const reply = await printer.ask({ kind: 'print', policy, earlierText, renamed });
  if (reply.kind !== 'print') throw new Error(`The policy printer answered a print with a ${reply.kind} reply`);
  return reply.text;
}

/** What reading `text` as the policy file `file` says (the parser that opens files), read in the same worker. */
export async function policyTextDiagnostics(text: string, file: string): Promise<Diagnostic[]> {
  const reply = await printer.ask({ kind: 'read', text, file });
  if (reply.kind !== 'read') throw new Error(`The policy printer answered a read with a ${reply.kind} reply`);
  return reply.diagnostics;
}
