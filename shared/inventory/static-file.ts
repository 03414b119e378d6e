import { z } from 'zod';
import type { Diagnostic, SourceLocation } from '../diagnostics';
import { parseCidr } from '../net/address';
import { POLICY_API_VERSION } from '../policy/model';
import { parseLocatedYaml, schemaDiagnostics } from '../yaml-document';
import type { Inventory } from './model';

const fileSchema = z.strictObject({
  apiVersion: z.literal(POLICY_API_VERSION, { error: `apiVersion must be "${POLICY_API_VERSION}"` }),
  kind: z.literal('Inventory', { error: 'kind must be "Inventory"' }),
  workloads: z.array(
    z.strictObject({
      name: z.string().min(1),
      host: z.string().min(1),
      addresses: z.array(z.string()).default([]),
      mac: z.string().regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, { error: 'a MAC address such as 02:42:0a:00:00:09' }).optional(),
      labels: z.record(z.string(), z.string()).default({}),
      image: z.string().optional(),
      namespace: z.string().optional(),
      composeService: z.string().optional(),
    }),
  ),
});

export type InventoryParse = { inventory: Inventory | null; diagnostics: Diagnostic[] };

/**
 * Reads a static inventory file (VMs, bare metal, or a recorded lab): each workload with its
 * host, addresses and labels. `readAt` is supplied by the caller so parsing stays pure.
 */
export function parseInventoryFile(text: string, file: string, readAt: string): InventoryParse {
  const parsed = parseLocatedYaml(text, file, 'MS301');
  if (!parsed.ok) return { inventory: null, diagnostics: parsed.diagnostics };
  const checked = fileSchema.safeParse(parsed.value.doc.toJS());
  if (!checked.success) return { inventory: null, diagnostics: schemaDiagnostics(checked.error, parsed.value, 'MS302') };

  return buildInventory(checked.data.workloads, file, readAt, (i, field) => parsed.value.locate(`workloads.${i}.${field}`));
}

/** One row of a tabular inventory (CSV): its line, and its cells by column name. */
export interface InventoryRow {
  line: number;
  cells: Record<string, string>;
}

export const INVENTORY_COLUMNS = ['name', 'host', 'addresses', 'mac', 'labels', 'image', 'namespace', 'composeService'] as const;

/**
 * Reads a tabular inventory: `addresses` separated by spaces or semicolons, `labels` as
 * `key=value` pairs separated by semicolons. Diagnostics name the line and the column.
 */
export function inventoryFromRows(rows: readonly InventoryRow[], file: string, readAt: string): InventoryParse {
  const diagnostics: Diagnostic[] = [];
  const workloads: StaticWorkload[] = rows.map((row) => {
    const at = (column: string): SourceLocation => ({ file, line: row.line, path: column });
    for (const column of Object.keys(row.cells)) {
      if (!(INVENTORY_COLUMNS as readonly string[]).includes(column)) {
        diagnostics.push({ code: 'MS305', severity: 'error', message: `unknown column "${column}"; columns are ${INVENTORY_COLUMNS.join(', ')}`, location: at(column) });
      }
    }
    for (const required of ['name', 'host'] as const) {
      if (!row.cells[required]?.trim()) diagnostics.push({ code: 'MS306', severity: 'error', message: `column "${required}" is empty`, location: at(required) });
    }
    const labels: Record<string, string> = {};
    for (const pair of splitCell(row.cells.labels ?? '', /;/)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) diagnostics.push({ code: 'MS307', severity: 'error', message: `label "${pair}" must be written key=value`, location: at('labels') });
      else labels[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
    const optional = (column: string): string | undefined => row.cells[column]?.trim() || undefined;
    return {
      name: row.cells.name?.trim() ?? '',
      host: row.cells.host?.trim() ?? '',
      addresses: splitCell(row.cells.addresses ?? '', /[;\s]+/),
      mac: optional('mac'),
      labels,
      image: optional('image'),
      namespace: optional('namespace'),
      composeService: optional('composeService'),
    };
  });
  if (diagnostics.length > 0) return { inventory: null, diagnostics };
  return buildInventory(workloads, file, readAt, (i, field) => ({ file, line: rows[i]?.line, path: field.split('.')[0] }));
}

type StaticWorkload = z.infer<typeof fileSchema>['workloads'][number];

function splitCell(text: string, separator: RegExp): string[] {
  return text
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Checks what both formats share (unique names, real addresses) and builds the workloads. */
function buildInventory(workloads: readonly StaticWorkload[], file: string, readAt: string, locate: (index: number, field: string) => SourceLocation): InventoryParse {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  workloads.forEach((w, i) => {
    if (seen.has(w.name)) {
      diagnostics.push({ code: 'MS303', severity: 'error', message: `workload "${w.name}" is listed twice`, location: locate(i, 'name') });
    }
    seen.add(w.name);
    // Host names become file names and SSH targets: keep them to what a host name can be.
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,252}$/.test(w.host)) {
      diagnostics.push({ code: 'MS309', severity: 'error', message: `host "${w.host}" is not a host name (letters, digits, ".", "-", "_", ":")`, location: locate(i, 'host') });
    }
    w.addresses.forEach((a, j) => {
      const cidr = parseCidr(a);
      if (!cidr || cidr.prefix !== (cidr.family === 4 ? 32 : 128)) {
        diagnostics.push({ code: 'MS304', severity: 'error', message: `"${a}" is not a single IPv4 or IPv6 address`, location: locate(i, `addresses.${j}`) });
      }
    });
  });
  if (diagnostics.length > 0) return { inventory: null, diagnostics };

  return {
    inventory: {
      readAt,
      workloads: workloads.map((w) => ({
        id: `static:${file}/${w.name}`,
        name: w.name,
        host: w.host,
        addresses: w.addresses,
        ...(w.mac ? { mac: w.mac.toLowerCase() } : {}),
        labels: w.labels,
        image: w.image,
        namespace: w.namespace,
        composeService: w.composeService,
        origin: { kind: 'static', source: file },
      })),
    },
    diagnostics,
  };
}
