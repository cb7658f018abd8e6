// k8s/ rendered by kustomize, validated against the Kubernetes schemas (kubernetes-validate, strict), and checked
// against what each service reads and listens on. Tools are fetched into the eventfold cache on first use.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readInstructions, stageEnvironment, stagesOf } from './docker/dockerfile';
import {
  containerEnvironment,
  find,
  ofKind,
  parseManifests,
  podTemplate,
  resolvePort,
  selects,
  type Manifest,
} from './kubernetes/manifests';
import { addressesIn } from './services/addresses';
import { cliVariables } from './services/cliVariables';
import { repoRoot, runtimeVariables, services, variablesRead } from './services/serviceCatalog';
import { validateManifests } from './tools/kubernetesValidate';
import { kustomizeBuild } from './tools/kustomize';
import { generateDevelopmentSecrets, writeDevelopmentSecrets } from './secrets/developmentSecrets';

/** The oldest Kubernetes these manifests are for, and the newest the schemas know. */
const KUBERNETES_VERSIONS = ['1.30', '1.37'];
const builds = ['base', 'overlays/dev', 'overlays/dev-migration', 'jobs/replay', 'jobs/rebuild'] as const;
const rendered = new Map<string, string>();
const eventfoldServices = services();
/** The clusters' builds, each with the services it runs: a service with a profile only where its component is. */
const clusters = {
  base: eventfoldServices.filter((s) => !s.profile),
  'overlays/dev': eventfoldServices.filter((s) => !s.profile),
  // overlays/dev and k8s/components/migrator.
  'overlays/dev-migration': eventfoldServices,
} as const;
// The legacy database is the operator's: its Secret is created outside kustomize (components/migrator).
const OPERATOR_SECRETS = ['LEGACY_DATABASE_URL from Secret eventfold-legacy key LEGACY_DATABASE_URL'];
const imageEnvironment = stageEnvironment(
  stagesOf(readInstructions(path.join(repoRoot, 'docker', 'service.Dockerfile'))).at(-1)!,
);

// On a machine without the cache, the first build compiles kustomize (about 1.5 min on 2 cores, cold Go caches),
// and the first validation installs kubernetes-validate: a ceiling for those, not a pace.
const FIRST_RUN_MS = 600_000;

// k8s/ as a new install has it after `pnpm secrets:generate`: a copy, so that secrets a developer generated in this
// clone are neither read nor needed.
const install = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-k8s-'));
const secrets = generateDevelopmentSecrets();

beforeAll(async () => {
  fs.cpSync(path.join(repoRoot, 'k8s'), path.join(install, 'k8s'), {
    recursive: true,
    filter: (source) => path.basename(source) !== 'generated',
  });
  // Before the secrets exist, the dev overlay does not build: nothing falls back to a shared key.
  await expect(kustomizeBuild(path.join(install, 'k8s', 'overlays', 'dev'))).rejects.toThrow(
    /generated\/api-keys\.env|generated\/master-key\.env/,
  );
  writeDevelopmentSecrets(install, secrets);
  // One at a time: the first call may build kustomize, and the cache fills once.
  for (const build of builds) rendered.set(build, await kustomizeBuild(path.join(install, 'k8s', build)));
}, FIRST_RUN_MS);

afterAll(() => fs.rmSync(install, { recursive: true, force: true }));

const parsed = new Map<string, Manifest[]>();
const manifestsOf = (build: string): Manifest[] => {
  if (!parsed.has(build)) parsed.set(build, parseManifests(rendered.get(build)!));
  return parsed.get(build)!;
};

describe('k8s manifests', () => {
  it(
    `are valid Kubernetes ${KUBERNETES_VERSIONS.join(' and ')} objects, unknown fields rejected`,
    async () => {
      const all = builds.map((build) => rendered.get(build)!).join('\n---\n');
      expect(await validateManifests(all, KUBERNETES_VERSIONS)).toEqual([]);
    },
    FIRST_RUN_MS,
  );

  describe.each(Object.keys(clusters) as (keyof typeof clusters)[])('%s', (build) => {
    const manifests = () => manifestsOf(build);
    const eventfoldServices = clusters[build];
    const deployment = (name: string) => {
      const found = find(manifests(), 'Deployment', name);
      if (!found) throw new Error(`no Deployment ${name} in ${build}`);
      return found;
    };

    it.each(eventfoldServices.map((s) => [s.name, s] as const))(
      '%s: listens, is probed and is served on its own port',
      (_name, service) => {
        const template = podTemplate(deployment(service.name));
        const container = template.spec.containers[0]!;
        expect(container.image.split(':')[0]).toBe(`eventfold/${service.name}`);
        expect(container.ports).toEqual([{ name: 'http', containerPort: service.port }]);
        expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
        expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
        for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe])
          expect(resolvePort(container, probe?.httpGet?.port)).toBe(service.port);
        const svc = find(manifests(), 'Service', service.name);
        const spec = svc?.spec as {
          selector: Record<string, string>;
          ports: { port: number; targetPort: string }[];
        };
        expect(spec.ports.map((p) => [p.port, resolvePort(container, p.targetPort)])).toEqual([
          [service.port, service.port],
        ]);
        expect(selects(spec.selector, template.metadata.labels)).toBe(true);
      },
    );

    it.each(eventfoldServices.map((s) => [s.name, s] as const))(
      '%s: runs unprivileged on a read-only root filesystem, within requests and limits',
      (_name, service) => {
        const template = podTemplate(deployment(service.name));
        const container = template.spec.containers[0]!;
        expect(template.spec.automountServiceAccountToken).toBe(false);
        expect(template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
        expect(template.spec.securityContext?.runAsUser).toBeGreaterThan(0);
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        for (const kind of ['requests', 'limits'] as const)
          expect(Object.keys(container.resources?.[kind] ?? {}).sort()).toEqual(['cpu', 'memory']);
        const budgets = ofKind(manifests(), 'PodDisruptionBudget').filter((pdb) =>
          selects(
            (pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels,
            template.metadata.labels,
          ),
        );
        expect(budgets).toHaveLength(1);
      },
    );

    it.each(eventfoldServices.map((s) => [s.name, s] as const))(
      '%s: gets only variables it reads',
      (_name, service) => {
        const container = podTemplate(deployment(service.name)).spec.containers[0]!;
        const { values } = containerEnvironment(container, manifests());
        const env = { ...imageEnvironment, ...values };
        const read = variablesRead(service, env);
        expect(Object.keys(env).filter((name) => !read.has(name) && !(name in runtimeVariables))).toEqual([]);
      },
    );

    it('points in-cluster addresses at Services on the ports they serve', () => {
      const namespace = build === 'base' ? null : 'eventfold-dev';
      const problems = eventfoldServices.flatMap((service) => {
        const container = podTemplate(deployment(service.name)).spec.containers[0]!;
        const { values } = containerEnvironment(container, manifests());
        return Object.entries(values).flatMap(([name, value]) =>
          addressesIn(value ?? '').flatMap(({ host, port }) => {
            const [first, second, third] = host.split('.');
            const local = host === first || (second === namespace && third === 'svc');
            const target = local ? find(manifests(), 'Service', first!) : undefined;
            if (!target) return [];
            const served = (target.spec as { ports: { port: number }[] }).ports.map((p) => p.port);
            return served.includes(port ?? -1)
              ? []
              : [`${service.name} ${name}: Service ${first} has no port ${port}`];
          }),
        );
      });
      expect(problems).toEqual([]);
    });

    it('scales the stateless HTTP services with HPAs, the command service up to one replica per partition', () => {
      const config = find(manifests(), 'ConfigMap', 'eventfold-config')!;
      for (const name of ['gateway', 'query', 'command']) {
        const hpa = find(manifests(), 'HorizontalPodAutoscaler', name);
        const spec = hpa?.spec as { scaleTargetRef: { kind: string; name: string }; maxReplicas: number };
        expect(spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name });
        // An applied replica count would fight the autoscaler.
        expect(deployment(name).spec?.replicas).toBeUndefined();
      }
      const command = find(manifests(), 'HorizontalPodAutoscaler', 'command')!.spec as {
        maxReplicas: number;
      };
      expect(command.maxReplicas).toBe(Number(config.data!.PARTITIONS));
    });

    it('lets only the gateway reach the command and query services', () => {
      const policies = ofKind(manifests(), 'NetworkPolicy');
      const workloads = ofKind(manifests(), 'Deployment').map((d) => ({
        name: d.metadata.name,
        labels: podTemplate(d).metadata.labels,
      }));
      for (const name of ['command', 'query']) {
        const labels = workloads.find((w) => w.name === name)!.labels;
        type Peer = {
          podSelector?: { matchLabels?: Record<string, string> };
          namespaceSelector?: unknown;
          ipBlock?: unknown;
        };
        const applying = policies
          .map(
            (p) =>
              p.spec as {
                podSelector: { matchLabels?: Record<string, string> };
                policyTypes: string[];
                ingress?: { from?: Peer[] }[];
              },
          )
          .filter(
            (spec) => selects(spec.podSelector.matchLabels, labels) && spec.policyTypes.includes('Ingress'),
          );
        // Selected by some policy: isolated, so only what the policies admit gets in.
        expect(applying.length).toBeGreaterThan(0);
        const admitted = new Set<string>();
        for (const rule of applying.flatMap((spec) => spec.ingress ?? [])) {
          // A rule without `from` admits every source.
          expect(rule.from).toBeDefined();
          for (const peer of rule.from!) {
            expect(peer.namespaceSelector ?? peer.ipBlock).toBeUndefined();
            for (const workload of workloads)
              if (selects(peer.podSelector?.matchLabels, workload.labels)) admitted.add(workload.name);
          }
        }
        // During a migration the migrator sends the command service its commands (components/migrator).
        const callers = name === 'command' && find(manifests(), 'Deployment', 'migrator') ? ['migrator'] : [];
        expect({ name, admitted: [...admitted].sort() }).toEqual({ name, admitted: ['gateway', ...callers] });
      }
    });

    it('connects every Kafka client over SASL_SSL as its own user, trusting a CA mounted from a Secret', () => {
      const users = eventfoldServices.flatMap((service) => {
        const template = podTemplate(deployment(service.name));
        const container = template.spec.containers[0]!;
        const { values } = containerEnvironment(container, manifests());
        if (!variablesRead(service).has('KAFKA_BROKERS')) {
          // The gateway never talks to Kafka: no Kafka setting, no Kafka user.
          expect(Object.keys(values).filter((name) => name.startsWith('KAFKA_'))).toEqual([]);
          return [];
        }
        expect(values.KAFKA_SECURITY_PROTOCOL).toBe('SASL_SSL');
        const fromSecret = (name: string) =>
          container.env?.find((v) => v.name === name)?.valueFrom?.secretKeyRef;
        expect(fromSecret('KAFKA_SASL_PASSWORD')).toEqual({
          name: 'eventfold-kafka',
          key: `${service.name}.password`,
        });
        const caFile = values.KAFKA_SSL_CA_FILE!;
        const mount = container.volumeMounts?.find((m) => caFile.startsWith(`${m.mountPath}/`));
        expect(mount?.readOnly).toBe(true);
        expect(template.spec.volumes?.find((v) => v.name === mount?.name)?.secret?.secretName).toBe(
          'eventfold-kafka-ca',
        );
        return [fromSecret('KAFKA_SASL_USERNAME')?.key];
      });
      expect(users.sort()).toEqual([
        'command.username',
        'integration.username',
        'notifier.username',
        'projector.username',
        'query.username',
      ]);
    });

    it('has the notifier decide about unconfirmable deliveries (no relay record it can read)', () => {
      const container = podTemplate(deployment('notifier')).spec.containers[0]!;
      const { values } = containerEnvironment(container, manifests());
      expect(values.SMTP_MAILBOX_DIR).toBeUndefined();
      expect(['resend', 'assume-sent']).toContain(values.MAIL_UNCERTAIN_DELIVERY);
    });
  });

  it.each(['overlays/dev', 'overlays/dev-migration'] as const)(
    "%s: every variable resolves but the operator's own, and each service accepts its configuration",
    (build) => {
      const manifests = manifestsOf(build);
      for (const service of clusters[build]) {
        const container = podTemplate(find(manifests, 'Deployment', service.name)!).spec.containers[0]!;
        const { values, unresolved } = containerEnvironment(container, manifests);
        expect({
          service: service.name,
          unresolved: unresolved.filter((u) => !OPERATOR_SECRETS.includes(u)),
        }).toEqual({
          service: service.name,
          unresolved: [],
        });
        const operator = { LEGACY_DATABASE_URL: 'postgres://replicator:secret@legacy-db:5432/legacy' };
        const defined = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
        const config = service.readConfig({ ...imageEnvironment, ...operator, ...defined });
        expect(config.port).toBe(service.port);
      }
    },
  );

  it('runs the migrator only with its component: one replica, Recreate, no autoscaler, tagged as the others', () => {
    for (const build of ['base', 'overlays/dev'])
      expect(find(manifestsOf(build), 'Deployment', 'migrator')).toBeUndefined();
    const manifests = manifestsOf('overlays/dev-migration');
    const migrator = find(manifests, 'Deployment', 'migrator')!;
    // A replication slot has one reader: never two pods at once, not even during a rollout.
    expect(migrator.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    const targets = ofKind(manifests, 'HorizontalPodAutoscaler').map(
      (hpa) => (hpa.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name,
    );
    expect(targets).not.toContain('migrator');
    const tags = new Set(
      ofKind(manifests, 'Deployment')
        .map((d) => podTemplate(d).spec.containers[0]!.image)
        .filter((image) => image.startsWith('eventfold/'))
        .map((image) => image.split(':')[1]),
    );
    expect([...tags]).toEqual(['dev']);
    expect(podTemplate(migrator).spec.containers[0]!.image).toBe('eventfold/migrator:dev');
  });

  it('dev overlay: the master key and API keys are the ones generated for this install', () => {
    const manifests = manifestsOf('overlays/dev');
    const secretOf = (name: string) => {
      const secret = find(manifests, 'Secret', name) as unknown as { data?: Record<string, string> };
      return Object.fromEntries(
        Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
      );
    };
    expect(secretOf('eventfold-keys').KEY_ENCRYPTION_KEY).toBe(secrets.masterKey);
    expect(secretOf('eventfold-api-keys')).toEqual({
      API_KEYS: `${secrets.apiKey}=users:read+users:write+admin`,
      API_KEY_ID_SECRET: secrets.apiKeyIdSecret,
    });
  });

  it.each([
    ['jobs/replay', 'replay'],
    ['jobs/rebuild', 'rebuild'],
  ])('%s: a one-off, unprivileged run of eventfold %s with the shared configuration', (build, command) => {
    const [job] = manifestsOf(build);
    expect(job?.kind).toBe('Job');
    expect((job!.spec as { backoffLimit: number }).backoffLimit).toBe(0);
    const template = podTemplate(job!);
    const container = template.spec.containers[0]!;
    expect(template.spec.restartPolicy).toBe('Never');
    expect(container.image).toBe('eventfold/cli');
    expect(container.args?.[0]).toBe(command);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    // Only variables the CLI reads, each from the ConfigMap and Secrets the services use (the dev overlay has them).
    const read = cliVariables();
    expect((container.env ?? []).map((v) => v.name).filter((name) => !read.has(name))).toEqual([]);
    expect(container.envFrom).toBeUndefined();
    expect(containerEnvironment(container, manifestsOf('overlays/dev')).unresolved).toEqual([]);
    // The operator's Kafka user: never a service's, whose ACLs differ.
    expect(container.env?.find((v) => v.name === 'KAFKA_SASL_USERNAME')?.valueFrom?.secretKeyRef).toEqual({
      name: 'eventfold-kafka',
      key: 'operator.username',
    });
    expect(container.volumeMounts?.map((m) => m.mountPath)).toContain('/etc/eventfold/kafka-ca');
  });
});
