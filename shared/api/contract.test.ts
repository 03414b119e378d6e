import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  EVENT_CHANNELS} from './contract';
import {
  REQUEST_CHANNELS,
  isEventChannel,
  isRequestChannel,
  type ApiClient,
  type ApiEvents,
  type ApiRequests,
  type DeployCancel,
  type NetworkPolicyImport,
  type NetworkPolicyOrigin,
  type RequestArgs,
  type RequestResult,
} from './contract';

// The contract is types; these checks fail to compile (npm run typecheck) or to run when the
// allowlists drift from the maps both transports are typed from.

type Missing<Listed extends readonly string[], All> = Exclude<All, Listed[number]>;

describe('the UI ↔ main-process contract', () => {
  it('lists every request and event channel in the allowlists, and nothing else', () => {
    expectTypeOf<Missing<typeof REQUEST_CHANNELS, keyof ApiRequests>>().toEqualTypeOf<never>();
    expectTypeOf<Missing<typeof EVENT_CHANNELS, keyof ApiEvents>>().toEqualTypeOf<never>();
    expect(new Set(REQUEST_CHANNELS).size).toBe(REQUEST_CHANNELS.length);
    expect(REQUEST_CHANNELS.every((c) => /^[a-z]+:[a-z]+$/i.test(c))).toBe(true);
  });

  it('types arguments and results per channel', () => {
    expectTypeOf<RequestArgs<'file:read'>>().toEqualTypeOf<{ path: string }>();
    expectTypeOf<RequestResult<'dialog:open'>>().toEqualTypeOf<string | null>();
    expectTypeOf<RequestArgs<'kubernetes:import'>['from']>().toEqualTypeOf<NetworkPolicyOrigin>();
    expectTypeOf<RequestResult<'kubernetes:import'>>().toEqualTypeOf<NetworkPolicyImport>();
    expectTypeOf<RequestArgs<'deploy:cancel'>>().toEqualTypeOf<{ deployId: string }>();
    expectTypeOf<RequestResult<'deploy:cancel'>>().toEqualTypeOf<DeployCancel>();
    expectTypeOf<ApiClient['request']>().parameter(0).toEqualTypeOf<keyof ApiRequests>();
  });

  it('accepts only known channel names at runtime', () => {
    expect(isRequestChannel('policy:compile')).toBe(true);
    expect(isRequestChannel('shell:exec')).toBe(false);
    expect(isRequestChannel(42)).toBe(false);
    expect(isEventChannel('deploy:progress')).toBe(true);
    expect(isEventChannel('deploy:start')).toBe(false);
  });
});
