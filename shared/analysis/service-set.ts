/**
 * Sets of services as exact interval lists per protocol: destination ports for TCP, UDP and
 * SCTP, ICMP messages as type × 256 + code (icmpValue), and the numbers of every other IP
 * protocol. The reachability matrix and the impact of a change are sets like these, so they
 * can be compared, united and subtracted without sampling.
 */

export const SERVICE_PROTOCOLS = ['tcp', 'udp', 'sctp', 'icmp', 'other'] as const;
export type ServiceProtocol = (typeof SERVICE_PROTOCOLS)[number];

/** Inclusive `[from, to]`. */
export type Interval = readonly [number, number];

/** Sorted, disjoint, non-adjacent intervals per protocol. */
export type ServiceSet = Readonly<Record<ServiceProtocol, readonly Interval[]>>;

/** IP protocol numbers that have their own row: ICMP, TCP, UDP, ICMPv6, SCTP. */
const NAMED_IP_PROTOCOLS = [1, 6, 17, 58, 132];

/** ICMP codes per type: a type's messages are icmpValue(type, 0) to icmpValue(type, 255). */
export const ICMP_CODES = 256;

/** An ICMP message's number in a service set: its type, then its code, as Open vSwitch's icmp_type and icmp_code read it. */
export function icmpValue(type: number, code: number): number {
  return type * ICMP_CODES + code;
}

/** Everything each protocol can carry: ports 0–65535, ICMP types and codes 0–255 each, the other IP protocols. */
export const SERVICE_DOMAIN: ServiceSet = {
  tcp: [[0, 65535]],
  udp: [[0, 65535]],
  sctp: [[0, 65535]],
  icmp: [[0, icmpValue(255, 255)]],
  other: complementWithin([[0, 255]], NAMED_IP_PROTOCOLS.map((n): Interval => [n, n])),
};

export const NO_SERVICES: ServiceSet = { tcp: [], udp: [], sctp: [], icmp: [], other: [] };

export function isEmptyServiceSet(set: ServiceSet): boolean {
  return SERVICE_PROTOCOLS.every((p) => set[p].length === 0);
}

export function serviceSetsEqual(a: ServiceSet, b: ServiceSet): boolean {
  return SERVICE_PROTOCOLS.every((p) => intervalsEqual(a[p], b[p]));
}

export function unionServices(a: ServiceSet, b: ServiceSet): ServiceSet {
  return mapProtocols((p) => normalise([...a[p], ...b[p]]));
}

export function intersectServices(a: ServiceSet, b: ServiceSet): ServiceSet {
  return mapProtocols((p) => intersect(a[p], b[p]));
}

export function subtractServices(a: ServiceSet, b: ServiceSet): ServiceSet {
  return mapProtocols((p) => complementWithin(a[p], b[p]));
}

/** Builds a set from intervals given in any order, overlapping or adjacent. */
export function serviceSetOf(parts: Partial<Record<ServiceProtocol, readonly Interval[]>>): ServiceSet {
  return mapProtocols((p) => normalise(parts[p] ?? []));
}

/**
 * Reads as the policy file writes services where it can (`any`, or `tcp/80`, `tcp/8000-8060`,
 * `udp`, `icmp`, `icmp/8`, `icmp/8/4`), and beyond it where the tables tell apart what no policy
 * file names (`ip proto 47`, `other IP protocols`, port 0 as in `tcp/0-79`; the README lists the
 * same), comma-separated; `none` for the empty set. A set that holds most of what it could is
 * written by what it lacks: `tcp except 5432`, `icmp except types 3 and 8` (`icmp except type 3
 * code 4` for a code), `other IP protocols except 47`, `any except tcp/5432`, so narrowing `tcp` to `tcp/5432` does
 * not block `tcp/0-5431, tcp/5433-65535` (port 0 there read as a fault). The rule: a protocol
 * takes `except` when the runs it lacks are fewer than those it holds (a tie keeps the runs
 * held, which say plainly what is in the set); the whole set takes `any except` when what it
 * lacks is written in fewer runs than what it holds (a whole protocol counting as one), and
 * none of that needs an `except` itself. Deterministic. listServices gives the runs as they are.
 */
export function formatServices(set: ServiceSet): string {
  if (isEmptyServiceSet(set)) return 'none';
  if (serviceSetsEqual(set, SERVICE_DOMAIN)) return 'any';
  const held = writtenParts(set);
  const lacked = writtenParts(subtractServices(SERVICE_DOMAIN, set));
  if (runsOf(lacked) < runsOf(held) && lacked.every((part) => !part.except)) return `any except ${lacked.map((part) => part.text).join(', ')}`;
  return held.map((part) => part.text).join(', ');
}

/**
 * The set run by run, as formatServices wrote it before it took `except`: `tcp/0-5431,
 * tcp/5433-65535`. For the matrix's CSV, whose cells scripts may split at the commas.
 */
export function listServices(set: ServiceSet): string {
  if (serviceSetsEqual(set, SERVICE_DOMAIN)) return 'any';
  const parts = SERVICE_PROTOCOLS.flatMap((protocol) => {
    const intervals = set[protocol];
    return intervals.length === 0 ? [] : intervalsEqual(intervals, SERVICE_DOMAIN[protocol]) ? [PROTOCOL_NAMES[protocol]] : listedRuns(protocol, intervals);
  });
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** A protocol as one part of a written set; `runs`: how many numbers or ranges it names (a whole protocol: one). */
interface WrittenPart {
  text: string;
  runs: number;
  except: boolean;
}

const PROTOCOL_NAMES: Record<ServiceProtocol, string> = { tcp: 'tcp', udp: 'udp', sctp: 'sctp', icmp: 'icmp', other: 'other IP protocols' };

/** Each protocol the set holds, written by what it holds or, when shorter, by what it lacks. */
function writtenParts(set: ServiceSet): WrittenPart[] {
  return SERVICE_PROTOCOLS.flatMap((protocol): WrittenPart[] => {
    const held = set[protocol];
    if (held.length === 0) return [];
    if (intervalsEqual(held, SERVICE_DOMAIN[protocol])) return [{ text: PROTOCOL_NAMES[protocol], runs: 1, except: false }];
    const lacked = complementWithin(SERVICE_DOMAIN[protocol], held);
    const heldRuns = listedRuns(protocol, held);
    const lackedWords = protocol === 'icmp' ? icmpExceptions(lacked) : lacked.map(runText);
    if (lackedWords.length < heldRuns.length) return [{ text: `${PROTOCOL_NAMES[protocol]} except ${inWords(lackedWords)}`, runs: lackedWords.length, except: true }];
    return [{ text: heldRuns.join(', '), runs: heldRuns.length, except: false }];
  });
}

function listedRuns(protocol: ServiceProtocol, intervals: readonly Interval[]): string[] {
  if (protocol === 'icmp') return intervals.flatMap(icmpPieces).map(({ types, codes }) => `icmp/${runText(types)}${codes ? `/${runText(codes)}` : ''}`);
  const prefix = protocol === 'other' ? 'ip proto ' : `${protocol}/`;
  return intervals.map((run) => `${prefix}${runText(run)}`);
}

/** A run of ICMP messages as the policy names them: whole types, or codes of one type. */
interface IcmpPiece {
  types: Interval;
  /** Absent for every code of the types. */
  codes?: Interval;
}

/** A run of icmpValue numbers cut where it starts or ends inside a type: codes of that type, then whole types, then codes of the last. */
function icmpPieces([from, to]: Interval): IcmpPiece[] {
  const [firstType, firstCode] = [Math.floor(from / ICMP_CODES), from % ICMP_CODES];
  const [lastType, lastCode] = [Math.floor(to / ICMP_CODES), to % ICMP_CODES];
  const last = ICMP_CODES - 1;
  if (firstType === lastType) return [firstCode === 0 && lastCode === last ? { types: [firstType, firstType] } : { types: [firstType, firstType], codes: [firstCode, lastCode] }];
  const pieces: IcmpPiece[] = [];
  const wholeFrom = firstCode === 0 ? firstType : firstType + 1;
  const wholeTo = lastCode === last ? lastType : lastType - 1;
  if (firstCode !== 0) pieces.push({ types: [firstType, firstType], codes: [firstCode, last] });
  if (wholeFrom <= wholeTo) pieces.push({ types: [wholeFrom, wholeTo] });
  if (lastCode !== last) pieces.push({ types: [lastType, lastType], codes: [0, lastCode] });
  return pieces;
}

/** What an ICMP set lacks, in words: `types 3 and 8` when only whole types, else each piece named (`type 3 code 4`, `types 5-7`). */
function icmpExceptions(lacked: readonly Interval[]): string[] {
  const pieces = lacked.flatMap(icmpPieces);
  const single = ([from, to]: Interval): boolean => from === to;
  if (pieces.every((piece) => !piece.codes)) {
    const words = pieces.map((piece) => runText(piece.types));
    const noun = pieces.length === 1 && single(pieces[0]!.types) ? 'type ' : 'types ';
    return words.length === 0 ? [] : [`${noun}${words[0]}`, ...words.slice(1)];
  }
  return pieces.map(({ types, codes }) => `${single(types) ? 'type' : 'types'} ${runText(types)}${codes ? ` ${single(codes) ? 'code' : 'codes'} ${runText(codes)}` : ''}`);
}

function runText([from, to]: Interval): string {
  return from === to ? `${from}` : `${from}-${to}`;
}

function runsOf(parts: readonly WrittenPart[]): number {
  return parts.reduce((sum, part) => sum + part.runs, 0);
}

/** `22`, `22 and 5432`, `22, 80 and 5432`. */
function inWords(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** How many ports, ICMP types (a type's codes counting as one) and protocol numbers the set holds, for a heat map's shading. */
export function serviceCount(set: ServiceSet): number {
  let count = 0;
  for (const protocol of SERVICE_PROTOCOLS)
    for (const [from, to] of set[protocol]) count += protocol === 'icmp' ? Math.ceil((to - from + 1) / ICMP_CODES) : to - from + 1;
  return count;
}

function mapProtocols(f: (p: ServiceProtocol) => readonly Interval[]): ServiceSet {
  return { tcp: f('tcp'), udp: f('udp'), sctp: f('sctp'), icmp: f('icmp'), other: f('other') };
}

function normalise(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = out.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const from = Math.max(a[i]![0], b[j]![0]);
    const to = Math.min(a[i]![1], b[j]![1]);
    if (from <= to) out.push([from, to]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/** `a` minus `b`; both normalised, so one pass over each: sets of thousands of runs are common. */
function complementWithin(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const [from, to] of a) {
    // Runs of b that end before this run of a end before every later one too.
    while (j < b.length && b[j]![1] < from) j++;
    let start = from;
    for (let k = j; k < b.length && b[k]![0] <= to; k++) {
      const [bFrom, bTo] = b[k]!;
      if (bFrom > start) out.push([start, bFrom - 1]);
      start = Math.max(start, bTo + 1);
    }
    if (start <= to) out.push([start, to]);
  }
  return out;
}

function intervalsEqual(a: readonly Interval[], b: readonly Interval[]): boolean {
  return a.length === b.length && a.every(([from, to], i) => b[i]![0] === from && b[i]![1] === to);
}
