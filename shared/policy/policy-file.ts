import { Document, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import { z } from 'zod';
import type { Diagnostic, SourceLocation } from '../diagnostics';
import { hasErrors } from '../diagnostics';
import { filledText, parseLocatedYaml, schemaDiagnostics } from '../yaml-document';
import { DEFAULT_ACTIONS, EDGE_ACTIONS, POLICY_API_VERSION, type Edge, type Group, type Policy, type Service } from './model';
import { formatService, parseService } from './services';
import { validatePolicy } from './validate';

const workloadCriteria = {
  labels: z.string().optional(),
  namespaceLabels: z.string().optional(),
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

const fileSchema = z.strictObject({
  apiVersion: z.literal(POLICY_API_VERSION),
  kind: z.literal('Policy'),
  metadata: z.strictObject({
    name: filledText('name'),
    revision: z.number().int().nonnegative().default(0),
  }),
  defaults: z
    .strictObject({
      withinGroup: z.enum(['allow', 'drop']).default('allow'),
      betweenGroups: z.enum(DEFAULT_ACTIONS).default('drop'),
      redirectTo: filledText('redirectTo').optional(),
    })
    .default({ withinGroup: 'allow', betweenGroups: 'drop' }),
  infrastructure: z
    .strictObject({
      dhcp: z.boolean().default(false),
      dnsResolvers: z.array(z.string()).default([]),
    })
    .optional(),
  groups: z
    .array(
      z.strictObject({
        name: filledText('name'),
        description: z.string().optional(),
        selector: selectorSchema,
        isolated: z.boolean().optional(),
        canvas: z.strictObject({ x: z.number(), y: z.number() }).optional(),
      }),
    )
    .default([]),
  edges: z
    .array(
      z.strictObject({
        id: filledText('id'),
        from: filledText('from'),
        to: filledText('to'),
        services: z.array(z.string()).min(1, { error: 'list at least one service, e.g. [tcp/8080]' }),
        action: z.enum(EDGE_ACTIONS).default('allow'),
        redirectTo: filledText('redirectTo').optional(),
        description: z.string().optional(),
      }),
    )
    .default([]),
});

type PolicyFile = z.infer<typeof fileSchema>;

export type PolicyParse = {
  policy: Policy | null;
  diagnostics: Diagnostic[];
  /** Where a dotted path (`edges.2`) is in the file, for diagnostics found later (a compile's lint); absent when the YAML did not parse. */
  locate?: (path: string) => SourceLocation;
};

/**
 * Reads a policy file. Returns the policy only when there are no errors; every diagnostic
 * carries the file, line and column it refers to.
 */
export function parsePolicyFile(text: string, file: string): PolicyParse {
  const parsed = parseLocatedYaml(text, file, 'MS001');
  if (!parsed.ok) return { policy: null, diagnostics: parsed.diagnostics };
  const located = parsed.value;

  const checked = fileSchema.safeParse(located.value, { reportInput: true });
  if (!checked.success) return { policy: null, diagnostics: schemaDiagnostics(checked.error, located, 'MS002'), locate: (path) => located.locate(path) };

  const diagnostics: Diagnostic[] = [];
  const policy = fromFile(checked.data, (path, message) =>
    diagnostics.push({ code: 'MS114', severity: 'error', message, location: located.locate(path) }),
  );
  const unparsedServices = new Set(diagnostics.map((d) => d.location?.path?.split('.services')[0]));
  for (const d of validatePolicy(policy)) {
    // An edge whose services did not parse is already reported; "no service" would only echo it.
    if (d.code === 'MS113' && unparsedServices.has(d.location?.path?.split('.services')[0])) continue;
    diagnostics.push({ ...d, location: { ...d.location, ...located.locate(d.location?.path ?? '') } });
  }
  return { policy: hasErrors(diagnostics) ? null : policy, diagnostics, locate: (path) => located.locate(path) };
}

/** Writes a policy as readable YAML; deterministic, so saving twice gives identical bytes. */
export function serializePolicy(policy: Policy): string {
  const file: PolicyFile = {
    apiVersion: POLICY_API_VERSION,
    kind: 'Policy',
    metadata: { name: policy.name, revision: policy.revision },
    defaults: policy.defaults,
    ...(policy.infrastructure ? { infrastructure: policy.infrastructure } : {}),
    groups: policy.groups.map(toFileGroup),
    edges: policy.edges.map((e) => ({
      id: e.id,
      from: e.from,
      to: e.to,
      services: e.services.map(formatService),
      action: e.action,
      ...(e.redirectTo ? { redirectTo: e.redirectTo } : {}),
      ...(e.description ? { description: e.description } : {}),
    })),
  };
  const header = '# Microseg Designer policy. Edit here or on the canvas; see README for the format.\n';
  const doc = new Document(file);
  // Short lists and canvas positions read best on one line: `services: [tcp/8080, udp/53]`.
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key)) return;
      const key = String(pair.key.value);
      if (['services', 'cidrs', 'except', 'dnsResolvers'].includes(key) && isSeq(pair.value)) pair.value.flow = true;
      if (key === 'canvas' && isMap(pair.value)) pair.value.flow = true;
      if (key === 'exclude' && isSeq(pair.value)) for (const entry of pair.value.items) if (isMap(entry)) entry.flow = true;
    },
  });
  return header + doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function toFileGroup(g: Group): PolicyFile['groups'][number] {
  return {
    name: g.name,
    ...(g.description ? { description: g.description } : {}),
    selector: g.selector,
    ...(g.isolated ? { isolated: true } : {}),
    ...(g.position ? { canvas: { x: Math.round(g.position.x), y: Math.round(g.position.y) } } : {}),
  };
}

function fromFile(file: PolicyFile, report: (path: string, message: string) => void): Policy {
  const edges: Edge[] = file.edges.map((e, i) => {
    const services: Service[] = [];
    e.services.forEach((text, j) => {
      const parsed = parseService(text);
      if (parsed.ok) services.push(parsed.service);
      else report(`edges.${i}.services.${j}`, parsed.message);
    });
    return { id: e.id, from: e.from, to: e.to, services, action: e.action, redirectTo: e.redirectTo, description: e.description };
  });
  return {
    apiVersion: POLICY_API_VERSION,
    name: file.metadata.name,
    revision: file.metadata.revision,
    defaults: file.defaults,
    infrastructure: file.infrastructure,
    groups: file.groups.map((g) => ({
      name: g.name,
      description: g.description,
      selector: g.selector,
      isolated: g.isolated,
      position: g.canvas,
    })),
    edges,
  };
}
