import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvents } from '@shared/api/contract';
import type { Inventory } from '@shared/inventory/model';
import { emptyPolicy } from '@shared/policy/model';
import { describe, expect, it } from 'vitest';
import { DeployService } from './deploy-service';
import { HostTargetStore } from './host-targets';
import { createLogger } from './logger';

describe('DeployService.status', () => {
  it('lists a running deploy host by host, then how it ended, for a window that reloads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-deploy-'));
    const targets = new HostTargetStore(join(dir, 'config'));
    // Nothing listens on port 1 of loopback: the connection is refused at once.
    await targets.save({ host: 'h1', address: '127.0.0.1', port: 1, user: 'root', auth: { kind: 'key', keyPath: join(dir, 'no-key') }, bridge: 'br0' });
    let ended: (payload: ApiEvents['deploy:finished']) => void = () => undefined;
    const finished = new Promise<ApiEvents['deploy:finished']>((resolve) => (ended = resolve));
    const service = new DeployService(targets, join(dir, 'config'), join(dir, 'data'), createLogger({ level: 'error' }), (event, payload) => {
      if (event === 'deploy:finished') ended(payload as ApiEvents['deploy:finished']);
    });
    const inventory: Inventory = { readAt: 'x', workloads: [{ id: 's/w1', name: 'w1', host: 'h1', addresses: ['10.0.0.1'], labels: {}, origin: { kind: 'static', source: 's' } }] };
    const { deployId } = await service.start(emptyPolicy('t'), inventory, ['h1']);
    const running = (await service.status()).running;
    expect(running.map((d) => d.deployId)).toEqual([deployId]);
    expect(running[0]!.progress.map((p) => p.host)).toEqual(['h1']);

    const { results } = await finished;
    expect(results[0]!.status).toBe('failed');
    // The deploy failed before its backup, so there is nothing to roll back to.
    expect(await service.status()).toEqual({ running: [], outcomes: results, backups: [] });
  });
});
