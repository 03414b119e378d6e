import type { SwitchTrace, TracePacket } from '@shared/api/contract';
import { parseCidr } from '@shared/net/address';
import { ovsCtNext, ovsTraceFlow, parseTraceOutcome } from '@shared/simulator/ovs-trace';
import type { Packet } from '@shared/simulator/packet';
import type { OpenSession } from './deploy-service';
import type { SshLimiter, SshOperation } from './host-fanout';
import type { HostTargetStore } from './host-targets';
import type { Logger } from './logger';
import { OvsRemote } from './ovs-remote';
import { ServiceError } from './service-error';
import { openSshSession } from './ssh-session';
import { asStopped, inStoppableSession, NEVER_STOPPED } from './work-stops';

/** The bridge's own port number: it always exists, and no spoof guard names it, so a trace can enter there on any switch. */
const LOCAL_PORT = 65534;

/**
 * Asks a host's Open vSwitch what it does with a packet (`ofproto/trace` over SSH), so the
 * designer's simulation can be checked against the switch that really enforces the policy.
 */
export class SwitchTraceService {
  /** Every trace, from any window, is one operation: the trace panel asks every hop's switch at once. */
  private readonly traces: SshOperation;

  constructor(
    private readonly targets: HostTargetStore,
    private readonly configDir: string,
    private readonly log: Logger,
    sessions: SshLimiter,
    private readonly openSession: OpenSession = openSshSession,
  ) {
    this.traces = sessions.operation();
  }

  /** When `stop` aborts before the switch answers, its connection ends at once and this fails with code `stopped`. */
  async trace(host: string, packet: TracePacket, state: 'new' | 'established', stop: AbortSignal = NEVER_STOPPED): Promise<SwitchTrace> {
    const target = await this.targets.get(host);
    if (!target) throw new ServiceError('no-target', `Host "${host}" has no SSH target; configure it under Hosts to trace on its switch.`);
    const src = parseCidr(packet.src);
    const dst = parseCidr(packet.dst);
    if (!src || !dst || src.family !== dst.family) throw new ServiceError('bad-request', 'Trace addresses must be two IP addresses of one family.');

    const asked: Packet = { ethType: src.family === 4 ? 'ipv4' : 'ipv6', src: src.address, dst: dst.address, protocol: packet.protocol, srcPort: 49152, dstPort: packet.dstPort, icmpType: packet.icmpType, icmpCode: packet.icmpCode, ctMark: state === 'established' ? packet.ctMark : undefined };
    // A sender's own port (checked by name in flows already validated) meets its spoof guard, as its packets do.
    const flow = ovsTraceFlow(asked, packet.inPort ?? LOCAL_PORT);
    const ctNext = ovsCtNext(state, asked);
    // Stopped while it waits for its turn, it leaves the queue at once and opens nothing.
    let doing = 'waiting for an SSH session';
    const traced = this.traces.run(
      target,
      async () => {
        // Timed from its turn: the switch's time, not the queue's.
        const started = performance.now();
        const output = await inStoppableSession(
          stop,
          (signal) => {
            doing = 'connecting';
            return this.openSession(target, this.configDir, signal);
          },
          (session) => {
            doing = 'tracing';
            return new OvsRemote(session, target.bridge, host).trace(flow, ctNext);
          },
        );
        return { output, durationMs: Math.round(performance.now() - started) };
      },
      { stop },
    );
    const { output, durationMs } = await traced.catch(
      asStopped(`The trace on the switch of ${host} was stopped before the switch answered.`, () => this.log.info('switch trace stopped', { host, while: doing })),
    );
    const outcome = parseTraceOutcome(output);
    if (!outcome) throw new ServiceError('ovs-failed', `The switch on ${host} printed no verdict for the trace.`, output);
    this.log.info('switch trace', { host, verdict: outcome.verdict, ms: durationMs });
    return { host, verdict: outcome.verdict, ...(outcome.redirectedTo ? { redirectedTo: outcome.redirectedTo } : {}), ...(outcome.ethDst ? { ethDst: outcome.ethDst } : {}), output, durationMs };
  }
}
