import { describe, expect, it } from 'vitest';
import { isFullPath, typedPathProblem } from './typed-path';

describe('typed paths', () => {
  it('accepts full paths of Linux, macOS and Windows', () => {
    for (const p of ['/home/me/shop.yaml', 'C:\\Users\\me\\shop.yaml', 'd:/shop.yaml', '\\\\server\\share\\shop.yaml']) {
      expect(isFullPath(p)).toBe(true);
    }
  });

  it('refuses relative and home-relative paths, and says where to start instead', () => {
    expect(isFullPath('shop.yaml')).toBe(false);
    expect(typedPathProblem('policies/shop.yaml', '/home/me')).toContain('e.g. /home/me/policies/shop.yaml');
    expect(typedPathProblem('~/shop.yaml', '/home/me')).toBe('"~/shop.yaml" is not a full path: "~" is not expanded to a home folder here (no shell reads the path), so it would name a folder called "~" wherever the Microseg service happens to run. Type the full path, e.g. /home/me/shop.yaml');
    expect(typedPathProblem('/home/me/shop.yaml', '/home/me')).toBeNull();
  });
});
