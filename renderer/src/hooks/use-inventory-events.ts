import { useEffect } from 'react';
import { applyInventoryChange } from '../actions/live-inventory';
import { api } from '../api/client';

/** Feeds live source changes (Kubernetes watches) into the inventory for as long as the app is mounted. */
export function useInventoryEvents(): void {
  useEffect(() => api.subscribe('inventory:changed', applyInventoryChange), []);
}
