import type { CellServices } from '@shared/analysis/matrix-grid';
import { formatServices, isEmptyServiceSet, serviceCount, SERVICE_DOMAIN } from '@shared/analysis/service-set';

// The heat map as an SVG string: the same picture on screen (inlined) and in the exported
// SVG and PNG files, so what is exported is what was seen.

export const CELL = 22;
const FONT = 12;
const LABEL_CHAR = 7;

export interface HeatMapLayout {
  labelWidth: number;
  width: number;
  height: number;
}

/** When a cell has no member pairs, as the legend and a cell's own explanation both say it. */
const NO_PAIRS = 'no member pairs (an empty group, a group with itself of one workload, one workload in both groups, or only outside addresses)';

/** A cell that permits nothing, in the legend's words: said of a cell, "nothing for every pair" read as if something were. */
const NOTHING = 'nothing permitted';

/** What the colours mean: the panel's legend and the picture's footer, from one list. */
export const LEGEND: readonly { fill: string; text: string; dot?: boolean }[] = [
  { fill: 'hsl(145, 55%, 60%)', text: 'permitted for every pair (darker: more services)' },
  { fill: '#f5c56b', text: 'permitted for some address pairs only' },
  { fill: '#e9ecef', text: NOTHING },
  { fill: '#ffffff', text: NO_PAIRS },
  { fill: '#7048e8', text: 'some connections go to a honeypot', dot: true },
];

/** What the picture's footer says besides the legend: what was analysed, when, and what no cell shows (leftOutNote). */
export interface PictureFooter {
  caption: string;
  note?: string;
}

/**
 * Below the cells, so clicks map to cells from the top-left corner alone: a caption line, one
 * line per legend entry and the note's.
 */
const LINE = 18;
const FOOTER = LINE * (3 + LEGEND.length);
const FOOTER_WIDTH = 16 + LABEL_CHAR * Math.max(...LEGEND.map((e) => e.text.length)) + 24;

/** Labels longer than this are cut (the cell's tooltip has the whole name), so long names don't push the cells away. */
const MAX_LABEL = 24;

export function heatMapLayout(names: readonly string[]): HeatMapLayout {
  const labelWidth = 12 + LABEL_CHAR * Math.max(4, ...names.map((n) => Math.min(n.length, MAX_LABEL)));
  const grid = labelWidth + CELL * names.length + 8;
  return { labelWidth, width: Math.max(grid, FOOTER_WIDTH), height: grid + FOOTER };
}

/** What a cell shows: its services, or null when it has no member pairs. */
export type ShownCell = CellServices | null;

/** Colour of a cell as red, green and blue: white without pairs, grey closed, green (darker for more services) for every pair, amber for some pairs only. */
export function cellRgb(cell: ShownCell): readonly [number, number, number] {
  if (cell === null) return WHITE;
  if (!isEmptyServiceSet(cell.always)) {
    const share = Math.log10(1 + serviceCount(cell.always)) / Math.log10(1 + serviceCount(SERVICE_DOMAIN));
    return hslToRgb(145, 0.55, Math.round(85 - 50 * share) / 100);
  }
  if (!isEmptyServiceSet(cell.sometimes)) return AMBER;
  return GREY;
}

export function cellFill(cell: ShownCell): string {
  const [r, g, b] = cellRgb(cell);
  return `rgb(${r}, ${g}, ${b})`;
}

const WHITE = [255, 255, 255] as const;
const AMBER = [245, 197, 107] as const;
const GREY = [233, 236, 239] as const;

/** The legend's green hues as a canvas needs them (CSS would take `hsl()` as it is). */
function hslToRgb(hue: number, saturation: number, lightness: number): [number, number, number] {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (n: number): number => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (lightness - chroma / 2 * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

/** Whether a cell sends some connections to a honeypot (a dot on the map). */
export function redirects(cell: ShownCell): boolean {
  return cell !== null && !isEmptyServiceSet(cell.redirected);
}

/** In words, for a tooltip and for the explanation below the map. */
export function describeCell(from: string, to: string, cell: ShownCell): string {
  if (cell === null) return `${from} → ${to}: ${NO_PAIRS}`;
  if (isEmptyServiceSet(cell.always) && isEmptyServiceSet(cell.sometimes) && isEmptyServiceSet(cell.redirected)) return `${from} → ${to}: ${NOTHING}`;
  const parts = [isEmptyServiceSet(cell.always) ? 'nothing for every pair' : formatServices(cell.always)];
  if (!isEmptyServiceSet(cell.sometimes)) parts.push(`some pairs only: ${formatServices(cell.sometimes)}`);
  if (!isEmptyServiceSet(cell.redirected)) parts.push(`to a honeypot: ${formatServices(cell.redirected)}`);
  return `${from} → ${to}: ${parts.join('; ')}`;
}

/**
 * The picture: labels, cells (with their explanation as a tooltip), the selected cell, and a
 * footer with the caption (what was analysed, when), the legend and the note (what no cell
 * shows), so an exported file says what it shows on its own.
 */
export function heatMapSvg(names: readonly string[], cellAt: (row: number, column: number) => ShownCell, { caption, note }: PictureFooter, selected?: { row: number; column: number }): string {
  const layout = heatMapLayout(names);
  const { labelWidth, height } = layout;
  // The caption is bold: a little wider per character than the labels.
  const width = Math.max(layout.width, 16 + (LABEL_CHAR + 1) * caption.length, 16 + LABEL_CHAR * (note?.length ?? 0));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="${FONT}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  names.forEach((name, i) => {
    const y = labelWidth + i * CELL + CELL / 2 + FONT / 3;
    const label = escapeXml(name.length > MAX_LABEL ? `${name.slice(0, MAX_LABEL - 1)}…` : name);
    parts.push(`<text x="${labelWidth - 6}" y="${y}" text-anchor="end">${label}</text>`);
    const x = labelWidth + i * CELL + CELL / 2 + FONT / 3;
    parts.push(`<text x="${x}" y="${labelWidth - 6}" transform="rotate(-90 ${x} ${labelWidth - 6})">${label}</text>`);
  });
  for (let i = 0; i < names.length; i++)
    for (let j = 0; j < names.length; j++) {
      const cell = cellAt(i, j);
      const x = labelWidth + j * CELL;
      const y = labelWidth + i * CELL;
      parts.push(`<rect x="${x}" y="${y}" width="${CELL - 1}" height="${CELL - 1}" fill="${cellFill(cell)}" stroke="#ced4da" stroke-width="0.5" data-from="${escapeXml(names[i]!)}" data-to="${escapeXml(names[j]!)}"><title>${escapeXml(describeCell(names[i]!, names[j]!, cell))}</title></rect>`);
      if (redirects(cell)) parts.push(`<circle cx="${x + CELL / 2}" cy="${y + CELL / 2}" r="4" fill="#7048e8"/>`);
    }
  if (selected) parts.push(`<rect x="${labelWidth + selected.column * CELL}" y="${labelWidth + selected.row * CELL}" width="${CELL - 1}" height="${CELL - 1}" fill="none" stroke="#1c7ed6" stroke-width="2"/>`);
  const footer = height - FOOTER;
  parts.push(`<text x="8" y="${footer + LINE}" font-weight="bold">${escapeXml(caption)}</text>`);
  LEGEND.forEach((entry, i) => {
    const y = footer + LINE * (i + 2);
    parts.push(
      entry.dot
        ? `<circle cx="15" cy="${y - FONT / 3}" r="4" fill="${entry.fill}"/>`
        : `<rect x="8" y="${y - FONT + 1}" width="14" height="${FONT}" fill="${entry.fill}" stroke="#ced4da" stroke-width="0.5"/>`,
      `<text x="28" y="${y}">${escapeXml(entry.text)}</text>`,
    );
  });
  if (note) parts.push(`<text x="8" y="${footer + LINE * (LEGEND.length + 2)}">${escapeXml(note)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
