import { parseAllDocuments } from 'yaml';

/** The parts of Kubernetes objects these checks look at (the schemas check the rest). */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly data?: Record<string, string>;
  readonly stringData?: Record<string, string>;
  readonly spec?: Record<string, unknown>;
}

export interface Probe {
  readonly httpGet?: { readonly path: string; readonly port: number | string };
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly configMapKeyRef?: { readonly name: string; readonly key: string };
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
  };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly args?: readonly string[];
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[];
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly {
    readonly configMapRef?: { readonly name: string };
    readonly secretRef?: { readonly name: string };
  }[];
  readonly volumeMounts?: readonly {
    readonly name: string;
    readonly mountPath: string;
    readonly readOnly?: boolean;
  }[];
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly startupProbe?: Probe;
  readonly resources?: {
    readonly requests?: Record<string, string>;
    readonly limits?: Record<string, string>;
  };
  readonly securityContext?: {
    readonly readOnlyRootFilesystem?: boolean;
    readonly allowPrivilegeEscalation?: boolean;
    readonly capabilities?: { readonly drop?: readonly string[] };
  };
}

export interface PodTemplate {
  readonly metadata: { readonly labels: Record<string, string> };
  readonly spec: {
    readonly containers: readonly Container[];
    readonly volumes?: readonly {
      readonly name: string;
      readonly secret?: { readonly secretName: string };
    }[];
    readonly restartPolicy?: string;
    readonly automountServiceAccountToken?: boolean;
    readonly securityContext?: { readonly runAsNonRoot?: boolean; readonly runAsUser?: number };
  };
}

export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((document) => document.toJSON() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

export function find(manifests: readonly Manifest[], kind: string, name: string): Manifest | undefined {
  return manifests.find((m) => m.kind === kind && m.metadata.name === name);
}

export function ofKind(manifests: readonly Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}

/** The pod template of a Deployment or Job. */
export function podTemplate(workload: Manifest): PodTemplate {
  return (workload.spec as { template: PodTemplate }).template;
}

/** Whether a `matchLabels` selector selects an object with these labels. */
export function selects(
  matchLabels: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  return Object.entries(matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}

/** A probe's or Service's port, as a number: named ports resolved through the container's ports. */
export function resolvePort(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/**
 * A container's environment as the kubelet would set it: `env` entries and every key of `envFrom` sources, with
 * values resolved from the ConfigMaps and Secrets among `manifests`. A value from an object that is not there (a
 * Secret created outside kustomize) is undefined, and listed in `unresolved`.
 */
export function containerEnvironment(
  container: Container,
  manifests: readonly Manifest[],
): { readonly values: Record<string, string | undefined>; readonly unresolved: readonly string[] } {
  const values: Record<string, string | undefined> = {};
  const unresolved: string[] = [];
  const source = (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> | undefined => {
    const object = find(manifests, kind, name);
    if (!object) return undefined;
    if (kind === 'ConfigMap') return object.data ?? {};
    const decoded = Object.fromEntries(
      Object.entries(object.data ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString('utf8'),
      ]),
    );
    return { ...decoded, ...(object.stringData ?? {}) };
  };
  for (const from of container.envFrom ?? []) {
    const [kind, name] = from.configMapRef
      ? (['ConfigMap', from.configMapRef.name] as const)
      : (['Secret', from.secretRef!.name] as const);
    const data = source(kind, name);
    if (!data) unresolved.push(`${kind} ${name} (envFrom)`);
    Object.assign(values, data ?? {});
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.configMapKeyRef ?? variable.valueFrom?.secretKeyRef;
    if (!ref) {
      values[variable.name] = variable.value ?? '';
      continue;
    }
    const kind = variable.valueFrom?.configMapKeyRef ? 'ConfigMap' : 'Secret';
    const value = source(kind, ref.name)?.[ref.key];
    if (value === undefined) unresolved.push(`${variable.name} from ${kind} ${ref.name} key ${ref.key}`);
    values[variable.name] = value;
  }
  return { values, unresolved };
}
