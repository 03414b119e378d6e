import { create } from 'zustand';
import type { CompiledDrawing } from '../actions/compile-current';
import type { TraceAnswer, TraceQuestion } from '../components/output/trace-connection';

/** A connection another panel asks the Trace tab to open with and trace (the matrix's "trace an example"). */
export interface TraceRequest {
  from: string;
  to: string;
  protocol: 'tcp' | 'udp' | 'sctp' | 'icmp';
  /** For TCP, UDP and SCTP; ICMP sends an echo request. */
  port?: number;
}

/** What the Trace tab showed when it closed: its form, and the answer with the drawing it was traced on. */
export interface KeptTrace {
  question: TraceQuestion;
  answer: TraceAnswer | null;
  tracedOn: CompiledDrawing['input'] | null;
  error: string | null;
}

interface TraceRequestState {
  pending: TraceRequest | null;
  ask: (request: TraceRequest) => void;
  /** The pending request, once: the Trace tab takes it when it opens. */
  take: () => TraceRequest | null;
  /** The tab's panel goes when another tab opens; this brings its question and answer back with it. */
  kept: KeptTrace | null;
  keep: (trace: KeptTrace) => void;
}

export const useTraceRequestStore = create<TraceRequestState>()((set, get) => ({
  pending: null,
  ask: (request) => set({ pending: request }),
  take: () => {
    const request = get().pending;
    if (request) set({ pending: null });
    return request;
  },
  kept: null,
  keep: (trace) => set({ kept: trace }),
}));
