// Kubernetes namespace names are DNS-1123 labels. Policies, inventories and the NetworkPolicy
// export all hold namespaces; a name that is no label is refused where it is read, because it
// ends up in file names (`NAMESPACE.yaml`) and in objects a cluster would refuse anyway.

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_CHARACTERS = /^[-a-z0-9]*$/;

/** Whether `name` is a Kubernetes namespace name: 1 to 63 lowercase letters, digits and inner `-`. */
export function isNamespaceName(name: string): boolean {
  return name.length <= 63 && LABEL.test(name);
}

/**
 * Whether a namespace pattern (`*` matches any run of characters) can only ever match
 * namespace names: its literal parts are label characters, a literal start or end is a letter
 * or digit, and the literal characters fit in 63.
 */
export function isNamespacePattern(pattern: string): boolean {
  if (!pattern.includes('*')) return isNamespaceName(pattern);
  const parts = pattern.split('*');
  if (!parts.every((p) => LABEL_CHARACTERS.test(p))) return false;
  if (parts.join('').length > 63) return false;
  return !parts[0]!.startsWith('-') && !parts[parts.length - 1]!.endsWith('-');
}

/** What a namespace must look like, for messages. */
export const NAMESPACE_NAME_RULE = 'a Kubernetes namespace name: 1 to 63 lowercase letters, digits and "-", starting and ending with a letter or digit';

/**
 * The label every Kubernetes namespace carries with its own name (Kubernetes 1.21 and later).
 * Selectors treat it as present on every workload in a namespace, whatever its inventory says.
 */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
