import type { Diagnostic } from '@shared/diagnostics';
import type { Policy } from '@shared/policy/model';
import { useEffect, useRef, useState } from 'react';
import { policyViewText } from '../model/policy-file-text';

/** The drawing as its file's text, and what reading that text back says (the markers of a text no one edited). */
export interface DrawingText {
  text: string;
  diagnostics: Diagnostic[];
}

type Printed = { policy: Policy; file: string } & ({ text: DrawingText } | { error: string });

/**
 * `policy` as the text Save writes, printed and read back in a worker: at 5,000 groups that took
 * 0.3-0.5 s on the page's thread each time the YAML view was shown, and as long again for the
 * check. `text` is null while `policy` (null: nothing to print) is being printed. The last
 * printing is kept, even one that ends while the view is hidden, so showing the view again on
 * the same drawing costs nothing.
 */
export function useDrawingText(policy: Policy | null, file: string): { text: DrawingText | null; error: string | null } {
  const [printed, setPrinted] = useState<Printed | null>(null);
  const current = printed !== null && printed.policy === policy && printed.file === file ? printed : null;

  // The worker answers in order, so a later answer is never overwritten by an earlier one.
  const asked = useRef<{ policy: Policy; file: string } | null>(null);
  useEffect(() => {
    if (policy === null || current !== null || (asked.current?.policy === policy && asked.current.file === file)) return;
    asked.current = { policy, file };
    policyViewText(policy, file).then(
      (text) => setPrinted({ policy, file, text }),
      (error: unknown) => setPrinted({ policy, file, error: error instanceof Error ? error.message : String(error) }),
    );
  }, [policy, file, current]);

  if (current === null) return { text: null, error: null };
  return 'text' in current ? { text: current.text, error: null } : { text: null, error: current.error };
}
