import type { Protocol, Service } from './model';

const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp', 'sctp', 'icmp', 'any'];
const PORTED: ReadonlySet<Protocol> = new Set(['tcp', 'udp', 'sctp']);

export type ServiceParse = { ok: true; service: Service } | { ok: false; message: string };

/**
 * Parses the compact service notation used in policy files and the edge editor:
 * `tcp/8080`, `udp/53`, `tcp/9000-9010`, `tcp` (all ports), `icmp`, `any`.
 */
export function parseService(text: string): ServiceParse {
  const trimmed = text.trim().toLowerCase();
  const [proto, portText, extra] = trimmed.split('/');
  if (extra !== undefined) return fail(text, 'use one slash, as in tcp/8080');
  if (!PROTOCOLS.includes(proto as Protocol)) {
    return fail(text, `protocol must be one of ${PROTOCOLS.join(', ')}`);
  }
  const protocol = proto as Protocol;
  if (portText === undefined) return { ok: true, service: { protocol } };
  // "tcp/" is a port forgotten, not "all ports": never widen a rule by accident.
  if (portText.trim() === '') return fail(text, `write a port after the slash (tcp/443), or just "${protocol}" for every port`);
  if (!PORTED.has(protocol)) return fail(text, `${protocol} has no ports; write just "${protocol}"`);

  const bounds = portText.split('-');
  if (bounds.length > 2) return fail(text, 'a port range is written low-high, as in 9000-9010');
  const from = parsePort(bounds[0] ?? '');
  const to = bounds.length === 2 ? parsePort(bounds[1] ?? '') : from;
  if (from === null || to === null) return fail(text, 'ports are whole numbers from 1 to 65535');
  if (from > to) return fail(text, `range ${from}-${to} is upside down; write ${to}-${from}`);
  return { ok: true, service: { protocol, ports: { from, to } } };
}

/** The inverse of parseService; stable, so saved files do not churn. */
export function formatService(service: Service): string {
  if (!service.ports) return service.protocol;
  const { from, to } = service.ports;
  return from === to ? `${service.protocol}/${from}` : `${service.protocol}/${from}-${to}`;
}

function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

function fail(text: string, why: string): ServiceParse {
  return { ok: false, message: `service "${text}" is not valid: ${why}` };
}
