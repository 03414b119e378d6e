import { z } from 'zod';
import type { Diagnostic } from '../diagnostics';
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

  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  checked.data.workloads.forEach((w, i) => {
    if (seen.has(w.name)) {
      diagnostics.push({ code: 'MS303', severity: 'error', message: `workload "${w.name}" is listed twice`, location: parsed.value.locate(`workloads.${i}.name`) });
    }
    seen.add(w.name);
    w.addresses.forEach((a, j) => {
      const cidr = parseCidr(a);
      if (!cidr || cidr.prefix !== (cidr.family === 4 ? 32 : 128)) {
        diagnostics.push({ code: 'MS304', severity: 'error', message: `"${a}" is not a single IPv4 or IPv6 address`, location: parsed.value.locate(`workloads.${i}.addresses.${j}`) });
      }
    });
  });
  if (diagnostics.length > 0) return { inventory: null, diagnostics };

  return {
    inventory: {
      readAt,
      workloads: checked.data.workloads.map((w) => ({
        id: `static:${file}/${w.name}`,
        name: w.name,
        host: w.host,
        addresses: w.addresses,
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
