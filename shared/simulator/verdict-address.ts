import type { Family } from '../net/address';
import { addressBits, formatAddress, type AddressBits } from './address-bits';
import type { VerdictEnd } from './verdict-ends';

/**
 * One address as the verdict engine carries it: parsed once, then compared as numbers. IPv4
 * addresses also hold their value as an unsigned 32-bit number, so the hot path never touches
 * a bigint for them; IPv6 keeps only the bigint (slower, still exact).
 */
export interface EngineAddress {
  /** Dense, from 0: per-table and per-host caches are arrays indexed by it. */
  id: number;
  family: Family;
  /** The value for IPv4 (0..2^32-1); 0 for IPv6. */
  v4: number;
  value: bigint;
  /** Canonical text (formatAddress), as simulatePath reports a redirect target. */
  text: string;
  /** The host this address sits behind (PathOptions.hostOf), for following a redirect. */
  host: string | undefined;
  /** The end a text verdict last made of this address (VerdictEngine.endOf): most callers name the same host every time. */
  lastEnd: VerdictEnd | undefined;
}

/**
 * Beyond this many spellings the spelling cache starts over. The records stay: one per distinct
 * address ever asked about (a few hundred bytes each), so a caller probing millions of
 * random addresses should use a fresh engine now and then.
 */
const MAX_SPELLINGS = 1 << 20;

/**
 * Interns addresses: every spelling of one address maps to one EngineAddress, created on
 * first sight. Deterministic; the only state is the cache.
 */
export class AddressBook {
  private readonly bySpelling = new Map<string, EngineAddress>();
  private readonly byCanonical = new Map<string, EngineAddress>();
  private readonly all: EngineAddress[] = [];

  constructor(private readonly hostOf: ReadonlyMap<string, string> | undefined) {}

  get size(): number {
    return this.all.length;
  }

  /** The address a text names; null when it is no IP address. */
  lookup(text: string): EngineAddress | null {
    const known = this.bySpelling.get(text);
    if (known) return known;
    const bits = addressBits(text);
    if (!bits) return null;
    const address = this.intern(bits);
    if (this.bySpelling.size >= MAX_SPELLINGS) this.bySpelling.clear();
    this.bySpelling.set(text, address);
    return address;
  }

  /** The record with this id (ids come from this book). */
  byId(id: number): EngineAddress {
    return this.all[id]!;
  }

  /** The one record of these bits. */
  intern(bits: AddressBits): EngineAddress {
    const text = formatAddress(bits);
    const known = this.byCanonical.get(text);
    if (known) return known;
    const address: EngineAddress = {
      id: this.all.length,
      family: bits.family,
      v4: bits.family === 4 ? Number(bits.value) : 0,
      value: bits.value,
      text,
      host: hostOfAddress(this.hostOf, text),
      lastEnd: undefined,
    };
    this.all.push(address);
    this.byCanonical.set(text, address);
    return address;
  }
}

/** As simulatePath finds the host of a redirect target: the canonical key, else any key that spells it. */
function hostOfAddress(hosts: ReadonlyMap<string, string> | undefined, canonical: string): string | undefined {
  if (!hosts) return undefined;
  const direct = hosts.get(canonical);
  if (direct !== undefined) return direct;
  for (const [key, host] of hosts) {
    const bits = addressBits(key);
    if (bits && formatAddress(bits) === canonical) return host;
  }
  return undefined;
}
