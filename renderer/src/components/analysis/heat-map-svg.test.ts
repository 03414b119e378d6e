import { NO_SERVICES, serviceSetOf } from '@shared/analysis/service-set';
import { describe, expect, it } from 'vitest';
import { CELL, cellFill, describeCell, heatMapLayout, heatMapSvg, LEGEND } from './heat-map-svg';

describe('heat map picture', () => {
  const names = ['web', 'db <prod>'];
  const open = { always: serviceSetOf({ tcp: [[5432, 5432]] }), sometimes: NO_SERVICES, redirected: NO_SERVICES, pairs: 4 };
  const closed = { always: NO_SERVICES, sometimes: NO_SERVICES, redirected: NO_SERVICES, pairs: 4 };
  const grid = [[closed, open], [closed, closed]];
  const svg = heatMapSvg(names, (i, j) => grid[i]![j]!, 'shop revision 3: rows open connections to columns');

  it('says on its own what it shows: a caption and every legend entry, below the cells', () => {
    expect(svg).toContain('>shop revision 3: rows open connections to columns</text>');
    for (const entry of LEGEND) expect(svg).toContain(`>${entry.text}</text>`);
    const { labelWidth, height } = heatMapLayout(names);
    const captionY = Number(/<text x="8" y="([\d.]+)" font-weight="bold">/.exec(svg)![1]);
    expect(captionY).toBeGreaterThan(labelWidth + CELL * names.length);
    expect(captionY).toBeLessThan(height);
  });

  it('draws a cell that only keeps IPv6 neighbour discovery as closed, and says so', () => {
    const discovery = { always: serviceSetOf({ icmp: [[133, 136]] }), sometimes: NO_SERVICES, redirected: NO_SERVICES, pairs: 2 };
    expect(cellFill(discovery)).toBe(cellFill(closed));
    expect(describeCell('a', 'b', discovery)).toBe('a → b: only IPv6 neighbour discovery (icmp type 133-136)');
    expect(cellFill(open)).not.toBe(cellFill(closed));
  });

  it('draws a closed cell of a dual-stack inventory, where only its IPv6 pairs keep neighbour discovery, as closed too', () => {
    const dualStack = { always: NO_SERVICES, sometimes: serviceSetOf({ icmp: [[133, 136]] }), redirected: NO_SERVICES, pairs: 4 };
    expect(cellFill(dualStack)).toBe(cellFill(closed));
    expect(describeCell('a', 'b', dualStack)).toBe('a → b: nothing for every pair; IPv6 neighbour discovery for some pairs (icmp type 133-136)');
    const someOpen = { ...dualStack, sometimes: serviceSetOf({ tcp: [[22, 22]], icmp: [[133, 136]] }) };
    expect(cellFill(someOpen)).not.toBe(cellFill(closed));
  });

  it('escapes names and explains each cell in its tooltip', () => {
    expect(svg).toContain('db &#60;prod&#62;');
    expect(svg).not.toContain('<prod>');
    expect(svg).toContain('<title>web → db &#60;prod&#62;: tcp/5432</title>');
  });
});
