import type { Diagnostic } from '@shared/diagnostics';
import { hasErrors } from '@shared/diagnostics';
import type { Policy } from '@shared/policy/model';
import { serializePolicy } from '@shared/policy/policy-file';
import { validatePolicy } from '@shared/policy/validate';

/*
 * Checks a policy and prints it as its file, off the page's thread: at 5,000 groups the yaml
 * library takes 0.7 s to print 830 KB, which froze the page on every save.
 */

export interface FileTextRequest {
  id: number;
  policy: Policy;
}

/** The policy's errors, or its file's text when it has none. */
export interface FileTextReply {
  id: number;
  errors: Diagnostic[];
  text: string | null;
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<FileTextRequest>) => void) | null; postMessage(reply: FileTextReply): void };

scope.onmessage = ({ data: { id, policy } }) => {
  const diagnostics = validatePolicy(policy);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  scope.postMessage({ id, errors, text: hasErrors(diagnostics) ? null : serializePolicy(policy) });
};
