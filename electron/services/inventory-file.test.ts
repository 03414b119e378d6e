import { describe, expect, it } from 'vitest';
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

  it('rejects unknown columns, missing names and broken quoting with the line', () => {
    expect(parseInventoryText('name,hots\nx,y\n', 'a.csv', 'now').diagnostics.map((d) => d.code)).toContain('MS305');
    expect(parseInventoryText('name,host\n,y\n', 'a.csv', 'now').diagnostics[0]).toMatchObject({ code: 'MS306', location: { line: 2, path: 'name' } });
    expect(parseInventoryText('name,host\n"x,y\n', 'a.csv', 'now').diagnostics[0]).toMatchObject({ code: 'MS308' });
  });

  it('still reads YAML inventories', () => {
    const yaml = 'apiVersion: microseg.dev/v1\nkind: Inventory\nworkloads:\n  - { name: a, host: h, addresses: [10.0.0.1] }\n';
    expect(parseInventoryText(yaml, 'inv.yaml', 'now').inventory?.workloads).toHaveLength(1);
  });
});
