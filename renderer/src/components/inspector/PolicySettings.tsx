import type { DefaultAction, Policy } from '@shared/policy/model';
import { validatePolicy } from '@shared/policy/validate';
import { useId, useMemo, useState, type JSX } from 'react';
import { endStep, useDrawing, usePolicyStore } from '../../stores/policy-store';
import { Field } from '../layout/Field';

const DEFAULT_HINTS: Record<DefaultAction, string> = {
  drop: 'new connections no edge permits are dropped',
  reject: 'dropped, counted apart from drops (a reset needs a host agent)',
  monitor: 'permitted but counted: a dry run before enforcing',
  redirect: 'sent to a honeypot instead (set it below)',
};

/** Policy-wide settings, shown while nothing on the canvas is selected. */
export function PolicySettings(): JSX.Element {
  // Not checked again for a save, which changes only the revision (5,000 groups: 40-90 ms).
  const policy = useDrawing();
  const edit = usePolicyStore((s) => s.edit);
  const id = useId();
  const infrastructure = policy.infrastructure ?? { dhcp: false, dnsResolvers: [] };
  // The field keeps the text as typed (spaces, a trailing comma); the policy gets every entry,
  // bad ones too, so the validator, compile and Problems all report them.
  const [resolvers, setResolvers] = useState(infrastructure.dnsResolvers.join(', '));
  const resolverErrors = useMemo(
    () => validatePolicy(policy).filter((d) => d.location?.path?.startsWith('infrastructure.dnsResolvers')).map((d) => d.message),
    [policy],
  );

  const update = (change: (p: Policy) => Policy): void => edit(change);
  const setInfrastructure = (next: Partial<typeof infrastructure>): void =>
    update((p) => ({ ...p, infrastructure: { ...infrastructure, ...next } }));

  return (
    <section className="panel inspector" data-testid="policy-settings">
      <header className="panel-header">
        <h2>Policy</h2>
      </header>
      <div className="panel-body form">
        <Field id={`${id}-within`} label="Within a group">
          <select id={`${id}-within`} data-testid="settings-within-group" value={policy.defaults.withinGroup}
            onChange={(e) => update((p) => ({ ...p, defaults: { ...p.defaults, withinGroup: e.target.value as 'allow' | 'drop' } }))}>
            <option value="allow">allow (unless the group is isolated)</option>
            <option value="drop">drop</option>
          </select>
        </Field>
        <Field id={`${id}-between`} label="Between groups, by default" hint={DEFAULT_HINTS[policy.defaults.betweenGroups]}>
          <select id={`${id}-between`} data-testid="settings-between-groups" value={policy.defaults.betweenGroups}
            onChange={(e) => update((p) => ({ ...p, defaults: { ...p.defaults, betweenGroups: e.target.value as DefaultAction } }))}>
            <option value="drop">drop</option>
            <option value="reject">reject</option>
            <option value="monitor">monitor</option>
            <option value="redirect">redirect to a honeypot</option>
          </select>
        </Field>
        {policy.defaults.betweenGroups === 'redirect' ? (
          <Field id={`${id}-redirect`} label="Honeypot for the default" error={policy.defaults.redirectTo?.trim() ? undefined : 'name a workload or address'}>
            <input id={`${id}-redirect`} data-testid="settings-redirect" className="mono" value={policy.defaults.redirectTo ?? ''} placeholder="honeypot"
              onChange={(e) => edit((p) => ({ ...p, defaults: { ...p.defaults, redirectTo: e.target.value } }), 'settings-redirect')}
              onBlur={endStep} />
          </Field>
        ) : null}
        <label className="checkbox">
          <input type="checkbox" data-testid="settings-dhcp" checked={infrastructure.dhcp} onChange={(e) => setInfrastructure({ dhcp: e.target.checked })} />
          Let DHCP through (UDP 67/68)
        </label>
        <Field id={`${id}-dns`} label="DNS resolvers every workload may query" error={resolverErrors.length > 0 ? resolverErrors.join('; ') : undefined}
          hint="comma-separated addresses; UDP and TCP port 53">
          <input id={`${id}-dns`} data-testid="settings-dns" className="mono" value={resolvers} placeholder="10.0.0.53"
            onChange={(e) => {
              setResolvers(e.target.value);
              const dnsResolvers = e.target.value.split(',').map((r) => r.trim()).filter((r) => r !== '');
              edit((p) => ({ ...p, infrastructure: { ...(p.infrastructure ?? infrastructure), dnsResolvers } }), 'settings-dns');
            }}
            onBlur={endStep} />
        </Field>
      </div>
    </section>
  );
}
