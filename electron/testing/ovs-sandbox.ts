import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

// Test and benchmark support: a private, flow-only Open vSwitch (dummy datapath, own run
// directory and pidfiles, stopped by PID), so tables can be checked against and timed on the
// real switch without touching any other OVS on the machine.

const TOOLS = ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl'] as const;
const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';
const SEARCH = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
const tool = Object.fromEntries(TOOLS.map((t) => [t, SEARCH.map((d) => join(d, t)).find(isFile)])) as Record<
  (typeof TOOLS)[number],
  string | undefined
>;
/** What is missing to run Open vSwitch here; empty when it can run. */
export const missing = [...TOOLS.filter((t) => !tool[t]), ...(existsSync(SCHEMA) ? [] : [SCHEMA])];
export const BRIDGES = ['br-msim1', 'br-msim2', 'br-msim3', 'br-msim4'];

function isFile(path: string): boolean {
  return path.startsWith('/') && existsSync(path);
}

/** A private Open vSwitch: ovsdb-server and ovs-vswitchd with --enable-dummy=override, so no kernel device is made. */
export class OvsSandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'microseg-ovs-'));
  private readonly env = { ...process.env, OVS_RUNDIR: this.dir, OVS_LOGDIR: this.dir, OVS_DBDIR: this.dir };
  private readonly ctl = join(this.dir, 'ovs-vswitchd.ctl');
  private readonly sock = `unix:${join(this.dir, 'db.sock')}`;
  /** The ports placeNamedPorts put on bridges. */
  private namedPorts = new Set<string>();

  start(): void {
    const db = join(this.dir, 'conf.db');
    const common = ['-vconsole:off', '--no-chdir', '--detach'];
    this.run('ovsdb-tool', ['create', db, SCHEMA]);
    this.run('ovsdb-server', [
      db,
      `--remote=p${this.sock}`,
      `--pidfile=${join(this.dir, 'ovsdb-server.pid')}`,
      `--unixctl=${join(this.dir, 'ovsdb-server.ctl')}`,
      `--log-file=${join(this.dir, 'ovsdb-server.log')}`,
      ...common,
    ]);
    this.run('ovs-vsctl', [`--db=${this.sock}`, '--no-wait', 'init']);
    this.run('ovs-vswitchd', [
      this.sock,
      `--pidfile=${join(this.dir, 'ovs-vswitchd.pid')}`,
      `--unixctl=${this.ctl}`,
      `--log-file=${join(this.dir, 'ovs-vswitchd.log')}`,
      '--enable-dummy=override',
      ...common,
    ]);
    const ports = (br: string, n: number): string[] =>
      [
        ['--', 'add-port', br, `${br}p${n}`],
        ['--', 'set', 'interface', `${br}p${n}`, 'type=dummy', `ofport_request=${n}`],
      ].flat();
    this.run('ovs-vsctl', [
      `--db=${this.sock}`,
      '--timeout=20',
      ...BRIDGES.flatMap((br) => [
        '--',
        'add-br',
        br,
        '--',
        'set',
        'bridge',
        br,
        'datapath_type=netdev',
        ...ports(br, 1),
        ...ports(br, 2),
      ]),
    ]);
  }

  /** Replaces a bridge's flows the way deploy does: everything goes, then the file is added. */
  load(bridge: string, text: string): void {
    const file = join(this.dir, `${bridge}.flows`);
    writeFileSync(file, text);
    this.run('ovs-ofctl', ['del-flows', this.mgmt(bridge)]);
    this.run('ovs-ofctl', ['add-flows', this.mgmt(bridge), file]);
  }

  /** Adds dummy port N to a bridge, which starts with ports 1 and 2. */
  addPort(bridge: string, n: number): void {
    const port = `${bridge}p${n}`;
    const settings = ['--', 'set', 'interface', port, 'type=dummy', `ofport_request=${n}`];
    this.run('ovs-vsctl', [`--db=${this.sock}`, '--may-exist', 'add-port', bridge, port, ...settings]);
  }

  /**
   * Puts dummy ports of these names on these bridges (port name → bridge), instead of those the
   * last call placed; an empty map takes them all away again, so later numbered ports
   * (addPort's ofport_request) get the numbers they ask for.
   */
  placeNamedPorts(bridgeOf: ReadonlyMap<string, string>): void {
    const removing = [...this.namedPorts].flatMap((port) => ['--', '--if-exists', 'del-port', port]);
    const adding = [...bridgeOf].flatMap(([port, bridge]) => ['--', 'add-port', bridge, port, '--', 'set', 'interface', port, 'type=dummy']);
    this.namedPorts = new Set(bridgeOf.keys());
    if (removing.length + adding.length > 0) this.run('ovs-vsctl', [`--db=${this.sock}`, ...removing, ...adding]);
  }

  /**
   * Replaces what a bridge's MAC table knows with static entries (MAC → port number), as if
   * each had sent from there: NORMAL then forwards to the learned port, and drops a packet
   * whose learned port is the one it came in on, as on a real host.
   */
  teach(bridge: string, macs: ReadonlyMap<string, number>): void {
    this.run('ovs-appctl', ['-t', this.ctl, 'fdb/flush', bridge]);
    for (const [mac, port] of macs)
      this.run('ovs-appctl', ['-t', this.ctl, 'fdb/add', bridge, `${bridge}p${port}`, '0', mac]);
  }

  /** The datapath's number for port N of a bridge (what a trace's `Datapath actions:` name), from `dpif/show`. */
  datapathPort(bridge: string, n: number): string {
    const shown = this.run('ovs-appctl', ['-t', this.ctl, 'dpif/show']);
    const port = new RegExp(`^\\s*${bridge}p${n} ${n}/(\\d+):`, 'm').exec(shown)?.[1];
    if (port === undefined) throw new Error(`dpif/show lists no port ${n} on ${bridge}`);
    return port;
  }

  dump(bridge: string): string {
    // By name, as the compiler writes `in_port`: a number would read as another port.
    return this.run('ovs-ofctl', ['--no-stats', '--names', 'dump-flows', this.mgmt(bridge)]);
  }

  /** Runs ofproto/trace for every job, in two shells at once; returns each job's output. */
  async trace(jobs: readonly { bridge: string; flow: string; ctNext: string }[]): Promise<string[]> {
    const halves = [jobs.filter((_, i) => i % 2 === 0), jobs.filter((_, i) => i % 2 === 1)];
    const [even, odd] = await Promise.all(
      halves.map((half) =>
        this.shell(
          half
            .map(
              (j, i) =>
                `echo '@@@ ${i}'; ${tool['ovs-appctl']} -t ${this.ctl} ofproto/trace ${j.bridge} '${j.flow}' --ct-next ${j.ctNext} 2>&1`,
            )
            .join('\n'),
        ),
      ),
    );
    const split = (out: string): string[] => out.split(/^@@@ \d+\n/m).slice(1);
    const [a, b] = [split(even ?? ''), split(odd ?? '')];
    return jobs.map((_, i) => (i % 2 === 0 ? a[i / 2] : b[(i - 1) / 2]) ?? '');
  }

  /** Stops both daemons by the PIDs in their pidfiles and removes the directory. */
  async stop(): Promise<void> {
    for (const name of ['ovs-vswitchd', 'ovsdb-server']) {
      const pidFile = join(this.dir, `${name}.pid`);
      if (!existsSync(pidFile)) continue;
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      if (!(pid > 1)) continue;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        continue;
      }
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private mgmt(bridge: string): string {
    return `unix:${join(this.dir, `${bridge}.mgmt`)}`;
  }

  private run(name: (typeof TOOLS)[number], args: string[]): string {
    const result = spawnSync(tool[name]!, args, { env: this.env, encoding: 'utf8', timeout: 30_000 });
    if (result.status !== 0)
      throw new Error(`${name} ${args.join(' ')} failed: ${result.stderr || result.error?.message}`);
    return result.stdout;
  }

  private shell(script: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', ['-s'], { env: this.env, stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.on('error', reject);
      child.on('close', () => resolve(out));
      child.stdin.end(script);
    });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

