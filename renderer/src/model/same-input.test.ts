import type { Inventory, Workload } from '@shared/inventory/model';
import { emptyPolicy, type Policy } from '@shared/policy/model';
import { describe, expect, it } from 'vitest';
import { groupDraftOf, groupFromDraft } from './drafts';
import { withEdgeAdded, withGroupMoved, withGroupReplaced } from './policy-edits';
import { isCompileCurrent, sameNamesAndSelectors, samePolicyContent } from './same-input';

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

describe('a compile still describes the inventory', () => {
  const policy = emptyPolicy('shop');
  const web: Workload = { id: 'static:shop/web-1', name: 'web-1', host: 'h1', addresses: ['10.0.0.1'], labels: { tier: 'web' }, origin: { kind: 'static', source: 'shop' } };
  const shop: Inventory = { workloads: [web], readAt: '2026-01-01T00:00:00Z' };
  const none: Inventory = { workloads: [], readAt: '2026-01-01T00:00:00Z' };

  it('while the inventory it was compiled for is open', () => {
    expect(isCompileCurrent({ policy, inventory: shop }, policy, shop)).toBe(true);
  });

  it('not once every source is closed: its workloads are gone from the drawing', () => {
    expect(isCompileCurrent({ policy, inventory: shop }, policy, null)).toBe(false);
  });

  it('with no inventory open, when it was compiled without workloads', () => {
    expect(isCompileCurrent({ policy, inventory: none }, policy, null)).toBe(true);
  });
});
