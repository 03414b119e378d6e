import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `npm run lab` started, as it records in .lab/lab.json. */
export interface Lab {
  dockerHost: string;
  dockerContext: string;
  hostName: string;
  bridge: string;
  ovsRundir: string;
  ssh: { host: string; port: number; user: string; keyPath: string };
  containers: { name: string; ip: string; labels: Record<string, string> }[];
}

const root = fileURLToPath(new URL('../..', import.meta.url));

export function readLab(): Lab {
  try {
    return JSON.parse(readFileSync(join(root, '.lab', 'lab.json'), 'utf8')) as Lab;
  } catch {
    throw new Error('The lab is not running: start it with `npm run lab` (npm test does this for you).');
  }
}

export function ipOf(lab: Lab, container: string): string {
  const found = lab.containers.find((c) => c.name === container);
  if (!found) throw new Error(`The lab has no container "${container}".`);
  return found.ip;
}

/** A real TCP connection attempt from inside one lab container to another's address. */
export function canConnect(from: string, ip: string, port: number): boolean {
  try {
    execFileSync('bash', [join(root, 'scripts', 'lab', 'probe.sh'), from, ip, String(port)], { stdio: 'pipe', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

/** Our flows on the lab bridge right now, read with the switch's own tool. */
export function ourFlowCount(lab: Lab): number {
  const out = execFileSync('ovs-ofctl', ['--no-stats', 'dump-flows', lab.bridge, 'cookie=0x4d53000000000000/0xffff000000000000'], {
    env: { ...process.env, OVS_RUNDIR: lab.ovsRundir },
    encoding: 'utf8',
  });
  return out.split('\n').filter((l) => l.trim().startsWith('cookie=')).length;
}

/**
 * Who answered the last tracked connection from `src` to `dst:port`, read from the lab
 * switch's conntrack table: `dst` itself, or the address a NAT replaced it with.
 */
export function redirectedTo(lab: Lab, src: string, dst: string, port: number): string | null {
  const out = execFileSync('ovs-appctl', ['dpctl/dump-conntrack'], { env: { ...process.env, OVS_RUNDIR: lab.ovsRundir }, encoding: 'utf8' });
  const entry = out
    .split('\n')
    .find((l) => l.includes(`orig=(src=${src},dst=${dst},`) && l.includes(`dport=${port})`));
  return entry ? (/reply=\(src=([^,]+),/.exec(entry)?.[1] ?? null) : null;
}
