import type { Diagnostic } from '@shared/diagnostics';
import { hasErrors } from '@shared/diagnostics';
import type { Policy } from '@shared/policy/model';
import { parsePolicyFile, serializePolicy } from '@shared/policy/policy-file';
import { validatePolicy } from '@shared/policy/validate';
import { drawingText } from '../model/policy-text';

/*
 * Prints a policy as its file, off the page's thread: at 5,000 groups the yaml library takes
 * 0.3-0.7 s to print 830 KB (and as long to read it back), which froze the page on every save
 * and every time the YAML view was shown.
 */

/**
 * `save`: check the policy and print it, unless it has errors. `show`: print it whatever it
 * holds, and read the text back as `file` would be read, for the YAML view's markers.
 */
export type FileTextRequest = { id: number; kind: 'save'; policy: Policy } | { id: number; kind: 'show'; policy: Policy; file: string };

/** For a save, the policy's errors, or its file's text when it has none; for the view, the text and what reading it says. */
export type FileTextReply =
  | { id: number; kind: 'save'; errors: Diagnostic[]; text: string | null }
  | { id: number; kind: 'show'; text: string; diagnostics: Diagnostic[] };

const scope = self as unknown as { onmessage: ((e: MessageEvent<FileTextRequest>) => void) | null; postMessage(reply: FileTextReply): void };

scope.onmessage = ({ data: request }) => {
  if (request.kind === 'show') {
    const text = drawingText(request.policy);
    scope.postMessage({ id: request.id, kind: 'show', text, diagnostics: parsePolicyFile(text, request.file).diagnostics });
    return;
  }
  const diagnostics = validatePolicy(request.policy);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  scope.postMessage({ id: request.id, kind: 'save', errors, text: hasErrors(diagnostics) ? null : serializePolicy(request.policy) });
};
