import type { Severity } from '@shared/diagnostics';
import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import { useEffect, useRef, type JSX } from 'react';
import type { DiagnosticRange } from '../../model/diagnostic-ranges';
import { FLOWS_THEME } from '../../monaco/ovs-flows-language';

/** What the YAML view may ask of the editor once it has loaded. */
export interface PolicyTextEditorHandle {
  /** Puts the cursor at a place of the text, scrolls to it and gives the editor the focus. */
  reveal: (line: number, column: number) => void;
  focus: () => void;
  /** The text was applied: the typing before it is the drawing's history now, no longer the editor's to undo. */
  forgetTyping: () => void;
}

interface PolicyTextEditorProps {
  /**
   * The text to show; the editor takes it whenever it is not what the editor already holds.
   * Null while it is not known yet: the editor keeps what it holds and takes no typing meanwhile.
   */
  text: string | null;
  /** Null while the text is being checked: the markers stay, and Monaco moves them with the edits. */
  ranges: readonly DiagnosticRange[] | null;
  /** The editor's text after the user changed it (never after the editor took `text`). */
  onType: (text: string) => void;
  /** Ctrl/Cmd+Enter. */
  onApply: () => void;
  /** Ctrl/Cmd+S: apply, then save. */
  onApplyAndSave: () => void;
  /**
   * Ctrl/Cmd+Z, or Ctrl/Cmd+Shift+Z or +Y, when the editor has no typing of its own to take back
   * or make again (right after Apply, say: taking the applied text empties its history).
   */
  onHistory: (step: 'undo' | 'redo') => void;
  onReady: (handle: PolicyTextEditorHandle) => void;
}

const MARKER_OWNER = 'microseg-policy';

/** Monaco editing the policy as YAML, loaded on first use; the policy's own parser supplies its markers. */
export function PolicyTextEditor({ text, ranges, onType, onApply, onApplyAndSave, onHistory, onReady }: PolicyTextEditorProps): JSX.Element {
  const container = useRef<HTMLDivElement>(null);
  const view = useRef<{ monaco: typeof MonacoApi; editor: MonacoApi.editor.IStandaloneCodeEditor } | null>(null);
  // The editor loads asynchronously and outlives renders: it reads the latest props through refs.
  const latest = useRef({ text, ranges, onType, onApply, onApplyAndSave, onHistory, onReady });
  useEffect(() => {
    latest.current = { text, ranges, onType, onApply, onApplyAndSave, onHistory, onReady };
  });
  // True while the editor takes `text`, so that change is not reported as typing.
  const taking = useRef(false);

  useEffect(() => {
    let disposed = false;
    void import('../../monaco/monaco-setup').then(({ monaco }) => {
      if (disposed || !container.current) return;
      const editor = monaco.editor.create(container.current, {
        value: latest.current.text ?? '',
        readOnly: latest.current.text === null,
        readOnlyMessage: { value: 'The drawing is being written as YAML; a moment.' },
        language: 'yaml',
        theme: FLOWS_THEME,
        ariaLabel: 'Policy as YAML. Ctrl+Enter applies it to the drawing, Ctrl+S applies and saves, F8 goes to the next problem, Ctrl+M then Tab leaves the editor.',
        automaticLayout: true,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        fontSize: 12,
        lineNumbersMinChars: 4,
        tabSize: 2,
        insertSpaces: true,
        renderLineHighlight: 'line',
        fixedOverflowWidgets: true,
      });
      editor.onDidChangeModelContent(() => {
        if (!taking.current) latest.current.onType(editor.getValue());
      });
      // addAction, not addCommand: an action's keys belong to this editor only, not to the flow preview too.
      editor.addAction({
        id: 'microseg.policyText.apply',
        label: 'Apply the YAML to the drawing',
        keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
        run: () => latest.current.onApply(),
      });
      editor.addAction({
        id: 'microseg.policyText.applyAndSave',
        label: 'Apply the YAML to the drawing and save',
        keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
        run: () => latest.current.onApplyAndSave(),
      });
      // The editor's own undo first, for typing; once it has nothing left, the keys reach the drawing's history.
      const history = (step: 'undo' | 'redo'): void => {
        const model = editor.getModel();
        if (model && (step === 'undo' ? model.canUndo() : model.canRedo())) editor.trigger('keyboard', step, null);
        else latest.current.onHistory(step);
      };
      editor.addAction({
        id: 'microseg.policyText.undo',
        label: 'Undo typing, or else the last change to the drawing',
        keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyZ],
        run: () => history('undo'),
      });
      editor.addAction({
        id: 'microseg.policyText.redo',
        label: 'Redo typing, or else the change to the drawing just undone',
        keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.KeyZ, monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyY],
        run: () => history('redo'),
      });
      view.current = { monaco, editor };
      showMarkers(monaco, editor, latest.current.ranges ?? []);
      latest.current.onReady({
        reveal: (line, column) => {
          editor.setPosition({ lineNumber: line, column });
          editor.revealPositionInCenterIfOutsideViewport({ lineNumber: line, column });
          editor.focus();
        },
        focus: () => editor.focus(),
        forgetTyping: () => take(editor, editor.getValue(), taking),
      });
    });
    return () => {
      disposed = true;
      view.current?.editor.dispose();
      view.current = null;
    };
  }, []);

  // The drawing changed, or the draft was dropped: take the text, keeping the cursor and scroll where they were.
  useEffect(() => {
    const editor = view.current?.editor;
    if (!editor) return;
    editor.updateOptions({ readOnly: text === null });
    if (text === null || editor.getValue() === text) return;
    take(editor, text, taking);
  }, [text]);

  useEffect(() => {
    if (view.current && ranges) showMarkers(view.current.monaco, view.current.editor, ranges);
  }, [ranges]);

  return <div ref={container} className="policy-text-editor nokey" data-testid="policy-text-editor" />;
}

/**
 * Takes `value` as a new text, with an empty history, the cursor and scroll staying where they
 * were; `taking` is set meanwhile, so the change is not reported as typing.
 */
function take(editor: MonacoApi.editor.IStandaloneCodeEditor, value: string, taking: { current: boolean }): void {
  const state = editor.saveViewState();
  taking.current = true;
  editor.setValue(value);
  taking.current = false;
  if (state) editor.restoreViewState(state);
}

function showMarkers(monaco: typeof MonacoApi, editor: MonacoApi.editor.IStandaloneCodeEditor, ranges: readonly DiagnosticRange[]): void {
  const model = editor.getModel();
  if (!model) return;
  const severity: Record<Severity, MonacoApi.MarkerSeverity> = {
    error: monaco.MarkerSeverity.Error,
    warning: monaco.MarkerSeverity.Warning,
    info: monaco.MarkerSeverity.Info,
  };
  monaco.editor.setModelMarkers(
    model,
    MARKER_OWNER,
    ranges.map((r) => ({
      severity: severity[r.severity],
      code: r.code,
      message: r.message,
      source: 'microseg',
      startLineNumber: r.line,
      startColumn: r.column,
      endLineNumber: r.line,
      endColumn: r.endColumn,
    })),
  );
}
