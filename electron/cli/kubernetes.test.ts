import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { microseg, ROOT } from './testing/run-microseg';

// `microseg import k8s` / `export k8s` on the worked example, then `trace` on the result: a
// NetworkPolicy case run from files alone (examples/kubernetes-shop/README.md).

const example = join(ROOT, 'examples', 'kubernetes-shop');
const policies = join(example, 'networkpolicies.yaml');
const inventory = join(example, 'inventory.yaml');

describe('microseg import k8s / export k8s', () => {
  const dir = mkdtempSync(join(tmpdir(), 'microseg-k8s-'));
  const design = join(dir, 'shop.yaml');

  it('imports the example, and trace gives the verdicts Kubernetes defines', () => {
    const imported = microseg('import', 'k8s', policies, '--inventory', inventory, '-o', design, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ policy: design, hosts: 2 });
    // The compile's warnings point into the policy just written, as check would place them.
    const { diagnostics } = JSON.parse(imported.stdout) as { diagnostics: { code: string; location?: { file?: string; line?: number; path?: string } }[] };
    const emptyGroup = diagnostics.find((d) => d.code === 'MS201');
    expect(emptyGroup?.location).toMatchObject({ file: design, line: expect.any(Number) as unknown, path: expect.stringMatching(/^groups\.\d+\.selector$/) as unknown });
    expect(microseg('check', design).code).toBe(0);

    const trace = (from: string, to: string, port: number): number => microseg('trace', design, '--inventory', inventory, '--from', from, '--to', to, '--proto', 'tcp', '--port', String(port)).code;
    expect(trace('203.0.113.9', 'shop/web-1', 8080)).toBe(0);
    expect(trace('monitoring/prometheus', 'shop/web-2', 80)).toBe(0);
    expect(trace('shop/web-1', 'shop/web-2', 8080)).toBe(3);
    expect(trace('203.0.113.9', 'shop/web-2', 8080)).toBe(3);
    expect(trace('shop/web-1', 'shop/db-1', 5432)).toBe(0);
    expect(trace('monitoring/prometheus', 'shop/db-1', 5432)).toBe(3);
    expect(trace('monitoring/prometheus', 'shop/web-1', 9999)).toBe(0);
    expect(trace('monitoring/metrics-agent', 'monitoring/prometheus', 9090)).toBe(0);
  }, 60_000);

  it('export then import of the example keeps every workload pair\'s connectivity, exactly', () => {
    const out = join(dir, 'round-trip');
    const exported = microseg('export', 'k8s', design, '-o', out, '--inventory', inventory);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).not.toMatch(/error|MS65[1356]/);
    // Each group's pods in as few selectors as say them: "not shop" holds "not shop, or not app=web".
    const policiesIn = (ns: string): number => readFileSync(join(out, `${ns}.yaml`), 'utf8').split('kind: NetworkPolicy').length - 1;
    expect([policiesIn('monitoring'), policiesIn('shop')]).toEqual([4, 3]);
    const back = join(dir, 'back.yaml');
    const reimported = microseg('import', 'k8s', join(out, 'monitoring.yaml'), join(out, 'shop.yaml'), '--inventory', inventory, '-o', back);
    expect(reimported.code, reimported.stderr).toBe(0);

    // The exact matrix from each design's compiled tables: every port of every protocol per workload pair.
    const reach = (policy: string): unknown => (JSON.parse(microseg('matrix', policy, '--inventory', inventory, '--format', 'json').stdout) as { workloads: { names: string[]; cells: { always: unknown }[][] } }).workloads;
    const original = reach(design) as { names: string[]; cells: { always: unknown }[][] };
    const roundTrip = reach(back) as typeof original;
    expect(roundTrip.names).toEqual(original.names);
    expect(roundTrip.cells.map((row) => row.map((c) => c.always))).toEqual(original.cells.map((row) => row.map((c) => c.always)));
    const trace = (policy: string, from: string, to: string, port: number): number => microseg('trace', policy, '--inventory', inventory, '--from', from, '--to', to, '--proto', 'tcp', '--port', String(port)).code;
    expect(trace(back, 'monitoring/metrics-agent', 'monitoring/prometheus', 9090)).toBe(0);
    expect(trace(back, 'monitoring/prometheus', 'shop/web-1', 9999)).toBe(0);
    expect(trace(back, 'shop/web-1', 'shop/db-1', 5432)).toBe(0);
    expect(trace(back, 'shop/web-1', 'shop/web-2', 8080)).toBe(3);
  }, 60_000);

  it('refuses a design whose allows NetworkPolicy cannot say, with file:line:col, and writes nothing', () => {
    const out = join(dir, 'refused');
    const features = join(ROOT, 'shared', 'compiler', 'fixtures', 'features.policy.yaml');
    const result = microseg('export', 'k8s', features, '-o', out);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/features\.policy\.yaml:\d+:\d+: error MS651: edge "no-web-ssh" \(deny\) cannot be left to the default-deny without knowing the workloads: export with --inventory/);
    expect(result.stderr).toMatch(/features\.policy\.yaml:\d+:\d+: error MS652: the default "monitor" permits every connection/);
    expect(result.stderr).toMatch(/features\.policy\.yaml:\d+:\d+: error MS654: edge "web-out": service icmp cannot be said/);
    expect(existsSync(out)).toBe(false);
  }, 30_000);

  it('says exactly what to pass when the imported named port with its number needs the pods to be exported', () => {
    const out = join(dir, 'no-inventory');
    const result = microseg('export', 'k8s', design, '-o', out);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /shop\.yaml:\d+:\d+: error MS654: edge "[^"]+": service tcp\/postgres@5432 is the named port postgres only where it is 5432, which NetworkPolicy cannot say without knowing the pods: export with the inventory that lists the pods of "shop\.db" and their named ports \(on the command line --inventory FILE, such as the one the design was imported with\)/,
    );
    expect(existsSync(out)).toBe(false);
  }, 30_000);

  it.runIf(existsSync('/proc/self'))('says what the system refused where the folder of -o exists but takes no new file', () => {
    const result = microseg('import', 'k8s', policies, '--inventory', inventory, '-o', '/proc/self/microseg.yaml');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('microseg: cannot write policy /proc/self/microseg.yaml: the folder /proc/self exists, but no file can be created in it (ENOENT: no such file or directory)');
  }, 30_000);

  it('names a NetworkPolicy file that cannot be read, and a policy that cannot be written, by their role and why, as the other inputs are named', () => {
    const folder = mkdtempSync(join(tmpdir(), 'microseg-k8s-folder-'));
    const result = microseg('import', 'k8s', policies, folder, '--inventory', inventory, '-o', join(dir, 'never.yaml'));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`microseg: cannot read NetworkPolicy file ${folder}: it is a folder, not a file; name a regular file\n`);
    expect(existsSync(join(dir, 'never.yaml'))).toBe(false);

    const taken = mkdtempSync(join(tmpdir(), 'microseg-k8s-out-'));
    const written = microseg('import', 'k8s', policies, '--inventory', inventory, '-o', taken);
    expect(written.code).toBe(2);
    expect(written.stderr).toBe(`microseg: cannot write policy ${taken}: it is a folder, not a file; choose a file path\n`);
  }, 30_000);

  it('exports one file per namespace', () => {
    const out = join(dir, 'out');
    const exported = microseg('export', 'k8s', design, '-o', out, '--inventory', inventory);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(join(out, 'shop.yaml'));
    expect(readFileSync(join(out, 'shop.yaml'), 'utf8')).toContain('kind: NetworkPolicy');
  }, 30_000);

  it('refuses what the API server would refuse, with file:line:col, and writes nothing', () => {
    const broken = join(dir, 'broken.yaml');
    const target = join(dir, 'never.yaml');
    writeFileSync(broken, readFileSync(policies, 'utf8').replace('ports: [{ protocol: TCP, port: 5432 }]', 'ports: [{ protocol: TCP, port: 5432, endPort: 5000 }]'));
    const result = microseg('import', 'k8s', broken, '--inventory', inventory, '-o', target);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken\.yaml:\d+:\d+: error MS604: NetworkPolicy shop\/db: endPort must be a whole number from port \(5432\) to 65535 \(found 5000\)/);
    expect(existsSync(target)).toBe(false);
    expect(microseg('import', 'k8s', policies, '-o', target).stderr).toContain('needs --inventory FILE');
    expect(microseg('import', 'yaml', policies).code).toBe(2);
  }, 30_000);

  it('refuses files that hold no NetworkPolicy, whose design would permit everything', () => {
    const misspelt = join(dir, 'misspelt.yaml');
    const target = join(dir, 'permit-all.yaml');
    writeFileSync(misspelt, readFileSync(policies, 'utf8').replaceAll('kind: NetworkPolicy', 'kind: networkpolicy'));
    const result = microseg('import', 'k8s', misspelt, '--inventory', inventory, '-o', target);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/misspelt\.yaml:\d+:\d+: warning MS608/);
    expect(result.stderr).toContain('error MS610');
    expect(result.stderr).toContain('no NetworkPolicy to import; nothing written');
    expect(existsSync(target)).toBe(false);
  }, 30_000);
});
