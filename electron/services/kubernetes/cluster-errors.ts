import { ServiceError } from '../service-error';

/** Where a request went: named in every error so the user knows which kubeconfig entry to fix. */
export interface ClusterRef {
  context: string;
  server: string;
}

const TLS_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
]);

/** Turns a failed list or watch into a ServiceError that says which context, what failed and what to do. */
export function clusterError(ref: ClusterRef, what: string, error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  const where = `Kubernetes context "${ref.context}" (${ref.server})`;
  const status = statusCodeOf(error);
  if (status === 401) {
    return new ServiceError('unauthorized', `${where} refused our credentials while ${what} (401 Unauthorized): the token or client certificate in the kubeconfig is wrong or expired. Log in to the cluster again, then refresh.`);
  }
  if (status === 403) {
    return new ServiceError('unauthorized', `${where} does not allow this user to ${what.replace(/^listing/, 'list').replace(/^watching/, 'watch')} (403 Forbidden). Ask for read access, or use another context.`);
  }
  if (status !== undefined) {
    return new ServiceError('cluster-unreachable', `${where} answered ${status} while ${what}: ${reasonOf(error)}.`);
  }
  const code = errorCode(error);
  if (code && TLS_TRUST_CODES.has(code)) {
    return new ServiceError('cluster-unreachable', `${where} presented a certificate the kubeconfig's certificate authority does not trust (${code}): check the cluster's certificate-authority entry, or that the server is the one you meant.`, reasonOf(error));
  }
  return new ServiceError('cluster-unreachable', `No Kubernetes API server answered at ${ref.server} (context "${ref.context}") while ${what}: ${reasonOf(error)}. Check that the cluster is up and reachable, or pick another context.`);
}

/** Our list and the client's Watch both report an HTTP failure as an error with `statusCode`. */
export function statusCodeOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Node's TLS and socket errors carry a code, sometimes only on the wrapped cause. */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
