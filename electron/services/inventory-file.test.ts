import { describe, expect, it } from 'vitest';
import type { Workload } from '@shared/inventory/model';
import { parseInventoryText } from './inventory-file';

const csv = `# VMs and servers of the shop
name,host,addresses,labels,image
web-vm,host-a,10.1.0.10;fd00::10,tier=web;env=prod,
db-metal,host-b,10.1.0.20,"tier=db; env=prod",
`;

describe('CSV inventories', () => {
  it('reads workloads with several addresses and labels', () => {
    const { inventory, diagnostics } = parseInventoryText(csv, 'servers.csv', 'now');
    expect(diagnostics).toEqual([]);
    expect(inventory?.workloads.map((w) => [w.name, w.host, w.addresses, w.labels])).toEqual([
      ['web-vm', 'host-a', ['10.1.0.10', 'fd00::10'], { tier: 'web', env: 'prod' }],
      ['db-metal', 'host-b', ['10.1.0.20'], { tier: 'db', env: 'prod' }],
    ]);
  });

  it('names the line and column of a bad cell', () => {
    const bad = csv.replace('10.1.0.20', '10.1.0.999');
    const { inventory, diagnostics } = parseInventoryText(bad, 'servers.csv', 'now');
    expect(inventory).toBeNull();
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'MS304', location: { file: 'servers.csv', line: 4, path: 'addresses' } })]);
  });

  it('says how to write several addresses in one cell, and that a block is no workload address', () => {
    const several = csv.replace('10.1.0.20', '"10.1.0.20,10.1.0.21"');
    expect(parseInventoryText(several, 'servers.csv', 'now').diagnostics).toEqual([
      expect.objectContaining({ code: 'MS304', message: expect.stringContaining('it holds 2 addresses; in a CSV cell separate them with ";" (10.1.0.20;10.1.0.21)') }),
    ]);
    const block = csv.replace('10.1.0.20', '10.1.0.0/24');
    expect(parseInventoryText(block, 'servers.csv', 'now').diagnostics).toEqual([
      expect.objectContaining({ code: 'MS304', message: expect.stringContaining("it is an address block; write the workload's own address") }),
    ]);
  });

  it('says what to write for an address as a URL, a socket or a network tool prints it', () => {
    const said = (address: string): string | undefined => parseInventoryText(csv.replace('10.1.0.20', address), 'servers.csv', 'now').diagnostics[0]?.message;
    expect(said('[fd00::20]')).toBe('"[fd00::20]" is not a single IPv4 or IPv6 address: write it without the brackets, fd00::20');
    expect(said('[fd00::20]:5432')).toBe('"[fd00::20]:5432" is not a single IPv4 or IPv6 address: write the address alone, fd00::20 (a port goes in ports)');
    expect(said('10.1.0.20:5432')).toBe('"10.1.0.20:5432" is not a single IPv4 or IPv6 address: write the address alone, 10.1.0.20 (a port goes in ports)');
    expect(said('fe80::20%eth0')).toBe('"fe80::20%eth0" is not a single IPv4 or IPv6 address: write it without the zone after "%", fe80::20');
    // Tools differ on 020 (20, or octal 16): say both rather than guess; where they agree, the one address.
    expect(said('10.1.0.020')).toBe('"10.1.0.020" is not a single IPv4 or IPv6 address: write its numbers without leading zeros, 10.1.0.20 (or 10.1.0.16 if 020 is octal, as some tools read it)');
    expect(said('10.1.0.01')).toBe('"10.1.0.01" is not a single IPv4 or IPv6 address: write its numbers without leading zeros, 10.1.0.1');
    expect(said('10.1.0.0300')).toBe('"10.1.0.0300" is not a single IPv4 or IPv6 address: write its numbers without leading zeros');
  });

  it('refuses an IPv4 address written as IPv6, which no packet carries, and says how to write it', () => {
    const mapped = csv.replace('10.1.0.20', '::ffff:10.1.0.20');
    const { inventory, diagnostics } = parseInventoryText(mapped, 'servers.csv', 'now');
    expect(inventory).toBeNull();
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'MS304', message: '"::ffff:10.1.0.20" is the IPv4 address 10.1.0.20 written as IPv6, which no packet carries; write 10.1.0.20', location: { file: 'servers.csv', line: 4, path: 'addresses' } }),
    ]);
  });

  it('refuses addresses that are no machine\'s own (unspecified, loopback, multicast, broadcast), each at its line', () => {
    const rows = ['0.0.0.0', '127.0.0.1', '224.0.0.251', '255.255.255.255', '::', '::1', 'ff02::1'].map((a, i) => `vm-${i},host-a,${a}`);
    const { inventory, diagnostics } = parseInventoryText(['name,host,addresses', ...rows, 'vm-ok,host-a,10.0.0.1;fd00::1;169.254.0.1;fe80::1', ''].join('\n'), 'servers.csv', 'now');
    expect(inventory).toBeNull();
    expect(diagnostics.map((d) => [d.code, d.location?.line, d.message])).toEqual([
      ['MS304', 2, '"0.0.0.0" is an unspecified ("this network") address, which is no workload\'s own; write the workload\'s address (or none while it has none)'],
      ['MS304', 3, expect.stringContaining('"127.0.0.1" is a loopback address')],
      ['MS304', 4, expect.stringContaining('"224.0.0.251" is a multicast address')],
      ['MS304', 5, expect.stringContaining('"255.255.255.255" is the broadcast address')],
      ['MS304', 6, expect.stringContaining('"::" is the unspecified address')],
      ['MS304', 7, expect.stringContaining('"::1" is the loopback address')],
      ['MS304', 8, expect.stringContaining('"ff02::1" is a multicast address')],
    ]);
  });

  it('rejects unknown columns, missing names and broken quoting with the line', () => {
    expect(parseInventoryText('name,hots\nx,y\n', 'a.csv', 'now').diagnostics.map((d) => d.code)).toContain('MS305');
    expect(parseInventoryText('name,host\n,y\n', 'a.csv', 'now').diagnostics[0]).toMatchObject({ code: 'MS306', location: { line: 2, path: 'name' } });
    expect(parseInventoryText('name,host\n"x,y\n', 'a.csv', 'now').diagnostics[0]).toMatchObject({ code: 'MS308' });
  });

  it('says a quote inside a cell once for its row, with how to write it', () => {
    const { diagnostics } = parseInventoryText('name,host\n=HYPERLINK("x"),h1\nw2,h2\n', 'q.csv', 'now');
    expect(diagnostics).toEqual([
      { code: 'MS308', severity: 'error', message: 'CSV syntax: cell "name" holds a quote after "=HYPERLINK("; write the cell in quotes with each of its quotes doubled ("a""b"), as a spreadsheet saves it', location: { file: 'q.csv', line: 2 } },
    ]);
  });

  it('names an unclosed quote at the line it opens on, with the lines it swallowed', () => {
    const unclosed = 'name,host,addresses\nw1,h1,10.0.0.1\n"w2,h1,10.0.0.2\nw3,h1,10.0.0.3\nw4,h1,10.0.0.4\n';
    expect(parseInventoryText(unclosed, 'u.csv', 'now')).toEqual({
      inventory: null,
      diagnostics: [{ code: 'MS308', severity: 'error', message: 'CSV syntax: a quote opened on this line is never closed, so the rest of the file (the 2 lines after this one) was read as one cell; close the quote', location: { file: 'u.csv', line: 3 } }],
    });
    expect(parseInventoryText('name,host\nw1,h1\nw2,"h1\n', 'last.csv', 'now').diagnostics).toEqual([expect.objectContaining({ message: expect.stringContaining('so the rest of the line was read'), location: { file: 'last.csv', line: 3 } })]);
  });

  it('places a row it cannot read at the line it starts on, past a quoted line break', () => {
    const { diagnostics } = parseInventoryText('name,host,labels\nw1,h1,tier=web\nw2,h1,"tier=\nweb",extra\nw3,h1,tier=web\n', 'm.csv', 'now');
    expect(diagnostics.map((d) => [d.location?.line, d.code])).toEqual([[3, 'MS308']]);
  });

  it('reports every error of the file at once, in line order: unreadable rows, bad cells, and what both formats check', () => {
    const rounds = 'name,host,addresses,labels,mac\nw1,h1,10.0.0.1,tier=web\nw2,h1,10.0.0.999,tier=web,zz\nw2,h 1,10.0.0.5,tier,\nw3,h1,10.0.0.3,tier=web,,extra\n';
    const { inventory, diagnostics } = parseInventoryText(rounds, 'r.csv', 'now');
    expect(inventory).toBeNull();
    expect(diagnostics.map((d) => [d.location?.line, d.code])).toEqual([
      [2, 'MS308'],
      [3, 'MS304'],
      [3, 'MS312'],
      [4, 'MS307'],
      [4, 'MS303'],
      [4, 'MS309'],
      [5, 'MS308'],
    ]);
  });

  it('shows at most 50 errors of a YAML inventory too', () => {
    const workloads = Array.from({ length: 60 }, (_, i) => `  - { name: w${i}, host: h1, addresses: [10.0.0.999] }`);
    const { diagnostics } = parseInventoryText(['apiVersion: microseg.dev/v1', 'kind: Inventory', 'workloads:', ...workloads].join('\n'), 'many.yaml', 'now');
    expect(diagnostics).toHaveLength(51);
    expect(diagnostics[50]).toMatchObject({ code: 'MS304', message: 'and 10 more errors in this file not shown (the first 50 are); fix these and read it again' });
  });

  it('counts, past the first 50, the errors of workloads of a wrong shape as well as their other errors', () => {
    const workloads = Array.from({ length: 60 }, (_, i) => `  - { name: w${i}, host: h1, addresses: [10.0.0.999], mac: ${i} }`);
    const { diagnostics } = parseInventoryText(['apiVersion: microseg.dev/v1', 'kind: Inventory', 'workloads:', ...workloads].join('\n'), 'many.yaml', 'now');
    expect(diagnostics.slice(0, 2).map((d) => [d.location?.line, d.code])).toEqual([[4, 'MS304'], [4, 'MS302']]);
    expect(diagnostics).toHaveLength(51);
    expect(diagnostics[50]?.message).toBe('and 70 more errors in this file not shown (the first 50 are); fix these and read it again');
  });

  it('shows at most 50 errors of a file, then how many more there are; an unknown column once', () => {
    const rows = Array.from({ length: 120 }, (_, i) => `w${i},h1,10.0.0.999,red`);
    const { diagnostics } = parseInventoryText(['name,host,addresses,colour', ...rows].join('\n'), 'many.csv', 'now');
    expect(diagnostics).toHaveLength(51);
    expect(diagnostics.filter((d) => d.code === 'MS305')).toHaveLength(1);
    expect(diagnostics[50]).toEqual({ code: 'MS304', severity: 'error', message: 'and 71 more errors in this file not shown (the first 50 are); fix these and read it again', location: { file: 'many.csv' } });
  });

  it('places a row at the line it starts on, past quoted line breaks, comments and CRLF', () => {
    const rows = [
      '\uFEFFname,host,addresses,labels',
      '# a comment',
      '',
      '"web',
      'vm",host-a,10.1.0.10,tier=web',
      '  ',
      '# another',
      'pending,host-b,,tier=web',
      'copy,host-b,"10.1.0.10',
      '10.1.0.11",tier=db',
      'bad,,10.1.0.12,tier=db',
    ];
    for (const eol of ['\n', '\r\n']) {
      const text = rows.join(eol) + eol;
      const lines = parseInventoryText(text, 'v.csv', 'now').diagnostics.map((d) => [d.code, d.location?.line]);
      expect(lines, JSON.stringify(eol)).toEqual([['MS306', 11]]);
      const inventory = parseInventoryText(text.replace('bad,,', 'bad,host-c,'), 'v.csv', 'now').inventory!;
      expect(inventory.workloads.map((w) => w.origin.entry?.line), JSON.stringify(eol)).toEqual([4, 8, 9, 11]);
    }
  });

  it('says a file is in the other format than its name says, rather than fail far from the cause', () => {
    expect(parseInventoryText('# servers\nname,host,addresses\nweb,n1,10.0.0.1\n', 'servers.txt', 'now').diagnostics).toEqual([
      { code: 'MS302', severity: 'error', message: 'this is CSV (a header row name,host,addresses), but only a file named .csv is read as CSV; name it .csv', location: { file: 'servers.txt', line: 2 } },
    ]);
    expect(parseInventoryText('# shop\napiVersion: microseg.dev/v1\nkind: Inventory\nworkloads: []\n', 'shop.csv', 'now').diagnostics).toEqual([
      { code: 'MS308', severity: 'error', message: 'this is YAML (apiVersion: …), but a file named .csv is read as CSV; name it .yaml', location: { file: 'shop.csv', line: 2 } },
    ]);
  });

  it('still reads YAML inventories', () => {
    const yaml = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: a, host: h, addresses: [10.0.0.1] }\n';
    expect(parseInventoryText(yaml, 'inv.yaml', 'now').inventory?.workloads).toHaveLength(1);
  });
});

describe('inventories of pods', () => {
  it('carry namespace labels and named ports, in YAML and in CSV; names are unique per namespace', () => {
    const yaml = `apiVersion: microseg.dev/v1
kind: Inventory
workloads:
  - { name: web, host: node-1, addresses: [10.0.0.1], namespace: shop, namespaceLabels: { team: shop }, ports: [{ name: http, port: 8080 }, { port: 53, protocol: udp }] }
  - { name: web, host: node-2, addresses: [10.0.0.2], namespace: dev }
`;
    const fromYaml = parseInventoryText(yaml, 'pods.yaml', 'now');
    expect(fromYaml.diagnostics).toEqual([]);
    expect(fromYaml.inventory?.workloads[0]).toMatchObject({ namespaceLabels: { team: 'shop' }, ports: [{ name: 'http', port: 8080, protocol: 'tcp' }, { port: 53, protocol: 'udp' }] });
    const csvText = 'name,host,addresses,namespace,namespaceLabels,ports\nweb,node-1,10.0.0.1,shop,team=shop,http=tcp/8080;udp/53\n';
    const { namespace, namespaceLabels, ports } = fromYaml.inventory!.workloads[0]!;
    expect(parseInventoryText(csvText, 'pods.csv', 'now').inventory?.workloads[0]).toMatchObject({ namespace, namespaceLabels, ports });
  });

  it('refuses a bad port name or port cell with its place', () => {
    const yaml = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: web, host: n1, ports: [{ port: 80, protocol: icmp }] }\n';
    expect(parseInventoryText(yaml, 'p.yaml', 'now').diagnostics).toEqual([
      { code: 'MS302', severity: 'error', message: 'workloads.0.ports.0.protocol: protocol must be one of tcp, udp, sctp (found "icmp")', location: expect.objectContaining({ line: 4, path: 'workloads.0.ports.0.protocol' }) },
    ]);
    expect(parseInventoryText('name,host,ports\nweb,n1,HTTP=tcp/80\n', 'p.csv', 'now').diagnostics[0]).toMatchObject({ code: 'MS310' });
    expect(parseInventoryText('name,host,ports\nweb,n1,tcp:80\n', 'p.csv', 'now').diagnostics[0]).toMatchObject({ code: 'MS310', location: { line: 2, path: 'ports' } });
  });

  it('says a declared port out of range the same way at either end', () => {
    const yaml = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: web, host: n1, ports: [{ port: 0 }, { port: 65536 }] }\n';
    expect(parseInventoryText(yaml, 'p.yaml', 'now').diagnostics.map((d) => d.message)).toEqual([
      'workloads.0.ports.0.port: port must be a whole number from 1 to 65535',
      'workloads.0.ports.1.port: port must be a whole number from 1 to 65535',
    ]);
  });

  it('refuses a namespace that is no Kubernetes namespace name, in YAML and in CSV', () => {
    const yaml = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: web, host: n1, namespace: ../../pwned }\n';
    expect(parseInventoryText(yaml, 'i.yaml', 'now')).toMatchObject({ inventory: null, diagnostics: [{ code: 'MS311', location: { line: 4, path: 'workloads.0.namespace' } }] });
    expect(parseInventoryText('name,host,namespace\nweb,n1,Shop\n', 'i.csv', 'now')).toMatchObject({ inventory: null, diagnostics: [{ code: 'MS311', location: { line: 2, path: 'namespace' } }] });
    // A column named twice would hide its first cells.
    expect(parseInventoryText('# servers\n\nname,host,mac,mac\nweb,n1,zz,02:42:0a:00:00:09\n', 'i.csv', 'now')).toMatchObject({ inventory: null, diagnostics: [{ code: 'MS305', location: { line: 3, path: 'mac' } }] });
    // Addresses in one spelling, whatever the file wrote.
    expect(parseInventoryText('name,host,addresses\nweb,n1,FD00::0002 10.0.0.1/32\n', 'i.csv', 'now').inventory?.workloads[0]?.addresses).toEqual(['fd00::2', '10.0.0.1']);
  });
});

describe('the two formats agree', () => {
  const yaml = (mac: string): string => `apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: web, host: n1, addresses: [10.0.0.1] }\n  - name: " trap "\n    host: n1\n    addresses: [" 10.0.0.2 "]\n    mac: "${mac}"\n    labels: { " role ": " honeypot " }\n`;
  const csv = (mac: string): string => `name,host,addresses,mac,labels\nweb,n1,10.0.0.1,,\n trap , n1 ," 10.0.0.2 ","${mac}"," role = honeypot "\n`;

  it('report every error of a workload at once: a field of the wrong shape hides neither its other fields\' errors nor a name given twice', () => {
    const yamlText = [
      'apiVersion: microseg.dev/v1',
      'kind: Inventory',
      'workloads:',
      '  - { name: web, host: n1, addresses: [10.0.0.999], labels: { "bad key!": x }, ports: [{ port: eighty }] }',
      '  - { name: web, host: n1, addresses: [10.0.0.2], mac: 12 }',
    ].join('\n');
    const csvText = 'name,host,addresses,labels,ports,mac\nweb,n1,10.0.0.999,bad key!=x,tcp/eighty,\nweb,n1,10.0.0.2,,,12\n';
    const fromYaml = parseInventoryText(yamlText, 'i.yaml', 'now');
    const fromCsv = parseInventoryText(csvText, 'i.csv', 'now');
    expect(fromYaml.diagnostics.map((d) => [d.location?.line, d.code, d.location?.column, d.location?.path])).toEqual([
      [4, 'MS304', 40, 'workloads.0.addresses.0'],
      [4, 'MS313', 75, 'workloads.0.labels.bad key!'],
      [4, 'MS302', 96, 'workloads.0.ports.0.port'],
      [5, 'MS303', 13, 'workloads.1.name'],
      [5, 'MS302', 56, 'workloads.1.mac'],
    ]);
    // The CSV says the same of the same values, at the rows' lines: a port cell rather than a port of the wrong type, a MAC read as text.
    expect(fromCsv.diagnostics.map((d) => [d.location?.line, d.code, d.location?.path])).toEqual([
      [2, 'MS310', 'ports'],
      [2, 'MS304', 'addresses'],
      [2, 'MS313', 'labels'],
      [3, 'MS303', 'name'],
      [3, 'MS312', 'mac'],
    ]);
  });

  it('read spaces around a value, a MAC among them, as no part of it', () => {
    const fromYaml = parseInventoryText(yaml(' 02:42:0A:00:00:09 '), 'i.yaml', 'now');
    const fromCsv = parseInventoryText(csv(' 02:42:0A:00:00:09 '), 'i.csv', 'now');
    expect(fromYaml.diagnostics).toEqual([]);
    expect(fromCsv.diagnostics).toEqual([]);
    const trap = { name: 'trap', host: 'n1', addresses: ['10.0.0.2'], mac: '02:42:0a:00:00:09', labels: { role: 'honeypot' } };
    expect(fromYaml.inventory?.workloads[1]).toMatchObject(trap);
    expect(fromCsv.inventory?.workloads[1]).toMatchObject(trap);
  });

  it('read a declared port protocol in any case, spaces around it no part of it, as CSV does; any other value lists the protocols', () => {
    const withPort = (protocol: string): string => `apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: web, host: n1, addresses: [10.0.0.1], ports: [{ name: dns, port: 53, protocol: "${protocol}" }] }\n`;
    expect(parseInventoryText(withPort(' udp '), 'i.yaml', 'now').inventory?.workloads[0]?.ports).toEqual([{ name: 'dns', port: 53, protocol: 'udp' }]);
    expect(parseInventoryText(withPort('UDP'), 'i.yaml', 'now').inventory?.workloads[0]?.ports).toEqual([{ name: 'dns', port: 53, protocol: 'udp' }]);
    expect(parseInventoryText('name,host,addresses,ports\nweb,n1,10.0.0.1,dns=UDP/53\n', 'i.csv', 'now').inventory?.workloads[0]?.ports).toEqual([{ name: 'dns', port: 53, protocol: 'udp' }]);
    expect(parseInventoryText('name,host,addresses,ports\nweb,n1,10.0.0.1, dns=udp/53 \n', 'i.csv', 'now').inventory?.workloads[0]?.ports).toEqual([{ name: 'dns', port: 53, protocol: 'udp' }]);
    expect(parseInventoryText(withPort(' icmp '), 'i.yaml', 'now').diagnostics).toEqual([
      expect.objectContaining({ code: 'MS302', message: expect.stringContaining('protocol must be one of tcp, udp, sctp (found "icmp")'), location: expect.objectContaining({ line: 4, path: 'workloads.0.ports.0.protocol' }) }),
    ]);
  });

  it('refuse a name with a "/", which would read as namespace/name', () => {
    expect(parseInventoryText('name,host,addresses\nshop/web,n1,10.0.0.1\n', 'i.csv', 'now').diagnostics).toEqual([
      expect.objectContaining({ code: 'MS315', message: 'workload name "shop/web" holds a "/", which reads as namespace/name; give namespace: shop and name: web, or another name', location: { file: 'i.csv', line: 2, path: 'name' } }),
    ]);
    // Where the name is not namespace/name in two parts, no split is offered ("namespace:  and name: web" was).
    for (const name of ['/web', 'web/', 'a/b/c']) {
      expect(parseInventoryText(`name,host,addresses\n${name},n1,10.0.0.1\n`, 'i.csv', 'now').diagnostics).toEqual([
        expect.objectContaining({ code: 'MS315', message: `workload name "${name}" holds a "/", which reads as namespace/name; give a name without "/" (and the namespace, if it has one, as namespace)` }),
      ]);
    }
  });

  // A new user's defect: `web\u200b-1`, pasted from a chat, was taken as a second workload that shows as web-1.
  it('refuse a name holding an invisible character, saying which and where, in YAML as in CSV', () => {
    const message = 'workload name "web\\u200b-1" holds U+200B (ZERO WIDTH SPACE) at character 4, which shows as nothing: it looks like "web-1" but is another name; delete it';
    expect(parseInventoryText('name,host,addresses\nweb\u200b-1,n1,10.0.0.1\n', 'i.csv', 'now').diagnostics).toEqual([
      { code: 'MS317', severity: 'error', message, location: { file: 'i.csv', line: 2, path: 'name' } },
    ]);
    const yaml = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: "web\u200b-1", host: n1, addresses: [10.0.0.1] }\n';
    expect(parseInventoryText(yaml, 'i.yaml', 'now').diagnostics).toEqual([
      { code: 'MS317', severity: 'error', message, location: expect.objectContaining({ file: 'i.yaml', line: 4, path: 'workloads.0.name' }) as unknown },
    ]);
  });

  it('refuse a name longer than 253 characters, quoting its head and length, and take one of 253', () => {
    expect(parseInventoryText(`name,host,addresses\n${'w'.repeat(254)},n1,10.0.0.1\n`, 'i.csv', 'now').diagnostics).toEqual([
      expect.objectContaining({ code: 'MS316', message: `workload name "${'w'.repeat(60)}…" (254 characters) is longer than the 253 characters a name may have; shorten it`, location: { file: 'i.csv', line: 2, path: 'name' } }),
    ]);
    expect(parseInventoryText(`name,host,addresses\n${'w'.repeat(253)},n1,10.0.0.1\n`, 'i.csv', 'now').diagnostics).toEqual([]);
  });

  it('quote a long name, namespace, mac or address by its head and length in every message about its line', () => {
    const long = 'w'.repeat(254);
    const csv = `name,host,addresses,mac,namespace,switchPort,ports\n${long},n1,10.0.0.1,,,,\n${long},n1,${'1'.repeat(300)},${'z'.repeat(300)},${'N'.repeat(300)},a b,${'P'.repeat(300)}=tcp/80\n${long},n1,10.0.0.2,,,,\nns/${long},n1,10.0.0.3,,,,\n`;
    const messages = parseInventoryText(csv, 'i.csv', 'now').diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^MS303 workload "w{60}…" \(254 characters\) is listed twice$/),
      expect.stringMatching(/^MS312 mac "z{60}…" \(300 characters\) of "w{60}…" \(254 characters\) is not/),
      expect.stringMatching(/^MS311 namespace "N{60}…" \(300 characters\) of "w{60}…" \(254 characters\) must be/),
      expect.stringMatching(/^MS304 "1{60}…" \(300 characters\) is not a single/),
      expect.stringMatching(/^MS315 workload name "ns\/w{57}…" \(257 characters\) holds a "\/".* name: w{60}… \(254 characters\), or another name$/),
    ]));
    for (const message of messages) expect(message, message).not.toMatch(/[wzN1P]{61}/);
  });

  it('refuse an image or compose service longer than a compile request takes, at its place, and take one of 10,000 characters', () => {
    const yaml = (image: string, service: string): string => `apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: web, host: n1, addresses: [10.0.0.1], image: "${image}", composeService: "${service}" }\n`;
    expect(parseInventoryText(yaml('i'.repeat(10_001), 's'.repeat(12_000)), 'i.yaml', 'now').diagnostics).toEqual([
      expect.objectContaining({ code: 'MS316', message: `image "${'i'.repeat(60)}…" (10,001 characters) of "web" is longer than the 10,000 characters it may have; shorten it`, location: expect.objectContaining({ line: 4, path: 'workloads.0.image' }) }),
      expect.objectContaining({ code: 'MS316', message: expect.stringMatching(/^composeService "s{60}…" \(12,000 characters\) of "web" is longer/), location: expect.objectContaining({ line: 4, path: 'workloads.0.composeService' }) }),
    ]);
    expect(parseInventoryText(`name,host,addresses,image\nweb,n1,10.0.0.1,${'i'.repeat(10_001)}\n`, 'i.csv', 'now').diagnostics).toEqual([
      expect.objectContaining({ code: 'MS316', location: { file: 'i.csv', line: 2, path: 'image' } }),
    ]);
    expect(parseInventoryText(yaml('i'.repeat(10_000), 's'.repeat(10_000)), 'i.yaml', 'now').diagnostics).toEqual([]);
  });

  it('read a switch port, and refuse one the flows could not bind, with its place', () => {
    const yaml = (port: string): string => `apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: web, host: n1, addresses: [10.0.0.1], switchPort: "${port}" }\n`;
    const csv = (port: string): string => `name,host,addresses,switchPort\nweb,n1,10.0.0.1,${port}\n`;
    for (const text of [yaml(' veth-web1 '), csv(' veth-web1 ')]) expect(parseInventoryText(text, text.startsWith('name') ? 'i.csv' : 'i.yaml', 'now').inventory?.workloads[0]?.switchPort).toBe('veth-web1');
    for (const text of [yaml(''), csv('')]) expect(parseInventoryText(text, text.startsWith('name') ? 'i.csv' : 'i.yaml', 'now').inventory?.workloads[0]).not.toHaveProperty('switchPort');
    expect(parseInventoryText(yaml('veth web'), 'i.yaml', 'now').diagnostics).toEqual([
      expect.objectContaining({ code: 'MS314', message: expect.stringContaining('switch port "veth web" must be'), location: expect.objectContaining({ line: 4, path: 'workloads.0.switchPort' }) }),
    ]);
    expect(parseInventoryText(csv('7'), 'i.csv', 'now').diagnostics).toEqual([
      expect.objectContaining({ code: 'MS314', message: expect.stringContaining('is a number; give the port\'s name'), location: { file: 'i.csv', line: 2, path: 'switchPort' } }),
    ]);
    expect(parseInventoryText(csv('LOCAL'), 'i.csv', 'now').diagnostics).toEqual([expect.objectContaining({ code: 'MS314', message: expect.stringContaining("OpenFlow's reserved port names") })]);
    // Names ovs-ofctl reads as no port of the bridge: `in_port=unset` is a special port (the guard would bind nothing), and a leading "-" a negative number (the bundle fails).
    for (const port of ['unset', 'UNSET']) expect(parseInventoryText(csv(port), 'i.csv', 'now').diagnostics).toEqual([expect.objectContaining({ code: 'MS314', message: expect.stringContaining("OpenFlow's reserved port names") })]);
    for (const port of ['-', '-veth1']) expect(parseInventoryText(yaml(port), 'i.yaml', 'now').diagnostics).toEqual([expect.objectContaining({ code: 'MS314', message: expect.stringContaining('starts with "-", which ovs-ofctl reads as a negative port number') })]);
    expect(parseInventoryText(csv('veth-1.unset_x'), 'i.csv', 'now').inventory?.workloads[0]?.switchPort).toBe('veth-1.unset_x');
  });

  it('refuse an empty or blank name or host in words that name the field and the place', () => {
    const blank = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: "  ", host: n1 }\n  - { name: web, host: "" }\n';
    expect(parseInventoryText(blank, 'i.yaml', 'now').diagnostics).toEqual([
      { code: 'MS302', severity: 'error', message: 'workloads.0.name: name must not be empty or only spaces', location: { file: 'i.yaml', line: 4, column: 13, path: 'workloads.0.name' } },
      { code: 'MS302', severity: 'error', message: 'workloads.1.host: host must not be empty or only spaces', location: { file: 'i.yaml', line: 5, column: 24, path: 'workloads.1.host' } },
    ]);
    expect(parseInventoryText('name,host\n  ,n1\n', 'i.csv', 'now').diagnostics).toEqual([expect.objectContaining({ code: 'MS306', location: { file: 'i.csv', line: 2, path: 'name' } })]);
  });

  it('refuse a label key given twice, with its place, rather than keep one of its values unseen', () => {
    const yamlLabels = (labels: string): string => `apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: web, host: n1, labels: ${labels} }\n`;
    expect(parseInventoryText(yamlLabels('{ tier: web, tier: db }'), 'i.yaml', 'now').diagnostics).toEqual([expect.objectContaining({ code: 'MS301', message: 'YAML syntax: Map keys must be unique', location: expect.objectContaining({ line: 4 }) })]);
    expect(parseInventoryText(yamlLabels('{ tier: web, " tier": db }'), 'i.yaml', 'now').diagnostics).toEqual([
      expect.objectContaining({ code: 'MS302', message: 'workloads.0.labels. tier: label key "tier" is given twice ("tier" and " tier"); a workload has one value per key, so give it once', location: expect.objectContaining({ line: 4, column: 58 }) }),
    ]);
    expect(parseInventoryText('name,host,labels,namespaceLabels\nweb,n1,tier=web; tier =db,team=a;team=a\n', 'i.csv', 'now').diagnostics).toEqual([
      { code: 'MS307', severity: 'error', message: 'label key "tier" is given twice ("tier=web" and "tier =db"); a workload has one value per key, so give it once', location: { file: 'i.csv', line: 2, path: 'labels' } },
      { code: 'MS307', severity: 'error', message: 'label key "team" is given twice ("team=a" and "team=a"); a workload has one value per key, so give it once', location: { file: 'i.csv', line: 2, path: 'namespaceLabels' } },
    ]);
  });

  it('refuse a label no group selector could name, in both formats (tier==web reads as the value "=web")', () => {
    const fromCsv = parseInventoryText('name,host,labels\nweb,n1,tier==web\n', 'i.csv', 'now');
    expect(fromCsv.inventory).toBeNull();
    expect(fromCsv.diagnostics).toEqual([
      expect.objectContaining({ code: 'MS313', message: expect.stringContaining('the value of label "tier" must be empty, or at most 63 letters, digits') as unknown, location: { file: 'i.csv', line: 2, path: 'labels' } }),
    ]);
    const fromYaml = parseInventoryText('apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: web, host: n1, labels: { "bad key!": x, app.kubernetes.io/name: shop, empty: "" } }\n', 'i.yaml', 'now');
    expect(fromYaml.diagnostics.map((d) => [d.code, d.location?.path])).toEqual([['MS313', 'workloads.0.labels.bad key!']]);
    expect(fromYaml.diagnostics[0]!.message).toContain('(found "bad key!")');
  });

  it('say once that the header lacks a column every workload needs, and give a port number out of range as such', () => {
    const { diagnostics } = parseInventoryText('host,addresses\nn1,10.0.0.1\nn1,10.0.0.2\n', 'i.csv', 'now');
    expect(diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/^the header row has no "name" column, which every workload needs/)]);
    expect(parseInventoryText('name,host,ports\nweb,n1,http=tcp/0\n', 'i.csv', 'now').diagnostics.map((d) => d.message)).toEqual([
      'the port number of "http=tcp/0" must be from 1 to 65535 (found 0)',
    ]);
  });

  it('place what is wrong with the header at the header row, with rows after it or none', () => {
    const where = (text: string): unknown[] => parseInventoryText(text, 'i.csv', 'now').diagnostics.map((d) => [d.code, d.location?.line, d.location?.path]);
    expect(where('# servers\n\nName,host,adresses\nweb,n1,10.0.0.1\ndb,n1,10.0.0.2\n')).toEqual([
      ['MS305', 3, 'Name'],
      ['MS305', 3, 'adresses'],
    ]);
    // A typo in the header of an inventory with no rows yet would otherwise pass unseen.
    expect(where('name,host,adresses\n')).toEqual([['MS305', 1, 'adresses']]);
    expect(parseInventoryText('name,host,\nweb,n1,\n', 'i.csv', 'now').diagnostics.map((d) => d.message)).toEqual(['the header row names a column with nothing (a comma too many, at the end?); remove it']);
    expect(parseInventoryText('name,host,addresses\n', 'i.csv', 'now')).toMatchObject({ inventory: { workloads: [] }, diagnostics: [] });
  });

  it('refuse a CSV with no header row at all (empty, or only comments), as an empty YAML file is refused', () => {
    const message = 'the file has no header row (it is empty, or holds only comments and blank lines); a CSV inventory starts with one, such as name,host,addresses,labels';
    for (const text of ['', '\uFEFF', '# servers\n\n   \n']) {
      expect(parseInventoryText(text, 'i.csv', 'now'), JSON.stringify(text)).toEqual({ inventory: null, diagnostics: [{ code: 'MS306', severity: 'error', message, location: { file: 'i.csv', line: 1 } }] });
    }
  });

  it('say that a header row separated by ";" (as some spreadsheets save) needs commas', () => {
    const { inventory, diagnostics } = parseInventoryText('name;host;addresses;labels\nweb-1;host-a;10.20.1.11;tier=web\n', 'i.csv', 'now');
    expect(inventory).toBeNull();
    expect(diagnostics).toEqual([
      { code: 'MS305', severity: 'error', message: 'the header row "name;host;addresses;labels" is separated by ";"; separate the columns with commas (save the sheet as CSV with "," as its separator)', location: { file: 'i.csv', line: 1, path: 'name;host;addresses;labels' } },
    ]);
  });

  it('name the column meant by a header cell in another case (Name, switchport), as the sheet title-cased it', () => {
    const { inventory, diagnostics } = parseInventoryText('Name,host,ADDRESSES,switchport\nweb-1,host-a,10.20.1.11,veth1\n', 'i.csv', 'now');
    expect(inventory).toBeNull();
    expect(diagnostics.map((d) => [d.location?.path, d.message])).toEqual([
      ['Name', 'unknown column "Name"; column names are written in their own case: write "name"'],
      ['ADDRESSES', 'unknown column "ADDRESSES"; column names are written in their own case: write "addresses"'],
      ['switchport', 'unknown column "switchport"; column names are written in their own case: write "switchPort"'],
    ]);
  });

  it('say once that a connection log given as the inventory is one, and where it goes', () => {
    const { inventory, diagnostics } = parseInventoryText('# flows\nfrom,to,protocol,port,count\nweb-1,app-1,tcp,8080,3\n', 'flows.csv', 'now');
    expect(inventory).toBeNull();
    expect(diagnostics).toEqual([
      { code: 'MS305', severity: 'error', message: 'this is a connection log (a header row from,to,protocol,port,count), not an inventory: give it to replay (--connections, or Replay in the app), and the inventory file here instead', location: { file: 'flows.csv', line: 2, path: 'from' } },
    ]);
  });

  it('say once that a quote in the header row runs over lines, rather than that it is separated by ";" or lacks its columns', () => {
    for (const [text, lines] of [['"name,host,addresses\nweb-1,host-a,10.0.0.1;fd00::1"\n', 2], ['"name,host\nweb-1",host-a\n', 2], ['"name\n\n# note\nweb-1"\n', 4]] as const) {
      const { inventory, diagnostics } = parseInventoryText(text, 'i.csv', 'now');
      expect(inventory).toBeNull();
      expect(diagnostics.map((d) => [d.code, d.location?.line, d.message]), text).toEqual([
        ['MS305', 1, expect.stringMatching(new RegExp(`^a quote in the header row closes only on line ${lines}, so lines 1 to ${lines} were read as the one column "name.*"; a column name is one line: remove the quote$`))],
      ]);
    }
  });

  it('say the same of a header row separated by tabs (a sheet saved as TSV, named .csv)', () => {
    const { inventory, diagnostics } = parseInventoryText('name\thost\taddresses\nweb-1\thost-a\t10.20.1.11\n', 'i.csv', 'now');
    expect(inventory).toBeNull();
    expect(diagnostics.map((d) => d.message)).toEqual(['the header row "name\\thost\\taddresses" is separated by tabs; separate the columns with commas (save the sheet as CSV with "," as its separator)']);
  });

  it('say of a row with too few or too many cells how many the header wants, and what to do, at the row\'s line', () => {
    const { inventory, diagnostics } = parseInventoryText('name,host,addresses,labels\nweb-1,host-a\nweb-2,host-a,10.0.0.2,tier=web,env=prod\nweb-3,host-a,,\n', 'i.csv', 'now');
    expect(inventory).toBeNull();
    expect(diagnostics).toEqual([
      { code: 'MS308', severity: 'error', message: 'this row has 2 cells, but the header row names 4 columns (name, host, addresses, labels); give every row a cell for each column, an empty one where there is nothing to say (web-1,host-a,,)', location: { file: 'i.csv', line: 2 } },
      { code: 'MS308', severity: 'error', message: 'this row has 5 cells, but the header row names 4 columns (name, host, addresses, labels); separate addresses and labels with ";" (tier=web;env=prod), not commas, quote a cell that holds a comma ("a,b"), or add the column to the header', location: { file: 'i.csv', line: 3 } },
    ]);
  });

  it('refuse one host written in two cases, in both formats: it is one machine, not two tables', () => {
    const message = 'host "NODE-1.example.com" and the earlier "node-1.example.com" differ only in case, and a host name means one machine whatever its case: write it one way';
    expect(parseInventoryText('name,host\na,node-1.example.com\nb,NODE-1.example.com\nc,node-1.example.com\n', 'i.csv', 'now').diagnostics).toEqual([{ code: 'MS309', severity: 'error', message, location: { file: 'i.csv', line: 3, path: 'host' } }]);
    const yaml = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: a, host: node-1.example.com }\n  - { name: b, host: NODE-1.example.com }\n';
    expect(parseInventoryText(yaml, 'i.yaml', 'now').diagnostics).toEqual([expect.objectContaining({ code: 'MS309', message, location: expect.objectContaining({ line: 5, path: 'workloads.1.host' }) })]);
  });

  it('say what is wrong with a host name: its length, its first character, or a character it cannot hold', () => {
    const hostError = (host: string): string => parseInventoryText(`name,host\nweb,"${host}"\n`, 'i.csv', 'now').diagnostics[0]!.message;
    expect(hostError('h'.repeat(254))).toBe(`host name "${'h'.repeat(60)}…" (254 characters) is longer than the 253 characters a host name may have`);
    expect(hostError('h'.repeat(100_000))).toBe(`host name "${'h'.repeat(60)}…" (100,000 characters) is longer than the 253 characters a host name may have`);
    expect(hostError('-rf')).toBe('host name "-rf" must start with a letter or digit');
    expect(hostError('h 1')).toBe('host name "h 1" may hold only letters, digits, ".", "-", "_" and ":"');
    expect(parseInventoryText(`name,host\nweb,${'h'.repeat(253)}\n`, 'i.csv', 'now').diagnostics).toEqual([]);
  });

  it('read an empty MAC, or one of only spaces, as no MAC', () => {
    for (const empty of ['', '  ']) {
      const fromYaml = parseInventoryText(yaml(empty), 'i.yaml', 'now');
      const fromCsv = parseInventoryText(csv(empty), 'i.csv', 'now');
      expect([fromYaml.diagnostics, fromCsv.diagnostics], JSON.stringify(empty)).toEqual([[], []]);
      expect(fromYaml.inventory?.workloads[1], JSON.stringify(empty)).not.toHaveProperty('mac');
      expect(fromCsv.inventory?.workloads[1], JSON.stringify(empty)).not.toHaveProperty('mac');
    }
  });

  it('read an optional field left empty, only spaces or bare (null) as absent, in YAML as in CSV', () => {
    const fromCsv = parseInventoryText('name,host,addresses,labels,mac,image,namespace,namespaceLabels,ports,composeService\nweb,n1,10.0.0.1,,,,,,,\napi,n1,10.0.0.2,, , , , , , \n', 'i.csv', 'now');
    expect(fromCsv.diagnostics).toEqual([]);
    const head = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n';
    const fromYaml = parseInventoryText(
      head +
        '  - { name: web, host: n1, addresses: [10.0.0.1], labels: {}, mac: "", image: "", namespace: "", namespaceLabels: {}, ports: [], composeService: "" }\n' +
        '  - name: api\n    host: n1\n    addresses: [10.0.0.2]\n    labels:\n    mac:\n    image: "  "\n    namespace:\n    namespaceLabels:\n    ports:\n    composeService: " "\n',
      'i.yaml',
      'now',
    );
    expect(fromYaml.diagnostics).toEqual([]);
    const fields = (w: Workload): unknown => JSON.parse(JSON.stringify({ ...w, id: undefined, origin: undefined })) as unknown;
    expect(fromYaml.inventory!.workloads.map(fields)).toEqual(fromCsv.inventory!.workloads.map(fields));
    expect(fromYaml.inventory!.workloads.map(fields)).toEqual([
      { name: 'web', host: 'n1', addresses: ['10.0.0.1'], labels: {} },
      { name: 'api', host: 'n1', addresses: ['10.0.0.2'], labels: {} },
    ]);

    // An inventory of no workloads may be written either way.
    expect(parseInventoryText(`${head.replace('workloads:\n', 'workloads:')}\n`, 'i.yaml', 'now')).toMatchObject({ inventory: { workloads: [] }, diagnostics: [] });
    // A port whose name is left empty is a port without a name, in both formats.
    expect(parseInventoryText(`${head}  - { name: web, host: n1, ports: [{ name: "", port: 80 }] }\n`, 'i.yaml', 'now').inventory?.workloads[0]?.ports).toEqual([{ port: 80, protocol: 'tcp' }]);
    expect(parseInventoryText('name,host,ports\nweb,n1,=tcp/80\n', 'i.csv', 'now').inventory?.workloads[0]?.ports).toEqual([{ port: 80, protocol: 'tcp' }]);
    // A name or host left bare is as empty as a CSV cell left empty: said as such.
    expect(parseInventoryText(`${head}  - name:\n    host: n1\n`, 'i.yaml', 'now').diagnostics).toEqual([
      expect.objectContaining({ code: 'MS302', message: 'workloads.0.name: name must not be empty or only spaces', location: expect.objectContaining({ line: 4, path: 'workloads.0.name' }) }),
    ]);
  });

  it('check the workloads of the right shape beside one of the wrong shape, in the same run, as a CSV checks every row', () => {
    const text = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: web, host: n1, addresses: [10.0.0.999] }\n  - { name: db, host: n1, adresses: [10.0.0.2] }\n  - { name: web, host: "h 1", addresses: [10.0.0.3], mac: zz }\n';
    expect(parseInventoryText(text, 'i.yaml', 'now').diagnostics.map((d) => [d.code, d.location?.line, d.location?.path])).toEqual([
      ['MS304', 4, 'workloads.0.addresses.0'],
      ['MS302', 5, 'workloads.1.adresses'],
      ['MS303', 6, 'workloads.2.name'],
      ['MS309', 6, 'workloads.2.host'],
      ['MS312', 6, 'workloads.2.mac'],
    ]);
  });

  it('point an unknown key at the key itself, and name a mapping as such', () => {
    const text = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - name: web\n    host: n1\n    adresses: [10.0.0.1]\n    labels: [tier=web]\n';
    expect(parseInventoryText(text, 'i.yaml', 'now').diagnostics.map((d) => [d.message, d.location?.line, d.location?.column])).toEqual([
      ['workloads.0.adresses: "adresses" is no field here; check its spelling, or remove it', 6, 5],
      ['workloads.0.labels: labels must be a mapping (key: value lines)', 7, 13],
    ]);
  });

  it('say how to write a value of the wrong kind that is one slip away: a lone value for a list, a quoted number, no value', () => {
    const text = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: w1, host: h1, addresses: 10.0.0.1, labels: { x: null }, ports: [{ name: http, port: "80", protocol: tcp }] }\n';
    expect(parseInventoryText(text, 'i.yaml', 'now').diagnostics.map((d) => d.message)).toEqual([
      'workloads.0.addresses: addresses must be a list (found "10.0.0.1"); a list of one is written in brackets: addresses: [10.0.0.1]',
      'workloads.0.labels.x: x must be text; it has no value (null): give it one',
      'workloads.0.ports.0.port: port must be a number (found "80"); write it without quotes: port: 80',
    ]);
  });

  it('refuse a MAC the switch would refuse in mod_dl_dst with one code, naming the line and field', () => {
    for (const bad of ['zz:zz', '02:42:0a:00:00', '02:42:0a:00: 00:09']) {
      expect(parseInventoryText(yaml(bad), 'i.yaml', 'now'), bad).toMatchObject({ inventory: null, diagnostics: [{ code: 'MS312', message: `mac "${bad}" of "trap" is not a MAC address such as 02:42:0a:00:00:09`, location: { file: 'i.yaml', line: 8, path: 'workloads.1.mac' } }] });
      expect(parseInventoryText(csv(bad), 'i.csv', 'now'), bad).toMatchObject({ inventory: null, diagnostics: [{ code: 'MS312', message: `mac "${bad}" of "trap" is not a MAC address such as 02:42:0a:00:00:09`, location: { file: 'i.csv', line: 3, path: 'mac' } }] });
    }
  });
});

