import { emptyPolicy, type Policy } from '@shared/policy/model';
import { parsePolicyFile } from '@shared/policy/policy-file';
import { describe, expect, it } from 'vitest';
import { diagnosticRanges } from './diagnostic-ranges';
import { drawingText, edgeIdChangesInText, renameInText, withTextApplied } from './policy-text';

// The YAML view: the drawing as text, the text back as a drawing, and its problems as markers.

const drawing: Policy = {
  ...emptyPolicy('shop'),
  revision: 7,
  groups: [
    { name: 'web', selector: { labels: 'tier=web' }, position: { x: 80.4, y: 119.6 } },
    { name: 'app', selector: { labels: 'tier=app' }, position: { x: 400, y: 120 } },
    { name: 'db', selector: { labels: 'tier=db' } },
  ],
  edges: [{ id: 'web-to-app', from: 'web', to: 'app', services: [{ protocol: 'tcp', ports: { from: 8080, to: 8080 } }], action: 'allow' }],
};

/** A text with the group `from` renamed by hand: its name, and the ends of the edges that name it. */
function renamedBy(text: string, from: string, to: string): string {
  return text.replace(new RegExp(`(- name|from|to): ${from}\\n`, 'g'), `$1: ${to}\n`);
}

function parsed(text: string): Policy {
  const result = parsePolicyFile(text, 'policy.yaml');
  if (!result.policy) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  return result.policy;
}

describe('the drawing as text and back', () => {
  it('an unedited text gives back the same drawing, fractional canvas positions included', () => {
    const back = withTextApplied(drawing, parsed(drawingText(drawing, null)));
    expect(back.groups.map((g) => g.position)).toEqual([{ x: 80.4, y: 119.6 }, { x: 400, y: 120 }, undefined]);
    expect(drawingText(back, null)).toBe(drawingText(drawing, null));
  });

  it('keeps the place of a group whose canvas line was left out, and takes a new place from the text', () => {
    const text = drawingText(drawing, null).replace('canvas: {x: 80, y: 120}', 'canvas: {x: 500, y: 300}').replace(/\n\s+canvas: \{x: 400, y: 120\}/, '');
    const back = withTextApplied(drawing, parsed(text));
    expect(back.groups.find((g) => g.name === 'web')?.position).toEqual({ x: 500, y: 300 });
    expect(back.groups.find((g) => g.name === 'app')?.position).toEqual({ x: 400, y: 120 });
  });

  it('an edge added in the text is in the drawing; the revision stays the drawing’s', () => {
    const text = `${drawingText(drawing, null)}  - { id: app-to-db, from: app, to: db, services: [tcp/5432], action: allow }\n`;
    const back = withTextApplied(drawing, { ...parsed(text), revision: 99 });
    expect(back.edges.map((e) => e.id)).toEqual(['web-to-app', 'app-to-db']);
    expect(back.revision).toBe(7);
  });

  it('what the text leaves as it was keeps its object, so an Apply redraws and re-resolves only what changed', () => {
    const same = withTextApplied(drawing, parsed(drawingText(drawing, null)));
    expect(same.groups).toBe(drawing.groups);
    expect(same.edges).toBe(drawing.edges);
    expect(same.defaults).toBe(drawing.defaults);
    expect(same.infrastructure).toBe(drawing.infrastructure);

    const text = `${drawingText(drawing, null).replace('tier=db', 'tier=database')}  - { id: app-to-db, from: app, to: db, services: [tcp/5432] }\n`;
    const next = withTextApplied(drawing, parsed(text));
    expect(next.groups[0]).toBe(drawing.groups[0]);
    expect(next.groups[1]).toBe(drawing.groups[1]);
    expect(next.groups[2]).not.toBe(drawing.groups[2]);
    expect(next.groups[2]?.selector.labels).toBe('tier=database');
    expect(next.edges[0]).toBe(drawing.edges[0]);
    expect(next.edges.map((e) => e.id)).toEqual(['web-to-app', 'app-to-db']);
  });

  it('a group the text renamed keeps its place, as one that kept its name does', () => {
    const text = renamedBy(drawingText(drawing, null), 'web', 'front');
    const back = withTextApplied(drawing, parsed(text), renameInText(drawing, parsed(text)));
    expect(back.groups[0]).toMatchObject({ name: 'front', position: { x: 80.4, y: 119.6 } });
  });
});

describe('a rename read from the text', () => {
  const text = drawingText(drawing, null);
  const renameIn = (edited: string): ReturnType<typeof renameInText> => renameInText(drawing, parsed(edited));
  const front = renamedBy(text, 'web', 'front');

  it('is the one group gone and the one new, alike but for the name, its edges following it', () => {
    expect(renameIn(front)).toEqual({ kind: 'group', from: 'web', to: 'front' });
    expect(renameIn(renamedBy(text, 'db', 'orders'))).toEqual({ kind: 'group', from: 'db', to: 'orders' });
  });

  it('allows the edges’ ids renamed too, the canvas line left out, and changes to other groups and edges', () => {
    expect(renameIn(front.replace('id: web-to-app', 'id: front-to-app'))).toEqual({ kind: 'group', from: 'web', to: 'front' });
    expect(renameIn(front.replace(/\n\s+canvas: \{x: 80, y: 120\}/, ''))).toEqual({ kind: 'group', from: 'web', to: 'front' });
    expect(renameIn(front.replace('tier=db', 'tier=database'))).toEqual({ kind: 'group', from: 'web', to: 'front' });
    expect(renameIn(`${front}  - { id: app-to-db, from: app, to: db, services: [tcp/5432] }\n`)).toEqual({ kind: 'group', from: 'web', to: 'front' });
  });

  it('is none when the renamed group changed too: its members, description, isolation or place', () => {
    expect(renameIn(front.replace('tier=web', 'tier=front'))).toBeNull();
    expect(renameIn(front.replace('- name: front\n', '- name: front\n    description: Storefront\n'))).toBeNull();
    expect(renameIn(front.replace('- name: front\n', '- name: front\n    isolated: true\n'))).toBeNull();
    expect(renameIn(front.replace('canvas: {x: 80, y: 120}', 'canvas: {x: 500, y: 120}'))).toBeNull();
  });

  it('is none when its edges changed: one edited, added, removed, or left naming another group', () => {
    expect(renameIn(front.replace('[tcp/8080]', '[tcp/8081]'))).toBeNull();
    expect(renameIn(`${front}  - { id: front-to-db, from: front, to: db, services: [tcp/5432] }\n`)).toBeNull();
    expect(renameIn(front.replace(/ {2}- id: web-to-app\n(?: {4}.*\n)+/, ''))).toBeNull();
    expect(renameIn(renamedBy(text, 'web', 'front').replace('from: front', 'from: db'))).toBeNull();
  });

  it('is none when it could be read more than one way: two groups renamed, two swapped, one removed and one added', () => {
    expect(renameIn(renamedBy(front, 'app', 'api'))).toBeNull();
    expect(renameIn(renamedBy(renamedBy(renamedBy(text, 'web', 'x'), 'app', 'web'), 'x', 'app'))).toBeNull();
    const removed = text.replace(/ {2}- name: db\n(?: {4}.*\n)+/, '');
    expect(renameIn(front.replace(/ {2}- name: db\n(?: {4}.*\n)+/, ''))).toBeNull();
    expect(renameIn(removed.replace('edges:\n', '  - { name: cache, selector: { labels: tier=cache } }\nedges:\n'))).toBeNull();
  });

  it('is a rename when a group is removed and one alike but for the name added, its edges the same: nothing tells them apart', () => {
    const removed = text.replace(/ {2}- name: db\n(?: {4}.*\n)+/, '');
    expect(renameIn(removed.replace('edges:\n', '  - { name: orders, selector: { labels: tier=db } }\nedges:\n'))).toEqual({ kind: 'group', from: 'db', to: 'orders' });
  });

  it('is none when no group is renamed', () => {
    expect(renameIn(text)).toBeNull();
    expect(renameIn(text.replace('tier=web', 'tier=front'))).toBeNull();
  });
});

describe('an edge id changed in the text', () => {
  const text = drawingText(drawing, null);
  const changesIn = (edited: string): ReturnType<typeof edgeIdChangesInText> => {
    const policy = parsed(edited);
    return edgeIdChangesInText(drawing, policy, renameInText(drawing, policy));
  };
  const edge = { kind: 'edge', from: 'web-to-app', to: 'storefront-calls' };

  it('is the edge whose id is gone, alike in all else to the one whose id is new', () => {
    expect(changesIn(text.replace('id: web-to-app', 'id: storefront-calls'))).toEqual([edge]);
  });

  it('follows the group renamed with it, as find-and-replace renames both', () => {
    expect(changesIn(renamedBy(text, 'web', 'front').replace('id: web-to-app', 'id: front-to-app'))).toEqual([
      { kind: 'edge', from: 'web-to-app', to: 'front-to-app' },
    ]);
  });

  it('is none when the edge changed too, or was removed and another added', () => {
    expect(changesIn(text.replace('id: web-to-app', 'id: storefront-calls').replace('[tcp/8080]', '[tcp/8081]'))).toEqual([]);
    expect(changesIn(text.replace('id: web-to-app', 'id: storefront-calls').replace('to: app', 'to: db'))).toEqual([]);
    expect(changesIn(text)).toEqual([]);
  });

  it('is none when two edges alike but for their ids both got new ones: nothing tells which is which', () => {
    const twins: Policy = { ...drawing, edges: [drawing.edges[0]!, { ...drawing.edges[0]!, id: 'twin' }] };
    const edited = drawingText(twins, null).replace('id: web-to-app', 'id: a').replace('id: twin', 'id: b');
    expect(edgeIdChangesInText(twins, parsed(edited), null)).toEqual([]);
  });
});

describe('diagnostics as editor ranges', () => {
  it('underlines the word a diagnostic points at, at its line and column', () => {
    const text = drawingText(drawing, null).replace('[tcp/8080]', '[tcp/99999]');
    const result = parsePolicyFile(text, 'policy.yaml');
    expect(result.policy).toBeNull();
    const ranges = diagnosticRanges(result.diagnostics, text);
    const line = text.split('\n').findIndex((l) => l.includes('tcp/99999')) + 1;
    const bad = ranges.find((r) => r.code === 'MS114');
    expect(bad).toMatchObject({ line, severity: 'error' });
    expect(text.split('\n')[line - 1]!.slice(bad!.column - 1, bad!.endColumn - 1)).toContain('tcp/99999');
  });

  it('keeps every diagnostic on the text: no line, or a place past the end, still gets a range', () => {
    const ranges = diagnosticRanges(
      [
        { code: 'MS001', severity: 'error', message: 'no line' },
        { code: 'MS001', severity: 'error', message: 'past the end', location: { line: 9, column: 40 } },
      ],
      'a: 1\nbb: 2',
    );
    expect(ranges.map((r) => [r.line, r.column, r.endColumn])).toEqual([
      [1, 1, 3],
      [2, 6, 7],
    ]);
  });
});
