import type { Diagnostic } from '@shared/diagnostics';
import type { Renames } from '@shared/policy/renames';
import type { Policy } from '@shared/policy/model';
import { useEffect, useRef, useState } from 'react';
import { policyTextDiagnostics, printedPolicy } from '../model/policy-file-text';

/** The drawing as its file's text, once printed, and what reading that text back says, once read. */
export interface DrawingText {
  /** Null while `policy` is being printed (or there is none). */
  text: string | null;
  /** The markers of `text` as no one edited it; null while it is being read. */
  diagnostics: Diagnostic[] | null;
  /** Why the worker could not print or read: a bug, said rather than waited on forever. */
  error: string | null;
}

/** What a printing is of: a drawing, the text whose comments it keeps, and the groups and edges renamed since that text. */
type PrintOf = { policy: Policy; earlierText: string | null; renamed: Renames };
type Printed = PrintOf & ({ text: string } | { error: string });
type Read = { text: string; file: string } & ({ diagnostics: Diagnostic[] } | { error: string });

/**
 * `policy` as the text Save writes (with the comments of `earlierText`, a group's followed through
 * the groups and edges `renamed` since), printed and read back in a worker: at 5,000 groups each took
 * 0.3-1 s on the page's thread when the YAML view was shown. The text comes as soon as it is
 * printed, its markers after. The last printing is kept, even one that ends while the view is
 * hidden, so showing the view again on the same drawing costs nothing.
 */
export function useDrawingText(policy: Policy | null, earlierText: string | null, renamed: Renames, file: string): DrawingText {
  const [printed, setPrinted] = useState<Printed | null>(null);
  const [read, setRead] = useState<Read | null>(null);
  const print = printed !== null && sameAsked(printed, policy, earlierText, renamed) ? printed : null;
  const text = print !== null && 'text' in print ? print.text : null;
  const check = read !== null && read.text === text && read.file === file ? read : null;

  // The worker answers in order, so a later answer is never overwritten by an earlier one.
  const askedPrint = useRef<PrintOf | null>(null);
  useEffect(() => {
    const asked = askedPrint.current !== null && sameAsked(askedPrint.current, policy, earlierText, renamed);
    if (policy === null || print !== null || asked) return;
    askedPrint.current = { policy, earlierText, renamed };
    printedPolicy(policy, earlierText, renamed).then(
      (printedText) => setPrinted({ policy, earlierText, renamed, text: printedText }),
      (error: unknown) => setPrinted({ policy, earlierText, renamed, error: messageOf(error) }),
    );
  }, [policy, earlierText, renamed, print]);

  const askedRead = useRef<{ text: string; file: string } | null>(null);
  useEffect(() => {
    if (text === null || check !== null || (askedRead.current?.text === text && askedRead.current.file === file)) return;
    askedRead.current = { text, file };
    policyTextDiagnostics(text, file).then(
      (diagnostics) => setRead({ text, file, diagnostics }),
      (error: unknown) => setRead({ text, file, error: messageOf(error) }),
    );
  }, [text, file, check]);

  const failed = (print !== null && 'error' in print ? print.error : null) ?? (check !== null && 'error' in check ? check.error : null);
  return { text, diagnostics: check !== null && 'diagnostics' in check ? check.diagnostics : null, error: failed };
}

function sameAsked(asked: PrintOf, policy: Policy | null, earlierText: string | null, renamed: Renames): boolean {
  return asked.policy === policy && asked.earlierText === earlierText && asked.renamed === renamed;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
