import { parse } from 'csv-parse/sync';
import type { ObservedConnection } from '@shared/analysis/replay';
import type { Diagnostic } from '@shared/diagnostics';

export interface ConnectionLogParse {
  connections: ObservedConnection[];
  diagnostics: Diagnostic[];
}

const REQUIRED = ['from', 'to', 'protocol', 'port'] as const;
const PROTOCOLS = new Set(['tcp', 'udp', 'sctp', 'icmp']);

/**
 * Reads a connection log: CSV with a header row `from,to,protocol,port` and optionally `count`
 * (how many times the connection was seen; 1 when absent), `#` comments allowed. Ends are
 * workload names, `namespace/name` or IP addresses; `port` is the destination port, or the
 * ICMP type for `icmp`. Every bad line is reported with its line and column name; the good
 * ones are still returned, so one typo does not hide the rest.
 */
export function parseConnectionLog(text: string, file: string): ConnectionLogParse {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), info: true, skip_empty_lines: true, trim: true, comment: '#', comment_no_infix: true, bom: true });
  } catch (error) {
    const e = error as Error & { lines?: number };
    return { connections: [], diagnostics: [{ code: 'MS701', severity: 'error', message: `CSV syntax: ${e.message}`, location: { file, line: e.lines } }] };
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (records.length > 0 && missing.length > 0)
    return { connections: [], diagnostics: [{ code: 'MS701', severity: 'error', message: `the header row lacks ${missing.join(', ')}; it must name from,to,protocol,port (and optionally count)`, location: { file, line: 1 } }] };

  const connections: ObservedConnection[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { record, info } of records) {
    const bad = (column: string, what: string): void => {
      diagnostics.push({ code: 'MS702', severity: 'error', message: `${column}: ${what}; the line is left out`, location: { file, line: info.lines } });
    };
    const protocol = (record.protocol ?? '').toLowerCase();
    const port = Number(record.port);
    const count = record.count === undefined || record.count === '' ? 1 : Number(record.count);
    if (!record.from) bad('from', 'empty; name a workload or an IP address');
    else if (!record.to) bad('to', 'empty; name a workload or an IP address');
    else if (!PROTOCOLS.has(protocol)) bad('protocol', `"${record.protocol ?? ''}" is not tcp, udp, sctp or icmp`);
    else if (protocol === 'icmp' ? !isIntegerIn(port, 0, 255) || record.port === '' : !isIntegerIn(port, 1, 65535))
      bad('port', `"${record.port ?? ''}" is not ${protocol === 'icmp' ? 'an ICMP type 0-255' : 'a port 1-65535'}`);
    else if (!isIntegerIn(count, 1, Number.MAX_SAFE_INTEGER)) bad('count', `"${record.count}" is not a whole number of at least 1`);
    else connections.push({ from: record.from, to: record.to, protocol: protocol as ObservedConnection['protocol'], port, count, line: info.lines });
  }
  return { connections, diagnostics };
}

function isIntegerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
