import { describe, expect, it } from 'vitest';
import { parseFlowText } from '../simulator/flow-parser';
import { loadHostTables } from '../simulator/path';
import { guardedPortsInDump, portGuardsLost, portGuardsLostBetween, portGuardsLostToDump } from '../simulator/port-guards';
import { groupByTable } from '../simulator/simulate';
import type { Inventory, Workload } from '../inventory/model';
import { emptyPolicy } from '../policy/model';
import { compilePolicy } from './compile';
import { isCookieOfKind } from './pipeline';
import { guardedPortsOf, portList } from './port-guard-loss';

const workload = (name: string, address: string, switchPort?: string): Workload => ({
  id: `static:t/${name}`,
  name,
  host: 'h1',
  addresses: [address],
  labels: {},
  ...(switchPort ? { switchPort } : {}),
  origin: { kind: 'static', source: 't' },
});

const tableOf = (workloads: Workload[]): ReturnType<typeof compilePolicy>['hosts'][number]['flows'] => {
  const inventory: Inventory = { readAt: 'x', workloads };
  return compilePolicy(emptyPolicy('t'), inventory).hosts.find((h) => h.host === 'h1')!.flows;
};

// As `ovs-ofctl --no-stats --names dump-flows` prints a guarded host's flows.
const DUMPED = [
  'cookie=0x4d53070000000000, priority=310,udp,in_port="veth-web1",tp_src=68,tp_dst=67 actions=NORMAL',
  'cookie=0x4d53070000000000, priority=300,ip,in_port="veth-web1",nw_src=10.0.0.1 actions=ct(table=10,zone=1)',
  'cookie=0x4d53070000000000, priority=290,in_port="veth-web1" actions=drop',
  'cookie=0x4D53070000000000, priority=290,in_port=veth_db1 actions=drop',
  'cookie=0x4d53000000000000, priority=100,arp actions=NORMAL',
  // Another kind of ours with an in_port, and someone else's guard: neither is our spoof guard.
  'cookie=0x4d53020000000001, table=20, priority=1000,in_port="veth-x" actions=drop',
  'cookie=0x7, priority=290,in_port="veth-y" actions=drop',
];

describe('isCookieOfKind', () => {
  it('reads our cookies as we write them and as ovs-ofctl prints them, and nobody else\'s', () => {
    expect(isCookieOfKind('0x4d53070000000000', 'port-guard')).toBe(true);
    expect(isCookieOfKind('0x4D5307000000002a', 'port-guard')).toBe(true);
    expect(isCookieOfKind('0x4d53020000000001', 'port-guard')).toBe(false);
    expect(isCookieOfKind('0x7', 'port-guard')).toBe(false);
    expect(isCookieOfKind('0x4d5307', 'port-guard')).toBe(false);
    expect(isCookieOfKind('cookie', 'port-guard')).toBe(false);
  });
});

describe('port guards a deploy would take away', () => {
  it('finds the guarded ports of a dump, quoted or not, and of a compiled table', () => {
    expect(guardedPortsInDump(DUMPED)).toEqual(['veth-web1', 'veth_db1']);
    expect(guardedPortsOf(tableOf([workload('web1', '10.0.0.1', 'veth-web1'), workload('db1', '10.0.0.3')]))).toEqual(['veth-web1']);
    expect(guardedPortsInDump(['', 'NXST_FLOW reply (xid=0x4):'])).toEqual([]);
  });

  it('names each port guarded now that the new table leaves unguarded, and none it still guards', () => {
    const withoutPorts = tableOf([workload('web1', '10.0.0.1'), workload('db1', '10.0.0.3')]);
    expect(portGuardsLost(DUMPED, withoutPorts)).toEqual(['veth-web1', 'veth_db1']);

    // A guard kept with another address is still a guard.
    const webMoved = tableOf([workload('web1', '10.0.0.9', 'veth-web1'), workload('db1', '10.0.0.3')]);
    expect(portGuardsLost(DUMPED, webMoved)).toEqual(['veth_db1']);
    expect(portGuardsLost([], withoutPorts)).toEqual([]);
  });

  it('names each port guarded now that a backup to restore leaves unguarded', () => {
    // A backup from before the guard was deployed: our flows then, none of them a guard.
    const before = DUMPED.filter((l) => !l.includes('0x4d5307') && !l.includes('0x4D5307'));
    expect(portGuardsLostToDump(DUMPED, before)).toEqual(['veth-web1', 'veth_db1']);
    expect(portGuardsLostToDump(DUMPED, [...before, DUMPED[3]!])).toEqual(['veth-web1']);
    expect(portGuardsLostToDump(DUMPED, DUMPED)).toEqual([]);
    expect(portGuardsLostToDump(before, [])).toEqual([]);
  });

  it('reads the same losses from the tables the impact compares, host by host', () => {
    const dumped = groupByTable(parseFlowText(DUMPED.join('\n'), 'h1:br0').flows);
    const inventory: Inventory = { readAt: 'x', workloads: [workload('web1', '10.0.0.9', 'veth-web1'), workload('db1', '10.0.0.3')] };
    const drawing = loadHostTables(compilePolicy(emptyPolicy('t'), inventory).hosts);
    expect(portGuardsLostBetween(new Map([['h1', dumped]]), drawing, ['h1', 'h2'])).toEqual([{ host: 'h1', ports: ['veth_db1'] }]);
    expect(portGuardsLostBetween(drawing, drawing, ['h1'])).toEqual([]);
  });

  it('says a list of ports as a sentence does', () => {
    expect(portList(['a'])).toBe('a');
    expect(portList(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
