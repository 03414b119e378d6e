import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicyFile, serializePolicy } from './policy-file';

/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

const example = readFileSync(new URL('../../examples/three-tier-shop/policy.yaml', import.meta.url), 'utf8');

describe('policy files', () => {
  it('reads the bundled example', () => {
    const { policy, diagnostics } = parsePolicyFile(example, 'policy.yaml');
    expect(diagnostics).toEqual([]);
    expect(policy?.groups.map((g) => g.name)).toEqual(['web', 'app', 'db']);
    expect(policy?.edges[0]).toMatchObject({ from: 'web', to: 'app', services: [{ protocol: 'tcp', ports: { from: 8080, to: 8080 } }] });
  });

  it('saves and reopens to the same policy, byte-stable', () => {
    const first = parsePolicyFile(example, 'p.yaml').policy!;
    const text = serializePolicy(first);
    const again = parsePolicyFile(text, 'p.yaml');
    expect(again.diagnostics).toEqual([]);
    expect(again.policy).toEqual(first);
    expect(serializePolicy(again.policy!)).toBe(text);
  });

  it('says what kind of value a field takes, and that an empty file is empty', () => {
    expect(parsePolicyFile('', 'empty.yaml').diagnostics.map((d) => d.message)).toEqual([
      'the document is empty; it must be a mapping that starts with apiVersion and kind',
    ]);
    expect(parsePolicyFile(example.replace(/revision: \d+/, 'revision: .inf'), 'p.yaml').diagnostics.map((d) => d.message)).toEqual([
      'metadata.revision: revision must be a number (found "Infinity")',
    ]);
    expect(parsePolicyFile(example.replace(/revision: \d+/, 'revision: 2.5'), 'p.yaml').diagnostics.map((d) => d.message)).toEqual([
      'metadata.revision: revision must be a whole number (found 2.5)',
    ]);
  });

  it('points a YAML syntax error at its line and column', () => {
    const broken = example.replace('  - name: app\n', '  - name: app\n   bad: [\n');
    const { policy, diagnostics } = parsePolicyFile(broken, 'shop.yaml');
    expect(policy).toBeNull();
    expect(diagnostics[0]).toMatchObject({ code: 'MS001', severity: 'error', location: { file: 'shop.yaml' } });
    expect(diagnostics[0]!.location!.line).toBeGreaterThan(15);
  });

  it('points a bad service at the exact list item', () => {
    const bad = example.replace('services: [tcp/5432]', 'services: [tcp/70000]');
    const { policy, diagnostics } = parsePolicyFile(bad, 'shop.yaml');
    expect(policy).toBeNull();
    const line = bad.split('\n').findIndex((l) => l.includes('tcp/70000')) + 1;
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'MS114', location: expect.objectContaining({ file: 'shop.yaml', line, path: 'edges.1.services.0' }) }),
    ]);
  });

  it('reports an edge to an unknown group, a duplicate group and an unknown field, with locations', () => {
    const withUnknown = example.replace('to: db', 'to: dbx');
    const unknown = parsePolicyFile(withUnknown, 'shop.yaml');
    const unknownLine = lineOf(withUnknown, 'to: dbx');
    expect(unknown.diagnostics).toEqual([expect.objectContaining({ code: 'MS112', location: expect.objectContaining({ path: 'edges.1.to', line: unknownLine, column: 9 }) })]);

    const duplicate = parsePolicyFile(example.replace('name: app', 'name: web'), 'shop.yaml');
    expect(duplicate.diagnostics.map((d) => d.code)).toContain('MS102');

    const withTypo = example.replace('isolated: true', 'isolatd: true');
    const typo = parsePolicyFile(withTypo, 'shop.yaml');
    expect(typo.policy).toBeNull();
    expect(typo.diagnostics[0]).toMatchObject({ code: 'MS002', location: { line: lineOf(withTypo, 'isolatd'), path: 'groups.2.isolatd' } });
    expect(typo.diagnostics[0]!.message).toContain('isolatd');
  });

  it('says of each unknown field, at its key, that it is none and what to do, as for a typo of an action that would allow', () => {
    const text = 'apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: { name: x }\ngroups:\n  - { name: web, selector: { labels: tier=web } }\nedges:\n  - { id: e, from: web, to: web, services: [tcp/22], acton: deny, colour: red }\n';
    expect(parsePolicyFile(text, 'p.yaml').diagnostics.map((d) => [d.message, d.location?.line, d.location?.column])).toEqual([
      ['edges.0.acton: "acton" is no field here; check its spelling, or remove it', 7, 54],
      ['edges.0.colour: "colour" is no field here; check its spelling, or remove it', 7, 67],
    ]);
  });

  it('warns about an except block that removes nothing: no cidrs, or outside all of them', () => {
    const file = (cidrs: string, except: string): string => `apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: {name: x}\ngroups:\n  - name: outside\n    selector:\n${cidrs}      except: [${except}]\n`;
    expect(parsePolicyFile(file('      cidrs: [10.0.0.0/8]\n', '10.1.0.0/16, 11.0.0.0/8'), 'p.yaml').diagnostics).toEqual([
      expect.objectContaining({ code: 'MS106', message: 'except block "11.0.0.0/8" of group "outside" lies outside its cidrs; it removes nothing', location: expect.objectContaining({ line: 8, path: 'groups.0.selector.except.1' }) }),
    ]);
    expect(parsePolicyFile(file('', '11.0.0.0/8'), 'p.yaml').diagnostics).toContainEqual(expect.objectContaining({ code: 'MS106', location: expect.objectContaining({ path: 'groups.0.selector.except' }) }));
    expect(parsePolicyFile(file('      cidrs: [0.0.0.0/0]\n', '10.0.0.0/8, 192.168.0.0/16'), 'p.yaml').diagnostics).toEqual([]);
  });

  it('says which values a field with a fixed set of them takes, and where, for every such field', () => {
    const file = 'apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: {name: x}\ndefaults:\n  withinGroup: deny\n  betweenGroups: dropp\nedges:\n  - { id: e, from: a, to: b, services: [tcp/80], action: permit }\n';
    expect(parsePolicyFile(file, 'p.yaml').diagnostics).toEqual([
      expect.objectContaining({ code: 'MS002', message: 'defaults.withinGroup: withinGroup must be one of allow, drop (found "deny")', location: expect.objectContaining({ file: 'p.yaml', line: 5, column: 16 }) }),
      expect.objectContaining({ code: 'MS002', message: 'defaults.betweenGroups: betweenGroups must be one of drop, reject, monitor, redirect (found "dropp")', location: expect.objectContaining({ line: 6 }) }),
      expect.objectContaining({ code: 'MS002', message: 'edges.0.action: action must be one of allow, log, deny, reject, redirect (found "permit")', location: expect.objectContaining({ line: 8 }) }),
    ]);
    // A value that is no text at all is still named by its field.
    expect(parsePolicyFile('apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: {name: x}\ndefaults: {withinGroup: [allow]}\n', 'p.yaml').diagnostics[0]?.message).toBe('defaults.withinGroup: withinGroup must be one of allow, drop');
  });

  it('refuses an empty or blank name, id or end in words that name the field, at its line and column', () => {
    const file = 'apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: {name: ""}\ngroups:\n  - { name: "  ", selector: { labels: a=b } }\nedges:\n  - { id: " ", from: "", to: web, services: [tcp/80] }\n';
    expect(parsePolicyFile(file, 'p.yaml').diagnostics.map((d) => [d.code, d.message, d.location?.line, d.location?.column])).toEqual([
      ['MS002', 'metadata.name: name must not be empty or only spaces', 3, 18],
      ['MS002', 'groups.0.name: name must not be empty or only spaces', 5, 13],
      ['MS002', 'edges.0.id: id must not be empty or only spaces', 7, 11],
      ['MS002', 'edges.0.from: from must not be empty or only spaces', 7, 22],
    ]);
  });

  it('says how to keep text YAML read as a number or true/false: quoted as written, leading zeros and all', () => {
    const file = 'apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: {name: 0123}\ngroups:\n  - { name: true, selector: { labels: a=b } }\n';
    expect(parsePolicyFile(file, 'p.yaml').diagnostics.map((d) => d.message)).toEqual([
      'metadata.name: name must be text (found 123); YAML reads 0123 unquoted as a number: to keep it as text, quote it, name: "0123"',
      'groups.0.name: name must be text (found true); YAML reads true unquoted as a true/false value: to keep it as text, quote it, name: "true"',
    ]);
  });

  it('says the text a label selector written as a map would be', () => {
    const text = 'apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: {name: x}\ngroups:\n  - name: a\n    selector:\n      labels: { tier: web, env: prod }\n      namespaceLabels: 5\n  - { name: b, selector: { labels: "tier=db" } }\n';
    expect(parsePolicyFile(text, 'p.yaml').diagnostics.map((d) => [d.code, d.message, d.location?.line, d.location?.column])).toEqual([
      ['MS002', 'groups.0.selector.labels: labels is a label selector written as text, not a map: labels: "tier=web,env=prod"', 7, 15],
      ['MS002', 'groups.0.selector.namespaceLabels: namespaceLabels must be text (found 5)', 8, 24],
    ]);
  });

  it('reads groups: or edges: with nothing after them as no groups or edges, as [] is', () => {
    const { policy, diagnostics } = parsePolicyFile('apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: {name: x}\ngroups:\nedges:\n', 'p.yaml');
    expect(diagnostics).toEqual([]);
    expect(policy).toMatchObject({ groups: [], edges: [] });
  });

  it('reads a bare port number in services as text, so the error says what the service lacks', () => {
    const text = 'apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: {name: x}\ngroups:\n  - {name: a, selector: {labels: a=b}}\nedges:\n  - {id: e, from: a, to: a, services: [8080]}\n';
    expect(parsePolicyFile(text, 'p.yaml').diagnostics.map((d) => [d.code, d.message, d.location?.path])).toEqual([
      ['MS114', 'service "8080" is not valid: a service names its protocol: write tcp/8080 or udp/8080', 'edges.0.services.0'],
    ]);
  });

  it('says a revision out of range in its own words, not zod\'s', () => {
    const messages = (revision: string): string[] => parsePolicyFile(example.replace(/revision: \d+/, `revision: ${revision}`), 'p.yaml').diagnostics.map((d) => d.message);
    for (const revision of ['-1', '-1e30']) {
      expect(messages(revision), revision).toEqual(['metadata.revision: revision must be a whole number, 0 or more (saving adds one)']);
    }
    // A whole number, 0 or more, that is too large to count up by one: the limit is said, not the rule it keeps.
    for (const revision of ['1e30', '99999999999999999999999', '9007199254740992']) {
      expect(messages(revision), revision).toEqual(['metadata.revision: revision may be at most 9007199254740991 (2^53 - 1, the largest whole number counted exactly); lower it (saving adds one)']);
    }
    expect(messages('9007199254740991')).toEqual([]);
  });

  it('says a required field left out is missing, not of the wrong kind', () => {
    expect(parsePolicyFile('apiVersion: microseg.dev/v1\nkind: Policy\ngroups:\n  - { name: a }\n', 'p.yaml').diagnostics.map((d) => d.message)).toEqual([
      'metadata: metadata is missing; add it, as a mapping (key: value lines)',
      'groups.0.selector: selector is missing; add it, as a mapping (key: value lines)',
    ]);
  });

  it('rejects a file of another kind or version', () => {
    const { diagnostics } = parsePolicyFile('apiVersion: v0\nkind: Policy\nmetadata: {name: x}\n', 'x.yaml');
    expect(diagnostics[0]?.message).toBe('apiVersion: apiVersion must be "microseg.dev/v1" (found "v0")');
  });

  it('refuses a namespace, or the literal parts of a namespace pattern, that no Kubernetes namespace could be named', () => {
    const file = (namespace: string): string => `apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: {name: x}\ngroups:\n  - name: web\n    selector:\n      labels: app=web\n      namespace: '${namespace}'\n      exclude: [{ namespace: 'ok-*' }]\n`;
    for (const bad of ['../../pwned', 'Shop', 'shop_1', '-shop', 'shop-', '../*', '*/x', 'a'.repeat(64)]) {
      const { policy, diagnostics } = parsePolicyFile(file(bad), 'p.yaml');
      expect(policy, bad).toBeNull();
      expect(diagnostics, bad).toEqual([expect.objectContaining({ code: 'MS109', location: expect.objectContaining({ line: 8, path: 'groups.0.selector.namespace' }) })]);
    }
    for (const good of ['shop', '*', 'shop-*', '*-prod', 'team-*-prod', 'a*b']) expect(parsePolicyFile(file(good), 'p.yaml').diagnostics, good).toEqual([]);
  });

  describe('errors of shape do not hide errors of meaning', () => {
    const head = 'apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: { name: shop }\n';
    const where = (text: string): [string, number | undefined, number | undefined, string | undefined][] =>
      parsePolicyFile(text, 'p.yaml').diagnostics.map((d) => [d.code, d.location?.line, d.location?.column, d.location?.path]);

    it('checks the well-shaped groups and edges in the same run, in order of line and column, at their exact places', () => {
      const text =
        head +
        'groups:\n' +
        '  - name: web\n' +
        '    selector: { labels: tier=web }\n' +
        '    isolatd: true\n' +
        '  - name: app\n' +
        '    selector: { labels: "tier in (app" }\n' +
        '  - name: app\n' +
        '    selector: { cidrs: [10.0.0.0/33] }\n' +
        'edges:\n' +
        '  - { id: e1, from: web, to: dbx, services: [tcp/70000] }\n' +
        '  - { id: e2, from: app, to: web, services: tcp/80 }\n' +
        '  - { id: e3, from: web, to: app, services: [tcp/80], action: redirect }\n';
      const { policy } = parsePolicyFile(text, 'p.yaml');
      expect(policy).toBeNull();
      expect(where(text)).toEqual([
        ['MS002', 7, 5, 'groups.0.isolatd'],
        ['MS104', 9, 25, 'groups.1.selector.labels'],
        ['MS102', 10, 11, 'groups.2.name'],
        ['MS105', 11, 25, 'groups.2.selector.cidrs.0'],
        // "web" is a group though its shape is wrong: only "dbx" is unknown.
        ['MS112', 13, 30, 'edges.0.to'],
        ['MS114', 13, 46, 'edges.0.services.0'],
        ['MS002', 14, 45, 'edges.1.services'],
        ['MS131', 15, 5, 'edges.2.redirectTo'],
      ]);
    });

    it('says nothing of meaning about a part whose shape is wrong, nor guesses at unknown groups when a group has no readable name', () => {
      // The malformed group's selector and the malformed edge's ends are not checked (they would only echo or guess).
      const malformed = head + 'groups:\n  - { name: web, selector: { labels: "(" }, colour: red }\nedges:\n  - { id: e1, from: nowhere, to: web, services: [tcp/80], action: maybe }\n';
      expect(where(malformed).map(([code, , , path]) => [code, path])).toEqual([
        ['MS002', 'groups.0.colour'],
        ['MS002', 'edges.0.action'],
      ]);
      // An edge to "db" might mean the group whose name is no text: no MS112. Other errors still show.
      const nameless = head + 'groups:\n  - { name: 5, selector: { labels: tier=db } }\n  - { name: web, selector: { cidrs: [nonsense] } }\nedges:\n  - { id: e1, from: web, to: db, services: [tcp/80] }\n';
      expect(where(nameless).map(([code, , , path]) => [code, path])).toEqual([
        ['MS002', 'groups.0.name'],
        ['MS105', 'groups.1.selector.cidrs.0'],
      ]);
      const notAList = head + 'groups: { name: web }\nedges:\n  - { id: e1, from: web, to: db, services: [tcp/0] }\n';
      expect(where(notAList).map(([code, , , path]) => [code, path])).toEqual([
        ['MS002', 'groups'],
        ['MS114', 'edges.0.services.0'],
      ]);
    });

    it('checks sections of the right shape beside those of the wrong one, and nothing of a document that is no mapping', () => {
      const text = head.replace('{ name: shop }', '{ name: shop, revison: 2 }') + 'defaults: { betweenGroups: redirect }\ninfrastructure: { dnsResolvers: [10.0.0.0/24] }\n';
      expect(where(text).map(([code, , , path]) => [code, path])).toEqual([
        ['MS002', 'metadata.revison'],
        ['MS131', 'defaults.redirectTo'],
        ['MS121', 'infrastructure.dnsResolvers.0'],
      ]);
      expect(where('- just\n- a list\n').map(([code]) => code)).toEqual(['MS002']);
    });
  });
});
