import { icmpValue, NO_SERVICES, serviceSetOf } from '@shared/analysis/service-set';
import { describe, expect, it } from 'vitest';
import { CELL, cellFill, describeCell, heatMapLayout, heatMapSvg, LEGEND } from './heat-map-svg';

describe('heat map picture', () => {
  const names = ['web', 'db <prod>'];
  const open = { always: serviceSetOf({ tcp: [[5432, 5432]] }), sometimes: NO_SERVICES, redirected: NO_SERVICES, pairs: 4 };
  const closed = { always: NO_SERVICES, sometimes: NO_SERVICES, redirected: NO_SERVICES, pairs: 4 };
  const grid = [[closed, open], [closed, closed]];
  const svg = heatMapSvg(names, (i, j) => grid[i]![j]!, { caption: 'shop revision 3: rows open connections to columns' });

  it('says on its own what it shows: a caption and every legend entry, below the cells', () => {
    expect(svg).toContain('>shop revision 3: rows open connections to columns</text>');
    for (const entry of LEGEND) expect(svg).toContain(`>${entry.text}</text>`);
    const { labelWidth, height } = heatMapLayout(names);
    const captionY = Number(/<text x="8" y="([\d.]+)" font-weight="bold">/.exec(svg)![1]);
    expect(captionY).toBeGreaterThan(labelWidth + CELL * names.length);
    expect(captionY).toBeLessThan(height);
  });

  it('says below the legend what no cell shows, when the matrix left something out', () => {
    const note = 'IPv6 neighbour discovery (ICMPv6 types 133-136) passes between every pair whatever the policy, and is not shown.';
    const withNote = heatMapSvg(names, (i, j) => grid[i]![j]!, { caption: 'shop', note });
    // The footer's lines come in order: the note after the last legend entry, inside the picture.
    expect(withNote.indexOf(`>${note}</text>`)).toBeGreaterThan(withNote.indexOf(`>${LEGEND.at(-1)!.text}</text>`));
    const noteY = Number(/<text x="8" y="([\d.]+)">IPv6 neighbour discovery/.exec(withNote)![1]);
    expect(noteY).toBeLessThan(heatMapLayout(names).height);
    expect(svg).not.toContain('not shown');
  });

  it('draws and describes a cell by its services alone: ICMPv6 types an edge permits are services like any other', () => {
    // The matrix leaves out what infrastructure passes (shared/analysis/infrastructure-passes.ts), so what a cell holds the policy permits.
    const icmp = { always: serviceSetOf({ icmp: [[icmpValue(133, 0), icmpValue(136, 255)]] }), sometimes: NO_SERVICES, redirected: NO_SERVICES, pairs: 2 };
    expect(cellFill(icmp)).not.toBe(cellFill(closed));
    expect(describeCell('a', 'b', icmp)).toBe('a → b: icmp/133-136');
    const some = { always: NO_SERVICES, sometimes: serviceSetOf({ icmp: [[icmpValue(133, 0), icmpValue(136, 255)]] }), redirected: NO_SERVICES, pairs: 4 };
    expect(describeCell('a', 'b', some)).toBe('a → b: nothing for every pair; some pairs only: icmp/133-136');
  });

  it('explains a closed cell and one without pairs in the words of the legend beside it', () => {
    const legend = LEGEND.map((entry) => entry.text);
    expect(describeCell('app', 'web', closed)).toBe('app → web: nothing permitted');
    expect(legend).toContain('nothing permitted');
    const lonely = describeCell('db', 'db', null);
    expect(legend.some((text) => lonely === `db → db: ${text}`)).toBe(true);
    expect(lonely).toContain('a group with itself of one workload');
  });

  it('escapes names and explains each cell in its tooltip', () => {
    expect(svg).toContain('db &#60;prod&#62;');
    expect(svg).not.toContain('<prod>');
    expect(svg).toContain('<title>web → db &#60;prod&#62;: tcp/5432</title>');
  });
});
