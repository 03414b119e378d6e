// Test support only: random static inventories written as YAML in the styles people and
// generators write (block, flow, compact items, quotes, comments, CRLF), with values a schema or
// check refuses and, now and then, a line broken (indentation, a tab, a repeated key). For the
// property tests that hold the quick read (yaml-plain.ts) to the `yaml` library's located parse.

import { seededRandom } from '../../testing/seeded-random';

/** A node to write: a scalar's text as it stands in the file, or a mapping or list. */
type Node = { scalar: string } | { map: [string, Node][] } | { list: Node[] };

/** Texts the core schema reads as something other than a string, or that the quick read leaves to the yaml library. */
const TRICKY = ['', '~', 'null', 'Null', 'true', 'False', 'yes', '0', '0123', '8080', '65536', '12345678901234567', '-1', '+1', '1.5', '1e3', '.inf', '.NaN', '0x1F', '0o17', 'a: b', 'a:b', 'x:', ':x', 'a #b', 'a#b', '#x', '-veth1', '- x', '?x', '*alias', '&anchor', '!tag', '|', '>', '%x', '@x', '`x', "it's", 'say "hi"', 'back\\slash', 'a,b', '[a]', '{a}', 'a b', ' padded ', 'ü-ß', 'no-break\u00a0', '\u00a0lead', 'nul\u0000', '...', '---', '__proto__'];
const NAMES = ['web', 'web-1', 'db', 'shop/web', 'API', 'w'];
const HOSTS = ['host-a', 'host-b', 'HOST-A', 'bad host'];
const ADDRESSES = ['10.0.0.1', '10.0.0.2', 'fd00::2', 'FD00::0002', '10.0.0.0/24', '::ffff:10.0.0.1', 'nowhere'];
const LABEL_KEYS = ['app', 'tier', 'env', 'app.kubernetes.io/name', 'bad key!', ' tier'];
const LABEL_VALUES = ['web', 'db', 'shop', '', 'a b', 'x'];
const MACS = ['02:42:0a:00:00:09', '02:42:0A:00:00:0A', 'zz'];

/** A random inventory as YAML text; the same text for the same seed. */
export function randomInventoryYaml(seed: number): string {
  const rnd = seededRandom(seed);
  const chance = (p: number): boolean => rnd() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const text = (common: readonly string[]): string => (chance(0.1) ? pick(TRICKY) : pick(common));

  const scalar = (value: string): Node => {
    if (chance(0.15)) return { scalar: JSON.stringify(value) };
    if (chance(0.1)) return { scalar: `'${value.replaceAll("'", "''")}'` };
    return { scalar: value };
  };
  const list = (items: readonly string[], count: number): Node => ({ list: Array.from({ length: count }, () => scalar(text(items))) });
  const workload = (i: number): Node => {
    const map: [string, Node][] = [
      ['name', scalar(chance(0.9) ? `${pick(NAMES)}${i}` : text(NAMES))],
      ['host', scalar(text(HOSTS))],
    ];
    if (chance(0.8)) map.push(['addresses', list(ADDRESSES, Math.floor(rnd() * 3))]);
    if (chance(0.7)) map.push(['labels', { map: Array.from({ length: Math.floor(rnd() * 3) }, (): [string, Node] => [pick(LABEL_KEYS), scalar(text(LABEL_VALUES))]) }]);
    if (chance(0.2)) map.push(['mac', scalar(text(MACS))]);
    if (chance(0.2)) map.push(['namespace', scalar(text(['shop', 'Shop', '']))]);
    if (chance(0.2)) map.push(['ports', { list: [{ map: [['name', scalar(text(['http', 'dns']))], ['port', { scalar: text(['80', '53', '0']) }], ['protocol', scalar(text(['tcp', 'UDP', 'icmp']))]] }] }]);
    if (chance(0.05)) map.push(['colour', scalar('blue')]);
    if (chance(0.03)) map.push(['name', scalar('again')]);
    return { map };
  };

  const flow = (node: Node): string => {
    if ('scalar' in node) return node.scalar;
    const pad = chance(0.5) ? ' ' : '';
    if ('list' in node) return `[${node.list.map(flow).join(', ')}]`;
    return `{${pad}${node.map.map(([k, v]) => `${keyOf(k)}: ${flow(v)}`).join(', ')}${pad}}`;
  };
  const keyOf = (key: string): string => (/^[a-z.]+(\/[a-z]+)?$/.test(key) ? key : JSON.stringify(key));
  const comment = (): string => (chance(0.1) ? ' # note' : '');
  /** Lines of a mapping whose keys stand at `indent`. */
  const blockMap = (entries: [string, Node][], indent: number): string[] =>
    entries.flatMap(([key, value]) => {
      const head = `${' '.repeat(indent)}${keyOf(key)}:`;
      const empty = 'map' in value ? value.map.length === 0 : 'list' in value && value.list.length === 0;
      if ('scalar' in value || empty || chance(0.3)) return [`${head} ${flow(value)}${comment()}`];
      if ('map' in value) return [head + comment(), ...blockMap(value.map, indent + 2)];
      return [head + comment(), ...blockList(value.list, chance(0.5) ? indent : indent + 2)];
    });
  /** Lines of a list whose `-` stand at `indent`. */
  const blockList = (items: Node[], indent: number): string[] =>
    items.flatMap((item) => {
      const dash = `${' '.repeat(indent)}-`;
      if (!('map' in item) || item.map.length === 0 || chance(0.2)) return [`${dash} ${flow(item)}${comment()}`];
      if (chance(0.05)) return [dash, ...blockMap(item.map, indent + 2)];
      const [first = '', ...rest] = blockMap(item.map, indent + 2);
      return [`${dash} ${first.trimStart()}`, ...rest];
    });

  const workloads = Array.from({ length: Math.floor(rnd() * 5) }, (_, i) => workload(i));
  const lines = [
    ...(chance(0.2) ? ['# an inventory'] : []),
    `apiVersion: ${chance(0.95) ? 'microseg.dev/v1' : 'v0'}`,
    'kind: Inventory',
    ...(workloads.length === 0 && chance(0.5) ? ['workloads:'] : ['workloads:', ...blockList(workloads, chance(0.5) ? 0 : 2)]),
  ].flatMap((line) => (chance(0.05) ? [line, chance(0.5) ? '' : '  # between'] : [line]));
  breakOneLine(lines, rnd);
  return lines.join(chance(0.1) ? '\r\n' : '\n') + (chance(0.9) ? '\n' : '');
}

/** Now and then, one line written wrong: its indentation off by one, a tab, or the line twice (a repeated key). */
function breakOneLine(lines: string[], rnd: () => number): void {
  const at = Math.floor(rnd() * lines.length);
  const line = lines[at]!;
  const fault = rnd();
  if (fault < 0.03) lines[at] = ` ${line}`;
  else if (fault < 0.06) lines[at] = line.replace(/^ /, '');
  else if (fault < 0.08) lines[at] = line.replace(' ', '\t');
  else if (fault < 0.1) lines.splice(at, 0, line);
}
