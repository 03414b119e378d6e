import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiResponse, AppInfo, ExampleProject, RequestArgs, RequestChannel, RequestResult } from '@shared/api/contract';
import { isRequestChannel } from '@shared/api/contract';
import { typedPathProblem } from '@shared/files/typed-path';
import type { Services } from '../services/services';
import { parseInventoryText } from '../services/inventory-file';
import { withSharedSwitches } from '../services/host-targets';
import { importClusterNetworkPolicies } from '../services/kubernetes/cluster-network-policies';
import { exportNetworkPolicyFiles, importNetworkPolicyFiles } from '../services/network-policy-files';
import { ServiceError, toErrorData } from '../services/service-error';
import { REQUEST_SCHEMAS } from './request-schemas';

/** Native dialogs, which only the Electron door has. */
export interface DialogProvider {
  open(title: string, extensions: string[], folder: boolean): Promise<string | null>;
  save(title: string, extensions: string[], defaultPath?: string): Promise<string | null>;
}

export type Handlers = { [C in RequestChannel]: (args: RequestArgs<C>) => Promise<RequestResult<C>> };

/** Binds every request channel to a service call. The doors add transport, never logic. */
export function createHandlers(services: Services, info: AppInfo, dialogs?: DialogProvider): Handlers {
  return {
    'app:info': () => Promise.resolve(info),
    'examples:list': () => listExamples(services.paths.examplesDir),
    'file:read': ({ path }) => services.files.read(path),
    'file:write': ({ path, text }) => {
      // The UI's doors never mean the folder the service was started in (see typed-path.ts).
      const problem = path.trim() === '' ? 'no file path given' : typedPathProblem(path, info.homeDir);
      if (problem !== null) return Promise.reject(new ServiceError('bad-request', `Nothing was written: ${problem}.`));
      return services.files.write(path, text);
    },
    'dialog:open': async ({ title, extensions, folder }) => (dialogs ? dialogs.open(title, extensions, folder ?? false) : null),
    'dialog:save': async ({ title, extensions, defaultPath }) => (dialogs ? dialogs.save(title, extensions, defaultPath) : null),
    'inventory:sources': () => services.inventory.sources(),
    'inventory:load': ({ sourceId }) => services.inventory.load(sourceId),
    'inventory:close': ({ sourceId }) => services.inventory.close(sourceId),
    'inventory:check': ({ path, text }) => {
      const parsed = parseInventoryText(text, path, new Date().toISOString());
      return Promise.resolve({ diagnostics: parsed.diagnostics, workloads: parsed.inventory?.workloads.length ?? 0 });
    },
    'policy:compile': ({ policy, inventory }) => Promise.resolve(services.compile.compile(policy, inventory)),
    'policy:hostTable': ({ compileId, host }) => Promise.resolve(services.compile.hostTable(compileId, host)),
    'trace:simulate': ({ compileId, from, to, packet, state }) => Promise.resolve(services.compile.trace(compileId, from, to, packet, state)),
    'hosts:list': async () => withSharedSwitches(await services.hosts.list()),
    'hosts:save': async ({ target, base }) => withSharedSwitches(await services.hosts.save(target, base)),
    'hosts:remove': async ({ host, base }) => withSharedSwitches(await services.hosts.remove(host, base)),
    'deploy:start': ({ policy, inventory, hosts, removePortGuards }) => services.deploy.start(policy, inventory, hosts, removePortGuards),
    // Through then: an unknown or ended deploy is a rejection, as for every other request, not a throw.
    'deploy:cancel': ({ deployId }) => Promise.resolve().then(() => services.deploy.cancel(deployId)),
    'deploy:status': () => services.deploy.status(),
    'deploy:rollbackPreview': ({ host, stopId }) => services.stops.run(stopId, (stop) => services.deploy.rollbackPreview(host, stop)),
    'deploy:rollback': ({ host, removePortGuards, stopId }) => services.stops.run(stopId, (stop) => services.deploy.rollback(host, removePortGuards, stop)),
    'hosts:containerPorts': ({ host, stopId }) => services.stops.run(stopId, (stop) => services.containerPorts.read(host, stop)),
    'trace:switch': ({ host, packet, state, stopId }) => services.stops.run(stopId, (stop) => services.switchTrace.trace(host, packet, state, stop)),
    'work:stop': ({ stopId }) => Promise.resolve(services.stops.stop(stopId)),
    'analysis:matrix': ({ policy, inventory, stopId }) => services.stops.run(stopId, (stop) => services.analysis.matrix(policy, inventory, stop, stopId)),
    'analysis:impact': ({ policy, inventory, against, stopId }) =>
      services.stops.run(stopId, (stop) =>
        services.stops.run(against.kind === 'deployed' ? against.stopId : undefined, (readStop) => services.analysis.impact(policy, inventory, against, stop, stopId, readStop)),
      ),
    'analysis:replay': ({ policy, inventory, path, stopId }) => services.stops.run(stopId, (stop) => services.analysis.replay(policy, inventory, path, stop, stopId)),
    'kubernetes:import': ({ from }) => (from.kind === 'files' ? importNetworkPolicyFiles(from.paths) : importClusterNetworkPolicies(from.context)),
    'kubernetes:export': ({ policy, inventory, folder }) => exportNetworkPolicyFiles(policy, inventory, folder),
  };
}

/**
 * The one entry point both transports call: checks the channel and the payload, runs the
 * handler, and turns any failure into data. Never throws.
 */
export async function dispatch(handlers: Handlers, channel: unknown, rawArgs: unknown): Promise<ApiResponse<unknown>> {
  try {
    if (!isRequestChannel(channel)) throw new ServiceError('bad-request', `Unknown request "${String(channel)}".`);
    const parsed = REQUEST_SCHEMAS[channel].safeParse(rawArgs);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new ServiceError('bad-request', `Invalid request ${channel}: ${first ? `${first.path.join('.') || 'payload'}: ${first.message}` : 'bad payload'}.`);
    }
    const handler = handlers[channel] as (args: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: toErrorData(error) };
  }
}

/**
 * The example folders the app can open: a policy with its inventory. Others (kubernetes-shop holds
 * NetworkPolicy to import, not a policy) would only fail to open; their inventories stay listed as sources.
 */
async function listExamples(dir: string): Promise<ExampleProject[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);
  const examples = await Promise.all(
    names.sort().map(async (name): Promise<ExampleProject | null> => {
      const policyPath = join(dir, name, 'policy.yaml');
      const inventoryPath = join(dir, name, 'inventory.yaml');
      if (!(await exists(policyPath)) || !(await exists(inventoryPath))) return null;
      const log = join(dir, name, 'connections.csv');
      return {
        name,
        description: name === 'three-tier-shop' ? 'A web shop: web, app and db tiers on two hosts' : name,
        policyPath,
        inventoryPath,
        ...((await exists(log)) ? { connectionLogPath: log } : {}),
      };
    }),
  );
  return examples.filter((example) => example !== null);
}
