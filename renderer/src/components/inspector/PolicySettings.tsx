import type { DefaultAction, Policy } from '@shared/policy/model';
import { validatePolicy } from '@shared/policy/validate';
import { useEffect, useId, useMemo, useRef, useState, type JSX } from 'react';
import type { PolicySetting } from '../../model/policy-setting';
import { useCanvasStore } from '../../stores/canvas-store';
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

  // A problem about a setting was picked in Problems: its field gets the focus. The honeypot's
  // field shows only while the default redirects; without it, the default's own field is the way there.
  const panel = useRef<HTMLElement>(null);
  const settingToFocus = useCanvasStore((s) => s.settingToFocus);
  useEffect(() => {
    if (settingToFocus === null) return;
    const field = (setting: PolicySetting): HTMLElement | null | undefined => panel.current?.querySelector<HTMLElement>(`[data-setting="${setting}"]`);
    (field(settingToFocus) ?? field('betweenGroups'))?.focus();
    useCanvasStore.getState().settingFocused();
  }, [settingToFocus]);

  const update = (change: (p: Policy) => Policy): void => edit(change);
  const setInfrastructure = (next: Partial<typeof infrastructure>): void =>
    update((p) => ({ ...p, infrastructure: { ...infrastructure, ...next } }));

  return (
    <section ref={panel} className="panel inspector" data-testid="policy-settings">
      <header className="panel-header">
        <h2>Policy</h2>
      </header>
      <div className="panel-body form">
        <Field id={`${id}-within`} label="Within a group">
          <select id={`${id}-within`} data-setting="withinGroup" data-testid="settings-within-group" value={policy.defaults.withinGroup}
            onChange={(e) => update((p) => ({ ...p, defaults: { ...p.defaults, withinGroup: e.target.value as 'allow' | 'drop' } }))}>
            <option value="allow">allow (unless the group is isolated)</option>
            <option value="drop">drop</option>
          </select>
        </Field>
        <Field id={`${id}-between`} label="Between groups, by default" hint={DEFAULT_HINTS[policy.defaults.betweenGroups]}>
          <select id={`${id}-between`} data-setting="betweenGroups" data-testid="settings-between-groups" value={policy.defaults.betweenGroups}
            onChange={(e) => update((p) => ({ ...p, defaults: { ...p.defaults, betweenGroups: e.target.value as DefaultAction } }))}>
            <option value="drop">drop</option>
            <option value="reject">reject</option>
            <option value="monitor">monitor</option>
            <option value="redirect">redirect to a honeypot</option>
          </select>
        </Field>
        {policy.defaults.betweenGroups === 'redirect' ? (
          <Field id={`${id}-redirect`} label="Honeypot for the default" error={policy.defaults.redirectTo?.trim() ? undefined : 'name a workload or address'}>
            <input id={`${id}-redirect`} data-setting="redirectTo" data-testid="settings-redirect" className="mono" value={policy.defaults.redirectTo ?? ''} placeholder="honeypot"
              onChange={(e) => edit((p) => ({ ...p, defaults: { ...p.defaults, redirectTo: e.target.value } }), 'settings-redirect')}
              onBlur={endStep} />
          </Field>
        ) : null}
        <label className="checkbox">
          <input type="checkbox" data-setting="dhcp" data-testid="settings-dhcp" checked={infrastructure.dhcp} onChange={(e) => setInfrastructure({ dhcp: e.target.checked })} />
          Let DHCP through (UDP 67/68)
        </label>
        <Field id={`${id}-dns`} label="DNS resolvers every workload may query" error={resolverErrors.length > 0 ? resolverErrors.join('; ') : undefined}
          hint="comma-separated addresses; UDP and TCP port 53">
          <input id={`${id}-dns`} data-setting="dnsResolvers" data-testid="settings-dns" className="mono" value={resolvers} placeholder="10.0.0.53"
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
