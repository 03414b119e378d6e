import type { Diagnostic } from '@shared/diagnostics';
import type { Policy } from '@shared/policy/model';
import type { FileTextReply, FileTextRequest } from '../workers/policy-file.worker';
import FileTextWorker from '../workers/policy-file.worker?worker';

interface Waiting {
  resolve: (reply: FileTextReply) => void;
  reject: (error: Error) => void;
}

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, Waiting>();

/**
 * The policy's errors, or the text of its file when it has none, worked out in a worker so a
 * save of thousands of groups does not freeze the page. One worker serves every save, started
 * on the first.
 */
export function policyFileText(policy: Policy): Promise<{ errors: Diagnostic[]; text: string | null }> {
  worker ??= startWorker();
  const id = nextId++;
  const request: FileTextRequest = { id, policy };
  const sent = worker;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    sent.postMessage(request);
  });
}

function startWorker(): Worker {
  const started = new FileTextWorker();
  started.onmessage = ({ data }: MessageEvent<FileTextReply>) => {
    waiting.get(data.id)?.resolve(data);
    waiting.delete(data.id);
  };
  // A bug in the worker fails the saves waiting on it instead of leaving them hanging; the next save starts a new one.
  started.onerror = (event) => {
    for (const { reject } of waiting.values()) reject(new Error(`Printing the policy failed: ${event.message}`));
    waiting.clear();
    started.terminate();
    worker = null;
  };
  return started;
}
