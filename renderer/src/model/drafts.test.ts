import { emptyPolicy } from '@shared/policy/model';
import { describe, expect, it } from 'vitest';
import { checkGroupDraft, emptyGroupDraft } from './drafts';

describe('the group dialog', () => {
  it('warns, while the selector is written, that labels with cidrs hold both (MS110)', () => {
    const { errors, warnings } = checkGroupDraft(emptyPolicy(), { ...emptyGroupDraft(), name: 'webnet', labels: 'tier=web', cidrs: '10.20.1.12/32' });
    expect(errors).toEqual({});
    expect(warnings).toEqual([expect.stringContaining('group "webnet" holds the workloads its labels select and, besides them, every address in its cidrs')]);
  });

  it('puts a host pattern error on the host field (MS115), and takes an exact host', () => {
    const draft = { ...emptyGroupDraft(), name: 'hosts', labels: 'tier=web' };
    expect(checkGroupDraft(emptyPolicy(), { ...draft, host: 'host-*' }).errors.host).toContain('host takes one exact host name');
    expect(checkGroupDraft(emptyPolicy(), { ...draft, host: 'host-a' })).toEqual({ errors: {}, warnings: [] });
  });
});
