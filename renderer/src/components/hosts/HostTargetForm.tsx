import type { HostTarget } from '@shared/api/contract';
import { fitsHostTargetRule, HOST_TARGET_RULES } from '@shared/api/host-target-rules';
import { parsePort } from '@shared/policy/services';
import { useId, useState, type FormEvent, type JSX } from 'react';
import { useDeployStore } from '../../stores/deploy-store';
import { useInventoryStore } from '../../stores/inventory-store';
import { Field } from '../layout/Field';

interface HostTargetFormProps {
  host: string;
  target: HostTarget | null;
  /** Where a new target starts, e.g. a Kubernetes node's InternalIP; else the host's own name. */
  suggestedAddress?: string;
  onDone: () => void;
}

interface TargetDraft {
  address: string;
  port: string;
  user: string;
  authKind: 'key' | 'agent';
  keyPath: string;
  bridge: string;
}

function draftOf(host: string, t: HostTarget | null, suggestedAddress?: string): TargetDraft {
  return {
    address: t?.address ?? suggestedAddress ?? host,
    port: String(t?.port ?? 22),
    user: t?.user ?? 'root',
    authKind: t?.auth.kind ?? 'agent',
    keyPath: t?.auth.kind === 'key' ? t.auth.keyPath : '',
    bridge: t?.bridge ?? 'br-int',
  };
}

function check(d: TargetDraft): Partial<Record<keyof TargetDraft, string>> {
  const errors: Partial<Record<keyof TargetDraft, string>> = {};
  for (const field of ['address', 'user', 'bridge'] as const) {
    if (!fitsHostTargetRule(field, d[field].trim())) errors[field] = HOST_TARGET_RULES[field].message;
  }
  if (parsePort(d.port.trim()) === null) errors.port = 'a port from 1 to 65535';
  if (d.authKind === 'key' && d.keyPath.trim() === '') errors.keyPath = 'path of the private key file, e.g. ~/.ssh/id_ed25519';
  return errors;
}

/** How to reach a host's Open vSwitch over SSH. The key stays on disk; only its path is saved. */
export function HostTargetForm({ host, target, suggestedAddress, onDone }: HostTargetFormProps): JSX.Element {
  const saveTarget = useDeployStore((s) => s.saveTarget);
  const removeTarget = useDeployStore((s) => s.removeTarget);
  const forgetPortHost = useInventoryStore((s) => s.forgetPortHost);
  // Without a target its switch ports cannot be read: stop trying, as Stop reading ports does.
  // Refused, the form stays open: the notice says why, and Forget target again forgets the target the host shows now.
  const forget = async (base: HostTarget): Promise<void> => {
    if (!(await removeTarget(host, base))) return;
    forgetPortHost(host);
    onDone();
  };
  const [draft, setDraft] = useState(() => draftOf(host, target, suggestedAddress));
  const [attempted, setAttempted] = useState(false);
  const [saving, setSaving] = useState(false);
  const id = useId();
  const errors = check(draft);
  const shown = (field: keyof TargetDraft): string | undefined => (attempted ? errors[field] : undefined);
  const set = (field: Exclude<keyof TargetDraft, 'authKind'>) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setAttempted(true);
    if (Object.keys(errors).length > 0) return;
    setSaving(true);
    const saved = await saveTarget({
      host,
      address: draft.address.trim(),
      port: parsePort(draft.port.trim())!,
      user: draft.user.trim(),
      auth: draft.authKind === 'key' ? { kind: 'key', keyPath: draft.keyPath.trim() } : { kind: 'agent' },
      bridge: draft.bridge.trim(),
    }, target);
    setSaving(false);
    if (saved) onDone();
  };

  return (
    <form className="form host-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field-grid">
        <Field id={`${id}-address`} label="Address" error={shown('address')}>
          <input id={`${id}-address`} data-testid="host-address" value={draft.address} onChange={(e) => set('address')(e.target.value)} />
        </Field>
        <Field id={`${id}-port`} label="Port" error={shown('port')}>
          <input id={`${id}-port`} data-testid="host-port" inputMode="numeric" value={draft.port} onChange={(e) => set('port')(e.target.value)} />
        </Field>
        <Field id={`${id}-user`} label="User" error={shown('user')}>
          <input id={`${id}-user`} data-testid="host-user" value={draft.user} onChange={(e) => set('user')(e.target.value)} />
        </Field>
        <Field id={`${id}-bridge`} label="OVS bridge" error={shown('bridge')}>
          <input id={`${id}-bridge`} data-testid="host-bridge" className="mono" value={draft.bridge} onChange={(e) => set('bridge')(e.target.value)} />
        </Field>
      </div>
      <Field id={`${id}-auth`} label="Authentication">
        <select id={`${id}-auth`} data-testid="host-auth-kind" value={draft.authKind}
          onChange={(e) => setDraft((d) => ({ ...d, authKind: e.target.value === 'key' ? 'key' : 'agent' }))}>
          <option value="agent">SSH agent</option>
          <option value="key">Private key file</option>
        </select>
      </Field>
      {draft.authKind === 'key' ? (
        <Field id={`${id}-key`} label="Private key file" error={shown('keyPath')}>
          <input id={`${id}-key`} data-testid="host-key-path" className="mono" value={draft.keyPath} placeholder="~/.ssh/id_ed25519"
            onChange={(e) => set('keyPath')(e.target.value)} />
        </Field>
      ) : null}
      <div className="button-row">
        <button type="submit" className="primary" data-testid="host-save" disabled={saving}>
          {saving ? 'Saving…' : 'Save target'}
        </button>
        <button type="button" onClick={onDone}>Cancel</button>
        {target ? (
          <button type="button" className="danger subtle" data-testid="host-forget" onClick={() => void forget(target)}>
            Forget target
          </button>
        ) : null}
      </div>
    </form>
  );
}
