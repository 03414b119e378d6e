import type { SshWait } from './contract';

/** What a queued host of a deploy waits for, in words: `waiting: 2 SSH sessions already open to 10.0.0.5:22`. */
export function deployWaitText(wait: SshWait): string {
  const sessions = (n: number): string => `${n} SSH ${n === 1 ? 'session' : 'sessions'}`;
  if (wait.bound === 'server') return `waiting: ${sessions(wait.open)} already open to ${wait.server}`;
  if (wait.bound === 'operation') return `waiting: ${wait.open} ${wait.open === 1 ? 'host' : 'hosts'} of this deploy in flight`;
  return `waiting: ${sessions(wait.open)} open in all`;
}
