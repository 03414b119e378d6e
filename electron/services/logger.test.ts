import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger';

describe('createLogger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes one line per call, with control characters of the message and fields escaped', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    createLogger({ scope: 'inventory' }).info('read shop\u001b[2J.yaml', { file: 'inv\u0007.csv', workloads: 3, name: 'a\nb', plain: 'web-1' });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\S+ info inventory read shop\\u001b\[2J\.yaml file="inv\\u0007\.csv" workloads=3 name="a\\nb" plain=web-1\n$/);
  });
});
