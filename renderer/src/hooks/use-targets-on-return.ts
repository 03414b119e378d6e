import { useEffect } from 'react';
import { readTargetsOnReturn } from '../actions/targets-on-return';

/** While the app is mounted, the SSH targets are read again whenever the window gets the focus back (see readTargetsOnReturn). */
export function useTargetsOnReturn(): void {
  useEffect(() => readTargetsOnReturn(window), []);
}
