import type { HostContainerPorts } from '@shared/api/contract';
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
  ) {}

  async read(host: string): Promise<HostContainerPorts> {
    const target = await this.targets.get(host);
    if (!target) throw new ServiceError('no-target', `Host "${host}" has no SSH target; configure it under Hosts to read its switch ports.`);
    const session = await openSshSession(target, this.configDir);
    try {
      const read = await new OvsRemote(session, target.bridge, host).containerPorts();
      this.log.info('container ports read', { host, ports: read.ports.length, skipped: read.skipped.length });
      return { host, ...read };
    } finally {
      session.close();
    }
  }
}
