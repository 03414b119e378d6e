import { emptyPolicy, type Policy } from '@shared/policy/model';
import { describe, expect, it } from 'vitest';
import { groupDraftOf, groupFromDraft } from './drafts';
import { withEdgeAdded, withGroupMoved, withGroupReplaced } from './policy-edits';
import { sameNamesAndSelectors, samePolicyContent } from './same-input';

describe('membership is resolved again only when it can change', () => {
  const policy: Policy = {
    ...emptyPolicy(),
    groups: [
      { name: 'web', selector: { labels: 'tier=web' }, position: { x: 0, y: 0 } },
      { name: 'db', selector: { labels: 'tier=db' } },
    ],
  };
  const web = policy.groups[0]!;

  it('not for a drag, a description or a new edge', () => {
    const moved = withGroupMoved(policy, 'web', { x: 40, y: 80 });
    const described = withGroupReplaced(policy, 'web', groupFromDraft({ ...groupDraftOf(web), description: 'storefront' }, web));
    const joined = withEdgeAdded(policy, { id: 'web-to-db', from: 'web', to: 'db', services: [], action: 'allow' });
    for (const next of [moved, described, joined]) expect(sameNamesAndSelectors(policy.groups, next.groups)).toBe(true);
  });

  it('for a new selector, a rename, or a group added', () => {
    const reselected = withGroupReplaced(policy, 'web', groupFromDraft({ ...groupDraftOf(web), labels: 'tier=front' }, web));
    const renamed = withGroupReplaced(policy, 'web', groupFromDraft({ ...groupDraftOf(web), name: 'front' }, web));
    const added = { ...policy, groups: [...policy.groups, { name: 'app', selector: { labels: 'tier=app' } }] };
    for (const next of [reselected, renamed, added]) expect(sameNamesAndSelectors(policy.groups, next.groups)).toBe(false);
  });
});

describe('a compile still describes the drawing', () => {
  const policy: Policy = { ...emptyPolicy(), groups: [{ name: 'web', selector: { labels: 'tier=web' } }, { name: 'db', selector: { labels: 'tier=db' } }] };
  const web = policy.groups[0]!;

  it('after groups are moved, or the file saved', () => {
    const moved = withGroupMoved(withGroupMoved(policy, 'web', { x: 300, y: 40 }), 'db', { x: 0, y: 0 });
    expect(samePolicyContent(policy, moved)).toBe(true);
    expect(samePolicyContent(policy, { ...moved, revision: 7 })).toBe(true);
  });

  it('not after anything else of a group changes, nor after groups change places in the list', () => {
    const isolated = withGroupReplaced(policy, 'web', { ...web, isolated: true });
    const described = withGroupReplaced(policy, 'web', { ...web, description: 'storefront' });
    const reordered = { ...policy, groups: [...policy.groups].reverse() };
    for (const next of [isolated, described, reordered]) expect(samePolicyContent(policy, next)).toBe(false);
  });

  it('not after DHCP or the DNS resolvers change: they are flows too', () => {
    const dhcp = { ...policy, infrastructure: { dhcp: true, dnsResolvers: [] } };
    const dns = { ...policy, infrastructure: { dhcp: false, dnsResolvers: ['10.0.0.53'] } };
    for (const next of [dhcp, dns]) expect(samePolicyContent(policy, next)).toBe(false);
  });
});
