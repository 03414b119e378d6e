import { useEffect } from 'react';
import { api } from '../api/client';
import { useDeployStore } from '../stores/deploy-store';

/** Feeds deploy events into the deploy store for as long as the app is mounted. */
export function useDeployEvents(): void {
  useEffect(() => {
    const { onProgress, onFinished } = useDeployStore.getState();
    const unsubscribe = [
      api.subscribe('deploy:progress', onProgress),
      api.subscribe('deploy:finished', (payload) => onFinished(payload.deployId, payload.results)),
    ];
    return () => unsubscribe.forEach((off) => off());
  }, []);
}
