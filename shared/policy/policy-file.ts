import { Document, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { Diagnostic, SourceLocation } from '../diagnostics';
import { byLine, hasErrors } from '../diagnostics';
import { otherKindDiagnostic, parseLocatedYaml, schemaDiagnostics } from '../yaml-document';
import { POLICY_API_VERSION, type Edge, type Group, type Policy, type Service } from './model';
import { policyFileSchema, type PolicyFile } from './policy-schema';
import type { Renames } from './renames';
import { keepComments } from './kept-comments';
import { formatService, parseService } from './services';
import { validatePolicy } from './validate';
import { wellShapedParts } from './well-shaped-parts';

export type PolicyParse = {
  policy: Policy | null;
  diagnostics: Diagnostic[];
  /** Where a dotted path (`edges.2`) is in the file, for diagnostics found later (a compile's lint); absent when the YAML did not parse. */
  locate?: (path: string) => SourceLocation;
};

/**
 * Reads a policy file. Returns the policy only when there are no errors; every diagnostic
 * carries the file, line and column it refers to. Errors of shape (MS002) do not hide errors
 * of meaning: the groups and edges whose shape is right are checked in the same run.
 */
export function parsePolicyFile(text: string, file: string): PolicyParse {
  const parsed = parseLocatedYaml(text, file, 'MS001');
  if (!parsed.ok) return { policy: null, diagnostics: parsed.diagnostics };
  const located = parsed.value;
  const locate = (path: string): SourceLocation => located.locate(path);

  const swapped = otherKindDiagnostic(located, 'Policy', 'MS002');
  if (swapped) return { policy: null, diagnostics: [swapped], locate };
  const checked = policyFileSchema.safeParse(located.value, { reportInput: true });
  if (!checked.success) {
    const shape = schemaDiagnostics(checked.error, located, 'MS002');
    const parts = wellShapedParts(located.value);
    const meaning = parts ? checkMeaning(parts.file, locate).diagnostics.filter((d) => parts.sound(d)) : [];
    return { policy: null, diagnostics: byLine([...shape, ...meaning]), locate };
  }

  const { policy, diagnostics } = checkMeaning(checked.data, locate);
  return { policy: hasErrors(diagnostics) ? null : policy, diagnostics, locate };
}

/** The policy a well-shaped file describes, and its errors of meaning (MS1xx), located in the file. */
function checkMeaning(file: PolicyFile, locate: (path: string) => SourceLocation): { policy: Policy; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const policy = fromFile(file, (path, message) => diagnostics.push({ code: 'MS114', severity: 'error', message, location: locate(path) }));
  const unparsedServices = new Set(diagnostics.map((d) => d.location?.path?.split('.services')[0]));
  for (const d of validatePolicy(policy)) {
    // An edge whose services did not parse is already reported; "no service" would only echo it,
    // and a service listed twice would be placed by the parsed list, short of the unparsed ones.
    if ((d.code === 'MS113' || d.code === 'MS116') && unparsedServices.has(d.location?.path?.split('.services')[0])) continue;
    diagnostics.push({ ...d, location: { ...d.location, ...locate(d.location?.path ?? '') } });
  }
  return { policy, diagnostics: byLine(diagnostics) };
}

/** The first line of a policy file that begins with no comment of its own. */
const HEADER = '# Microseg Designer policy. Edit here or on the canvas; see README for the format.\n';

/**
 * Writes a policy as readable YAML; deterministic, so saving twice gives identical bytes. With
 * `earlierText` (the text the drawing was last read from or written as), its comments are kept
 * where what they were written at still is, a group's or edge's followed through the renames since
 * (see keepComments), and so are its CRLF line ends. Anchors and aliases are written out as the
 * values they stand for: each group and edge is edited on its own, and reads on its own in a review.
 */
export function serializePolicy(policy: Policy, earlierText?: string, renamed?: Renames): string {
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
  if (earlierText !== undefined) keepComments(doc, earlierText, renamed);
  const body = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  // A file that begins with a comment of its own (the header, or the author's) keeps it as its head.
  const text = body.startsWith('#') ? body : HEADER + body;
  // A file written with CRLF keeps them: else one edit on the canvas would rewrite every line of it.
  return earlierText?.includes('\r\n') ? text.replace(/\n/g, '\r\n') : text;
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
