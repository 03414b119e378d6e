import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { workloadsNamed, type Inventory, type Workload } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { EndpointResolver, resolveEndpoint, resolveEndpoints, sentBy, withinOneEndProblem } from './endpoints';

const workload = (name: string, addresses: string[]): Workload => ({ id: `t/${name}`, name, host: 'h1', addresses, labels: {}, origin: { kind: 'static', source: 't' } });
const inventory: Inventory = { readAt: 'x', workloads: [workload('v6-first', ['fd00::1', '10.0.0.1']), workload('v4-only', ['10.0.0.2']), workload('v6-only', ['fd00::3']), workload('dual', ['10.0.0.4', 'fd00::4'])] };

describe('resolveEndpoints', () => {
  it('picks addresses of one family for two workloads named', () => {
    expect(resolveEndpoints(inventory, 'v6-first', 'v4-only')).toMatchObject({ ok: true, from: { end: { address: '10.0.0.1' }, label: 'v6-first (10.0.0.1)' }, to: { end: { address: '10.0.0.2' } } });
    expect(resolveEndpoints(inventory, 'dual', 'v6-only')).toMatchObject({ ok: true, from: { end: { address: 'fd00::4' } }, to: { end: { address: 'fd00::3' } } });
    expect(resolveEndpoints(inventory, 'dual', '2001:db8::9')).toMatchObject({ ok: true, from: { end: { address: 'fd00::4' } }, to: { end: { address: '2001:db8::9' } } });
  });

  it('reads an address in any spelling as the workload that has it', () => {
    expect(resolveEndpoints(inventory, 'v4-only', 'FD00::0003')).toMatchObject({ ok: false, side: 'both' });
    expect(resolveEndpoints(inventory, 'dual', 'FD00::0003')).toMatchObject({ ok: true, to: { end: { address: 'fd00::3', host: 'h1' }, label: 'v6-only (fd00::3)' } });
  });

  it('refuses an IPv4 address written as IPv6, which no packet carries, naming the address to write', () => {
    for (const text of ['::ffff:10.0.0.2', ' ::FFFF:0A00:0002 ']) {
      expect(resolveEndpoints(inventory, text, 'dual'), text).toEqual({ ok: false, side: 'from', message: `${JSON.stringify(text.trim())} is the IPv4 address 10.0.0.2 written as IPv6, which no packet carries; write 10.0.0.2` });
    }
  });

  it('says an address block is no single address, rather than that it is no address', () => {
    expect(resolveEndpoints(inventory, '10.0.0.0/24', 'dual')).toEqual({ ok: false, side: 'from', message: '"10.0.0.0/24" is an address block, not one address; name one of its addresses, or a workload' });
    expect(resolveEndpoint(inventory, ' fd00::/64 ')).toEqual({ ok: false, message: '"fd00::/64" is an address block, not one address; name one of its addresses, or a workload' });
  });

  it('changes the address at the end of the label, never one the name holds', () => {
    const tricky: Inventory = { ...inventory, workloads: [...inventory.workloads, workload('v6 (fd00::5)', ['fd00::5', '10.0.0.5'])] };
    expect(resolveEndpoints(tricky, 'v6 (fd00::5)', 'v4-only')).toMatchObject({ ok: true, from: { end: { address: '10.0.0.5' }, label: 'v6 (fd00::5) (10.0.0.5)' } });
  });

  it('says so when the two ends share no family', () => {
    expect(resolveEndpoints(inventory, 'v4-only', 'v6-only')).toMatchObject({ ok: false, side: 'both', message: expect.stringMatching(/no address family in common/) });
    expect(resolveEndpoints(inventory, 'nobody', 'v6-only')).toMatchObject({ ok: false, side: 'from' });
  });

  // A newcomer's defect: `--from FE-1` (a workload named fe-1) and `--from 10.1.0.01` were told only that they name nothing.
  it('offers the names near one that names no workload: in another case, or a slip away', () => {
    const shop: Inventory = { readAt: 'x', workloads: [workload('fe-1', ['10.1.0.1']), workload('fe-2', ['10.1.0.2']), { ...workload('db-1', ['10.1.0.3']), namespace: 'shop' }] };
    const said = (text: string): string | undefined => {
      const parsed = resolveEndpoints(shop, text, 'fe-2');
      return parsed.ok ? undefined : parsed.message;
    };
    expect(said('FE-1')).toBe('"FE-1" is no workload of the inventory, and not an IP address (did you mean fe-1?)');
    expect(said('fe1')).toBe('"fe1" is no workload of the inventory, and not an IP address (did you mean fe-1?)');
    expect(said('fe-3')).toBe('"fe-3" is no workload of the inventory, and not an IP address (did you mean fe-1 or fe-2?)');
    expect(said('shop/db1')).toBe('"shop/db1" is no workload of the inventory, and not an IP address (did you mean shop/db-1?)');
    expect(said('payments')).toBe('"payments" is no workload of the inventory, and not an IP address');
    expect(sentBy(shop, { end: { address: '10.1.0.2', host: 'h1' }, label: 'fe-2' }, 'Fe-1')).toEqual({ ok: false, message: '"Fe-1" is no workload of the inventory (did you mean fe-1?); name the one whose switch port the packet comes in by' });
    // A log's thousands of ends are read without: each suggestion goes through every name.
    expect(new EndpointResolver(shop).endpoint('FE-1')).toEqual({ ok: false, message: '"FE-1" is no workload of the inventory, and not an IP address' });
  });

  it('says an address written with leading zeros is none, and the address meant', () => {
    expect(resolveEndpoints(inventory, '10.0.0.02', 'dual')).toEqual({ ok: false, side: 'from', message: '"10.0.0.02" is no workload of the inventory, and not an IP address: write its numbers without leading zeros, 10.0.0.2' });
    expect(resolveEndpoint(inventory, '10.0.0.010')).toEqual({ ok: false, message: '"10.0.0.010" is no workload of the inventory, and not an IP address: write its numbers without leading zeros, 10.0.0.10 (or 10.0.0.8 if 010 is octal, as some tools read it)' });
    expect(resolveEndpoint(inventory, '10.0.0.2:80')).toEqual({ ok: false, message: '"10.0.0.2:80" is no workload of the inventory, and not an IP address: write the address alone, 10.0.0.2 (a port goes in the connection\'s port)' });
  });
});

describe('withinOneEndProblem', () => {
  it('says a connection from a workload to itself, by any of its addresses, or from an address to itself, meets no switch', () => {
    const ends = (from: string, to: string): Parameters<typeof withinOneEndProblem>[1] => {
      const parsed = resolveEndpoints(inventory, from, to);
      if (!parsed.ok) throw new Error(parsed.message);
      return { from: parsed.from.end, to: parsed.to.end };
    };
    const twoOwn: Inventory = { ...inventory, workloads: [...inventory.workloads, workload('two', ['10.0.0.7', '10.0.0.8'])] };
    expect(withinOneEndProblem(inventory, ends('v4-only', 'v4-only'))).toBe("both ends are 10.0.0.2 (v4-only): a connection to the sender's own address stays inside it, where no switch sees it (no matrix cell counts it); name two ends");
    expect(withinOneEndProblem(twoOwn, { from: { address: '10.0.0.7', host: 'h1' }, to: { address: '10.0.0.8', host: 'h1' } })).toMatch(/^both ends are two \(10\.0\.0\.7 and 10\.0\.0\.8\): its connections to itself stay inside it/);
    expect(withinOneEndProblem(inventory, ends('8.8.8.8', '8.8.8.8'))).toMatch(/^both ends are 8\.8\.8\.8: /);
    // Two workloads with one address (MS205): the sender's packets to it never leave the sender.
    const twins: Inventory = { ...inventory, workloads: [...inventory.workloads, { ...workload('twin', ['10.0.0.2']), host: 'h2' }] };
    expect(withinOneEndProblem(twins, ends('v4-only', '10.0.0.2'))).toMatch(/^both ends are 10\.0\.0\.2 \(v4-only\)/);
    expect(withinOneEndProblem(inventory, ends('v4-only', 'dual'))).toBeUndefined();
  });
});

describe('sentBy', () => {
  const twins: Inventory = {
    readAt: 'x',
    workloads: [
      { ...workload('web', ['10.0.1.1']), id: 't/a/web', namespace: 'a', switchPort: 'veth-a-web' },
      { ...workload('web', ['10.0.1.2']), id: 't/b/web', namespace: 'b' },
      workload('app', ['10.0.2.1']),
    ],
  };
  const from = { end: { address: '10.0.2.1', host: 'h1' }, label: 'app (10.0.2.1)' };

  it('comes in by the named workload’s port, with a note when the inventory names none', () => {
    expect(sentBy(twins, from, ' a/web ')).toEqual({ ok: true, end: { address: '10.0.2.1', host: 'h1', port: 'veth-a-web' }, label: 'app (10.0.2.1), sent by a/web' });
    expect(sentBy(twins, from, 'b/web')).toMatchObject({ ok: true, note: expect.stringContaining('b/web has no switchPort') });
  });

  it('from the sender’s own address, is the packet it sends anyway: no forgery said, no note', () => {
    expect(sentBy(twins, { end: { address: '10.0.1.2', host: 'h1' }, label: 'b/web (10.0.1.2)' }, 'b/web')).toEqual({ ok: true, end: { address: '10.0.1.2', host: 'h1' }, label: 'b/web (10.0.1.2)' });
  });

  it('never offers an address, which names no port: two workloads of one name ask for namespace/name', () => {
    expect(sentBy(twins, from, 'web')).toEqual({ ok: false, message: '2 workloads are called "web"; write namespace/name' });
    expect(sentBy(twins, from, 'nobody')).toEqual({ ok: false, message: '"nobody" is no workload of the inventory; name the one whose switch port the packet comes in by' });
    expect(sentBy(twins, from, '10.0.1.1')).toMatchObject({ ok: false, message: expect.stringContaining('"10.0.1.1" is an address') });
  });

  it('reads a bare name beside namespaced ones as the workload in no namespace, as the matrix and canvas name it', () => {
    const withBare: Inventory = { ...twins, workloads: [...twins.workloads, workload('web', ['10.0.1.3'])] };
    expect(resolveEndpoint(withBare, 'web')).toMatchObject({ ok: true, end: { address: '10.0.1.3' }, label: 'web (10.0.1.3)' });
    expect(resolveEndpoint(withBare, 'b/web')).toMatchObject({ ok: true, end: { address: '10.0.1.2' } });
    expect(sentBy(withBare, from, 'web')).toMatchObject({ ok: true, label: 'app (10.0.2.1), sent by web' });
  });

  it('reads only the first "/" as the end of the namespace: a/web/x is no workload, not a/web', () => {
    expect(sentBy(twins, from, 'a/web/x')).toMatchObject({ ok: false, message: expect.stringContaining('"a/web/x" is no workload') });
    expect(resolveEndpoint(twins, 'a/web/x')).toMatchObject({ ok: false, message: expect.stringContaining('"a/web/x" is no workload') });
  });
});

describe('a long name in a message', () => {
  const long = 'A'.repeat(100_000);
  const shortened = `"${'A'.repeat(60)}…" (100,000 characters)`;

  it('is quoted by its first 60 characters and its length, wherever an end is read', () => {
    expect(resolveEndpoints(inventory, long, 'v4-only')).toEqual({ ok: false, side: 'from', message: `${shortened} is no workload of the inventory, and not an IP address` });
    expect(sentBy(inventory, { end: { address: '10.0.0.2', host: 'h1' }, label: 'v4-only (10.0.0.2)' }, long)).toEqual({ ok: false, message: `${shortened} is no workload of the inventory; name the one whose switch port the packet comes in by` });
  });

  it('of a workload is shortened too, in every message that names it', () => {
    const longNamed: Inventory = { readAt: 'x', workloads: [workload(long, ['10.0.0.9']), { ...workload(`${long}-2`, ['10.0.0.8']), host: '' }, workload('v6-only', ['fd00::3'])] };
    expect(resolveEndpoints(longNamed, long, 'v6-only')).toMatchObject({ ok: false, side: 'both', message: `${shortened} and "v6-only" have no address family in common (IPv4 or IPv6), so no connection runs between them` });
    expect(resolveEndpoint(longNamed, `${long}-2`)).toMatchObject({ ok: false, message: `workload "${'A'.repeat(60)}…" (100,002 characters) has no host (not scheduled yet?); trace its address to treat it as an outside one` });
    expect(sentBy(longNamed, { end: { address: '10.0.0.7' }, label: 'x' }, long)).toMatchObject({ ok: true, note: expect.stringMatching(/^A{60}… \(100,000 characters\) has no switchPort/) });
  });

  it('of a workload is shortened in the labels a trace heads its answer with, by name, by address and as sender', () => {
    const head = `${'A'.repeat(60)}… (100,000 characters)`;
    const longNamed: Inventory = { readAt: 'x', workloads: [workload(long, ['10.0.0.9']), { ...workload('B'.repeat(100_000), ['10.0.0.8']), namespace: 'ns' }] };
    expect(resolveEndpoints(longNamed, long, '10.0.0.8')).toMatchObject({ ok: true, from: { label: `${head} (10.0.0.9)` }, to: { label: `ns/${'B'.repeat(57)}… (100,003 characters) (10.0.0.8)` } });
    expect(resolveEndpoint(longNamed, '10.0.0.9')).toMatchObject({ ok: true, label: `${head} (10.0.0.9)` });
    expect(sentBy(longNamed, { end: { address: '10.0.0.8', host: 'h1' }, label: 'y (10.0.0.8)' }, long)).toMatchObject({ ok: true, label: `y (10.0.0.8), sent by ${head}` });
  });
});

describe('EndpointResolver', () => {
  // Few names, namespaces and addresses, so workloads share them; a namespace or name with a "/" and an empty namespace too.
  const names = ['web', 'app', 'b/web', 'x'];
  const namespaces = [undefined, '', 'a', 'a/b'];
  const addresses = ['10.0.0.1', '10.0.0.2', 'fd00::1'];
  const workloadArb = fc.record({
    name: fc.constantFrom(...names),
    namespace: fc.constantFrom(...namespaces),
    host: fc.constantFrom('h1', 'h2', ''),
    addresses: fc.subarray(addresses),
  });
  const inventoryArb = fc.array(workloadArb, { maxLength: 12 }).map(
    (list): Inventory => ({
      readAt: 'x',
      workloads: list.map(({ namespace, ...w }, i) => ({ id: `t/${i}`, labels: {}, origin: { kind: 'static', source: 't' }, ...w, ...(namespace === undefined ? {} : { namespace }) })),
    }),
  );
  const texts = [...names, ...names.flatMap((n) => namespaces.flatMap((ns) => (ns === undefined ? [] : [`${ns}/${n}`]))), 'a/b/web', '/web', 'nobody'];

  it('finds, over many questions, the workloads each question alone would find by reading the whole inventory', () => {
    fc.assert(
      fc.property(inventoryArb, fc.array(fc.constantFrom(...texts, ...addresses), { minLength: 1, maxLength: 30 }), (inventory, asked) => {
        const resolver = new EndpointResolver(inventory);
        for (const text of asked) {
          expect(resolver.workloadsNamed(text)).toEqual(workloadsNamed(inventory.workloads, text));
          expect(resolver.ownerOf(text)).toBe(inventory.workloads.find((w) => takesPart(w) && w.addresses.includes(text)));
        }
      }),
      { numRuns: 500 },
    );
  });
});
