import type { HostContainerPorts } from '@shared/api/contract';
import type { OpenSession } from './deploy-service';
import type { SshLimiter, SshOperation } from './host-fanout';
import type { HostTargetStore } from './host-targets';
import type { Logger } from './logger';
import { OvsRemote } from './ovs-remote';
import { ServiceError } from './service-error';
import { openSshSession } from './ssh-session';
import { asStopped, inStoppableSession, NEVER_STOPPED } from './work-stops';

/**
 * Reads, over SSH, which of a host's bridge ports lead to which Docker container, as
 * `ovs-docker` records it: Docker itself does not know the switch port, and the spoof guard
 * needs it (compiler/port-guard.ts).
 */
export class ContainerPortService {
  /** Every port read, from any window, is one operation: each Docker inventory read re-reads every remembered host at once. */
  private readonly reads: SshOperation;

  constructor(
    private readonly targets: HostTargetStore,
    private readonly configDir: string,
    private readonly log: Logger,
    sessions: SshLimiter,
    private readonly openSession: OpenSession = openSshSession,
  ) {
    this.reads = sessions.operation();
  }

  /** When `stop` aborts before the switch answers, its connection ends at once and this fails with code `stopped`. */
  async read(host: string, stop: AbortSignal = NEVER_STOPPED): Promise<HostContainerPorts> {
    const target = await this.targets.get(host);
    if (!target) throw new ServiceError('no-target', `Host "${host}" has no SSH target; configure it under Hosts to read its switch ports.`);
    // Stopped while it waits for its turn, it leaves the queue at once and opens nothing.
    let doing = 'waiting for an SSH session';
    const reading = this.reads.run(
      target,
      () =>
        inStoppableSession(
          stop,
          (signal) => {
            doing = 'connecting';
            return this.openSession(target, this.configDir, signal);
          },
          (session) => {
            doing = 'reading the ports';
            return new OvsRemote(session, target.bridge, host).containerPorts();
          },
        ),
      { stop },
    );
    const read = await reading.catch(
      asStopped(`The read of the switch ports on ${host} was stopped before the switch answered.`, () => this.log.info('container ports read stopped', { host, while: doing })),
    );
    this.log.info('container ports read', { host, ports: read.ports.length, skipped: read.skipped.length });
    return { host, ...read };
  }
}
