import type { ApiResponse, HostContainerPorts, InventoryLoad, RequestChannel } from '@shared/api/contract';
import type { Inventory } from '@shared/inventory/model';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { request } from '../api/request';
import { useInventoryStore } from './inventory-store';

// Switch ports read from a host never outlive the Docker inventory they were read with: each
// read of the inventory reads them again, and a read that fails leaves the containers unbound.

const answers: Partial<Record<RequestChannel, ApiResponse<unknown>[]>> = {};
vi.mock('../api/request', () => ({ request: vi.fn(async (channel: RequestChannel) => Promise.resolve(answers[channel]?.shift())) }));

const answer = (channel: RequestChannel, response: ApiResponse<unknown>): void => void (answers[channel] ??= []).push(response);

const docker = (readAt: string): Inventory => ({
  readAt,
  workloads: [{ id: 'docker:lab/web1', name: 'web1', host: 'h1', addresses: ['10.0.0.1'], labels: {}, origin: { kind: 'docker', source: 'lab' } }],
});
const load = (inventory: Inventory): ApiResponse<InventoryLoad> => ({ ok: true, value: { sourceId: 'docker:lab', inventory, diagnostics: [] } });
const read = (port: string): HostContainerPorts => ({ host: 'h1', ports: [{ port, container: 'web1' }], skipped: [] });
const ports = (port: string): ApiResponse<HostContainerPorts> => ({ ok: true, value: read(port) });

const portOfWeb1 = (): string | undefined => useInventoryStore.getState().inventory?.workloads[0]?.switchPort;
const portReads = (): number => vi.mocked(request).mock.calls.filter(([channel]) => channel === 'hosts:containerPorts').length;
/** Lets the reads started in the background answer. */
const settle = async (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('switch ports read from a host', () => {
  beforeEach(() => {
    vi.mocked(request).mockClear();
    useInventoryStore.setState({ sources: [], open: [], inventory: null, containerPorts: new Map(), portReads: {}, portHosts: [] });
  });

  it('bind the containers when the user reads them, and the host is remembered for the next read of its inventory', async () => {
    answer('inventory:load', load(docker('t1')));
    await useInventoryStore.getState().openSource('docker:lab');
    await settle();
    expect(portReads()).toBe(0);

    answer('hosts:containerPorts', ports('veth-a'));
    await useInventoryStore.getState().readContainerPorts('h1');
    expect(portOfWeb1()).toBe('veth-a');
    expect(useInventoryStore.getState().portHosts).toEqual(['h1']);
    expect(useInventoryStore.getState().portReads['h1']).toMatchObject({ status: 'read', automatic: false });
  });

  it('are read again with the inventory after a reload, and a container made again gets its new port, never the old one', async () => {
    // After a reload: the host is remembered, no port is.
    useInventoryStore.setState({ portHosts: ['h1'] });
    answer('inventory:load', load(docker('t1')));
    answer('hosts:containerPorts', ports('veth-a'));
    await useInventoryStore.getState().openSource('docker:lab');
    await settle();
    expect(portOfWeb1()).toBe('veth-a');
    expect(useInventoryStore.getState().portReads['h1']).toMatchObject({ status: 'read', automatic: true });

    // Refreshed: web1 was made again behind another port. Until the switch answers, web1 has none.
    let answerPorts: (r: ApiResponse<HostContainerPorts>) => void = () => undefined;
    vi.mocked(request).mockImplementationOnce(async () => Promise.resolve(load(docker('t2'))));
    vi.mocked(request).mockImplementationOnce(async () => new Promise((resolve) => (answerPorts = resolve)));
    await useInventoryStore.getState().openSource('docker:lab');
    expect(useInventoryStore.getState().inventory?.readAt).toBe('t2');
    expect(portOfWeb1()).toBeUndefined();
    expect(useInventoryStore.getState().portReads['h1']).toMatchObject({ status: 'reading', automatic: true });
    answerPorts(ports('veth-b'));
    await settle();
    expect(portOfWeb1()).toBe('veth-b');
  });

  it("are stopped by the row's Stop, which names the read's own id; a stopped read says so, without a notice, and keeps the ports read before", async () => {
    useInventoryStore.setState({ containerPorts: new Map([['h1', read('veth-a')]]) });
    answer('hosts:containerPorts', { ok: false, error: { code: 'stopped', message: 'The read of the switch ports on h1 was stopped before the switch answered.' } });
    const reading = useInventoryStore.getState().readContainerPorts('h1');

    useInventoryStore.getState().stopPortRead('h1');
    await reading;

    const calls = vi.mocked(request).mock.calls;
    expect(calls.map(([channel]) => channel)).toEqual(['hosts:containerPorts', 'work:stop']);
    const [[, asked, options], [, stop]] = calls as unknown as [[string, { stopId: string }, { handles: (e: { code: string }) => boolean }], [string, { stopId: string }]];
    expect(stop.stopId).toBe(asked.stopId);
    expect(options.handles({ code: 'stopped' })).toBe(true);
    expect(useInventoryStore.getState().portReads['h1']).toMatchObject({ status: 'stopped', automatic: false, message: 'The read of the switch ports on h1 was stopped before the switch answered.' });
    expect(useInventoryStore.getState().containerPorts.get('h1')).toEqual(read('veth-a'));
  });

  it('leave the containers unbound, and say why, when the read with the inventory fails', async () => {
    useInventoryStore.setState({ portHosts: ['h1'], containerPorts: new Map([['h1', read('veth-a')]]) });
    answer('inventory:load', load(docker('t2')));
    answer('hosts:containerPorts', { ok: false, error: { code: 'ssh-failed', message: 'Timed out while waiting for handshake.' } });
    await useInventoryStore.getState().openSource('docker:lab');
    await settle();
    expect(portOfWeb1()).toBeUndefined();
    expect(useInventoryStore.getState().portReads['h1']).toMatchObject({ status: 'failed', automatic: true, message: 'Timed out while waiting for handshake.' });
    // The user may try again; the failed read is still a remembered host.
    expect(useInventoryStore.getState().portHosts).toEqual(['h1']);
  });

  it('are not read for a source without Docker containers on a remembered host', async () => {
    useInventoryStore.setState({ portHosts: ['h2'] });
    answer('inventory:load', load(docker('t1')));
    await useInventoryStore.getState().openSource('docker:lab');
    await settle();
    expect(portReads()).toBe(0);
  });

  it('are no longer read once the user stops reading the host: forgotten, unbound, a read in flight dropped', async () => {
    answer('inventory:load', load(docker('t1')));
    answer('hosts:containerPorts', ports('veth-a'));
    useInventoryStore.setState({ portHosts: ['h1'] });
    await useInventoryStore.getState().openSource('docker:lab');
    await settle();
    expect(portOfWeb1()).toBe('veth-a');

    // A read the user started, still on its way when they stop reading the host.
    let answerPorts: (r: ApiResponse<HostContainerPorts>) => void = () => undefined;
    vi.mocked(request).mockImplementationOnce(async () => new Promise((resolve) => (answerPorts = resolve)));
    const reading = useInventoryStore.getState().readContainerPorts('h1');
    useInventoryStore.getState().forgetPortHost('h1');
    answerPorts(ports('veth-b'));
    await reading;
    expect(portOfWeb1()).toBeUndefined();
    expect(useInventoryStore.getState().portHosts).toEqual([]);
    expect(useInventoryStore.getState().portReads['h1']).toBeUndefined();

    const before = portReads();
    answer('inventory:load', load(docker('t2')));
    await useInventoryStore.getState().openSource('docker:lab');
    await settle();
    expect(portReads()).toBe(before);
  });
});

describe('a source read again that fails', () => {
  beforeEach(() => {
    vi.mocked(request).mockClear();
    useInventoryStore.setState({ sources: [], open: [], inventory: null, containerPorts: new Map(), portReads: {}, portHosts: [] });
  });

  const file = (readAt: string): Inventory => ({
    readAt,
    workloads: [{ id: 'static:/srv/vms.csv/web-1', name: 'web-1', host: 'h1', addresses: ['10.0.0.1'], labels: {}, origin: { kind: 'static', source: '/srv/vms.csv', entry: { line: 2 } } }],
  });
  const broken: ApiResponse<InventoryLoad> = { ok: false, error: { code: 'bad-request', message: 'Inventory file /srv/vms.csv has errors, so nothing of this read is used; fix them (below) and read it again.' } };

  it('keeps the workloads it gave before, with the failure, so a compile does not lose them; a first read that fails gives none', async () => {
    answer('inventory:load', { ok: true, value: { sourceId: 'static:/srv/vms.csv', inventory: file('t1'), diagnostics: [] } });
    await useInventoryStore.getState().openSource('static:/srv/vms.csv');
    answer('inventory:load', broken);
    await useInventoryStore.getState().openSource('static:/srv/vms.csv');

    const [source] = useInventoryStore.getState().open;
    expect(source).toMatchObject({ status: 'failed', failure: { message: 'Inventory file /srv/vms.csv has errors, so nothing of this read is used; fix them (below) and read it again.' }, inventory: file('t1') });
    expect(useInventoryStore.getState().inventory?.workloads.map((w) => w.name)).toEqual(['web-1']);

    answer('inventory:load', broken);
    await useInventoryStore.getState().openSource('static:/srv/other.csv');
    expect(useInventoryStore.getState().open[1]).toMatchObject({ status: 'failed', inventory: null });
    expect(useInventoryStore.getState().inventory?.workloads.map((w) => w.name)).toEqual(['web-1']);
  });
});

describe('two Kubernetes contexts of one cluster', () => {
  beforeEach(() => {
    vi.mocked(request).mockClear();
    useInventoryStore.setState({ sources: [], open: [], inventory: null, containerPorts: new Map(), portReads: {}, portHosts: [] });
  });

  const CLUSTER = { server: 'https://127.0.0.1:6443' };
  const pods = (context: string): Inventory => ({
    readAt: 't1',
    workloads: ['web-1', 'db-0'].map((name) => ({ id: `kubernetes:${context}/shop/${name}`, name, namespace: 'shop', host: 'node-a', addresses: [`10.244.0.${name.length}`], labels: {}, origin: { kind: 'kubernetes' as const, source: context } })),
  });
  const opened = (context: string, cluster = CLUSTER): ApiResponse<InventoryLoad> => ({ ok: true, value: { sourceId: `kubernetes:${context}`, inventory: pods(context), diagnostics: [], cluster } });
  const listed = (): string[] => useInventoryStore.getState().inventory?.workloads.map((w) => w.id) ?? [];

  it('list its pods once, under the context opened first, and under the other once that one is closed', async () => {
    answer('inventory:load', opened('admin'));
    await useInventoryStore.getState().openSource('kubernetes:admin');
    answer('inventory:load', opened('admin-ops'));
    await useInventoryStore.getState().openSource('kubernetes:admin-ops');
    expect(listed()).toEqual(['kubernetes:admin/shop/web-1', 'kubernetes:admin/shop/db-0']);

    answer('inventory:close', { ok: true, value: undefined });
    await useInventoryStore.getState().closeSource('kubernetes:admin');
    expect(listed()).toEqual(['kubernetes:admin-ops/shop/web-1', 'kubernetes:admin-ops/shop/db-0']);
  });

  it('list the pods of another cluster beside them', async () => {
    answer('inventory:load', opened('admin'));
    await useInventoryStore.getState().openSource('kubernetes:admin');
    answer('inventory:load', opened('stage', { server: 'https://127.0.0.1:7443' }));
    await useInventoryStore.getState().openSource('kubernetes:stage');
    expect(listed()).toHaveLength(4);
  });
});
