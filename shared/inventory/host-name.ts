/**
 * What a workload's host may be called. Host names become file names and SSH targets, so they
 * are kept to what a host name can be; a group's `host` criterion is held to the same rule, as
 * a name outside it could never match.
 */
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,252}$/;

/** The rule in words, for messages. */
export const HOST_NAME_RULE = 'letters, digits, ".", "-", "_", ":"';

export function isHostName(text: string): boolean {
  return HOST_NAME.test(text);
}
