/** One `tp_dst` match: a port, or a port with a bit mask. */
export interface PortMatch {
  value: number;
  mask: number;
}

/**
 * Covers an inclusive port range with the fewest value/mask pairs (aligned power-of-two
 * blocks), e.g. 80-103 becomes 80/0xfff0 and 96/0xfff8.
 */
export function portRangeMasks(from: number, to: number): PortMatch[] {
  const matches: PortMatch[] = [];
  let start = from;
  while (start <= to) {
    let size = start === 0 ? 0x10000 : start & -start;
    while (start + size - 1 > to) size >>= 1;
    matches.push({ value: start, mask: 0xffff & ~(size - 1) });
    start += size;
  }
  return matches;
}

/** `8080` for an exact port, `0x50/0xfff0` for a masked block. */
export function formatPortMatch(m: PortMatch): string {
  return m.mask === 0xffff ? String(m.value) : `0x${m.value.toString(16)}/0x${m.mask.toString(16)}`;
}
