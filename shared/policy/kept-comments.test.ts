import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renamesBetween, type Rename } from './renames';
import type { Policy } from './model';
import { parsePolicyFile, serializePolicy } from './policy-file';

const shop = readFileSync(new URL('../../examples/three-tier-shop/policy.yaml', import.meta.url), 'utf8');

/** The shop's file with notes an author would write: at a key, a group, an edge, and a blank line. */
const annotated = shop
  .replace('groups:', "# The shop's tiers.\n\ngroups:")
  .replace('  - name: web\n', '  # Public entry: reviewed by J. Doe (SEC-41)\n  - name: web\n')
  .replace(/( {2}- id: web-to-app)\n/, '$1 # opened for the checkout\n')
  .replace(/( {2}- id: app-to-db)\n/, '  # Orders reach their database, nothing else does.\n$1\n');

function policyOf(text: string): Policy {
  const { policy, diagnostics } = parsePolicyFile(text, 'policy.yaml');
  if (!policy) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return policy;
}

const NOTES = ["# The shop's tiers.\n\ngroups:", '# Public entry: reviewed by J. Doe (SEC-41)', '# opened for the checkout', '# Orders reach their database, nothing else does.'];

describe('serializePolicy with the earlier text', () => {
  it('keeps every comment and blank line of a file it prints unchanged, byte for byte after the first printing', () => {
    const policy = policyOf(annotated);
    const printed = serializePolicy(policy, annotated);
    for (const note of NOTES) expect(printed).toContain(note);
    expect(serializePolicy(policy, printed)).toBe(printed);
  });

  it('keeps a note with its group or edge when the drawing changes around it', () => {
    const policy = policyOf(annotated);
    const [web, app, db] = policy.groups;
    const edited: Policy = {
      ...policy,
      // Reordered, one moved, one edge's services changed, one edge removed.
      groups: [db!, { ...app!, position: { x: 1, y: 2 } }, web!],
      edges: policy.edges.filter((e) => e.id !== 'web-to-app').map((e) => ({ ...e, services: [...e.services, { protocol: 'tcp' as const, ports: { from: 6432, to: 6432 } }] })),
    };
    const printed = serializePolicy(edited, annotated);
    expect(printed).toMatch(/# Public entry: reviewed by J\. Doe \(SEC-41\)\n {2}- name: web\n/);
    expect(printed).toMatch(/# Orders reach their database, nothing else does\.\n {2}- id: app-to-db\n/);
    expect(printed).toContain('services: [tcp/5432, tcp/6432]');
    // The removed edge's note went with it.
    expect(printed).not.toContain('# opened for the checkout');
    expect(policyOf(printed)).toEqual({ ...edited, groups: edited.groups.map((g) => ({ ...g, position: g.position && { x: Math.round(g.position.x), y: Math.round(g.position.y) } })) });
  });

  it("keeps the author's own first lines instead of the app's header, and writes the header where there are none", () => {
    const policy = policyOf(shop);
    const own = shop.replace(/^#[^\n]*\n/, '# Shop policy, owned by the platform team.\n');
    const printed = serializePolicy(policy, own);
    expect(printed.startsWith('# Shop policy, owned by the platform team.\napiVersion:')).toBe(true);
    expect(printed).not.toContain('# Microseg Designer policy.');

    const bare = shop.replace(/^#[^\n]*\n/, '');
    expect(serializePolicy(policy, bare).startsWith('# Microseg Designer policy.')).toBe(true);
    expect(serializePolicy(policy)).toBe(serializePolicy(policy, shop));
  });

  it('prints as without it when the earlier text does not parse', () => {
    const policy = policyOf(annotated);
    expect(serializePolicy(policy, 'groups: [unclosed\n# a note')).toBe(serializePolicy(policy));
  });
});

describe('serializePolicy keeps a note on a list entry with that entry', () => {
  it('keeps a service note with its service when an earlier service is removed, and drops the removed one’s', () => {
    const text = shop.replace('    services: [tcp/8080]\n', '    services:\n      - tcp/8080 # checkout\n      - tcp/8443 # payment page\n');
    const policy = policyOf(text);
    const edited: Policy = { ...policy, edges: policy.edges.map((e) => (e.id === 'web-to-app' ? { ...e, services: e.services.slice(1) } : e)) };
    const printed = serializePolicy(edited, text);
    expect(printed).toContain('tcp/8443 # payment page');
    expect(printed).not.toContain('# checkout');
  });

  it('keeps a note written after a key on its line there, even when the first group goes', () => {
    const text = shop.replace('groups:\n', 'groups: # the tiers, front to back\n').replace('edges:\n', 'edges: # reviewed 2026-11\n');
    const policy = policyOf(text);
    const printed = serializePolicy({ ...policy, groups: policy.groups.slice(1), edges: policy.edges.slice(1) }, text);
    expect(printed).toContain('groups: # the tiers, front to back\n  - name: app\n');
    expect(printed).toContain('edges: # reviewed 2026-11\n  - id: app-to-db\n');
  });

  it('keeps a list whose entries carry notes as the block list it was written as', () => {
    const text = shop.replace('      labels: tier=db\n', '      cidrs:\n        # the orders subnet\n        - 10.0.0.0/24 # primary\n        - 10.0.1.0/24 # replica\n');
    const policy = policyOf(text);
    const printed = serializePolicy(policy, text);
    expect(printed).toContain('      cidrs:\n        # the orders subnet\n        - 10.0.0.0/24 # primary\n        - 10.0.1.0/24 # replica\n');
    expect(serializePolicy(policy, printed)).toBe(printed);
    // Without notes in it, a list is printed on one line as usual.
    expect(serializePolicy(policy, text.replace(/ # (primary|replica)/g, '').replace('        # the orders subnet\n', ''))).toContain('cidrs: [10.0.0.0/24, 10.0.1.0/24]');
  });
});

describe('serializePolicy keeps the line ends of the earlier text', () => {
  it('writes CRLF line ends, and only those, for a file written with them', () => {
    const crlf = annotated.replace(/\n/g, '\r\n');
    const printed = serializePolicy(policyOf(crlf), crlf);
    expect(printed).toBe(serializePolicy(policyOf(annotated), annotated).replace(/\n/g, '\r\n'));
    expect(printed.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('prints the same every time from one earlier text, as the YAML view does after each edit', () => {
    const text = shop.replace('groups:\n  - name: web\n', 'groups: # the tiers\n  # the front first\n  - name: web\n');
    const policy = policyOf(text);
    const first = serializePolicy(policy, text);
    expect(first).toContain('groups: # the tiers\n  # the front first\n  - name: web\n');
    expect(serializePolicy({ ...policy, name: 'renamed' }, text)).toBe(first.replace('name: three-tier-shop', 'name: renamed'));
    expect(serializePolicy(policy, text)).toBe(first);
  });
});

/** The policy with group `from` renamed `to`, as the inspector renames it: the edges follow. */
function renamed(policy: Policy, from: string, to: string): Policy {
  const end = (name: string): string => (name === from ? to : name);
  return {
    ...policy,
    groups: policy.groups.map((g) => (g.name === from ? { ...g, name: to } : g)),
    edges: policy.edges.map((e) => ({ ...e, from: end(e.from), to: end(e.to) })),
  };
}

describe('serializePolicy keeps a renamed group’s notes with it', () => {
  const web = '# Public entry: reviewed by J. Doe (SEC-41)';
  const front = /# Public entry: reviewed by J\. Doe \(SEC-41\)\n {2}- name: front\n/;
  const toFront: Rename = { kind: 'group', from: 'web', to: 'front' };

  it('keeps the notes of a group renamed since the earlier text, and of the edges whose ends changed with it', () => {
    const text = annotated.replace('    from: web\n', '    from: web # the storefront calls in\n');
    const printed = serializePolicy(renamed(policyOf(text), 'web', 'front'), text, renamesBetween([], [toFront]));
    expect(printed).toMatch(front);
    expect(printed).toContain('  - id: web-to-app # opened for the checkout\n    from: front # the storefront calls in\n');
    // The next save, from the text just written, keeps it all byte for byte.
    expect(serializePolicy(renamed(policyOf(text), 'web', 'front'), printed)).toBe(printed);
  });

  it('gives a new group that took the old name none of the renamed group’s notes', () => {
    const policy = renamed(policyOf(annotated), 'web', 'front');
    const withNewWeb: Policy = { ...policy, groups: [{ name: 'web', selector: { labels: 'tier=web2' } }, ...policy.groups] };
    const printed = serializePolicy(withNewWeb, annotated, renamesBetween([], [toFront]));
    expect(printed).toMatch(front);
    expect(printed.split(web)).toHaveLength(2);
  });

  it('follows two groups that swapped names, and a rename taken back after the save', () => {
    const text = annotated.replace('  - name: app\n', '  # Orders API, owned by the shop team\n  - name: app\n');
    const swap: Rename[] = [
      { kind: 'group', from: 'web', to: 'tmp' },
      { kind: 'group', from: 'app', to: 'web' },
      { kind: 'group', from: 'tmp', to: 'app' },
    ];
    const swapped = renamed(renamed(renamed(policyOf(text), 'web', 'tmp'), 'app', 'web'), 'tmp', 'app');
    const printed = serializePolicy(swapped, text, renamesBetween([], swap));
    expect(printed).toMatch(/# Public entry: reviewed by J\. Doe \(SEC-41\)\n {2}- name: app\n/);
    expect(printed).toMatch(/# Orders API, owned by the shop team\n {2}- name: web\n/);

    // Saved as front, then the rename undone: the saved text's front is web again.
    const saved = serializePolicy(renamed(policyOf(annotated), 'web', 'front'), annotated, renamesBetween([], [toFront]));
    expect(serializePolicy(policyOf(annotated), saved, renamesBetween([toFront], []))).toBe(serializePolicy(policyOf(annotated), annotated));
  });
});

describe('serializePolicy keeps an edge’s notes with it under another id', () => {
  const checkout: Rename = { kind: 'edge', from: 'web-to-app', to: 'checkout' };
  const withId = (policy: Policy, from: string, to: string): Policy => ({ ...policy, edges: policy.edges.map((e) => (e.id === from ? { ...e, id: to } : e)) });

  it('follows an edge given another id since the earlier text, and gives a new edge with the old id none of its notes', () => {
    const policy = withId(policyOf(annotated), 'web-to-app', 'checkout');
    expect(serializePolicy(policy, annotated, renamesBetween([], [checkout]))).toContain('  - id: checkout # opened for the checkout\n');
    const newEdge = { ...policy.edges[0]!, id: 'web-to-app', action: 'deny' as const };
    const printed = serializePolicy({ ...policy, edges: [...policy.edges, newEdge] }, annotated, renamesBetween([], [checkout]));
    expect(printed.split('# opened for the checkout')).toHaveLength(2);
    expect(printed).toContain('  - id: checkout # opened for the checkout\n');
  });

  it('keeps a group’s notes apart from an edge’s: a group renamed to an edge’s old id gets none of the edge’s', () => {
    const policy = renamed(withId(policyOf(annotated), 'web-to-app', 'checkout'), 'web', 'web-to-app');
    const printed = serializePolicy(policy, annotated, renamesBetween([], [checkout, { kind: 'group', from: 'web', to: 'web-to-app' }]));
    expect(printed).toContain('  # Public entry: reviewed by J. Doe (SEC-41)\n  - name: web-to-app\n');
    expect(printed).toContain('  - id: checkout # opened for the checkout\n');
  });
});

describe('serializePolicy keeps the layout around the notes from the first save on', () => {
  const printedShop = serializePolicy(policyOf(shop));
  const header = /^#[^\n]*\n/.exec(printedShop)![0];

  it.each([
    ['a closing comment right below the last line', `${printedShop}# end of the policy\n# (two lines)\n`],
    ['a closing comment after a blank line', `${printedShop}\n# end of the policy\n`],
    ['a `---` below the head comment', printedShop.replace(header, `${header}---\n`)],
    ['a `---` with no head comment', printedShop.replace(header, '---\n')],
  ])('writes %s as it was', (_, text) => {
    const policy = policyOf(text);
    const expected = text.startsWith('---') ? header + text : text;
    expect(serializePolicy(policy, text)).toBe(expected);
    expect(serializePolicy(policy, expected)).toBe(expected);
  });

  it('writes anchored values out where their aliases were, then stays the same', () => {
    const text = printedShop.replace('      labels: tier=app\n', '      labels: &shop tier=app\n').replace('      labels: tier=db\n', '      labels: *shop\n');
    const printed = serializePolicy(policyOf(text), text);
    expect(printed).not.toMatch(/[&*]shop/);
    expect(printed.match(/labels: tier=app\n/g)).toHaveLength(2);
    expect(serializePolicy(policyOf(printed), printed)).toBe(printed);
  });
});
