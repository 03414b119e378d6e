/** A field of the policy settings panel, which edits the policy's own settings (no canvas element). */
export type PolicySetting = 'withinGroup' | 'betweenGroups' | 'redirectTo' | 'dhcp' | 'dnsResolvers';

const SETTINGS: readonly [prefix: string, setting: PolicySetting][] = [
  ['defaults.withinGroup', 'withinGroup'],
  ['defaults.betweenGroups', 'betweenGroups'],
  ['defaults.redirectTo', 'redirectTo'],
  ['infrastructure.dhcp', 'dhcp'],
  ['infrastructure.dnsResolvers', 'dnsResolvers'],
];

/**
 * The settings field a diagnostic's path into the policy is about (`infrastructure.dnsResolvers.1`
 * is the resolvers field), or null for a path outside the settings.
 */
export function settingAt(path: string | undefined): PolicySetting | null {
  if (path === undefined) return null;
  return SETTINGS.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`))?.[1] ?? null;
}
