import { describe, expect, it } from 'vitest';
import { deployWaitText } from './ssh-wait';

describe('deployWaitText', () => {
  it('names the bound that holds a queued host, with the sessions that fill it', () => {
    expect(deployWaitText({ bound: 'server', server: '10.0.0.5:22', open: 2 })).toBe('waiting: 2 SSH sessions already open to 10.0.0.5:22');
    expect(deployWaitText({ bound: 'server', server: '10.0.0.5:22', open: 1 })).toBe('waiting: 1 SSH session already open to 10.0.0.5:22');
    expect(deployWaitText({ bound: 'operation', open: 8 })).toBe('waiting: 8 hosts of this deploy in flight');
    expect(deployWaitText({ bound: 'total', open: 16 })).toBe('waiting: 16 SSH sessions open in all');
  });
});
