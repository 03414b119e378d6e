import type { HostContainerPorts } from '@shared/api/contract';
import type { OpenSession } from './deploy-service';
import { SshSlots } from './host-fanout';
import type { HostTargetStore } from './host-targets';
import type { Logger } from './logger';
import { OvsRemote } from './ovs-remote';
import { ServiceError } from './service-error';
import { openSshSession } from './ssh-session';

/**
 * Reads, over SSH, which of a host's bridge ports lead to which Docker container, as
 * `ovs-docker` records it: Docker itself does not know the switch port, and the spoof guard
 * needs it (compiler/port-guard.ts).
 */
export class ContainerPortService {
  constructor(
    private readonly targets: HostTargetStore,
    private readonly configDir: string,
    private readonly log: Logger,
    /**
     * Where its sessions wait their turn; createServices shares one with the other reads asked
     * host by host (each Docker inventory read re-reads every remembered host at once).
     */
    private readonly slots = new SshSlots(),
    private readonly openSession: OpenSession = openSshSession,
  ) {}

  async read(host: string): Promise<HostContainerPorts> {
    const target = await this.targets.get(host);
    if (!target) throw new ServiceError('no-target', `Host "${host}" has no SSH target; configure it under Hosts to read its switch ports.`);
    return this.slots.run(async () => {
      const session = await this.openSession(target, this.configDir);
      try {
        const read = await new OvsRemote(session, target.bridge, host).containerPorts();
        this.log.info('container ports read', { host, ports: read.ports.length, skipped: read.skipped.length });
        return { host, ...read };
      } finally {
        session.close();
      }
    });
  }
}
