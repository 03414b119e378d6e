import { execFileSync, spawnSync } from 'node:child_process';
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
  containers: { name: string; ip: string; mac: string; ovsPort: string; labels: Record<string, string> }[];
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

/** The PID of a lab container's first process, whose network namespace is the container's. */
function pidOf(lab: Lab, container: string): string {
  return execFileSync('docker', ['-H', lab.dockerHost, 'inspect', '-f', '{{.State.Pid}}', container], { encoding: 'utf8' }).trim();
}

/** Runs a command in a lab container's network namespace with the host's tools (root only, as the lab). */
function inNetns(lab: Lab, container: string, command: string[]): void {
  const run = spawnSync('nsenter', ['-t', pidOf(lab, container), '-n', ...command], { encoding: 'utf8', timeout: 15_000 });
  if (run.status !== 0) throw new Error(`in ${container}'s network namespace, ${command[0]} failed (exit ${run.status}): ${run.stderr || run.error?.message}`);
}

/**
 * Gives a lab container another's address besides its own, as an attacker inside it could, and
 * a fixed neighbour entry for `peer` (its MAC from lab.json), so what it sends from that address
 * leaves at once rather than after an ARP request the guard may drop. `on: false` takes both
 * back and flushes every container's neighbour table, which a forged ARP may have taught a
 * wrong MAC.
 */
export function impersonate(lab: Lab, container: string, address: string, peer: string, on: boolean): void {
  const peerMac = lab.containers.find((c) => c.ip === peer)?.mac;
  if (!peerMac) throw new Error(`The lab has no container at ${peer}.`);
  if (on) {
    inNetns(lab, container, ['ip', 'addr', 'add', `${address}/32`, 'dev', 'eth0']);
    inNetns(lab, container, ['ip', 'neigh', 'replace', peer, 'lladdr', peerMac, 'dev', 'eth0', 'nud', 'permanent']);
    return;
  }
  inNetns(lab, container, ['ip', 'addr', 'del', `${address}/32`, 'dev', 'eth0']);
  for (const c of lab.containers) inNetns(lab, c.name, ['ip', 'neigh', 'flush', 'dev', 'eth0', 'nud', 'all']);
}

/** One UDP datagram from inside a lab container, from `source` (its own address or, after `impersonate`, another's). */
export function sendUdp(lab: Lab, from: string, source: string, dst: string, port: number): void {
  const script = `const s = require('node:dgram').createSocket('udp4'); s.bind({ address: ${JSON.stringify(source)} }, () => s.send('x', ${port}, ${JSON.stringify(dst)}, (e) => { s.close(); if (e) { console.error(e.message); process.exitCode = 1; } }));`;
  inNetns(lab, from, [process.execPath, '-e', script]);
}

/** Whether an ARP request from a lab container (sender address `source`, by default its own) gets an answer. */
export function arpAnswered(lab: Lab, from: string, target: string, source?: string): boolean {
  try {
    execFileSync('docker', ['-H', lab.dockerHost, 'exec', from, 'busybox', 'arping', '-c', '2', '-w', '3', ...(source ? ['-s', source] : []), target], { stdio: 'pipe', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

/** Whether the lab switch's conntrack holds a UDP connection from `src` to `dst:port`. */
export function udpTracked(lab: Lab, src: string, dst: string, port: number): boolean {
  const out = execFileSync('ovs-appctl', ['dpctl/dump-conntrack'], { env: { ...process.env, OVS_RUNDIR: lab.ovsRundir }, encoding: 'utf8' });
  return out.split('\n').some((l) => l.startsWith('udp,') && l.includes(`orig=(src=${src},dst=${dst},`) && l.includes(`dport=${port})`));
}

/** Packets the spoof guard's drop flows (cookie kind 7) have dropped on the lab bridge. */
export function guardDrops(lab: Lab): number {
  const out = execFileSync('ovs-ofctl', ['dump-flows', lab.bridge, 'cookie=0x4d53070000000000/-1'], { env: { ...process.env, OVS_RUNDIR: lab.ovsRundir }, encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes('actions=drop'))
    .reduce((sum, l) => sum + Number(/n_packets=(\d+)/.exec(l)?.[1] ?? 0), 0);
}

/** Takes our flows off the lab bridge, as a test that deployed more than once leaves it for the next. */
export function clearOurFlows(lab: Lab): void {
  execFileSync('ovs-ofctl', ['del-flows', lab.bridge, 'cookie=0x4d53000000000000/0xffff000000000000'], { env: { ...process.env, OVS_RUNDIR: lab.ovsRundir } });
}
