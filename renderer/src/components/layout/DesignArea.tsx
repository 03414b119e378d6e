import { useState, type JSX, type ReactNode } from 'react';
import { PolicyCanvas } from '../canvas/PolicyCanvas';
import { PolicyTextView } from '../policy-text/PolicyTextView';
import { usePolicyTextStore, type DesignView } from '../../stores/policy-text-store';
import { onTablistKeyDown } from '../tablist-keys';

/**
 * The middle of the window: the drawing as a canvas, or as the YAML it saves to. Both stay
 * mounted once shown, hidden rather than removed, so the canvas keeps its viewport and the
 * editor its cursor and history.
 */
export function DesignArea(): JSX.Element {
  const view = usePolicyTextStore((s) => s.view);
  const show = usePolicyTextStore((s) => s.show);
  const edited = usePolicyTextStore((s) => s.draft !== null);
  // Monaco loads on first use, not at startup.
  const [textOpened, setTextOpened] = useState(view === 'yaml');
  if (view === 'yaml' && !textOpened) setTextOpened(true);

  return (
    <div className="design-area">
      <div className="tabs design-tabs" role="tablist" aria-label="Show the policy as" onKeyDown={onTablistKeyDown}>
        <ViewTab view="canvas" current={view} onShow={show}>Canvas</ViewTab>
        <ViewTab view="yaml" current={view} onShow={show}>
          YAML
          {edited ? <span className="dirty-marker" data-testid="policy-text-edited" title="Edits not applied to the drawing"> ●</span> : null}
        </ViewTab>
      </div>
      <div className="design-body">
        {/* Inert while hidden: React Flow shows its nodes (visibility) and keeps them in the Tab order,
            so without it the keyboard would select, move and delete groups no one can see. */}
        <div className={view === 'canvas' ? 'design-pane' : 'design-pane hidden'} inert={view !== 'canvas'}>
          <PolicyCanvas active={view === 'canvas'} />
        </div>
        {textOpened ? (
          <div className={view === 'yaml' ? 'design-pane' : 'design-pane hidden'} inert={view !== 'yaml'}>
            <PolicyTextView active={view === 'yaml'} />
          </div>
        ) : null}
      </div>
    </div>
  );
}

interface ViewTabProps {
  view: DesignView;
  current: DesignView;
  onShow: (view: DesignView) => void;
  children: ReactNode;
}

function ViewTab({ view, current, onShow, children }: ViewTabProps): JSX.Element {
  return (
    <button type="button" role="tab" className="tab" aria-selected={view === current} data-testid={`view-${view}`} onClick={() => onShow(view)}>
      {children}
    </button>
  );
}
