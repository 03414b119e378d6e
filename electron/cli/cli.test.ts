import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { microseg, microsegIntoClosedPipe, microsegWithStdout, ROOT } from './testing/run-microseg';

// Runs the real command line (through tsx, so no build is needed) on the bundled example.

const example = join(ROOT, 'examples', 'three-tier-shop');
const policy = join(example, 'policy.yaml');
const inventory = join(example, 'inventory.yaml');

describe('microseg', () => {
  it('check: exit 0 on a good policy, 1 with file:line:col on a broken one, its report on stdout', () => {
    expect(microseg('check', policy).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'microseg-cli-'));
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, readFileSync(policy, 'utf8').replace('tcp/5432', 'tcp/70000'));
    const result = microseg('check', broken);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/broken\.yaml:\d+:\d+: error MS114: service "tcp\/70000" is not valid/);
    expect(result.stderr).toBe('');
  });

  it('check: reports every file, an unreadable one too, as one JSON object with --json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-cli-check-'));
    const missing = join(dir, 'missing.yaml');
    const plain = microseg('check', policy, missing, dir);
    expect(plain.code).toBe(2);
    expect(plain.stdout).toBe(`${policy}: no errors\n`);
    expect(plain.stderr).toContain(`cannot read policy ${missing}`);
    expect(plain.stderr).toContain(`cannot read policy ${dir}`);

    const json = microseg('check', policy, missing, '--json');
    expect(json.code).toBe(2);
    const files = (JSON.parse(json.stdout) as { files: { policy: string; diagnostics: unknown[]; error?: string }[] }).files;
    expect(files.map((f) => [f.policy, f.error === undefined])).toEqual([[policy, true], [missing, false]]);
  });

  it('trace: names from the inventory are printed with their control characters escaped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-cli-ctl-'));
    const sneaky = join(dir, 'sneaky.yaml');
    writeFileSync(sneaky, readFileSync(inventory, 'utf8').replace('name: web-1', 'name: "web-1\\e[31m\\a"').replace('name: app-1', 'name: "app-1\\nforged line"'));
    const result = microseg('trace', policy, '--inventory', sneaky, '--from', '10.20.1.11', '--to', '10.20.2.21', '--proto', 'tcp', '--port', '8080');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('web-1\\u001b[31m\\u0007 (10.20.1.11) → app-1\\nforged line (10.20.2.21) tcp/8080: PERMITTED (forwarded by host-a)');
    expect([...(result.stdout + result.stderr)].filter((ch) => ch < ' ' && ch !== '\n')).toEqual([]);
  });

  it('trace: --src-port traces a DHCP request, which passes ahead of the policy only from port 68', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-cli-dhcp-'));
    const withDhcp = join(dir, 'policy.yaml');
    writeFileSync(withDhcp, readFileSync(policy, 'utf8').replace('defaults:\n', 'infrastructure: { dhcp: true }\ndefaults:\n'));
    const dhcp = (...more: string[]) => microseg('trace', withDhcp, '--inventory', inventory, '--from', 'web-1', '--to', 'db-1', '--proto', 'udp', '--port', '67', ...more);
    expect(dhcp('--src-port', '68').code).toBe(0);
    expect(dhcp().code).toBe(3);
  });

  it('trace: names the packet it traced, defaults included, and a first ICMP error as invalid', () => {
    const icmp = (...more: string[]) => microseg('trace', policy, '--inventory', inventory, '--from', 'web-1', '--to', 'app-2', '--proto', 'icmp', ...more).stdout;
    expect(icmp('--icmp-code', '4').split('\n')[0]).toMatch(/^web-1 \(10\.20\.1\.11\) → app-2 \(10\.20\.2\.22\) icmp\/8\/4: DROPPED/);
    const error = icmp('--icmp-type', '3', '--icmp-code', '4');
    expect(error.split('\n')[0]).toContain(' icmp/3/4: DROPPED');
    expect(error).toContain('conntrack says +inv+trk (an ICMP reply or error opens no connection)');
    // A code given is written, 0 too, as the Trace tab writes it; the JSON names the service as well.
    expect(icmp('--icmp-type', '8', '--icmp-code', '0').split('\n')[0]).toContain(' icmp/8/0: ');
    expect((JSON.parse(icmp('--icmp-type', '13', '--json')) as { service: string }).service).toBe('icmp/13');
  });

  it('trace: refuses a connection from a workload to itself, which no switch sees and no matrix cell counts, rather than call it dropped', () => {
    const result = microseg('trace', policy, '--inventory', inventory, '--from', 'db-1', '--to', '10.20.3.31', '--proto', 'tcp', '--port', '22');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("microseg: both ends are 10.20.3.31 (db-1): a connection to the sender's own address stays inside it");
    // Another workload forging its address is a connection the switch does see.
    expect(microseg('trace', policy, '--inventory', inventory, '--from', 'db-1', '--to', 'db-1', '--sent-by', 'web-2', '--proto', 'tcp', '--port', '22').code).toBe(3);
  });

  it('compile: errors the compile finds end it like any failure, with no summary and nothing written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-cli-err-'));
    const ghost = join(dir, 'ghost-honeypot.yaml');
    writeFileSync(ghost, readFileSync(policy, 'utf8').replace(/betweenGroups: \w+/, 'betweenGroups: redirect\n  redirectTo: nobody'));
    const out = join(dir, 'out');
    const result = microseg('compile', ghost, '--inventory', inventory, '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ghost-honeypot\.yaml:\d+:\d+: error MS133/);
    expect(result.stderr).toContain('has errors; nothing compiled or written');
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('compile: one flow file per host and a JSON summary', () => {
    const out = mkdtempSync(join(tmpdir(), 'microseg-cli-out-'));
    const result = microseg('compile', policy, '--inventory', inventory, '--out', out, '--json');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { flows: number; hosts: { host: string; flows: number }[] };
    expect(summary.hosts.map((h) => h.host)).toEqual(['host-a', 'host-b']);
    expect(readFileSync(join(out, 'host-a.flows'), 'utf8')).toContain('conj_id=');
  });

  it('compile --out: a file it cannot write is a clear error, and no file of the folder is replaced', () => {
    const out = mkdtempSync(join(tmpdir(), 'microseg-cli-blocked-'));
    writeFileSync(join(out, 'host-a.flows'), 'old table');
    mkdirSync(join(out, 'host-b.flows'));
    const result = microseg('compile', policy, '--inventory', inventory, '--out', out);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`microseg: ${join(out, 'host-b.flows')} is a folder, not a file; move it away and try again. Nothing written.`);
    expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /);
    expect(result.stdout).toBe('');
    expect(readFileSync(join(out, 'host-a.flows'), 'utf8')).toBe('old table');
    expect(readdirSync(out).sort()).toEqual(['host-a.flows', 'host-b.flows']);
  });

  it('compile --out: a failed run leaves no folder of those it made for the files', () => {
    const base = mkdtempSync(join(tmpdir(), 'microseg-cli-new-out-'));
    // new/ can be made, the name below it cannot (longer than a file name may be).
    const out = join(base, 'new', 'x'.repeat(300));
    const result = microseg('compile', policy, '--inventory', inventory, '--out', out);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`microseg: Cannot create the folder ${out}: the file name is too long (ENAMETOOLONG); choose a shorter name or a shorter path.`);
    expect(readdirSync(base)).toEqual([]);
  });

  it('compile --out: a HOST.flows of an earlier compile is kept and named in a warning, and in --json', () => {
    const out = mkdtempSync(join(tmpdir(), 'microseg-cli-stale-'));
    writeFileSync(join(out, 'host-gone.flows'), 'an earlier table');
    writeFileSync(join(out, 'notes.txt'), 'not a table');
    const result = microseg('compile', policy, '--inventory', inventory, '--out', out);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`${join(out, 'host-gone.flows')}: warning MS206: host-gone.flows is from an earlier compile: no workload of this inventory is on host-gone; delete it before deploying the folder`);
    expect(result.stderr).not.toMatch(/host-a\.flows: warning|notes\.txt/);
    expect(readFileSync(join(out, 'host-gone.flows'), 'utf8')).toBe('an earlier table');
    const json = JSON.parse(microseg('compile', policy, '--inventory', inventory, '--out', out, '--json').stdout) as { staleFiles: string[]; diagnostics: { code: string }[] };
    expect(json.staleFiles).toEqual([join(out, 'host-gone.flows')]);
    expect(json.diagnostics.filter((d) => d.code === 'MS206')).toHaveLength(1);
  });

  it('compile --out FILE: a file where the folder should be is a clear error, in JSON with --json', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'microseg-cli-outfile-')), 'afile');
    writeFileSync(file, 'mine');
    const result = microseg('compile', policy, '--inventory', inventory, '--out', file, '--json');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ error: `Cannot create the folder ${file}: it is a file, not a folder; choose a folder, or a name not taken yet.`, diagnostics: [] });
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('compile --out: a device where the folder should be is named a device', () => {
    const result = microseg('compile', policy, '--inventory', inventory, '--out', '/dev/null');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Cannot create the folder /dev/null: it is a device, not a folder;');
  });

  it('compile: warnings name the file, line and column of what they are about', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-cli-warn-'));
    const empty = join(dir, 'empty-group.yaml');
    writeFileSync(empty, readFileSync(policy, 'utf8').replace('labels: tier=db', 'labels: tier=nobody'));
    const result = microseg('compile', empty, '--inventory', inventory);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/empty-group\.yaml:\d+:\d+: warning MS201: group "db" selects no workload/);
  });

  it('compile: warnings about a workload name its line in a YAML or CSV inventory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-cli-inv-'));
    const yaml = join(dir, 'inv.yaml');
    writeFileSync(yaml, `${readFileSync(inventory, 'utf8')}  - name: pending\n    host: host-b\n  - name: copy\n    host: host-b\n    addresses: [10.20.1.11]\n`);
    const fromYaml = microseg('compile', policy, '--inventory', yaml);
    expect(fromYaml.code).toBe(0);
    expect(fromYaml.stderr).toMatch(/inv\.yaml:10:5: warning MS202: workload "metrics" on host-a is in no group/);
    expect(fromYaml.stderr).toMatch(/inv\.yaml:11:5: warning MS203: workload "pending" has no IP address.*\(at workloads\.6\.addresses\)/);
    expect(fromYaml.stderr).toMatch(/inv\.yaml:13:5: warning MS205: workloads "copy" and "web-1" have the same address 10\.20\.1\.11.*\(at workloads\.7\.addresses\.0\)/);

    const csv = join(dir, 'inv.csv');
    writeFileSync(csv, 'name,host,addresses,labels\nweb-1,host-a,10.20.1.11,tier=web\n\nmetrics,host-a,10.20.4.41,\n');
    expect(microseg('compile', policy, '--inventory', csv).stderr).toMatch(/inv\.csv:4: warning MS202: workload "metrics" on host-a is in no group/);
  });

  it('compile: a host name as long as host names go still gets its own flow file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-cli-long-'));
    const [long, other] = ['a'.repeat(253), `${'a'.repeat(252)}b`];
    const longInventory = join(dir, 'inventory.yaml');
    writeFileSync(longInventory, readFileSync(inventory, 'utf8').replaceAll('host-a', long).replaceAll('host-b', other));
    const result = microseg('compile', policy, '--inventory', longInventory, '--out', dir, '--json');
    expect(result.code).toBe(0);
    const files = (JSON.parse(result.stdout) as { hosts: { file: string }[] }).hosts.map((h) => h.file);
    expect(new Set(files).size).toBe(2);
    for (const file of files) expect(readFileSync(file, 'utf8')).toContain('conj_id=');
  });

  it('trace: exit 0 and the deciding edge when permitted, 3 and the default when dropped', () => {
    const permitted = microseg('trace', policy, '--inventory', inventory, '--from', 'web-1', '--to', 'app-2', '--proto', 'tcp', '--port', '8080');
    expect(permitted.code).toBe(0);
    expect(permitted.stdout).toContain('PERMITTED');
    expect(permitted.stdout).toContain('decided on host-b in table ingress by edge "web-to-app"');
    // The compile's warnings come along, as compile prints them: metrics is in no group.
    expect(permitted.stderr).toMatch(/inventory\.yaml:10:5: warning MS202: workload "metrics"/);

    const dropped = microseg('trace', policy, '--inventory', inventory, '--from', 'web-1', '--to', '10.20.3.31', '--port', '5432', '--json');
    expect(dropped.code).toBe(3);
    expect(JSON.parse(dropped.stdout)).toMatchObject({ verdict: 'dropped', decisions: [{ host: 'host-a', table: 'egress' }], diagnostics: [{ code: 'MS202', location: { line: 10, column: 5 } }] });
  });

  it('trace --sent-by: a source forged from another workload, dropped by its port guard, let through without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-cli-sent-by-'));
    const guarded = join(dir, 'inventory.yaml');
    // metrics (host-a, in no group) sends as web-1, whom web-to-app lets open tcp/8080 to app-1.
    writeFileSync(guarded, readFileSync(inventory, 'utf8').replace('image: prom/node-exporter:1.8 }', 'image: prom/node-exporter:1.8, switchPort: veth-metrics }'));
    const ask = (file: string) => microseg('trace', policy, '--inventory', file, '--from', 'web-1', '--to', 'app-1', '--port', '8080', '--sent-by', 'metrics', '--json');
    const stopped = ask(guarded);
    expect(stopped.code).toBe(3);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ from: 'web-1 (10.20.1.11), sent by metrics', verdict: 'dropped', decisions: [{ host: 'host-a', table: 'classify', what: expect.stringContaining('the spoof guard of switch port veth-metrics') }] });
    const passed = ask(inventory);
    expect(passed.code).toBe(0);
    expect(JSON.parse(passed.stdout)).toMatchObject({ verdict: 'permitted', note: expect.stringContaining('metrics has no switchPort in the inventory') });
    // A sender the inventory cannot place is said as --from and --to say theirs: the message alone, without the usage text.
    expect(microseg('trace', policy, '--inventory', inventory, '--from', 'web-1', '--to', 'app-1', '--port', '8080', '--sent-by', '10.20.4.41')).toMatchObject({ code: 2, stderr: 'microseg: --sent-by 10.20.4.41: name a workload (name or namespace/name), whose switch port the packet comes in by; "10.20.4.41" is an address\n' });
  });

  it('trace: exit 4 and the honeypot when a redirect edge decides', () => {
    const fixtures = join(ROOT, 'shared', 'compiler', 'fixtures');
    const run = microseg('trace', join(fixtures, 'redirect.policy.yaml'), '--inventory', join(fixtures, 'redirect.inventory.yaml'), '--from', 'web-1', '--to', 'db-1', '--port', '22', '--json');
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: 'redirected', redirectedTo: '10.0.9.9' });
  });

  it('trace and replay name the honeypot by its workload, as impact and the app do', () => {
    const fixtures = join(ROOT, 'shared', 'compiler', 'fixtures');
    const redirectPolicy = join(fixtures, 'redirect.policy.yaml');
    const redirectInventory = join(fixtures, 'redirect.inventory.yaml');
    const traced = microseg('trace', redirectPolicy, '--inventory', redirectInventory, '--from', 'web-1', '--to', 'db-1', '--port', '22');
    expect(traced.stdout).toContain('web-1 (10.0.1.1) → db-1 (10.0.2.1) tcp/22: REDIRECTED to honeypot (10.0.9.9) (');

    const log = join(mkdtempSync(join(tmpdir(), 'microseg-cli-honeypot-')), 'log.csv');
    writeFileSync(log, 'from,to,protocol,port\nweb-1,db-1,tcp,22\n');
    const replayed = microseg('replay', redirectPolicy, '--inventory', redirectInventory, '--connections', log);
    expect(replayed.stdout).toContain('web → db tcp/22 to honeypot (10.0.9.9): 1 connection');
  });

  it('prints the usage text for a wrong command line only, not for a file it cannot read', () => {
    expect(microseg('compile', policy, '--bogus').stderr).toContain('usage:\n  microseg check');
    expect(microseg('compile', policy).stderr).toContain('usage:');
    const missing = microseg('compile', '/nonexistent.yaml', '--inventory', inventory);
    expect(missing).toMatchObject({ code: 2, stderr: 'microseg: cannot read policy /nonexistent.yaml: it does not exist\n' });
    const folder = microseg('compile', policy, '--inventory', tmpdir());
    expect(folder).toMatchObject({ code: 2, stderr: `microseg: cannot read inventory ${tmpdir()}: it is a folder, not a file; name a regular file\n` });
  });

  it('says what is wrong with the usage, with exit 2', () => {
    expect(microseg('trace', policy, '--inventory', inventory, '--from', 'nobody', '--to', 'web-1', '--port', '80')).toMatchObject({ code: 2, stderr: expect.stringContaining('--from nobody: "nobody" is no workload of the inventory') });
    expect(microseg('trace', policy, '--inventory', inventory, '--from', 'WEB-1', '--to', '10.20.1.011', '--port', '80')).toMatchObject({ code: 2, stderr: expect.stringContaining('--from WEB-1: "WEB-1" is no workload of the inventory, and not an IP address (did you mean web-1?)') });
    expect(microseg('compile', policy).stderr).toContain('needs --inventory FILE');
    expect(microseg('frobnicate', policy).code).toBe(2);
    expect(microseg('check', '/nonexistent.yaml').stderr).toContain('cannot read policy /nonexistent.yaml: it does not exist');
  });

  it('with --json, fails as one JSON object even when the command line cannot be read', () => {
    for (const argv of [['compile', policy, '--bogus', '--json'], ['frobnicate', '--json'], ['matrix', policy, '--inventory', '/nonexistent.csv', '--format', 'json']]) {
      const run = microseg(...argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(JSON.parse(run.stdout), argv.join(' ')).toMatchObject({ error: expect.any(String) as unknown, diagnostics: [] });
    }
  });
  it('output that cannot be written (stdout on a full disk) exits 2 with the reason, never 1 or a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-cli-full-'));
    const changed = join(dir, 'changed.yaml');
    writeFileSync(changed, readFileSync(policy, 'utf8').replace('tcp/5432', 'tcp/5433'));
    // /dev/full answers every write with ENOSPC, as a full disk does behind `> report.json`.
    const full = openSync('/dev/full', 'w');
    try {
      // One answer printed whole (compile), one written in chunks (matrix), and impact, whose exit 1 would mean "something changes".
      for (const argv of [['compile', policy, '--inventory', inventory, '--json'], ['matrix', policy, '--inventory', inventory, '--format', 'csv'], ['impact', policy, changed, '--inventory', inventory]]) {
        const run = microsegWithStdout(full, ...argv);
        expect(run.code, argv[0]).toBe(2);
        expect(run.stderr, argv[0]).toContain('microseg: could not write the output to stdout (ENOSPC: no space left on device)');
        expect(run.stderr, argv[0]).not.toMatch(/\bat .*\.(ts|cjs):\d+/);
      }
    } finally {
      closeSync(full);
    }
  });
  it('a reader gone from stderr too (`2>&1 | head -1`) leaves the exit code the answer, not 1', () => {
    // impact exits 1 when something changes: here nothing does, and the inventory's warning goes to stderr.
    expect(microsegIntoClosedPipe('impact', policy, policy, '--inventory', inventory)).toBe(0);
  });
  it('says once, at its kind, that a policy and an inventory were given the other way round', () => {
    const swapped = microseg('compile', inventory, '--inventory', policy);
    expect(swapped.code).toBe(1);
    expect(swapped.stderr).toBe(`${inventory}:3:7: error MS002: this is an inventory file (kind: Inventory): open it as an inventory (Open inventory file in the app, --inventory of microseg), not a policy; give the policy file here instead (at kind)\nmicroseg: ${inventory} has errors\n`);
    const twice = microseg('compile', policy, '--inventory', policy);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/policy\.yaml:\d+:7: error MS302: this is a policy file \(kind: Policy\): open it as the policy \(Open… in the app, the POLICY argument of microseg\), not an inventory; give the inventory file here instead \(at kind\)\nmicroseg: .*policy\.yaml has errors\n$/);
  });
});
