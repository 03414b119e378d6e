import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { Inventory, Workload } from '@shared/inventory/model';
import type { DockerContext } from './docker-contexts';
import { ServiceError } from './service-error';

const COMPOSE_SERVICE = 'com.docker.compose.service';

/**
 * Reads the running containers of one Docker context as workloads. The engine's own name
 * is the workload's host: the Open vSwitch that enforces policy for it.
 */
export async function readDockerInventory(context: DockerContext, timeoutMs = 5000): Promise<Inventory> {
  const docker = new Docker(await connectionOptions(context, timeoutMs));
  try {
    const [info, containers] = await Promise.all([
      docker.info() as Promise<{ Name: string }>,
      docker.listContainers({ all: false }),
    ]);
    const workloads = containers.map((c): Workload => {
      const name = (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
      const networks = Object.values(c.NetworkSettings?.Networks ?? {});
      const addresses = networks.flatMap((n) => [n.IPAddress, n.GlobalIPv6Address]).filter((a): a is string => Boolean(a));
      const mac = networks.map((n) => n.MacAddress).find((m) => Boolean(m));
      return {
        id: `docker:${context.name}/${name}`,
        name,
        host: info.Name,
        addresses: [...new Set(addresses)].sort(),
        ...(mac ? { mac } : {}),
        labels: c.Labels ?? {},
        image: c.Image,
        composeService: c.Labels?.[COMPOSE_SERVICE],
        state: c.State,
        origin: { kind: 'docker', source: context.name },
      };
    });
    return { workloads: workloads.sort((a, b) => a.name.localeCompare(b.name)), readAt: new Date().toISOString() };
  } catch (error) {
    throw unreachable(context, error);
  }
}

async function connectionOptions(context: DockerContext, timeout: number): Promise<Docker.DockerOptions> {
  const url = new URL(context.host);
  switch (url.protocol) {
    case 'unix:':
      return { socketPath: url.pathname, timeout };
    case 'tcp:':
    case 'https:':
    case 'http:': {
      const tls = context.tlsDir ? await readTls(context.tlsDir) : undefined;
      return { host: url.hostname, port: Number(url.port || (tls ? 2376 : 2375)), protocol: tls ? 'https' : 'http', timeout, ...tls };
    }
    case 'ssh:':
      return {
        protocol: 'ssh',
        host: url.hostname,
        port: Number(url.port || 22),
        username: url.username || undefined,
        sshOptions: { agent: process.env.SSH_AUTH_SOCK },
        timeout,
      };
    default:
      throw new ServiceError('bad-request', `Docker context "${context.name}" has endpoint ${context.host}, whose scheme this app does not support (use unix://, tcp:// or ssh://).`);
  }
}

async function readTls(dir: string): Promise<{ ca: Buffer; cert: Buffer; key: Buffer }> {
  const [ca, cert, key] = await Promise.all(['ca.pem', 'cert.pem', 'key.pem'].map((f) => readFile(join(dir, f))));
  return { ca: ca!, cert: cert!, key: key! };
}

function unreachable(context: DockerContext, error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ServiceError(
    'docker-unreachable',
    `No Docker engine answered at ${context.host} (context "${context.name}"): ${reason}. Start Docker, pick another context, or open the bundled example.`,
  );
}
