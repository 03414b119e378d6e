import { useStore, type ReactFlowState } from '@xyflow/react';
import { createContext, useContext, useLayoutEffect, type JSX, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

// React Flow's <EdgeLabelRenderer> looks its layer up in the DOM from a store selector, so every
// store update (each Ctrl or Shift press, for multi-selection) ran one querySelector per label:
// about 0.1 s per key event at 5,000 edges. The canvas finds the layer once and hands it down.
const EdgeLabelLayerContext = createContext<HTMLElement | null>(null);

export const EdgeLabelLayerProvider = EdgeLabelLayerContext.Provider;

const domNodeOf = (s: ReactFlowState): HTMLDivElement | null => s.domNode;

/** Inside <ReactFlow>: reports the div edge labels go in, once React Flow has mounted it. */
export function FindEdgeLabelLayer({ onFound }: { onFound: (layer: HTMLElement | null) => void }): null {
  const domNode = useStore(domNodeOf);
  useLayoutEffect(
    () => onFound(domNode?.querySelector<HTMLElement>('.react-flow__edgelabel-renderer') ?? null),
    [domNode, onFound],
  );
  return null;
}

/** An edge's HTML label, drawn over the edges; nothing until the layer is found. */
export function EdgeLabel({ children }: { children: ReactNode }): JSX.Element | null {
  const layer = useContext(EdgeLabelLayerContext);
  return layer ? createPortal(children, layer) : null;
}
