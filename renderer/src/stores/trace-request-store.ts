import { create } from 'zustand';

/** A connection another panel asks the Trace tab to open with and trace (the matrix's "trace an example"). */
export interface TraceRequest {
  from: string;
  to: string;
  protocol: 'tcp' | 'udp' | 'sctp' | 'icmp';
  /** For TCP, UDP and SCTP; ICMP sends an echo request. */
  port?: number;
}

interface TraceRequestState {
  pending: TraceRequest | null;
  ask: (request: TraceRequest) => void;
  /** The pending request, once: the Trace tab takes it when it opens. */
  take: () => TraceRequest | null;
}

export const useTraceRequestStore = create<TraceRequestState>()((set, get) => ({
  pending: null,
  ask: (request) => set({ pending: request }),
  take: () => {
    const request = get().pending;
    if (request) set({ pending: null });
    return request;
  },
}));
