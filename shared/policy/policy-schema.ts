import { z } from 'zod';
import { mustBe } from '../text';
import { filledText } from '../yaml-document';
import { DEFAULT_ACTIONS, EDGE_ACTIONS, POLICY_API_VERSION } from './model';

// The shape of a policy file, section by section, so that a file whose shape is wrong in one
// group can still have its other groups and edges checked for meaning (see well-shaped-parts.ts).

/**
 * A label selector is text (`tier=web,env=prod`). A map, as an inventory writes a workload's
 * labels (and NetworkPolicy its matchLabels), is the likeliest slip: the message gives the text
 * it would be.
 */
function selectorText(field: string): z.ZodPipe<z.ZodUnknown, z.ZodTransform<string>> {
  return z.unknown().transform((value, ctx) => {
    if (typeof value === 'string') return value;
    const map = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : undefined;
    const found = typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
    const message = map ? `${field} is a label selector written as text, not a map: ${field}: "${map.map(([k, v]) => `${k}=${String(v)}`).join(',')}"` : mustBe(field, 'text', found);
    ctx.addIssue({ code: 'custom', input: value, message });
    return z.NEVER;
  });
}

const workloadCriteria = {
  labels: selectorText('labels').optional(),
  namespaceLabels: selectorText('namespaceLabels').optional(),
  image: filledText('image').optional(),
  namespace: filledText('namespace').optional(),
  host: filledText('host').optional(),
};

const selectorSchema = z.strictObject({
  ...workloadCriteria,
  cidrs: z.array(z.string()).optional(),
  except: z.array(z.string()).optional(),
  // Workload criteria only: blocks are carved with `except`, and one level of exclusion is enough.
  exclude: z.array(z.strictObject(workloadCriteria)).optional(),
});

const REVISION = 'revision must be a whole number, 0 or more (saving adds one)';
// A larger whole number is one that JavaScript cannot count up by one exactly: saving it would not change it.
const REVISION_TOO_LARGE = `revision may be at most ${Number.MAX_SAFE_INTEGER} (2^53 - 1, the largest whole number counted exactly); lower it (saving adds one)`;

export const metadataSchema = z.strictObject({
  name: filledText('name'),
  // Zod's own words for a number out of range ("Too small: expected number to be >=0") are not ours.
  revision: z
    .number()
    // Stops at a negative number, which the whole-number check would have refused a second time in the same words.
    .min(0, { error: REVISION, abort: true })
    .int({ error: (issue) => (issue.code === 'too_big' ? REVISION_TOO_LARGE : REVISION) })
    .default(0),
});

export const defaultsSchema = z
  .strictObject({
    withinGroup: z.enum(['allow', 'drop']).default('allow'),
    betweenGroups: z.enum(DEFAULT_ACTIONS).default('drop'),
    redirectTo: filledText('redirectTo').optional(),
  })
  .default({ withinGroup: 'allow', betweenGroups: 'drop' });

export const infrastructureSchema = z
  .strictObject({
    dhcp: z.boolean().default(false),
    dnsResolvers: z.array(z.string()).default([]),
  })
  .optional();

export const groupSchema = z.strictObject({
  name: filledText('name'),
  description: z.string().optional(),
  selector: selectorSchema,
  isolated: z.boolean().optional(),
  canvas: z.strictObject({ x: z.number(), y: z.number() }).optional(),
});

export const edgeSchema = z.strictObject({
  id: filledText('id'),
  from: filledText('from'),
  to: filledText('to'),
  // A bare number (`[8080]`) reads as the text it is, so the service check can say what it lacks.
  services: z.array(z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string())).min(1, { error: 'list at least one service, e.g. [tcp/8080]' }),
  action: z.enum(EDGE_ACTIONS).default('allow'),
  redirectTo: filledText('redirectTo').optional(),
  description: z.string().optional(),
});

/** A list that may be left out, or left empty as YAML writes it (`edges:` and nothing after). */
function listOrNone<T extends z.ZodType>(item: T): z.ZodPreprocess<z.ZodDefault<z.ZodArray<T>>> {
  return z.preprocess((v) => (v === null ? undefined : v), z.array(item).default([]));
}

/** A whole policy file; parsing it is the shape check (MS002). */
export const policyFileSchema = z.strictObject({
  apiVersion: z.literal(POLICY_API_VERSION),
  kind: z.literal('Policy'),
  metadata: metadataSchema,
  defaults: defaultsSchema,
  infrastructure: infrastructureSchema,
  groups: listOrNone(groupSchema),
  edges: listOrNone(edgeSchema),
});

export type PolicyFile = z.infer<typeof policyFileSchema>;
