import type { TraceOutcome, TracePacket } from '@shared/api/contract';
import type { Inventory } from '@shared/inventory/model';
import { resolveEndpoints, sentBy, withinOneEndProblem } from '@shared/simulator/endpoints';
import { request } from '../../api/request';
import { tracedPacket, type TraceServiceFields } from '../../model/trace-packet';

/** The Trace tab's question, as its form holds it. */
export interface TraceQuestion extends TraceServiceFields {
  from: string;
  to: string;
  /** Another workload that sends From's address from its own switch port; empty: From itself. */
  sender: string;
  established: boolean;
}

export interface TraceAnswer {
  heading: string;
  path: TraceOutcome;
  /** The packet as asked, for asking the real switches the same question. */
  packet: TracePacket;
  state: 'new' | 'established';
  /** Said of a forged source whose sender's port the inventory does not name. */
  note?: string;
}

/** An answer, or what is wrong with the question or kept it from being answered, in words for the form. */
export type TraceReply = { ok: true; answer: TraceAnswer } | { ok: false; error: string };

/**
 * Reads the question's ends against the inventory and simulates the connection on the tables of
 * compile `compileId` (node side). The Trace button and the matrix's examples both ask here, so
 * an example a cell offers is checked exactly as the Trace tab will show it. Never throws: a
 * failure comes back as the error the form shows.
 */
export async function traceConnection(
  inventory: Inventory,
  compileId: string,
  question: TraceQuestion,
): Promise<TraceReply> {
  // Both ends at once: a dual-stack workload takes the address of the other end's family.
  const ends = resolveEndpoints(inventory, question.from, question.to);
  if (!ends.ok)
    return { ok: false, error: `${ends.side === 'from' ? 'From: ' : ends.side === 'to' ? 'To: ' : ''}${ends.message}` };
  const traced = tracedPacket(question, ends.to.end.address);
  if (!traced.ok) return traced;
  // Sent by another workload: the source address forged, coming in by that workload's switch port.
  const sender = question.sender.trim() !== '' ? sentBy(inventory, ends.from, question.sender) : null;
  if (sender && !sender.ok) return { ok: false, error: `Sent by: ${sender.message}` };
  // No switch sees a workload's connections to itself; another workload forging its address is another end.
  const within = sender ? undefined : withinOneEndProblem(inventory, { from: ends.from.end, to: ends.to.end });
  if (within) return { ok: false, error: within };

  const from = sender ? { end: sender.end, label: sender.label } : ends.from;
  const { to } = ends;
  const state = question.established ? 'established' : 'new';
  // The caller shows the failure itself, next to its form or example.
  const reply = await request(
    'trace:simulate',
    { compileId, from: from.end, to: to.end, packet: traced.packet, state },
    { handles: () => true },
  );
  if (!reply.ok) return { ok: false, error: reply.error.message };
  const packet: TracePacket = {
    src: from.end.address,
    dst: to.end.address,
    ...traced.packet,
    ...(from.end.port ? { inPort: from.end.port } : {}),
  };
  return {
    ok: true,
    answer: {
      heading: `${from.label} → ${to.label} ${traced.service}`,
      path: reply.value,
      packet,
      state,
      ...(sender?.note ? { note: sender.note } : {}),
    },
  };
}
