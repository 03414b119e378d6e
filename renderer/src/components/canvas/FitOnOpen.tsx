import { useNodesInitialized, useReactFlow } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import { usePolicyStore } from '../../stores/policy-store';
import { CANVAS_FIT_GLIDE } from './canvas-fit';

/**
 * Fits a newly opened policy into view once its nodes have been measured; one opened while the
 * canvas was hidden (`active` false: it still draws the policy before), once it is shown.
 */
export function FitOnOpen({ active }: { active: boolean }): null {
  const generation = usePolicyStore((s) => s.generation);
  const initialized = useNodesInitialized();
  const { fitView } = useReactFlow();
  const fitted = useRef(0);

  useEffect(() => {
    if (!active || !initialized || fitted.current === generation) return;
    fitted.current = generation;
    void fitView(CANVAS_FIT_GLIDE);
  }, [active, generation, initialized, fitView]);

  return null;
}
