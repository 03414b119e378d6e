import type { MatrixCell } from '@shared/analysis/matrix';
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

/** Labels longer than this are cut (the cell's tooltip has the whole name), so long names don't push the cells away. */
const MAX_LABEL = 24;

export function heatMapLayout(names: readonly string[]): HeatMapLayout {
  const labelWidth = 12 + LABEL_CHAR * Math.max(4, ...names.map((n) => Math.min(n.length, MAX_LABEL)));
  return { labelWidth, width: labelWidth + CELL * names.length + 8, height: labelWidth + CELL * names.length + 8 };
}

/** Fill of a cell: grey closed, green (darker for more services) for every pair, amber for some pairs only. */
export function cellFill(cell: MatrixCell): string {
  if (cell.pairs === 0) return '#ffffff';
  if (!isEmptyServiceSet(cell.always)) {
    const share = Math.log10(1 + serviceCount(cell.always)) / Math.log10(1 + serviceCount(SERVICE_DOMAIN));
    const lightness = Math.round(85 - 50 * share);
    return `hsl(145, 55%, ${lightness}%)`;
  }
  if (!isEmptyServiceSet(cell.sometimes)) return '#f5c56b';
  return '#e9ecef';
}

/** In words, for a tooltip and for the explanation below the map. */
export function describeCell(from: string, to: string, cell: MatrixCell): string {
  if (cell.pairs === 0) return `${from} → ${to}: no member pairs (a group is empty, or one address is in both)`;
  const parts = [isEmptyServiceSet(cell.always) ? 'nothing for every pair' : formatServices(cell.always)];
  if (!isEmptyServiceSet(cell.sometimes)) parts.push(`some pairs only: ${formatServices(cell.sometimes)}`);
  if (!isEmptyServiceSet(cell.redirected)) parts.push(`to a honeypot: ${formatServices(cell.redirected)}`);
  return `${from} → ${to}: ${parts.join('; ')}`;
}

export function heatMapSvg(names: readonly string[], cells: readonly (readonly MatrixCell[])[], selected?: { row: number; column: number }): string {
  const { labelWidth, width, height } = heatMapLayout(names);
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
  cells.forEach((row, i) =>
    row.forEach((cell, j) => {
      const x = labelWidth + j * CELL;
      const y = labelWidth + i * CELL;
      parts.push(`<rect x="${x}" y="${y}" width="${CELL - 1}" height="${CELL - 1}" fill="${cellFill(cell)}" stroke="#ced4da" stroke-width="0.5" data-from="${escapeXml(names[i]!)}" data-to="${escapeXml(names[j]!)}"><title>${escapeXml(describeCell(names[i]!, names[j]!, cell))}</title></rect>`);
      if (!isEmptyServiceSet(cell.redirected)) parts.push(`<circle cx="${x + CELL / 2}" cy="${y + CELL / 2}" r="4" fill="#7048e8"/>`);
    }),
  );
  if (selected) parts.push(`<rect x="${labelWidth + selected.column * CELL}" y="${labelWidth + selected.row * CELL}" width="${CELL - 1}" height="${CELL - 1}" fill="none" stroke="#1c7ed6" stroke-width="2"/>`);
  parts.push('</svg>');
  return parts.join('');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
