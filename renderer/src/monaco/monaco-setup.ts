import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/languages/definitions/yaml/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { FLOWS_THEME, flowsTheme, OVS_FLOWS_LANGUAGE, ovsFlowsMonarch } from './ovs-flows-language';

/*
 * Monaco, bundled by Vite: no CDN, so the app works offline and under a strict CSP. Only the
 * core editor API and its generic worker are loaded, no language service: the policy's own
 * parser checks the YAML view. Besides find, the YAML view wants YAML highlighting, a problem's
 * message on hover, F8 to the next problem, and Ctrl+M so Tab can leave the editor.
 */

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

monaco.languages.register({ id: OVS_FLOWS_LANGUAGE });
monaco.languages.setMonarchTokensProvider(OVS_FLOWS_LANGUAGE, ovsFlowsMonarch);
monaco.editor.defineTheme(FLOWS_THEME, flowsTheme);

export { monaco };
