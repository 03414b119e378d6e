import {
  ApiError,
  type ApiErrorData,
  type ApiResponse,
  type RequestArgs,
  type RequestChannel,
  type RequestResult,
} from '@shared/api/contract';
import { hostsOfRequest, useNoticeStore } from '../stores/notice-store';
import { api } from './client';

/** What the notice title says failed, in the user's words rather than the channel's. */
const ACTIONS: Record<RequestChannel, string> = {
  'app:info': 'Reading the app information',
  'examples:list': 'Listing the bundled examples',
  'file:read': 'Opening the file',
  'file:write': 'Saving the file',
  'dialog:open': 'Showing the open dialog',
  'dialog:save': 'Showing the save dialog',
  'inventory:sources': 'Listing inventory sources',
  'inventory:load': 'Loading the inventory',
  'inventory:close': 'Closing the inventory source',
  'inventory:check': 'Checking the inventory file',
  'policy:compile': 'Compiling the policy',
  'policy:hostTable': "Reading the host's flow table",
  'trace:simulate': 'Simulating the connection',
  'hosts:list': 'Listing saved host targets',
  'hosts:save': 'Saving the host target',
  'hosts:remove': 'Removing the host target',
  'deploy:start': 'Starting the deploy',
  'deploy:cancel': 'Cancelling the deploy',
  'deploy:status': 'Reading the state of deploys',
  'deploy:rollbackPreview': 'Reading what a rollback would change',
  'deploy:rollback': 'Rolling back',
  'hosts:containerPorts': 'Reading the switch ports',
  'trace:switch': 'Tracing on the switch',
  'analysis:matrix': 'Computing the reachability matrix',
  'analysis:impact': 'Working out the impact of the change',
  'analysis:replay': 'Replaying the connection log',
  'kubernetes:import': 'Importing NetworkPolicies',
  'kubernetes:export': 'Exporting NetworkPolicies',
  'work:stop': 'Stopping the work on the hosts',
};

export interface RequestOptions {
  /** Return true when the caller shows this error itself; otherwise it becomes a notice. */
  handles?: (error: ApiErrorData) => boolean;
}

/**
 * Calls the API and never throws: a failure comes back as data and, unless the caller
 * handles it, as a visible notice, so no error is swallowed on the way.
 */
export async function request<C extends RequestChannel>(
  channel: C,
  args: RequestArgs<C>,
  options: RequestOptions = {},
): Promise<ApiResponse<RequestResult<C>>> {
  try {
    const value = await api.request(channel, args);
    useNoticeStore.getState().settle(ACTIONS[channel]);
    return { ok: true, value };
  } catch (cause) {
    const error = toErrorData(cause);
    if (!options.handles?.(error)) {
      useNoticeStore.getState().push({ title: ACTIONS[channel], ...error, hosts: hostsOfRequest(args) });
    }
    return { ok: false, error };
  }
}

/** Typed API errors keep their code; anything else (the host is gone, a bug) is reported as such. */
export function toErrorData(cause: unknown): ApiErrorData {
  if (cause instanceof ApiError) {
    return { code: cause.code, message: cause.message, ...(cause.detail ? { detail: cause.detail } : {}) };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return {
    code: 'internal',
    message: `no usable answer from the Microseg service (${message}); is it still running?`,
  };
}
