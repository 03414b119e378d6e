import { OUR_COOKIE, OUR_COOKIE_MASK } from '@shared/compiler/pipeline';
import { containerPortsOf, type ContainerPortRead } from '@shared/inventory/container-ports';
import { ServiceError } from './service-error';
import type { CommandResult, SshSession } from './ssh-session';

const OURS = `cookie=${OUR_COOKIE}/${OUR_COOKIE_MASK}`;

/**
 * How long one command may run on a host before the app stops waiting: a switch that never
 * answers must not hold a deploy, and with it the host, forever.
 */
export const COMMAND_TIMEOUT_MS = 60_000;

/** `ovs-ofctl` (and `ovs-vsctl`, read only) on a remote host, limited to what a deploy needs. Only our cookie is ever touched. */
export class OvsRemote {
  constructor(
    private readonly session: SshSession,
    private readonly bridge: string,
    private readonly host: string,
    private readonly timeoutMs = COMMAND_TIMEOUT_MS,
  ) {}

  /** Fails early, with the switch's own words, when the bridge is missing or OVS is not running. */
  async checkBridge(): Promise<void> {
    await this.ofctl(`show -- ${this.bridge}`, 'reach the bridge');
  }

  /**
   * Our flows as `ovs-ofctl dump-flows --no-stats` prints them: the backup a rollback restores.
   * Ports by name (`in_port="veth1"`, as a spoof guard writes them): a port's number changes
   * when it is added again, so a restore by number could guard another workload's port.
   */
  async dumpOurFlows(): Promise<string[]> {
    const out = await this.ofctl(`--no-stats --names dump-flows -- ${this.bridge} ${OURS}`, 'read the current flows');
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('cookie='));
  }

  /** Applies a bundle file in one OpenFlow transaction: all of it takes effect, or none. */
  async applyBundle(bundle: string): Promise<void> {
    await this.ofctl(`--bundle add-flows -- ${this.bridge} -`, 'apply the flow table', bundle);
  }

  /** The bridge's ports that `ovs-docker` recorded a container for (external_ids:container_id). */
  async containerPorts(): Promise<ContainerPortRead> {
    const ports = await this.vsctl(`list-ports ${this.bridge}`, 'list the bridge\'s ports');
    const interfaces = await this.vsctl('--format=json --columns=name,external_ids list Interface', 'read the interfaces\' container ids');
    try {
      return containerPortsOf(interfaces, new Set(ports.split('\n').map((l) => l.trim()).filter((l) => l !== '')));
    } catch (error) {
      throw new ServiceError('ovs-failed', `Could not read the container ports of ${this.host} (bridge ${this.bridge}): ${(error as Error).message}.`);
    }
  }

  /** The switch's own trace of a packet; `flow` and `ctNext` come from ovsTraceFlow/ovsCtNext. */
  async trace(flow: string, ctNext: string): Promise<string> {
    // Both are built from parsed addresses and numbers only; quoting keeps the shell out anyway.
    const result = await this.run(`ovs-appctl ofproto/trace ${this.bridge} '${flow}' --ct-next '${ctNext}'`, 'trace the packet');
    if (result.code !== 0) {
      throw new ServiceError('ovs-failed', `ofproto/trace failed on ${this.host} (bridge ${this.bridge}): ${firstLine(result.stderr.trim()) || `exit ${result.code}`}.`, result.stderr);
    }
    return result.stdout;
  }

  private async run(command: string, what: string, stdin?: string): Promise<CommandResult> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const seconds = Math.round(this.timeoutMs / 1000);
        reject(new ServiceError('ssh-failed', `Could not ${what} on ${this.host} (bridge ${this.bridge}): no answer within ${seconds} s, so the app stopped waiting.`));
      }, this.timeoutMs);
    });
    // A lost connection says which step on which host it broke, as a failed command does.
    const ran = this.session.run(command, stdin).catch((error: unknown) => {
      const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
      throw new ServiceError('ssh-failed', `Could not ${what} on ${this.host} (bridge ${this.bridge}): ${reason}.`);
    });
    try {
      return await Promise.race([ran, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async vsctl(args: string, what: string): Promise<string> {
    return this.ovsTool('ovs-vsctl', args, what);
  }

  private async ofctl(args: string, what: string, stdin?: string): Promise<string> {
    return this.ovsTool('ovs-ofctl', args, what, stdin);
  }

  private async ovsTool(tool: 'ovs-ofctl' | 'ovs-vsctl', args: string, what: string, stdin?: string): Promise<string> {
    const result = await this.run(`${tool} ${args}`, what, stdin);
    if (result.code === -1) {
      // No exit status: the connection went away while the command ran, so whether it took effect is not known.
      throw new ServiceError('ssh-failed', `Could not ${what} on ${this.host} (bridge ${this.bridge}): the SSH connection closed before ${tool} finished.`);
    }
    if (result.code !== 0) {
      const stderr = result.stderr.trim();
      const hint =
        result.code === 127 ? ` ${tool} is not installed on the host (Debian: apt-get install openvswitch-switch).`
        : /unknown port for in_port/.test(stderr) ? ` A workload's switchPort names a port bridge ${this.bridge} does not have: check the inventory's switchPort against \`ovs-vsctl list-ports ${this.bridge}\` on the host.`
        : '';
      throw new ServiceError('ovs-failed', `Could not ${what} on ${this.host} (bridge ${this.bridge}): ${firstLine(stderr) || `exit ${result.code}`}.${hint}`, stderr);
    }
    return result.stdout;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
