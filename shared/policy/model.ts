/** The format version written into every policy file; bump on incompatible change. */
export const POLICY_API_VERSION = 'microseg.dev/v1';

export type Protocol = 'tcp' | 'udp' | 'sctp' | 'icmp' | 'any';

/**
 * One permitted service. Ports for tcp, udp and sctp, ICMP types (and codes of one type) for
 * icmp; no ports and no port name means all ports (all types).
 */
export interface Service {
  protocol: Protocol;
  /**
   * Inclusive port range; a single port has `from === to`. With `portName`, a filter on its
   * number. For `icmp`, the ICMP types, each read in the packet's own family, as Open vSwitch
   * reads `icmp_type`: 8 is IPv4's echo request, 128 IPv6's.
   */
  ports?: { from: number; to: number };
  /**
   * A named container port (`tcp/http`), resolved on each destination workload from its
   * declared ports: a destination that declares no port of that name and protocol is not
   * covered, nor is an address that belongs to no workload.
   */
  portName?: string;
  /**
   * For `icmp` with a single type (`icmp/3/4`, `icmp/3/0-4`): the ICMP codes of that type, as
   * Open vSwitch reads `icmp_code`. Without it every code of the types is covered. A code's
   * meaning belongs to its type, so a range of types takes no codes.
   */
  icmpCodes?: { from: number; to: number };
}

/**
 * Which workloads (or external parties) belong to a group. The workload criteria (labels,
 * namespaceLabels, image, namespace, host) must all hold; `cidrs` adds address blocks besides
 * the workloads they select (a union, never "workloads inside these blocks": MS110 warns when
 * both are given). An empty selector (no criterion at all) selects nothing, so a forgotten field
 * never silently selects everything; a criterion given empty says so on purpose: `labels: ''`
 * is every workload, as kubectl reads an empty label selector.
 */
export interface Selector {
  /** Kubernetes label-selector syntax: `tier=web,env in (prod,stage),!legacy`. */
  labels?: string;
  /**
   * A label selector (same syntax) on the labels of the workload's namespace, as NetworkPolicy's
   * namespaceSelector. Never holds for a workload in no namespace; `''` holds for any namespace.
   */
  namespaceLabels?: string;
  /** Image reference pattern; `*` matches any run of characters. */
  image?: string;
  /** Namespace name or pattern (`*` as in image): `shop` is every workload of shop, `*` every workload in a namespace. */
  namespace?: string;
  /** One exact host name (no pattern, unlike image and namespace): where the workload runs. */
  host?: string;
  /**
   * Address blocks, e.g. `0.0.0.0/0`: every address in them belongs to the group, besides (not
   * among) the workloads the criteria above select.
   */
  cidrs?: string[];
  /** Blocks carved out of `cidrs`, e.g. the private ranges out of the internet. */
  except?: string[];
  /**
   * Workloads removed from the group, whatever else selects them: each entry selects with the
   * workload criteria above; an excluded workload's addresses also leave the group's blocks.
   */
  exclude?: ExcludeSelector[];
}

/** An `exclude` entry: workload criteria only (no address blocks, no nested exclude). */
export type ExcludeSelector = Pick<Selector, 'labels' | 'namespaceLabels' | 'image' | 'namespace' | 'host'>;

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

/**
 * What an edge does with the connections it matches. `log` permits and counts; `reject` is
 * enforced as a drop with its own counters (answering with a TCP reset or ICMP error needs
 * an agent on the host, which does not exist yet); `redirect` sends the connection to a
 * honeypot workload (`redirectTo`) instead of its destination.
 */
export type EdgeAction = 'allow' | 'log' | 'deny' | 'reject' | 'redirect';

export const EDGE_ACTIONS: readonly EdgeAction[] = ['allow', 'log', 'deny', 'reject', 'redirect'];

/** Deny, reject and redirect edges outrank allow and log edges, whatever the drawing order. */
export function blocks(action: EdgeAction): boolean {
  return action === 'deny' || action === 'reject' || action === 'redirect';
}

/** A one-way, stateful permission: `from` may open connections to `to` on `services`. */
export interface Edge {
  /** Stable identity, kept across edits so flow cookies and canvas selection map back to it. */
  id: string;
  from: string;
  to: string;
  services: Service[];
  action: EdgeAction;
  /** With `redirect`: the honeypot, a workload's name or address. */
  redirectTo?: string;
  description?: string;
}

/** What happens to a new connection that no edge and no group decides. */
export type DefaultAction = 'drop' | 'reject' | 'monitor' | 'redirect';

export const DEFAULT_ACTIONS: readonly DefaultAction[] = ['drop', 'reject', 'monitor', 'redirect'];

export interface PolicyDefaults {
  withinGroup: 'allow' | 'drop';
  /** `monitor` permits but counts: a dry run before enforcing; `redirect` sends to `redirectTo`. */
  betweenGroups: DefaultAction;
  redirectTo?: string;
}

/** Traffic a default deny must not cut. ARP and IPv6 neighbour discovery always pass. */
export interface Infrastructure {
  /** DHCP between clients and servers (UDP 67/68). */
  dhcp: boolean;
  /** Resolvers every workload may query on UDP and TCP port 53. */
  dnsResolvers: string[];
}

export interface Policy {
  apiVersion: typeof POLICY_API_VERSION;
  name: string;
  /** Bumped on every save, so two copies of a file can be told apart. */
  revision: number;
  defaults: PolicyDefaults;
  /** Absent means no DHCP and no resolvers: only ARP and neighbour discovery pass. */
  infrastructure?: Infrastructure;
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
    infrastructure: { dhcp: false, dnsResolvers: [] },
    groups: [],
    edges: [],
  };
}
