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
  /** A token that may read only the namespaced collections of the double's readable namespace, which the context names. */
  namespaceOnly: string;
  /** That token again, in a context that names no namespace (so `default`, which it may not read). */
  namespaceOnlyNoNamespace: string;
  /** A token the double knows but lets read nothing, in a context naming the readable namespace. */
  noAccess: string;
}

/** Context names of the kubeconfig the double writes; `token` is the current one unless told. */
export const DOUBLE_CONTEXTS: KubeconfigContexts = {
  token: 'double',
  cert: 'double-cert',
  badToken: 'double-bad-token',
  badCa: 'double-bad-ca',
  namespaceOnly: 'double-ns',
  namespaceOnlyNoNamespace: 'double-ns-default',
  noAccess: 'double-no-access',
};

/** The tokens of users the double authenticates but limits (see access.ts), and the namespace one of them may read. */
export interface LimitedUsers {
  namespaceToken: string;
  noAccessToken: string;
  namespace: string;
}

/**
 * Writes a kubeconfig file for the double: one cluster entry per trust root, one user per
 * credential, and a context for each combination the tests use. YAML is JSON's superset, so
 * the file is plain JSON.
 */
export function writeKubeconfig(file: string, options: { server: string; pki: DoublePki; otherCaFile: string; token: string; limited: LimitedUsers; current?: string }): void {
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
      { name: 'namespace-user', user: { token: options.limited.namespaceToken } },
      { name: 'no-access-user', user: { token: options.limited.noAccessToken } },
    ],
    contexts: [
      { name: DOUBLE_CONTEXTS.token, context: { cluster: 'double', user: 'token-user', namespace: 'default' } },
      { name: DOUBLE_CONTEXTS.cert, context: { cluster: 'double', user: 'cert-user' } },
      { name: DOUBLE_CONTEXTS.badToken, context: { cluster: 'double', user: 'bad-token-user' } },
      { name: DOUBLE_CONTEXTS.badCa, context: { cluster: 'double-other-ca', user: 'token-user' } },
      { name: DOUBLE_CONTEXTS.namespaceOnly, context: { cluster: 'double', user: 'namespace-user', namespace: options.limited.namespace } },
      { name: DOUBLE_CONTEXTS.namespaceOnlyNoNamespace, context: { cluster: 'double', user: 'namespace-user' } },
      { name: DOUBLE_CONTEXTS.noAccess, context: { cluster: 'double', user: 'no-access-user', namespace: options.limited.namespace } },
    ],
  };
  writeFileSync(file, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
}
