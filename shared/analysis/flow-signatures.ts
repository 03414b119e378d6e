import { pushUnder } from '../arrays';
import type { AddressBits, AddressMask } from '../simulator/address-bits';
import { addressMatches } from '../simulator/address-bits';
import { formatMatch, isConjunctive, type FlowMatch, type SimFlow } from '../simulator/flow-model';
import type { HostFlowTables } from '../simulator/path';
import { addressKey, exactAddress } from '../simulator/table-index';

type Role = 'source' | 'destination';

interface PrefixFlow {
  mask: AddressMask;
  shape: number;
}

interface HostShapes {
  exact: Record<Role, Map<string, number[]>>;
  prefixes: Record<Role, PrefixFlow[]>;
}

const ADDRESS_FIELDS: Record<Role, readonly ('nwSrc' | 'ipv6Src' | 'nwDst' | 'ipv6Dst')[]> = {
  source: ['nwSrc', 'ipv6Src'],
  destination: ['nwDst', 'ipv6Dst'],
};

/**
 * What the flow tables can tell apart about an address. A flow's "shape" is everything about
 * it except the address it matches in one role (source or destination): two addresses that
 * appear in flows of the same shapes, on every host and in every role, meet exactly the same
 * flows, so no packet can be treated differently for being from (or to) one rather than the
 * other. Equal signatures are the equivalence classes the matrix computes over: it simulates
 * one representative per class instead of every address.
 */
export class FlowSignatures {
  private readonly hosts = new Map<string, HostShapes>();
  private readonly shapeIds = new Map<string, number>();
  private readonly signatureIds = new Map<string, number>([['', 0]]);
  /** By host, role and address key: asked for the same few thousand addresses again and again. */
  private readonly memo = new Map<string, Record<Role, Map<string, number>>>();

  constructor(tables: HostFlowTables) {
    for (const [host, byTable] of tables) {
      const shapes: HostShapes = {
        exact: { source: new Map(), destination: new Map() },
        prefixes: { source: [], destination: [] },
      };
      for (const flows of byTable.values()) for (const flow of flows) this.file(shapes, flow);
      this.hosts.set(host, shapes);
    }
  }

  /** A number that two addresses share exactly when `host`'s flows cannot tell them apart in `role`; 0 when no flow there names the address. */
  signature(host: string, role: Role, address: AddressBits): number {
    let memo = this.memo.get(host)?.[role];
    if (!memo) {
      const byRole = this.memo.get(host) ?? { source: new Map<string, number>(), destination: new Map<string, number>() };
      this.memo.set(host, byRole);
      memo = byRole[role];
    }
    const known = memo.get(addressKey(address));
    if (known !== undefined) return known;
    const shapes = this.hosts.get(host);
    const ids = [...(shapes?.exact[role].get(addressKey(address)) ?? [])];
    for (const prefix of shapes?.prefixes[role] ?? []) if (addressMatches(prefix.mask, address)) ids.push(prefix.shape);
    const id = this.intern(this.signatureIds, ids.sort((a, b) => a - b).join(','));
    memo.set(addressKey(address), id);
    return id;
  }

  /** The class of an address sitting behind `host` (none: outside): its family and signatures on every host, in both roles. */
  classOf(address: AddressBits, host: string | undefined): string {
    const parts = [`v${address.family}`, host ?? '(outside)'];
    for (const name of this.hosts.keys()) {
      const source = this.signature(name, 'source', address);
      const destination = this.signature(name, 'destination', address);
      if (source !== 0 || destination !== 0) parts.push(`${name}:${source}:${destination}`);
    }
    return parts.join('|');
  }

  private file(shapes: HostShapes, flow: SimFlow): void {
    for (const role of ['source', 'destination'] as const) {
      for (const field of ADDRESS_FIELDS[role]) {
        const mask = flow.match[field];
        if (!mask) continue;
        const shape = this.intern(this.shapeIds, shapeOf(flow, field));
        const exact = exactAddress(mask);
        if (exact === null) shapes.prefixes[role].push({ mask, shape });
        else pushUnder(shapes.exact[role], exact, shape);
      }
    }
  }

  private intern(ids: Map<string, number>, key: string): number {
    const known = ids.get(key);
    if (known !== undefined) return known;
    const id = ids.size + (ids === this.signatureIds ? 0 : 1);
    ids.set(key, id);
    return id;
  }
}

/**
 * The flow without one of its address fields (or none); the cookie is left out as it never
 * changes a verdict. With `clauses` off, a clause flow's conjunction actions are left out too.
 */
export function shapeOf(flow: SimFlow, field?: keyof FlowMatch, clauses = true): string {
  const rest: FlowMatch = { ...flow.match };
  if (field) delete rest[field];
  const actions = !clauses && isConjunctive(flow) ? 'conjunction' : flow.text.slice(flow.text.indexOf('actions='));
  return `${flow.table}|${flow.priority}|${field ?? ''}|${formatMatch(rest)}|${actions}`;
}
