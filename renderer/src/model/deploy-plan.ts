import type { BackupElsewhere, CompileOutcome, HostTarget, SharedSwitch, SourceHost } from '@shared/api/contract';
import { sshSwitch } from '@shared/api/host-target-rules';

export interface HostLine {
  host: string;
  /** Flows in the last compile; null when the host was not in it. */
  flowCount: number | null;
  target: HostTarget | null;
  /** A source reports this host (a Kubernetes node): the address its SSH target starts from. */
  suggestedAddress?: string;
}

/**
 * Hosts worth a row, sorted by name: those of the last compile, those with a saved target, and
 * those an open source reports (Kubernetes nodes), so a node can be mapped before any compile.
 */
export function hostLines(outcome: CompileOutcome | null, targets: readonly HostTarget[], reported: readonly SourceHost[] = []): HostLine[] {
  const names = new Set([...(outcome?.hosts ?? []).map((h) => h.host), ...targets.map((t) => t.host), ...reported.map((h) => h.name)]);
  names.delete('');
  return [...names].sort().map((host) => {
    const suggestedAddress = reported.find((h) => h.name === host)?.suggestedAddress;
    return {
      host,
      flowCount: outcome?.hosts.find((h) => h.host === host)?.flowCount ?? null,
      target: targets.find((t) => t.host === host) ?? null,
      ...(suggestedAddress ? { suggestedAddress } : {}),
    };
  });
}

/** A configured host of the last compile left out of a deploy: `sharer`'s saved target reaches its switch too. */
export interface SharedLine {
  line: HostLine;
  sharer: string;
}

/**
 * What a deploy would do: configured hosts of the last compile get tables; those without a target
 * are skipped, and those whose switch another saved target reaches (`shared`, as the service told
 * it) are left out, as the service would refuse the deploy for them.
 */
export function deployPlan(lines: readonly HostLine[], shared: readonly SharedSwitch[] = []): { deploy: HostLine[]; shared: SharedLine[]; skipped: HostLine[] } {
  const compiled = lines.filter((l) => l.flowCount !== null);
  const configured = compiled.filter((l) => l.target !== null);
  const sharerOf = (l: HostLine): string | undefined => shared.find((s) => s.host === l.host)?.sharer;
  return {
    deploy: configured.filter((l) => sharerOf(l) === undefined),
    shared: configured.flatMap((line) => {
      const sharer = sharerOf(line);
      return sharer === undefined ? [] : [{ line, sharer }];
    }),
    skipped: compiled.filter((l) => l.target === null),
  };
}

/** Why a host whose switch `sharer`'s target reaches too gets no deploy or rollback, and what to do. */
export function sharedSwitchNote(host: string, sharer: string): string {
  return (
    `Hosts "${host}" and "${sharer}" have targets that reach one switch, where each deploy would replace the other's flows. ` +
    `Under Hosts, Edit target to give one of them a switch of its own, or Forget target on the host that no longer has that switch.`
  );
}

/**
 * Why a configured host's Rollback is off, said beside the button as the service would refuse it;
 * null when it is offered (or the host has no target, where Configure is the way on).
 */
export function rollbackOff(line: HostLine, hasBackup: boolean, elsewhere: BackupElsewhere | undefined, sharer: string | undefined): string | null {
  if (!line.target) return null;
  if (!hasBackup) return 'No backup to roll back to: nothing was deployed to this host from here yet.';
  if (sharer !== undefined) return `No rollback while host "${sharer}" has a target on this switch too (see below).`;
  if (elsewhere) {
    return `No rollback: the backup holds the flows of the switch at ${elsewhere.readFrom}, but the target now reaches ${elsewhere.now}. Set the target back with Edit target to roll back there, or deploy instead.`;
  }
  return null;
}

/** `root@10.0.0.5:22, bridge br-int, key ~/.ssh/id_ed25519` */
export function describeTarget(t: HostTarget): string {
  const auth = t.auth.kind === 'agent' ? 'SSH agent' : `key ${t.auth.keyPath}`;
  return `${sshSwitch(t)}, ${auth}`;
}
