/**
 * Three groups 20,000 apart, nothing near the origin where the view starts: no group is drawn
 * before the fit, and fitted at the smallest zoom (0.2) the view holds the middle group only.
 */
export const WIDE_POLICY = `apiVersion: microseg.dev/v1
kind: Policy
metadata: { name: wide, revision: 1 }
defaults: { withinGroup: allow, betweenGroups: drop }
groups:
  - { name: west, selector: { labels: tier=web }, canvas: { x: 5000, y: 5000 } }
  - { name: middle, selector: { labels: tier=app }, canvas: { x: 25000, y: 5000 } }
  - { name: east, selector: { labels: tier=db }, canvas: { x: 45000, y: 5000 } }
edges:
  - { id: west-to-middle, from: west, to: middle, services: [tcp/8080], action: allow }
`;
