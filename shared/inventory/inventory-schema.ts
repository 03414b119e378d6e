import { z } from 'zod';
import { POLICY_API_VERSION } from '../policy/model';
import { filledText } from '../yaml-document';

// The shape of a YAML static inventory, workload by workload (see static-file.ts for the checks
// of meaning both formats share).

// Spaces around a value are no part of it, in YAML as in a CSV cell (spreadsheets pad cells):
// both formats read ` 02:42:0a:00:00:09 ` as that MAC address.
const trimmed = z.string().trim();
// A key given twice would keep one of its values unseen. YAML itself refuses `tier` twice (MS301);
// ` tier` and `tier` are one key once spaces are dropped, so they are refused here.
const labels = z
  .record(z.string(), z.string())
  .superRefine((raw, ctx) => {
    const first = new Map<string, string>();
    for (const key of Object.keys(raw)) {
      const earlier = first.get(key.trim());
      if (earlier !== undefined) ctx.addIssue({ code: 'custom', path: [key], input: key, message: repeatedLabelKey(key.trim(), earlier, key) });
      else first.set(key.trim(), key);
    }
  })
  .pipe(z.record(trimmed, trimmed));

/** A label key given twice, in the words both formats use, quoting both places as written. */
export function repeatedLabelKey(key: string, first: string, second: string): string {
  return `label key ${JSON.stringify(key)} is given twice (${JSON.stringify(first)} and ${JSON.stringify(second)}); a workload has one value per key, so give it once`;
}

/**
 * An optional field left empty is absent, as an empty CSV cell is (a CSV row cannot leave a
 * column out): `image: ""`, `namespace: "  "` and YAML's bare `namespace:` (null) are no image
 * and no namespace, not an image "" that `image: '*'` would match or a namespace refused as a name.
 */
function absentWhenEmpty<T extends z.ZodType>(schema: T): z.ZodPreprocess<z.ZodOptional<T>> {
  return z.preprocess(emptyAsAbsent, schema.optional());
}

/** As `absentWhenEmpty`, for a field whose absence means an empty list or map. */
function emptyWhenAbsent<T extends z.ZodType>(schema: T, empty: z.util.NoUndefined<z.core.output<T>>): z.ZodPreprocess<z.ZodDefault<T>> {
  return z.preprocess(emptyAsAbsent, schema.default(empty));
}

function emptyAsAbsent(value: unknown): unknown {
  return value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;
}

// A bare `name:` is null: say it is empty, as a CSV's empty cell is said, rather than "must be text".
const requiredText = (field: string): z.ZodPreprocess<z.ZodString> => z.preprocess((value) => (value === null ? '' : value), filledText(field, trimmed));

const PORT_RANGE = 'port must be a whole number from 1 to 65535';

const workloadSchema = z.strictObject({
  name: requiredText('name'),
  host: requiredText('host'),
  addresses: emptyWhenAbsent(z.array(trimmed), []),
  mac: absentWhenEmpty(trimmed),
  switchPort: absentWhenEmpty(trimmed),
  labels: emptyWhenAbsent(labels, {}),
  image: absentWhenEmpty(trimmed),
  namespace: absentWhenEmpty(trimmed),
  namespaceLabels: absentWhenEmpty(labels),
  ports: absentWhenEmpty(
    z.array(
      z.strictObject({
        name: absentWhenEmpty(trimmed),
        port: z.number().int().min(1, { error: PORT_RANGE }).max(65535, { error: PORT_RANGE }),
        // Any case, as a CSV `TCP/80` is read: the two formats take the same values.
        protocol: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['tcp', 'udp', 'sctp'])).default('tcp'),
      }),
    ),
  ),
  composeService: absentWhenEmpty(trimmed),
});

/** A static inventory file in YAML; parsing it is the shape check (MS302). */
export const inventoryFileSchema = z.strictObject({
  apiVersion: z.literal(POLICY_API_VERSION),
  kind: z.literal('Inventory'),
  // `workloads:` with nothing after it is an inventory of none, as `workloads: []` is.
  workloads: z.preprocess((v) => (v === null ? [] : v), z.array(workloadSchema)),
});

/** One workload as both formats give it to the checks they share. */
export type StaticWorkload = z.infer<typeof workloadSchema>;

/**
 * The workload's shape read field by field: a field of the wrong shape is taken as absent (empty
 * where the checks need a value), so the fields of the right shape are checked for meaning even
 * in a workload with a wrong one. Unknown fields are passed over; the shape check names them.
 */
const fieldByFieldSchema = z.object({
  name: workloadSchema.shape.name.catch(''),
  host: workloadSchema.shape.host.catch(''),
  addresses: workloadSchema.shape.addresses.catch([]),
  mac: workloadSchema.shape.mac.catch(undefined),
  switchPort: workloadSchema.shape.switchPort.catch(undefined),
  labels: workloadSchema.shape.labels.catch({}),
  image: workloadSchema.shape.image.catch(undefined),
  namespace: workloadSchema.shape.namespace.catch(undefined),
  namespaceLabels: workloadSchema.shape.namespaceLabels.catch(undefined),
  ports: workloadSchema.shape.ports.catch(undefined),
  composeService: workloadSchema.shape.composeService.catch(undefined),
});

/**
 * The workloads of a file whose shape is wrong somewhere, with their index in the file, each
 * read as far as its fields are of the right shape: their addresses, names and labels are still
 * checked in the same run, as a CSV's cells are, so every error of the file shows at once rather
 * than a round later. A workload that is no mapping gives none, and so does a `workloads` that is no list.
 */
export function workloadsAsFarAsShaped(document: unknown): { index: number; workload: StaticWorkload }[] {
  const workloads = typeof document === 'object' && document !== null ? (document as Record<string, unknown>).workloads : undefined;
  if (!Array.isArray(workloads)) return [];
  return workloads.flatMap((raw, index) => {
    const read = fieldByFieldSchema.safeParse(raw);
    return read.success ? [{ index, workload: read.data }] : [];
  });
}
