import { useInventoryStore } from '../stores/inventory-store';

/*
 * The hosts whose switch ports the user read, kept in local storage so that a reload or a new
 * window of the app reads them again with their Docker inventory: without its ports a compile
 * has no spoof guard, and a deploy would take the guard away (it asks first; see DeployConfirm).
 * Host names only, never ports: ports always come from the switch at the time of the inventory.
 */

const PORT_HOSTS_KEY = 'microseg.portHosts';
/** More than any estate has hosts: a corrupted entry cannot make startup read thousands of them. */
const MAX_HOSTS = 1000;

/** Puts the remembered hosts in the store before the sources open, and remembers them from then on. */
export function rememberPortHosts(): void {
  useInventoryStore.setState({ portHosts: readRemembered() });
  useInventoryStore.subscribe((state, before) => {
    if (state.portHosts !== before.portHosts) localStorage.setItem(PORT_HOSTS_KEY, JSON.stringify(state.portHosts));
  });
}

function readRemembered(): string[] {
  const text = localStorage.getItem(PORT_HOSTS_KEY);
  if (text === null) return [];
  try {
    const hosts: unknown = JSON.parse(text);
    if (!Array.isArray(hosts)) return [];
    return [...new Set(hosts.filter((h): h is string => typeof h === 'string' && h !== '' && h.length <= 253))].sort().slice(0, MAX_HOSTS);
  } catch {
    return [];
  }
}
