import { useEffect } from 'react';
import { api } from '../api/client';
import { useDeployStore } from '../stores/deploy-store';

/** Feeds deploy events into the deploy store for as long as the app is mounted. */
export function useDeployEvents(): void {
  useEffect(() => {
    const { onProgress, onFinished, onRolledBack } = useDeployStore.getState();
    const unsubscribe = [
      api.subscribe('deploy:progress', onProgress),
      api.subscribe('deploy:finished', (payload) => onFinished(payload.deployId, payload.results)),
      api.subscribe('deploy:rolledBack', (payload) => onRolledBack(payload.result)),
    ];
    return () => unsubscribe.forEach((off) => off());
  }, []);
}
