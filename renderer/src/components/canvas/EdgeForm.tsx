import { EDGE_ACTIONS, type Edge, type EdgeAction } from '@shared/policy/model';
import { useId, useMemo, useState, type FormEvent, type JSX } from 'react';
import { checkEdgeDraft, edgeFromDraft, type EdgeDraft } from '../../model/drafts';
import { usePolicyStore } from '../../stores/policy-store';
import { Field } from '../layout/Field';

interface EdgeFormProps {
  initial: EdgeDraft;
  submitLabel: string;
  focusServices?: boolean;
  /** Gets the draft and a function that builds the edge under a given id. */
  onSubmit: (draft: EdgeDraft, toEdge: (id: string) => Edge | null) => void;
  onCancel?: () => void;
}

const ACTION_HINTS: Record<EdgeAction, string> = {
  allow: 'permits new connections; replies pass',
  log: 'permits and counts them (the rule’s flow counters)',
  deny: 'drops them, before any allow edge',
  reject: 'drops them with their own counters, before any allow edge',
  redirect: 'sends them to a honeypot instead, before any allow edge',
};

/** From, to and services of an edge; bad services are explained inline as you type. */
export function EdgeForm({ initial, submitLabel, focusServices, onSubmit, onCancel }: EdgeFormProps): JSX.Element {
  const policy = usePolicyStore((s) => s.policy);
  const groups = policy.groups;
  const [draft, setDraft] = useState(initial);
  const [attempted, setAttempted] = useState(false);
  const id = useId();
  const errors = useMemo(() => checkEdgeDraft(policy, draft), [policy, draft]);

  const shown = (field: keyof EdgeDraft): string | undefined =>
    attempted || draft[field] !== initial[field] || (field === 'services' && focusServices) ? errors[field] : undefined;
  const set = (field: keyof EdgeDraft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setAttempted(true);
    if (Object.keys(errors).length === 0) onSubmit(draft, (edgeId) => edgeFromDraft(draft, edgeId));
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <div className="field-grid">
        <Field id={`${id}-from`} label="From (opens connections)" error={shown('from')}>
          <select id={`${id}-from`} data-testid="edge-from-select" value={draft.from} onChange={(e) => set('from')(e.target.value)}>
            <option value="">choose a group…</option>
            {groups.map((g) => (
              <option key={g.name} value={g.name}>{g.name}</option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-to`} label="To (accepts them)" error={shown('to')}>
          <select id={`${id}-to`} data-testid="edge-to-select" value={draft.to} onChange={(e) => set('to')(e.target.value)}>
            <option value="">choose a group…</option>
            {groups.map((g) => (
              <option key={g.name} value={g.name}>{g.name}</option>
            ))}
          </select>
        </Field>
      </div>
      <Field id={`${id}-services`} label="Services" error={shown('services')} hint="comma-separated: tcp/8080, udp/53, tcp/9000-9010, icmp, any">
        <input id={`${id}-services`} data-testid="edge-services-input" className="mono" value={draft.services} placeholder="tcp/8080"
          autoFocus={focusServices} onChange={(e) => set('services')(e.target.value)} />
      </Field>
      <Field id={`${id}-action`} label="Action" hint={ACTION_HINTS[draft.action]}>
        <select id={`${id}-action`} data-testid="edge-action-select" value={draft.action} onChange={(e) => setDraft((d) => ({ ...d, action: e.target.value as EdgeAction }))}>
          {EDGE_ACTIONS.map((a) => (
            <option key={a} value={a}>{a}</option>
          ))}
        </select>
      </Field>
      {draft.action === 'redirect' ? (
        <Field id={`${id}-redirect`} label="Honeypot" error={shown('redirectTo')} hint="a workload's name or address; it needs a known MAC address">
          <input id={`${id}-redirect`} data-testid="edge-redirect-input" className="mono" value={draft.redirectTo} placeholder="honeypot"
            onChange={(e) => set('redirectTo')(e.target.value)} />
        </Field>
      ) : null}
      <Field id={`${id}-description`} label="Description">
        <input id={`${id}-description`} value={draft.description} onChange={(e) => set('description')(e.target.value)} />
      </Field>
      <div className="button-row">
        <button type="submit" className="primary" data-testid="edge-save">{submitLabel}</button>
        {onCancel ? <button type="button" onClick={onCancel}>Cancel</button> : null}
      </div>
    </form>
  );
}
