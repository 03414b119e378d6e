import type { CompileOutcome } from '@shared/api/contract';
import { compilePolicy, type CompileResult } from '@shared/compiler/compile';
import { CompileSession, type InventoryChange } from '@shared/compiler/compile-session';
import type { Flow } from '@shared/compiler/flow';
import { formatHostTable } from '@shared/compiler/table-text';
import type { Inventory } from '@shared/inventory/model';
import type { Policy } from '@shared/policy/model';
import type { Logger } from './logger';

/** Above this many changed workloads a change is compiled anew rather than patched: a redeploy or a new source, not a live update. */
const PATCH_LIMIT = 64;

interface LastCompile {
  policyKey: string;
  /** Each workload's JSON by id, to see what the next inventory changed. */
  workloads: Map<string, string>;
  inventory: Inventory;
  result: CompileResult;
  /** Started at the first change that can be patched: starting costs a few compiles, so one-off compiles never pay it. */
  session?: CompileSession;
}

/**
 * Compiles for the app's doors. A watched inventory (Kubernetes) changes a few workloads at a
 * time and the preview compiles again after each change: for the same policy, those compiles
 * patch the last one through a CompileSession (equal to a full compile, proven by its property
 * test) and print only the tables that changed.
 */
export class CompileService {
  private last: LastCompile | null = null;
  /** Printed tables by their flows, which a session keeps for the hosts a change leaves alone. */
  private readonly texts = new WeakMap<readonly Flow[], string>();

  constructor(private readonly log: Logger) {}

  compile(policy: Policy, inventory: Inventory): CompileOutcome {
    const started = performance.now();
    const policyKey = JSON.stringify(policy);
    const workloads = new Map(inventory.workloads.map((w) => [w.id, JSON.stringify(w)]));
    // A session follows workloads by id: an inventory that repeats one is compiled as it is.
    const patchable = workloads.size === inventory.workloads.length && this.last?.policyKey === policyKey;
    const change = patchable && this.last ? changeBetween(this.last.workloads, workloads, inventory) : null;
    const size = change ? (change.put?.length ?? 0) + (change.remove?.length ?? 0) : 0;

    let result: CompileResult;
    let session: CompileSession | undefined;
    if (this.last && change && size === 0) {
      ({ result, session } = this.last);
    } else if (this.last && change && size <= PATCH_LIMIT) {
      session = this.last.session ?? new CompileSession(policy, this.last.inventory);
      session.apply(change);
      result = session.result();
    } else {
      result = compilePolicy(policy, inventory);
    }
    this.last = { policyKey, workloads, inventory, result, ...(session ? { session } : {}) };

    const compiled = performance.now();
    const hosts = result.hosts.map((h) => ({ ...h, text: this.textOf(h.host, policy, h.flows) }));
    const durationMs = roundMs(compiled - started);
    const formatMs = roundMs(performance.now() - compiled);
    this.log.info('compiled', { policy: policy.name, ms: durationMs, formatMs, flows: result.flowCount, hosts: hosts.length, ...(session ? { patchedWorkloads: size } : {}) });
    return { ...result, hosts, durationMs, formatMs, ...(session && size > 0 ? { patchedWorkloads: size } : {}) };
  }

  private textOf(host: string, policy: Policy, flows: readonly Flow[]): string {
    let text = this.texts.get(flows);
    if (text === undefined) this.texts.set(flows, (text = formatHostTable(host, policy, flows)));
    return text;
  }
}

/** The workloads added or changed (put) and those gone (remove) between two pictures. */
function changeBetween(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, inventory: Inventory): InventoryChange {
  const put = inventory.workloads.filter((w) => before.get(w.id) !== after.get(w.id));
  const remove = [...before.keys()].filter((id) => !after.has(id));
  return { put, remove };
}

function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
