import { useEffect, useRef, type JSX } from 'react';
import type { editor } from 'monaco-editor/editor/editor.api';
import { FLOWS_THEME, OVS_FLOWS_LANGUAGE } from '../../monaco/ovs-flows-language';

interface FlowEditorProps {
  text: string;
}

/** A read-only Monaco view of one host's flow table, loaded on first use to keep startup quick. */
export function FlowEditor({ text }: FlowEditorProps): JSX.Element {
  const container = useRef<HTMLDivElement>(null);
  const view = useRef<editor.IStandaloneCodeEditor | null>(null);
  // The editor loads asynchronously; it starts with whatever text is current by then.
  const latestText = useRef(text);

  useEffect(() => {
    let disposed = false;
    void import('../../monaco/monaco-setup').then(({ monaco }) => {
      if (disposed || !container.current) return;
      view.current = monaco.editor.create(container.current, {
        value: latestText.current,
        language: OVS_FLOWS_LANGUAGE,
        theme: FLOWS_THEME,
        readOnly: true,
        domReadOnly: true,
        automaticLayout: true,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        wordWrap: 'off',
        fontSize: 12,
        lineNumbersMinChars: 4,
        renderLineHighlight: 'line',
      });
    });
    return () => {
      disposed = true;
      view.current?.dispose();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    latestText.current = text;
    const current = view.current;
    if (current && current.getValue() !== text) {
      current.setValue(text);
      current.setScrollTop(0);
    }
  }, [text]);

  return <div ref={container} className="flow-editor" data-testid="flow-editor" />;
}
