import type { Diagnostic } from '@shared/diagnostics';
import { hasErrors } from '@shared/diagnostics';
import type { Renames } from '@shared/policy/renames';
import type { Policy } from '@shared/policy/model';
import { parsePolicyFile } from '@shared/policy/policy-file';
import { validatePolicy } from '@shared/policy/validate';
import { drawingText } from '../model/policy-text';

/*
 * Prints a policy as its file, off the page's thread: at 5,000 groups the yaml library takes
 * 0.3-0.7 s to print 830 KB (and as long to read it back), which froze the page on every save
 * and every time the YAML view was shown. The YAML view asks for the text and its markers
 * apart, so the text is shown without waiting for the markers.
 */

/**
 * `save`: check the policy and print it, unless it has errors. `print`: print it whatever it
 * holds (the YAML view's text). Both keep the comments of `earlierText`, the text the drawing
 * came from, a group's or edge's followed through the renames since. `read`: read a text as `file` would be read, for its markers.
 */
export type FileTextRequest =
  | { id: number; kind: 'save'; policy: Policy; earlierText: string | null; renamed: Renames }
  | { id: number; kind: 'print'; policy: Policy; earlierText: string | null; renamed: Renames }
  | { id: number; kind: 'read'; text: string; file: string };

/** A save's errors, or its file's text when it has none; a printed text; what reading a text says. */
export type FileTextReply =
  | { id: number; kind: 'save'; errors: Diagnostic[]; text: string | null }
  | { id: number; kind: 'print'; text: string }
  | { id: number; kind: 'read'; diagnostics: Diagnostic[] };

const scope = self as unknown as { onmessage: ((e: MessageEvent<FileTextRequest>) => void) | null; postMessage(reply: FileTextReply): void };

scope.onmessage = ({ data: request }) => {
  scope.postMessage(answer(request));
};

function answer(request: FileTextRequest): FileTextReply {
  switch (request.kind) {
    case 'print':
      return { id: request.id, kind: 'print', text: drawingText(request.policy, request.earlierText, request.renamed) };
    case 'read':
      return { id: request.id, kind: 'read', diagnostics: parsePolicyFile(request.text, request.file).diagnostics };
    case 'save': {
      const diagnostics = validatePolicy(request.policy);
      const errors = diagnostics.filter((d) => d.severity === 'error');
      return { id: request.id, kind: 'save', errors, text: hasErrors(diagnostics) ? null : drawingText(request.policy, request.earlierText, request.renamed) };
    }
  }
}
