import type { Group } from '@shared/policy/model';
import { useId, useMemo, useState, type FormEvent, type JSX } from 'react';
import { checkGroupDraft, groupFromDraft, type GroupDraft } from '../../model/drafts';
import { usePolicyStore } from '../../stores/policy-store';
import { Field } from '../layout/Field';

type TextField = Exclude<keyof GroupDraft, 'isolated'>;

interface GroupFormProps {
  initial: GroupDraft;
  /** The name of the group being edited; undefined when adding one. */
  editing?: string;
  base?: Group;
  submitLabel: string;
  onSubmit: (group: Group) => void;
  onCancel?: () => void;
}

/** Name and selector of a group, checked as you type with the same rules a policy file gets. */
export function GroupForm({ initial, editing, base, submitLabel, onSubmit, onCancel }: GroupFormProps): JSX.Element {
  const policy = usePolicyStore((s) => s.policy);
  const [draft, setDraft] = useState(initial);
  const [attempted, setAttempted] = useState(false);
  const id = useId();
  const exclusions = base?.selector.exclude?.length ?? 0;
  const { errors, warnings } = useMemo(() => checkGroupDraft(policy, draft, editing), [policy, draft, editing]);

  // Errors show for fields the user has touched, and for all of them after a save attempt.
  const shown = (field: keyof GroupDraft): string | undefined =>
    attempted || draft[field] !== initial[field] ? errors[field] : undefined;
  // A new group's warnings wait for the user too: an empty form has nothing to warn about yet.
  const touched = (Object.keys(initial) as (keyof GroupDraft)[]).some((k) => draft[k] !== initial[k]);
  const set = (field: TextField) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setAttempted(true);
    if (Object.keys(errors).length === 0) onSubmit(groupFromDraft(draft, base));
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field id={`${id}-name`} label="Name" error={shown('name')}>
        <input id={`${id}-name`} data-testid="group-name-input" value={draft.name} placeholder="web" autoFocus={!editing}
          onChange={(e) => set('name')(e.target.value)} />
      </Field>
      <Field id={`${id}-labels`} label="Label selector" error={shown('labels')} hint="e.g. tier=web,env in (prod,stage)">
        <input id={`${id}-labels`} data-testid="group-selector-input" className="mono" value={draft.labels} placeholder="tier=web"
          onChange={(e) => set('labels')(e.target.value)} />
      </Field>
      <details className="more-criteria" open={Boolean(initial.namespaceLabels || initial.image || initial.namespace || initial.host || initial.cidrs || initial.except || exclusions > 0)}>
        <summary>More criteria</summary>
        <div className="field-grid">
          <Field id={`${id}-image`} label="Image" error={shown('image')}>
            <input id={`${id}-image`} data-testid="group-image-input" className="mono" value={draft.image} placeholder="nginx:*"
              onChange={(e) => set('image')(e.target.value)} />
          </Field>
          <Field id={`${id}-namespace`} label="Namespace" error={shown('namespace')}>
            <input id={`${id}-namespace`} data-testid="group-namespace-input" value={draft.namespace}
              onChange={(e) => set('namespace')(e.target.value)} />
          </Field>
          <Field id={`${id}-namespace-labels`} label="Namespace labels" error={shown('namespaceLabels')}>
            <input id={`${id}-namespace-labels`} data-testid="group-namespace-labels-input" className="mono" value={draft.namespaceLabels} placeholder="team=ops"
              onChange={(e) => set('namespaceLabels')(e.target.value)} />
          </Field>
          <Field id={`${id}-host`} label="Host" error={shown('host')}>
            <input id={`${id}-host`} data-testid="group-host-input" value={draft.host} onChange={(e) => set('host')(e.target.value)} />
          </Field>
          <Field id={`${id}-cidrs`} label="Address blocks" error={shown('cidrs')}>
            <input id={`${id}-cidrs`} data-testid="group-cidrs-input" className="mono" value={draft.cidrs} placeholder="203.0.113.0/24"
              onChange={(e) => set('cidrs')(e.target.value)} />
          </Field>
          <Field id={`${id}-except`} label="Except blocks" error={shown('except')}>
            <input id={`${id}-except`} data-testid="group-except-input" className="mono" value={draft.except} placeholder="10.0.0.0/8"
              onChange={(e) => set('except')(e.target.value)} />
          </Field>
        </div>
        {exclusions > 0 ? (
          <p className="muted" data-testid="group-exclusions">
            Also takes out {exclusions} {exclusions === 1 ? 'exclusion' : 'exclusions'} (kept as they are; edit them in the policy file).
          </p>
        ) : null}
      </details>
      {editing !== undefined ? (
        <>
          <Field id={`${id}-description`} label="Description">
            <input id={`${id}-description`} value={draft.description} onChange={(e) => set('description')(e.target.value)} />
          </Field>
          <label className="checkbox">
            <input type="checkbox" checked={draft.isolated} onChange={(e) => setDraft((d) => ({ ...d, isolated: e.target.checked }))} />
            Isolated: members may not talk to each other
          </label>
        </>
      ) : null}
      {(editing !== undefined || attempted || touched ? warnings : []).map((w) => (
        <p key={w} className="form-warning">{w}</p>
      ))}
      <div className="button-row">
        <button type="submit" className="primary" data-testid="group-save">{submitLabel}</button>
        {onCancel ? <button type="button" onClick={onCancel}>Cancel</button> : null}
      </div>
    </form>
  );
}
