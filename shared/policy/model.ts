/** The format version written into every policy file; bump on incompatible change. */
export const POLICY_API_VERSION = 'microseg.dev/v1';

export type Protocol = 'tcp' | 'udp' | 'sctp' | 'icmp' | 'any';

/** One permitted service. Ports only for tcp, udp and sctp; no ports means all ports. */
export interface Service {
  protocol: Protocol;
  /** Inclusive port range; a single port has `from === to`. */
  ports?: { from: number; to: number };
}

/**
 * Which workloads (or external parties) belong to a group. Every given criterion must hold;
 * an empty selector selects nothing, so a forgotten field never silently selects everything.
 */
export interface Selector {
  /** Kubernetes label-selector syntax: `tier=web,env in (prod,stage),!legacy`. */
  labels?: string;
  /** Image reference pattern; `*` matches any run of characters. */
  image?: string;
  namespace?: string;
  host?: string;
  /** External parties by address block, e.g. `0.0.0.0/0`. */
  cidrs?: string[];
}

export interface CanvasPosition {
  x: number;
  y: number;
}

export interface Group {
  name: string;
  description?: string;
  selector: Selector;
  /** An isolated group does not permit traffic between its own members. */
  isolated?: boolean;
  position?: CanvasPosition;
}

export type EdgeAction = 'allow';

/** A one-way, stateful permission: `from` may open connections to `to` on `services`. */
export interface Edge {
  /** Stable identity, kept across edits so flow cookies and canvas selection map back to it. */
  id: string;
  from: string;
  to: string;
  services: Service[];
  action: EdgeAction;
  description?: string;
}

export interface PolicyDefaults {
  withinGroup: 'allow' | 'drop';
  betweenGroups: 'drop';
}

export interface Policy {
  apiVersion: typeof POLICY_API_VERSION;
  name: string;
  /** Bumped on every save, so two copies of a file can be told apart. */
  revision: number;
  defaults: PolicyDefaults;
  groups: Group[];
  edges: Edge[];
}

/** A new, empty policy with the documented defaults. */
export function emptyPolicy(name = 'untitled'): Policy {
  return {
    apiVersion: POLICY_API_VERSION,
    name,
    revision: 0,
    defaults: { withinGroup: 'allow', betweenGroups: 'drop' },
    groups: [],
    edges: [],
  };
}
