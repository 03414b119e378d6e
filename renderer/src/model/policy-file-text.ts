import type { Diagnostic } from '@shared/diagnostics';
import type { GroupRenames } from '@shared/policy/group-renames';
import type { Policy } from '@shared/policy/model';
import type { FileTextReply, FileTextRequest } from '../workers/policy-file.worker';
import FileTextWorker from '../workers/policy-file.worker?worker';

interface Waiting {
  resolve: (reply: FileTextReply) => void;
  reject: (error: Error) => void;
}

/** A request as sent, without the id the worker's answer is matched by. */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, Waiting>();

/**
 * The policy's errors, or the text of its file when it has none (keeping the comments of
 * `earlierText`, a group's followed through the groups `renamed` since, see keepComments), worked out in a worker so a
 * save of thousands of groups does not freeze the page. One worker serves every save and the
 * YAML view, started on the first request.
 */
export async function policyFileText(
  policy: Policy,
  earlierText: string | null,
  renamed: GroupRenames,
): Promise<{ errors: Diagnostic[]; text: string | null }> {
  const reply = await ask({ kind: 'save', policy, earlierText, renamed });
  if (reply.kind !== 'save') throw new Error(`The policy printer answered a save with a ${reply.kind} reply`);
  return reply;
}

/** The policy's file text, printed whatever errors it holds: exactly what Save would write at its revision. */
export async function printedPolicy(policy: Policy, earlierText: string | null, renamed: GroupRenames): Promise<string> {
  const reply = await ask({ kind: 'print', policy, earlierText, renamed });
  if (reply.kind !== 'print') throw new Error(`The policy printer answered a print with a ${reply.kind} reply`);
  return reply.text;
}

/** What reading `text` as the policy file `file` says (the parser that opens files), read in the same worker. */
export async function policyTextDiagnostics(text: string, file: string): Promise<Diagnostic[]> {
  const reply = await ask({ kind: 'read', text, file });
  if (reply.kind !== 'read') throw new Error(`The policy printer answered a read with a ${reply.kind} reply`);
  return reply.diagnostics;
}

function ask(request: Unnumbered<FileTextRequest>): Promise<FileTextReply> {
  worker ??= startWorker();
  const id = nextId++;
  const sent = worker;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    sent.postMessage({ ...request, id });
  });
}

function startWorker(): Worker {
  const started = new FileTextWorker();
  started.onmessage = ({ data }: MessageEvent<FileTextReply>) => {
    waiting.get(data.id)?.resolve(data);
    waiting.delete(data.id);
  };
  // A bug in the worker fails the requests waiting on it instead of leaving them hanging; the next request starts a new one.
  started.onerror = (event) => {
    for (const { reject } of waiting.values()) reject(new Error(`Printing the policy failed: ${event.message}`));
    waiting.clear();
    started.terminate();
    worker = null;
  };
  return started;
}
