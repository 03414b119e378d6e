import type { ApiErrorData } from '@shared/api/contract';
import { request } from './request';

/**
 * The stopIds (see the contract's work:stop) of the work under way, one per key: a host's
 * rollback or port read, a running matrix or replay. Each new run gets a fresh id, never reused.
 */
export class StopIds<K> {
  private readonly ids = new Map<K, string>();

  /** A fresh id for the work starting under `key`; it replaces any id kept there. */
  start(key: K): string {
    const id = crypto.randomUUID();
    this.ids.set(key, id);
    return id;
  }

  /** The id of the work under way under `key`, if any. */
  current(key: K): string | undefined {
    return this.ids.get(key);
  }

  /** Forgets `id` once its work ended; a later run's id under the same key stays. */
  end(key: K, id: string): void {
    if (this.ids.get(key) === id) this.ids.delete(key);
  }

  /** Stops the work under way under `key`, if any: its requests end as `stopped`. Its id is kept until `end`, as its answers may still come. */
  stop(key: K): void {
    const id = this.ids.get(key);
    if (id !== undefined) void request('work:stop', { stopId: id });
  }
}

/** A request the user stopped: an answer to show where it was asked, not a failure to report. */
export function wasStopped(error: ApiErrorData): boolean {
  return error.code === 'stopped';
}
