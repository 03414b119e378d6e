import { describe, expect, it } from 'vitest';
import { settingAt } from './policy-setting';

describe('settingAt', () => {
  it('finds the settings field a path names, down to one entry of a list', () => {
    expect(settingAt('defaults.redirectTo')).toBe('redirectTo');
    expect(settingAt('defaults.betweenGroups')).toBe('betweenGroups');
    expect(settingAt('infrastructure.dnsResolvers.2')).toBe('dnsResolvers');
    expect(settingAt('infrastructure.dhcp')).toBe('dhcp');
  });

  it('leaves paths outside the settings, and look-alike names, to others', () => {
    expect(settingAt('groups.0.selector')).toBeNull();
    expect(settingAt('defaults.redirectToo')).toBeNull();
    expect(settingAt(undefined)).toBeNull();
  });
});
