import type { ConnectionState, Packet } from './packet';
import type { SimulationResult, TraceStep } from './simulate';
import { appendAll } from '../arrays';

/** At most this many unfinished conjunctions are listed per table, to keep traces readable. */
const MAX_INCOMPLETE = 3;

/** `tcp 10.0.0.1 → 10.0.0.2:8080 (new)`: the packet in one line. Pure. */
export function describePacket(packet: Packet, state?: ConnectionState): string {
  const mark = packet.ctMark && state !== 'new' ? `, ct_mark 0x${packet.ctMark.toString(16)}` : '';
  const suffix = state ? ` (${state}${mark})` : '';
  if (packet.ethType === 'arp') return `arp ${packet.src} → ${packet.dst}${suffix}`;
  const family = packet.ethType === 'ipv6' ? '6' : '';
  switch (packet.protocol) {
    case 'icmp':
      return `icmp${family} type ${packet.icmpType ?? 0}${packet.icmpCode ? ` code ${packet.icmpCode}` : ''} ${packet.src} → ${packet.dst}${suffix}`;
    case 'other':
      return `ip${family} proto ${packet.ipProto ?? 47} ${packet.src} → ${packet.dst}${suffix}`;
    default: {
      const dst = packet.ethType === 'ipv6' ? `[${packet.dst}]` : packet.dst;
      return `${packet.protocol ?? 'ip'}${family} ${packet.src} → ${dst}:${packet.dstPort ?? 0}${suffix}`;
    }
  }
}

/**
 * The trace as text a person can follow: per table visited, the flow that matched (line,
 * cookie, priority, text), the conjunction that selected it, and what its actions did; then
 * the verdict. Deterministic.
 */
export function formatTrace(result: SimulationResult, heading?: string): string {
  const lines = heading ? [heading] : [];
  for (const step of result.steps) appendAll(lines, formatStep(step));
  lines.push(`verdict: ${result.verdict}: ${result.reason}`);
  return lines.join('\n');
}

function formatStep(step: TraceStep): string[] {
  const name = step.tableName ? ` ${step.tableName}` : '';
  const lines = [`table ${step.table}${name} [${step.ctState}]${step.metadata ? ` ${step.metadata}` : ''}`];
  const { flow, conjunction, incomplete, ties } = step.lookup;

  for (const c of incomplete.slice(0, MAX_INCOMPLETE)) {
    const missing = Array.from({ length: c.clauses }, (_, i) => i + 1).filter((k) => !c.matched.includes(k));
    lines.push(
      `  conjunction ${c.id} (priority ${c.priority}) incomplete: clause ${missing.map((k) => `${k}/${c.clauses}`).join(', ')} did not match`,
    );
  }
  if (incomplete.length > MAX_INCOMPLETE)
    lines.push(`  … and ${incomplete.length - MAX_INCOMPLETE} more incomplete conjunctions`);

  if (conjunction) {
    const n = conjunction.clauses.length;
    lines.push(`  conjunction ${conjunction.id} complete at priority ${conjunction.priority}:`);
    conjunction.clauses.forEach((flows, k) => {
      const first = flows[0];
      if (first) lines.push(`    clause ${k + 1}/${n}: line ${first.line} ${first.text}`);
    });
    if (conjunction.alsoCompleted.length > 0) {
      lines.push(
        `    (conjunctions ${conjunction.alsoCompleted.join(', ')} completed too; Open vSwitch may choose any of them)`,
      );
    }
  }

  if (flow) {
    lines.push(`  matched line ${flow.line}, cookie ${flow.cookie}, priority ${flow.priority}: ${flow.text}`);
    if (ties.length > 0)
      lines.push(
        `  (lines ${ties.map((t) => t.line).join(', ')} match at the same priority; Open vSwitch may choose any of them)`,
      );
  }
  for (const effect of step.effects) lines.push(`  → ${effect}`);
  return lines;
}
