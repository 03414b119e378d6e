import type { Policy } from '../policy/model';
import { oneLine, quotedLiteral } from '../text';
import { formatFlow, tableName, type Flow } from './flow';
import { OUR_COOKIE, OUR_COOKIE_MASK, TABLES } from './pipeline';

/**
 * The preview text of one host's table: `ovs-ofctl add-flows` syntax with a comment heading
 * each pipeline table. No timestamps, so equal input gives equal bytes. Its layout (two header
 * lines, a blank and a comment line before each table) is what previewLines counts.
 */
export function formatHostTable(host: string, policy: Policy, flows: readonly Flow[]): string {
  const header = [
    `# Microseg Designer flow table for host ${oneLine(host)}`,
    `# policy ${quotedLiteral(policy.name)} revision ${policy.revision}; ${flows.length} flows, all with cookie ${OUR_COOKIE}/${OUR_COOKIE_MASK}`,
  ];
  return withTables(header, flows);
}

/**
 * The flows on the lines formatHostTable gives them, under a header of empty comments: what
 * parsing the preview would report about them, line numbers included, without a policy at hand.
 */
export function formatAtPreviewLines(flows: readonly Flow[]): string {
  return withTables(['#', '#'], flows);
}

/** The header's lines, then the flows with a comment heading each pipeline table (the layout PreviewLines counts). */
function withTables(header: readonly string[], flows: readonly Flow[]): string {
  const lines = [...header];
  let currentTable = -1;
  for (const flow of flows) {
    if (flow.table !== currentTable) {
      currentTable = flow.table;
      const name = tableName(flow.table);
      lines.push('', `# table ${flow.table} ${name ?? ''}: ${name ? TABLES[name].purpose : ''}`);
    }
    lines.push(formatFlow(flow));
  }
  return lines.join('\n') + '\n';
}

/** The line (1-based) each flow takes in formatHostTable's text, so a trace can point into the preview. */
export function previewLines(flows: readonly Flow[]): number[] {
  const lines = new PreviewLines();
  return flows.map((f) => lines.next(f.table));
}

/** Counts the preview's lines flow by flow, for readers that hold no Flow objects. */
export class PreviewLines {
  private line = 2; // the header
  private table = -1;

  /** The line of the next flow, which is in `table` (flows come in canonical order). */
  next(table: number): number {
    if (table !== this.table) {
      this.table = table;
      this.line += 2; // a blank line and the table's comment
    }
    return ++this.line;
  }
}

/**
 * The file one deploy feeds to `ovs-ofctl --bundle add-flows`: delete every flow of ours,
 * then add the new table, applied by the switch as one transaction.
 */
export function formatDeployBundle(flows: readonly Flow[]): string {
  return [`delete cookie=${OUR_COOKIE}/${OUR_COOKIE_MASK}`, ...flows.map((f) => `add ${formatFlow(f)}`)].join('\n') + '\n';
}

