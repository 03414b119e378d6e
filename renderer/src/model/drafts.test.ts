import { emptyPolicy, type Group } from '@shared/policy/model';
import { describe, expect, it } from 'vitest';
import { checkGroupDraft, emptyGroupDraft, groupDraftOf, groupFromDraft } from './drafts';

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

describe('editing a group in the form', () => {
  const internet: Group = {
    name: 'internet',
    selector: { cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8', '192.168.0.0/16'] },
    position: { x: 10, y: 20 },
  };
  const scrapers: Group = { name: 'scrapers', selector: { namespaceLabels: 'team=ops', labels: 'app=prometheus' } };
  const podsButWeb: Group = { name: 'pods-but-web', selector: { namespace: '*', exclude: [{ labels: 'tier=web' }] } };
  const everyPod: Group = { name: 'every-pod', selector: { labels: '', namespaceLabels: '' } };

  it('changes only what the user changed: except blocks, namespace labels, exclusions and blank selectors stay', () => {
    for (const group of [internet, scrapers, podsButWeb, everyPod]) {
      const edited = groupFromDraft({ ...groupDraftOf(group), description: 'reviewed' }, group);
      expect(edited).toEqual({ ...group, description: 'reviewed' });
    }
  });

  it('takes new except blocks and namespace labels, and drops a criterion cleared to blank', () => {
    const draft = { ...groupDraftOf(internet), except: '10.0.0.0/8, 172.16.0.0/12' };
    expect(groupFromDraft(draft, internet).selector).toEqual({ cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8', '172.16.0.0/12'] });
    expect(groupFromDraft({ ...groupDraftOf(scrapers), namespaceLabels: '  ' }, scrapers).selector).toEqual({ labels: 'app=prometheus' });
    expect(groupFromDraft({ ...emptyGroupDraft(), name: 'net', cidrs: '0.0.0.0/0', except: '10.0.0.0/8' }).selector).toEqual({ cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8'] });
  });

  it('checks the group as it will be, exclusions included, and puts an except error on its field', () => {
    const policy = { ...emptyPolicy(), groups: [internet] };
    expect(checkGroupDraft(policy, groupDraftOf(internet), 'internet')).toEqual({ errors: {}, warnings: [] });
    expect(checkGroupDraft(policy, { ...groupDraftOf(internet), except: '10.0.0.0/33' }, 'internet').errors.except).toContain('10.0.0.0/33');
  });
});
