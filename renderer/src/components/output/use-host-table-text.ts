import { useEffect, useState } from 'react';
import { request } from '../../api/request';

/**
 * The printed flow table of one host of a compile, asked for from the node side when it is
 * shown (the compile itself sends only counts); '' until it arrives, or without a host; a
 * comment saying why when it cannot come.
 */
export function useHostTableText(compileId: string | undefined, host: string | undefined): string {
  const [shown, setShown] = useState<{ key: string; text: string } | null>(null);
  const key = compileId !== undefined && host !== undefined ? `${compileId}/${host}` : null;

  useEffect(() => {
    if (compileId === undefined || host === undefined) return;
    let wanted = true;
    // A failure (another window compiled since) is said where the table would be.
    void request('policy:hostTable', { compileId, host }, { handles: () => true }).then((reply) => {
      if (wanted) setShown({ key: `${compileId}/${host}`, text: reply.ok ? reply.value.text : `# ${reply.error.message}\n` });
    });
    return () => {
      wanted = false;
    };
  }, [compileId, host]);

  return shown !== null && shown.key === key ? shown.text : '';
}
