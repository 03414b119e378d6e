import { writeFileSync } from 'node:fs';
import type { DoublePki } from './pki';

export interface KubeconfigContexts {
  /** Bearer token, right CA. */
  token: string;
  /** Client certificate, right CA. */
  cert: string;
  /** A token the double refuses. */
  badToken: string;
  /** The right token, but a CA that did not sign the server. */
  badCa: string;
}

/** Context names of the kubeconfig the double writes; `token` is the current one unless told. */
export const DOUBLE_CONTEXTS: KubeconfigContexts = { token: 'double', cert: 'double-cert', badToken: 'double-bad-token', badCa: 'double-bad-ca' };

/**
 * Writes a kubeconfig file for the double: one cluster entry per trust root, one user per
 * credential, and a context for each combination the tests use. YAML is JSON's superset, so
 * the file is plain JSON.
 */
export function writeKubeconfig(file: string, options: { server: string; pki: DoublePki; otherCaFile: string; token: string; current?: string }): void {
  const { server, pki } = options;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': options.current ?? DOUBLE_CONTEXTS.token,
    clusters: [
      { name: 'double', cluster: { server, 'certificate-authority': pki.caFile } },
      { name: 'double-other-ca', cluster: { server, 'certificate-authority': options.otherCaFile } },
    ],
    users: [
      { name: 'token-user', user: { token: options.token } },
      { name: 'cert-user', user: { 'client-certificate': pki.clientCertFile, 'client-key': pki.clientKeyFile } },
      { name: 'bad-token-user', user: { token: 'not-the-token' } },
    ],
    contexts: [
      { name: DOUBLE_CONTEXTS.token, context: { cluster: 'double', user: 'token-user', namespace: 'default' } },
      { name: DOUBLE_CONTEXTS.cert, context: { cluster: 'double', user: 'cert-user' } },
      { name: DOUBLE_CONTEXTS.badToken, context: { cluster: 'double', user: 'bad-token-user' } },
      { name: DOUBLE_CONTEXTS.badCa, context: { cluster: 'double-other-ca', user: 'token-user' } },
    ],
  };
  writeFileSync(file, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
}
