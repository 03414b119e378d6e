import { qualifiedName, type Inventory } from '../inventory/model';
import { EndpointResolver } from './endpoints';

/** One resolver per inventory read: a replay lists up to 200 redirects, and each lookup would go through every workload. */
const resolvers = new WeakMap<Inventory, EndpointResolver>();

/**
 * A honeypot a connection was redirected to, as Trace and Replay say it in the app and on the
 * command line: by its workload's name, as Impact names honeypots, with the address; an address
 * no workload has stays as it is. Deterministic.
 */
export function honeypotLabel(inventory: Inventory, address: string | undefined): string {
  if (address === undefined) return '?';
  let resolver = resolvers.get(inventory);
  if (!resolver) resolvers.set(inventory, (resolver = new EndpointResolver(inventory)));
  const owner = resolver.ownerOf(address);
  return owner ? `${qualifiedName(owner)} (${address})` : address;
}
