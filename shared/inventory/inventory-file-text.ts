import { stringify } from 'yaml';
import { POLICY_API_VERSION } from '../policy/model';
import { INVENTORY_COLUMNS } from './static-file';
import type { Workload, WorkloadPort } from './model';

/*
 * Workloads written out as a static inventory file, for a file that is gone while its workloads
 * are still open (deleted or moved after it was read): saving them writes the file anew.
 */

/**
 * The workloads as the text of an inventory file in `format`, which reads back as the same
 * workloads (where they came from aside). Deterministic.
 */
export function inventoryFileText(workloads: readonly Workload[], format: 'yaml' | 'csv'): string {
  return format === 'csv' ? csvText(workloads) : yamlText(workloads);
}

function yamlText(workloads: readonly Workload[]): string {
  const entries = workloads.map((w) => ({
    name: w.name,
    host: w.host,
    addresses: w.addresses,
    ...(w.mac === undefined ? {} : { mac: w.mac }),
    ...(w.switchPort === undefined ? {} : { switchPort: w.switchPort }),
    labels: w.labels,
    ...(w.image === undefined ? {} : { image: w.image }),
    ...(w.namespace === undefined ? {} : { namespace: w.namespace }),
    ...(w.namespaceLabels === undefined ? {} : { namespaceLabels: w.namespaceLabels }),
    ...(w.ports === undefined ? {} : { ports: w.ports }),
    ...(w.composeService === undefined ? {} : { composeService: w.composeService }),
  }));
  return stringify({ apiVersion: POLICY_API_VERSION, kind: 'Inventory', workloads: entries }, { lineWidth: 0 });
}

function csvText(workloads: readonly Workload[]): string {
  const rows = workloads.map((w) =>
    INVENTORY_COLUMNS.map((column) => {
      switch (column) {
        case 'addresses':
          return w.addresses.join(';');
        case 'labels':
          return labelsCell(w.labels);
        case 'namespaceLabels':
          return labelsCell(w.namespaceLabels ?? {});
        case 'ports':
          return (w.ports ?? []).map(portCell).join(';');
        default:
          return w[column] ?? '';
      }
    }),
  );
  return [[...INVENTORY_COLUMNS], ...rows].map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n';
}

function labelsCell(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(';');
}

function portCell(port: WorkloadPort): string {
  return `${port.name === undefined ? '' : `${port.name}=`}${port.protocol}/${port.port}`;
}

/** A cell quoted when it holds what would end it (a comma, a quote, a line break) or begins with `#` (a comment line's mark). */
function csvCell(cell: string): string {
  return /[",\r\n]|^#/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
