import { byLine, type Diagnostic, type SourceLocation } from '../diagnostics';
import { parseCidr } from '../net/address';
import { addressSlip } from '../net/address-slip';
import { canonicalAddress, ipv4MappedProblem, workloadAddressProblem } from '../net/cidr-set';
import { isLabelKey, isLabelValue, LABEL_KEY_RULE, LABEL_VALUE_RULE } from '../policy/label-selector';
import { isNamespaceName, NAMESPACE_NAME_RULE } from '../policy/namespace-name';
import { otherKindDiagnostic, parseLocatedYaml, readPlainDocument, schemaDiagnostics } from '../yaml-document';
import { inventoryFileSchema, repeatedLabelKey, workloadsAsFarAsShaped, type StaticWorkload } from './inventory-schema';
import { isPortName } from '../policy/services';
import { qualifiedName, type EntryPlace, type Inventory, type WorkloadPort } from './model';
import { hostNameProblem } from './host-name';
import { switchPortProblem } from './switch-port';
import { appendAll } from '../arrays';
import { mustBe, printable, quotedName, shortName } from '../text';
import { MAX_REQUEST_TEXT } from '../api/request-limits';
import { invisibleCharacterProblem } from '../invisible-characters';

/** Six colon-separated octets: flows write it into `mod_dl_dst`, which the switch checks. */
const MAC_ADDRESS = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
const MAC_RULE = 'a MAC address such as 02:42:0a:00:00:09';

export type InventoryParse = { inventory: Inventory | null; diagnostics: Diagnostic[] };

/**
 * Reads a static inventory file (VMs, bare metal, or a recorded lab): each workload with its
 * host, addresses and labels. `readAt` is supplied by the caller so parsing stays pure.
 * Deterministic; the same result as `parseInventoryFileLocated`, faster for a file with nothing to report that js-yaml reads (see yaml-plain.ts).
 */
export function parseInventoryFile(text: string, file: string, readAt: string): InventoryParse {
  return readPlainInventory(text, file, readAt) ?? parseInventoryFileLocated(text, file, readAt);
}

/**
 * The quick read (yaml-plain.ts) of a file that has nothing to report;
 * undefined otherwise, for the located read to say what is wrong and where. Diagnostics come
 * from that one path, so a quick read only ever gives an inventory.
 */
function readPlainInventory(text: string, file: string, readAt: string): InventoryParse | undefined {
  const plain = readPlainDocument(text);
  const checked = plain && inventoryFileSchema.safeParse(plain.value);
  if (!plain || !checked?.success) return undefined;
  const raw = (plain.value as { workloads: object[] | null }).workloads ?? [];
  const entries = raw.map((workload, i) => {
    const start = plain.startOf(workload);
    return start && { line: start.line, column: start.column, path: `workloads.${i}` };
  });
  if (entries.some((entry) => entry === undefined)) return undefined;
  // Diagnostics are dropped here (the located read gives them), so they are not placed.
  const built = buildInventory(checked.data.workloads, file, readAt, () => ({ file }), (i) => entries[i]!);
  return built.diagnostics.length === 0 ? built : undefined;
}

/** Reads a static inventory file from the `yaml` library's located document: every value knows its line and column. */
export function parseInventoryFileLocated(text: string, file: string, readAt: string): InventoryParse {
  const parsed = parseLocatedYaml(text, file, 'MS301');
  if (!parsed.ok) return { inventory: null, diagnostics: parsed.diagnostics };
  const swapped = otherKindDiagnostic(parsed.value, 'Inventory', 'MS302');
  if (swapped) return { inventory: null, diagnostics: [swapped] };
  const locate = (i: number, field: string): SourceLocation => parsed.value.locate(`workloads.${i}.${field}`);
  const checked = inventoryFileSchema.safeParse(parsed.value.value, { reportInput: true });
  if (!checked.success) {
    // The workloads are checked for meaning too (at their own index), as far as their fields are of the right shape, as a CSV's cells are.
    const shaped = workloadsAsFarAsShaped(parsed.value.value);
    // Only their diagnostics are kept: no inventory is made of a file with errors, so no entry is placed.
    const meaning = buildInventory(shaped.map((w) => w.workload), file, readAt, (i, field) => locate(shaped[i]!.index, field), () => ({ line: 1 })).diagnostics;
    return { inventory: null, diagnostics: byLine([...schemaDiagnostics(checked.error, parsed.value, 'MS302'), ...meaning]) };
  }

  const entryOf = (i: number): EntryPlace => {
    const { line = 1, column, path } = parsed.value.locate(`workloads.${i}`);
    return { line, ...(column !== undefined ? { column } : {}), ...(path !== undefined ? { path } : {}) };
  };
  return buildInventory(checked.data.workloads, file, readAt, locate, entryOf);
}

/** One row of a tabular inventory (CSV): its line, and its cells by column name. */
export interface InventoryRow {
  line: number;
  cells: Record<string, string>;
}

export const INVENTORY_COLUMNS = ['name', 'host', 'addresses', 'mac', 'switchPort', 'labels', 'image', 'namespace', 'namespaceLabels', 'ports', 'composeService'] as const;

/**
 * Reads a tabular inventory: `addresses` separated by spaces or semicolons, `labels` and
 * `namespaceLabels` as `key=value` pairs separated by semicolons, `ports` as `tcp/8080`,
 * `http=tcp/8080` (a named port) separated by semicolons. Diagnostics name the line and the column.
 */
export function inventoryFromRows(rows: readonly InventoryRow[], file: string, readAt: string): InventoryParse {
  const diagnostics: Diagnostic[] = [];
  const workloads: StaticWorkload[] = rows.map((row) => {
    const at = (column: string): SourceLocation => ({ file, line: row.line, path: column });
    // A column the header lacks is said of the header (headerDiagnostics), not of every row.
    for (const required of ['name', 'host'] as const) {
      if (required in row.cells && !row.cells[required]?.trim()) diagnostics.push({ code: 'MS306', severity: 'error', message: `column "${required}" is empty`, location: at(required) });
    }
    const labelsOf = (column: 'labels' | 'namespaceLabels'): Record<string, string> => {
      const labels: Record<string, string> = {};
      const pairOf = new Map<string, string>();
      for (const pair of splitCell(row.cells[column] ?? '', /;/)) {
        const eq = pair.indexOf('=');
        const key = pair.slice(0, eq).trim();
        const earlier = pairOf.get(key);
        if (eq <= 0) diagnostics.push({ code: 'MS307', severity: 'error', message: `label "${pair}" must be written key=value`, location: at(column) });
        else if (earlier !== undefined) diagnostics.push({ code: 'MS307', severity: 'error', message: repeatedLabelKey(key, earlier, pair), location: at(column) });
        else {
          pairOf.set(key, pair);
          labels[key] = pair.slice(eq + 1).trim();
        }
      }
      return labels;
    };
    const ports = splitCell(row.cells.ports ?? '', /;/).flatMap((text) => {
      const port = parsePortCell(text);
      if (typeof port === 'string') diagnostics.push({ code: 'MS310', severity: 'error', message: port, location: at('ports') });
      return typeof port === 'string' ? [] : [port];
    });
    const optional = (column: string): string | undefined => row.cells[column]?.trim() || undefined;
    return {
      name: row.cells.name?.trim() ?? '',
      host: row.cells.host?.trim() ?? '',
      addresses: splitCell(row.cells.addresses ?? '', /[;\s]+/),
      mac: optional('mac'),
      switchPort: optional('switchPort'),
      labels: labelsOf('labels'),
      image: optional('image'),
      namespace: optional('namespace'),
      ...(row.cells.namespaceLabels?.trim() ? { namespaceLabels: labelsOf('namespaceLabels') } : {}),
      ...(ports.length > 0 ? { ports } : {}),
      composeService: optional('composeService'),
    };
  });
  // What both formats check (unique names, addresses, hosts) is checked even when a cell was
  // wrong, so every error of the file shows at once rather than in rounds.
  const built = buildInventory(workloads, file, readAt, (i, field) => ({ file, line: rows[i]?.line, path: field.split('.')[0] }), (i) => ({ line: rows[i]!.line }));
  if (diagnostics.length === 0) return built;
  return { inventory: null, diagnostics: byLine([...diagnostics, ...built.diagnostics]) };
}

/**
 * What is wrong with a tabular inventory's header row, at its line: a column it does not know
 * (MS305), or one every workload needs that it lacks (MS306). Said once, of the header, even
 * when no row follows it.
 */
export function headerDiagnostics(columns: readonly string[], file: string, line: number): Diagnostic[] {
  // A quote in the header closed lines later makes one column of those lines: what else would be said (a ";" among them, columns missing) only echoes it.
  const spanning = columns.find((column) => column.includes('\n'));
  if (spanning !== undefined) {
    const last = line + spanning.split('\n').length - 1;
    const message = `a quote in the header row closes only on line ${last}, so lines ${line} to ${last} were read as the one column ${quotedName(printable(spanning))}; a column name is one line: remove the quote`;
    return [{ code: 'MS305', severity: 'error', message, location: { file, line, path: spanning } }];
  }
  // One column holding them all: the row is separated by ";" or tabs, and every other complaint would only echo that.
  const [only] = columns;
  const separator = columns.length === 1 ? [';', '\t'].find((c) => only?.includes(c)) : undefined;
  if (only !== undefined && separator !== undefined) {
    const shown = separator === '\t' ? 'tabs' : '";"';
    return [{ code: 'MS305', severity: 'error', message: `the header row "${printable(only)}" is separated by ${shown}; separate the columns with commas (save the sheet as CSV with "," as its separator)`, location: { file, line, path: only } }];
  }
  // A connection log (replay's from,to,protocol,port) given as the inventory: one complaint, not one per column.
  if (columns.includes('from') && columns.includes('to') && !columns.includes('name')) {
    return [{ code: 'MS305', severity: 'error', message: `this is a connection log (a header row ${columns.join(',')}), not an inventory: give it to replay (--connections, or Replay in the app), and the inventory file here instead`, location: { file, line, path: 'from' } }];
  }
  const unknown = columns.filter((column) => !(INVENTORY_COLUMNS as readonly string[]).includes(column));
  // A required column written in another case is said once, as that (see unknownColumn).
  const missing = (['name', 'host'] as const).filter((required) => !columns.some((c) => c.toLowerCase() === required));
  return [
    ...unknown.map((column): Diagnostic => ({ code: 'MS305', severity: 'error', message: unknownColumn(column), location: { file, line, path: column } })),
    ...missing.map((column): Diagnostic => ({ code: 'MS306', severity: 'error', message: `the header row has no "${column}" column, which every workload needs (columns are ${INVENTORY_COLUMNS.join(', ')})`, location: { file, line, path: column } })),
  ];
}

/** Why a header cell names no column, and what to write; a known name in another case (`Name`, a sheet's title case) is named. */
function unknownColumn(column: string): string {
  if (column === '') return 'the header row names a column with nothing (a comma too many, at the end?); remove it';
  const meant = INVENTORY_COLUMNS.find((known) => known.toLowerCase() === column.toLowerCase());
  if (meant) return `unknown column "${column}"; column names are written in their own case: write "${meant}"`;
  return `unknown column "${column}"; columns are ${INVENTORY_COLUMNS.join(', ')}`;
}

/** `tcp/8080` or `http=tcp/8080`; the reason when it is neither. */
function parsePortCell(text: string): WorkloadPort | string {
  // An empty name (`=tcp/8080`) is no name, as YAML's `name: ""` is.
  const match = /^(?:([^=\s]*)\s*=\s*)?(tcp|udp|sctp)\/(\d{1,5})$/i.exec(text);
  const port = Number(match?.[3]);
  if (!match) return `port "${text}" must be written tcp/8080, or http=tcp/8080 for a named port`;
  if (port < 1 || port > 65535) return mustBe(`the port number of "${text}"`, 'from 1 to 65535', port);
  const protocol = match[2]!.toLowerCase() as WorkloadPort['protocol'];
  return match[1] ? { name: match[1], port, protocol } : { port, protocol };
}

function splitCell(text: string, separator: RegExp): string[] {
  return text
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The longest workload name a static inventory takes, as Kubernetes takes for an object's name. */
const MAX_WORKLOAD_NAME = 253;

/** Checks what both formats share (unique names, real addresses and MACs) and builds the workloads. */
function buildInventory(
  workloads: readonly StaticWorkload[],
  file: string,
  readAt: string,
  locate: (index: number, field: string) => SourceLocation,
  entryOf: (index: number) => EntryPlace,
): InventoryParse {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  // One machine whatever the case of its name (DNS, SSH): two spellings would compile two tables
  // for one switch, each deploy replacing the other's flows, and two flow files that a
  // case-insensitive file system makes one.
  const hostSpelling = new Map<string, string>();
  const otherSpelling = (host: string): string | undefined => {
    const first = hostSpelling.get(host.toLowerCase());
    if (first === undefined) hostSpelling.set(host.toLowerCase(), host);
    return first === undefined || first === host ? undefined : `host "${host}" and the earlier "${first}" differ only in case, and a host name means one machine whatever its case: write it one way`;
  };
  workloads.forEach((w, i) => {
    // Pods of different namespaces may share a name, as in Kubernetes.
    const key = qualifiedName(w);
    // An empty name or host (a CSV cell left empty) is reported as such already (MS306).
    if (w.name !== '' && seen.has(key)) {
      diagnostics.push({ code: 'MS303', severity: 'error', message: `workload ${quotedName(key)} is listed twice`, location: locate(i, 'name') });
    }
    // `namespace/name` names a workload in traces, the matrix and logs: a "/" in a name would read as one.
    if (w.name.includes('/')) {
      diagnostics.push({ code: 'MS315', severity: 'error', message: `workload name ${quotedName(w.name)} holds a "/", which reads as namespace/name; ${slashedNameAdvice(w.name)}`, location: locate(i, 'name') });
    }
    const invisible = invisibleCharacterProblem('workload name', w.name);
    if (invisible) diagnostics.push({ code: 'MS317', severity: 'error', message: invisible, location: locate(i, 'name') });
    // The longest a Kubernetes object name may be. Requests to the node side carry a workload's
    // id, which holds its name, and refuse longer text: a longer name could be opened but never compiled.
    if (w.name.length > MAX_WORKLOAD_NAME) {
      diagnostics.push({ code: 'MS316', severity: 'error', message: `workload name ${quotedName(w.name)} is longer than the ${MAX_WORKLOAD_NAME} characters a name may have; shorten it`, location: locate(i, 'name') });
    }
    for (const field of ['image', 'composeService'] as const) {
      const value = w[field];
      if (value !== undefined && value.length > MAX_REQUEST_TEXT) {
        diagnostics.push({ code: 'MS316', severity: 'error', message: `${field} ${quotedName(value)} of ${quotedName(w.name)} is longer than the ${MAX_REQUEST_TEXT.toLocaleString('en-US')} characters it may have; shorten it`, location: locate(i, field) });
      }
    }
    seen.add(key);
    // Host names become file names and SSH targets: keep them to what a host name can be.
    const hostProblem = w.host === '' ? undefined : (hostNameProblem(w.host) ?? otherSpelling(w.host));
    if (hostProblem) diagnostics.push({ code: 'MS309', severity: 'error', message: hostProblem, location: locate(i, 'host') });
    // A namespace becomes a file name on export (NAMESPACE.yaml) and a label value: only real names.
    if (w.namespace !== undefined && !isNamespaceName(w.namespace)) {
      diagnostics.push({ code: 'MS311', severity: 'error', message: `namespace ${quotedName(w.namespace)} of ${quotedName(w.name)} must be ${NAMESPACE_NAME_RULE}`, location: locate(i, 'namespace') });
    }
    w.addresses.forEach((a, j) => {
      const cidr = parseCidr(a);
      const mapped = ipv4MappedProblem(a);
      if (!cidr || cidr.prefix !== (cidr.family === 4 ? 32 : 128)) {
        diagnostics.push({ code: 'MS304', severity: 'error', message: notOneAddress(a, cidr), location: locate(i, `addresses.${j}`) });
      } else if (mapped !== undefined) {
        diagnostics.push({ code: 'MS304', severity: 'error', message: mapped, location: locate(i, `addresses.${j}`) });
      } else {
        const problem = workloadAddressProblem(a);
        if (problem) diagnostics.push({ code: 'MS304', severity: 'error', message: problem, location: locate(i, `addresses.${j}`) });
      }
    });
    for (const field of ['labels', 'namespaceLabels'] as const) {
      for (const [key, value] of Object.entries(w[field] ?? {})) {
        const problem = labelProblem(key, value);
        if (problem) diagnostics.push({ code: 'MS313', severity: 'error', message: `workload ${quotedName(w.name)}: ${problem}; no group selector could name it`, location: locate(i, `${field}.${key}`) });
      }
    }
    if (w.mac !== undefined && !MAC_ADDRESS.test(w.mac)) {
      diagnostics.push({ code: 'MS312', severity: 'error', message: `mac ${quotedName(w.mac)} of ${quotedName(w.name)} is not ${MAC_RULE}`, location: locate(i, 'mac') });
    }
    const portProblem = w.switchPort === undefined ? undefined : switchPortProblem(w.switchPort);
    if (portProblem) diagnostics.push({ code: 'MS314', severity: 'error', message: `${portProblem} (workload ${quotedName(w.name)})`, location: locate(i, 'switchPort') });
    appendAll(diagnostics, portDiagnostics(w, (j) => locate(i, `ports.${j}.name`)));
  });
  if (diagnostics.length > 0) return { inventory: null, diagnostics };

  return {
    inventory: {
      readAt,
      workloads: workloads.map((w, i) => ({
        id: `static:${file}/${qualifiedName(w)}`,
        name: w.name,
        host: w.host,
        // One spelling per address (fd00::2, not FD00::0002): flows, traces and lookups by
        // address compare text, and the sources read from Docker and Kubernetes write it so.
        addresses: w.addresses.map((address) => canonicalAddress(address)!),
        ...(w.mac ? { mac: w.mac.toLowerCase() } : {}),
        ...(w.switchPort ? { switchPort: w.switchPort } : {}),
        labels: w.labels,
        image: w.image,
        namespace: w.namespace,
        // An empty map or list says no more than none, and a CSV cell cannot tell them apart.
        ...(w.namespaceLabels && Object.keys(w.namespaceLabels).length > 0 ? { namespaceLabels: w.namespaceLabels } : {}),
        ...(w.ports && w.ports.length > 0 ? { ports: w.ports } : {}),
        composeService: w.composeService,
        origin: { kind: 'static', source: file, entry: entryOf(i) },
      })),
    },
    diagnostics,
  };
}

/** Port names must be what Kubernetes allows (a policy names them), and once per protocol. */
/** What to write instead of a name with a "/": its two parts as namespace and name, where it has exactly two. */
function slashedNameAdvice(name: string): string {
  const parts = name.split('/');
  const [namespace, rest] = parts;
  if (parts.length === 2 && namespace && rest) return `give namespace: ${shortName(namespace)} and name: ${shortName(rest)}, or another name`;
  return 'give a name without "/" (and the namespace, if it has one, as namespace)';
}

function portDiagnostics(w: StaticWorkload, locate: (index: number) => SourceLocation): Diagnostic[] {
  const seen = new Set<string>();
  return (w.ports ?? []).flatMap((p, j): Diagnostic[] => {
    if (p.name === undefined) return [];
    if (!isPortName(p.name)) return [{ code: 'MS310', severity: 'error', message: `port name ${quotedName(p.name)} of ${quotedName(w.name)} must be 1 to 15 lowercase letters, digits and single inner "-", with a letter`, location: locate(j) }];
    const key = `${p.protocol}/${p.name}`;
    if (seen.has(key)) return [{ code: 'MS310', severity: 'error', message: `${quotedName(w.name)} names two ${p.protocol} ports "${p.name}"; a name resolves to one port`, location: locate(j) }];
    seen.add(key);
    return [];
  });
}

/** What is wrong with a label as a selector reads labels (`tier==web` in a CSV cell gives the value "=web"); undefined when nothing is. */
function labelProblem(key: string, value: string): string | undefined {
  if (!isLabelKey(key)) return mustBe('label key', LABEL_KEY_RULE, key);
  if (!isLabelValue(value)) return mustBe(`the value of label ${quotedName(key)}`, LABEL_VALUE_RULE, value);
  return undefined;
}

/** Why `text` is not one workload address, with what to write: the usual slips get their own advice. */
function notOneAddress(text: string, cidr: ReturnType<typeof parseCidr>): string {
  const said = `${quotedName(text)} is not a single IPv4 or IPv6 address`;
  const parts = text.split(/[,\s]+/).filter((p) => p !== '');
  if (parts.length > 1 && parts.every((p) => parseCidr(p) !== null)) {
    return `${said}: it holds ${parts.length} addresses; in a CSV cell separate them with ";" (${parts.join(';')}), in YAML list them (addresses: [${parts.join(', ')}])`;
  }
  if (cidr) return `${said}: it is an address block; write the workload's own address, and select a block with a group's cidrs selector instead`;
  const slip = addressSlip(text, 'ports');
  return slip ? `${said}: ${slip}` : said;
}
