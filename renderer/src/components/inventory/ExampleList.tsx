import type { JSX } from 'react';
import { openExample } from '../../actions/policy-files';
import { useAppStore } from '../../stores/app-store';

interface ExampleListProps {
  /** A quiet footer rather than the offer made when Docker is not there. */
  compact?: boolean;
}

/** The bundled examples: a policy with a static inventory, so the app works without Docker. */
export function ExampleList({ compact = false }: ExampleListProps): JSX.Element | null {
  const examples = useAppStore((s) => s.examples);
  if (examples.length === 0) return null;

  return (
    <div className={compact ? 'examples compact' : 'examples'}>
      <p className={compact ? 'muted' : ''}>{compact ? 'Bundled examples' : 'Open a bundled example instead:'}</p>
      {examples.map((example) => (
        <button
          key={example.name}
          type="button"
          className={compact ? 'link' : 'primary'}
          data-testid="open-example"
          data-example={example.name}
          title={example.description}
          onClick={() => void openExample(example)}
        >
          {example.name}
        </button>
      ))}
    </div>
  );
}
