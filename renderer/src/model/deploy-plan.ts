import type { CompileOutcome, HostTarget, SourceHost } from '@shared/api/contract';
import { sshDestination } from '@shared/api/host-target-rules';

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

/** What a deploy would do: configured hosts of the last compile get tables, the others are skipped. */
export function deployPlan(lines: readonly HostLine[]): { deploy: HostLine[]; skipped: HostLine[] } {
  const compiled = lines.filter((l) => l.flowCount !== null);
  return { deploy: compiled.filter((l) => l.target !== null), skipped: compiled.filter((l) => l.target === null) };
}

/** `root@10.0.0.5:22, bridge br-int, key ~/.ssh/id_ed25519` */
export function describeTarget(t: HostTarget): string {
  const auth = t.auth.kind === 'agent' ? 'SSH agent' : `key ${t.auth.keyPath}`;
  return `${sshDestination(t)}, bridge ${t.bridge}, ${auth}`;
}
