import type { Diagnostic } from '@shared/diagnostics';
import type { Policy } from '@shared/policy/model';
import { validatePolicy } from '@shared/policy/validate';
import { useMemo } from 'react';
import { samePolicyContent } from '../model/same-input';
import { useCompileStore } from '../stores/compile-store';
import { usePolicyStore } from '../stores/policy-store';

/** `group:NAME` or `edge:ID`, the key badges are looked up by. */
export function elementKey(kind: 'group' | 'edge', id: string): string {
  return `${kind}:${id}`;
}

/**
 * Diagnostics per canvas element: the live validator's, plus the last compile's while it
 * still describes the drawing (inventory warnings such as an empty group). Of `shown` when
 * given (the policy a hidden canvas still draws), else of the drawing.
 */
export function useElementDiagnostics(shown?: Policy): Map<string, Diagnostic[]> {
  const drawing = usePolicyStore((s) => s.policy);
  const policy = shown ?? drawing;
  const outcome = useCompileStore((s) => s.outcome);
  const compiled = useCompileStore((s) => s.input?.policy);

  return useMemo(() => {
    const live = validatePolicy(policy);
    const seen = new Set(live.map((d) => `${d.code}|${d.message}`));
    const fromCompile = compiled && outcome && samePolicyContent(compiled, policy) ? outcome.diagnostics.filter((d) => !seen.has(`${d.code}|${d.message}`)) : [];
    const byElement = new Map<string, Diagnostic[]>();
    for (const d of [...live, ...fromCompile]) {
      const element = d.location?.element;
      if (!element) continue;
      const key = elementKey(element.kind, element.id);
      byElement.set(key, [...(byElement.get(key) ?? []), d]);
    }
    return byElement;
  }, [policy, outcome, compiled]);
}
