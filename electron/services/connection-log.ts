import { parse, type Info } from 'csv-parse';
import type { ObservedConnection, ReplayResult } from '@shared/analysis/replay';
import { byLine, capped, hasErrors, type Diagnostic } from '@shared/diagnostics';
import { quotedName } from '@shared/text';
import { CSV_READING, lfBreaks, quoteInCellProblem, recordLinesWithText, RecordReports, recordStartLine } from './csv-lines';

export interface ConnectionLogParse {
  connections: ObservedConnection[];
  diagnostics: Diagnostic[];
  /** Lines of the log left out: one per diagnostic, and every line an unclosed quote took into its cell. */
  linesLeftOut: number;
}

const REQUIRED = ['from', 'to', 'protocol', 'port'] as const;
const PROTOCOLS = new Set(['tcp', 'udp', 'sctp', 'icmp']);
/** Text fed to the parser between two pauses: large logs are read without holding the event loop. */
const CHUNK = 1 << 20;

/**
 * Why a log gave nothing to replay, and what to do, for the app and the command line alike: a
 * log without a connection must not pass as "everything goes through".
 */
export function noConnectionMessage(file: string, log: ConnectionLogParse): string {
  return hasErrors(log.diagnostics)
    ? `No connection of the connection log ${file} could be read: correct the lines its errors name, and replay again`
    : `The connection log ${file} holds no connection (it is empty, or holds only a header row or comments): give a log with the header row from,to,protocol,port and a line per connection`;
}

/**
 * Reads a connection log: CSV with a header row `from,to,protocol,port` and optionally `count`
 * (how many times the connection was seen; 1 when absent), `#` comments allowed. Ends are
 * workload names, `namespace/name` or IP addresses; `port` is the destination port, or the
 * ICMP type for `icmp`. Every bad line (a field missing or too many, a bad value) is reported
 * with its line and column name and left out; the good ones are still returned, so one typo does
 * not hide the rest. Only a file CSV cannot be read past (an unclosed quote) stops it there.
 */
export async function parseConnectionLog(text: string, file: string): Promise<ConnectionLogParse> {
  const diagnostics: Diagnostic[] = [];
  const connections: ObservedConnection[] = [];
  let header: string[] = [];
  /** Lines an unclosed quote took into its cell, past the one its diagnostic names. */
  let quotedAway = 0;
  const reports = new RecordReports(diagnostics);
  const parser = parse({
    ...CSV_READING,
    columns: (names: string[]) => (header = names.map((h) => h.trim().toLowerCase())),
    relax_column_count: true,
    on_skip: (error, raw) => {
      if (!error) return;
      // The error names the line the parser stopped on; the record (its raw text) starts earlier.
      const end = lineOf(error);
      const line = end !== undefined && typeof raw === 'string' ? recordStartLine(end, raw) : end;
      if (error.code === 'CSV_QUOTE_NOT_CLOSED' && typeof raw === 'string') {
        // The rest of the log was read as one cell: every line of it is left out, not one.
        const lines = recordLinesWithText(raw);
        quotedAway += lines - 1;
        const rest = lines === 1 ? 'the line is' : `this line and the ${(lines - 1).toLocaleString('en-US')} after it are`;
        reports.add({ code: 'MS701', severity: 'error', message: `CSV: a quote opened on this line is never closed, so the rest of the log is one cell; ${rest} left out (close the quote)`, location: { file, line } }, true);
        return;
      }
      reports.add({ code: 'MS701', severity: 'error', message: `CSV: ${quoteInCellProblem(error) ?? error.message}; the line is left out`, location: { file, line } }, false);
    },
  });
  const done = new Promise<void>((resolve, reject) => {
    parser.on('readable', () => {
      let next: { record: Record<string, string>; info: Info; raw: string } | null;
      while ((next = parser.read() as typeof next) !== null) {
        const line = recordStartLine(next.info.lines, next.raw);
        // More fields would be dropped unseen (a count without its column); fewer lack a column
        // the line needs, unless the ones left out are optional (count).
        const fields = (next.info as Info & { error?: { record?: unknown[] } }).error?.record?.length ?? 0;
        const lacksNeeded = fields > 0 && fields < header.length && header.slice(fields).some((column) => (REQUIRED as readonly string[]).includes(column));
        if (fields > header.length || lacksNeeded) {
          diagnostics.push({ code: 'MS701', severity: 'error', message: `the line has ${fields} field${fields === 1 ? '' : 's'} and the header row names ${header.length} (${header.join(',')}); the line is left out`, location: { file, line } });
          continue;
        }
        const checked = connectionOf(next.record, line, file);
        if ('connection' in checked) connections.push(checked.connection);
        else diagnostics.push(checked.diagnostic);
      }
    });
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  try {
    for (let at = 0; at < text.length; ) {
      // A \r\n split between two chunks stays whole: the chunk takes the \n too.
      let end = Math.min(at + CHUNK, text.length);
      if (text[end - 1] === '\r' && text[end] === '\n') end++;
      parser.write(lfBreaks(text.slice(at, end)));
      at = end;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    parser.end();
    await done;
  } catch (error) {
    const e = error as Error;
    diagnostics.push({ code: 'MS701', severity: 'error', message: `CSV syntax: ${e.message}; nothing after it is read`, location: { file, line: lineOf(e) } });
  }

  const missing = REQUIRED.filter((c) => !header.includes(c));
  const twice = header.filter((h, i) => header.indexOf(h) !== i);
  if (header.length > 0 && (missing.length > 0 || twice.length > 0)) {
    const problem = missing.length > 0 ? `lacks ${missing.join(', ')}` : `names ${[...new Set(twice)].join(', ')} twice`;
    return { connections: [], linesLeftOut: 0, diagnostics: [{ code: 'MS701', severity: 'error', message: `the header row ${problem}; it must name from,to,protocol,port (and optionally count) once each`, location: { file, line: 1 } }] };
  }
  return { connections, linesLeftOut: diagnostics.length + quotedAway, diagnostics: diagnostics.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0)) };
}

/**
 * A log's replay with the log's own problems added, as every door shows them: the lines left
 * out counted in all, the problems in line order, the first MAX_DIAGNOSTICS_PER_FILE of them
 * named and then how many more; `problems` counts them all.
 */
export function withLogProblems(result: ReplayResult, log: ConnectionLogParse): { result: ReplayResult; problems: number } {
  const problems = byLine([...log.diagnostics, ...result.diagnostics]);
  return { result: { ...result, diagnostics: capped(problems), linesLeftOut: log.linesLeftOut + result.linesLeftOut }, problems: problems.length };
}

/** One record as a connection, or what is wrong with it, the location naming its column. */
function connectionOf(record: Record<string, string>, line: number, file: string): { connection: ObservedConnection } | { diagnostic: Diagnostic } {
  const bad = (column: string, what: string): { diagnostic: Diagnostic } => ({
    diagnostic: { code: 'MS702', severity: 'error', message: `${column}: ${what}; the line is left out`, location: { file, line, path: column } },
  });
  const protocol = (record.protocol ?? '').toLowerCase();
  if (!record.from) return bad('from', 'empty; name a workload or an IP address');
  if (!record.to) return bad('to', 'empty; name a workload or an IP address');
  if (!PROTOCOLS.has(protocol)) return bad('protocol', `${quotedName(record.protocol ?? '')} is not tcp, udp, sctp or icmp`);
  const port = wholeNumber(record.port);
  if (port === null || (protocol === 'icmp' ? port > 255 : port < 1 || port > 65535))
    return bad('port', `${quotedName(record.port ?? '')} is not ${protocol === 'icmp' ? 'an ICMP type 0-255' : 'a port 1-65535'}`);
  const count = record.count === undefined || record.count === '' ? 1 : wholeNumber(record.count);
  if (count === null || count < 1 || count > MAX_COUNT) return bad('count', `${quotedName(record.count ?? '')} is not a whole number from 1 to ${MAX_COUNT}`);
  return { connection: { from: record.from, to: record.to, protocol: protocol as ObservedConnection['protocol'], port, count, line } };
}

/** The line csv-parse says an error is on. */
function lineOf(error: Error): number | undefined {
  const lines = (error as { lines?: unknown }).lines;
  return typeof lines === 'number' ? lines : undefined;
}

/** Far above any real count; a log's sum past 2^53 - 1 is cut where it would pass it (replay.ts, MS704). */
const MAX_COUNT = 1e12;

/** Plain decimal digits only: `0x16`, `+22`, `8.0` and `1e3` are typos more often than intent. */
function wholeNumber(text: string | undefined): number | null {
  return text !== undefined && /^\d{1,13}$/.test(text) ? Number(text) : null;
}
