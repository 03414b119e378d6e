import { quotedName } from '../text';

/** The longest host name DNS allows, in characters. */
const MAX_HOST_NAME = 253;

/**
 * What a workload's host may be called. Host names become file names and SSH targets, so they
 * are kept to what a host name can be; a group's `host` criterion is held to the same rule, as
 * a name outside it could never match.
 */
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,252}$/;

/** The rule in words, for messages. */
export const HOST_NAME_RULE = 'letters, digits, ".", "-", "_" and ":"';

export function isHostName(text: string): boolean {
  return HOST_NAME.test(text);
}

/** Why a workload's host cannot be called so (too long, its first character, a character it cannot hold); undefined when it can. */
export function hostNameProblem(host: string): string | undefined {
  if (isHostName(host)) return undefined;
  // Quoted by its head and length, as every message quotes a long name: a pasted line must not flood the panel.
  if (host.length > MAX_HOST_NAME) return `host name ${quotedName(host)} is longer than the ${MAX_HOST_NAME} characters a host name may have`;
  if (!/^[A-Za-z0-9]/.test(host)) return `host name ${JSON.stringify(host)} must start with a letter or digit`;
  return `host name ${JSON.stringify(host)} may hold only ${HOST_NAME_RULE}`;
}
