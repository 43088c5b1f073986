/**
 * No cluster is available here, so the manifests are checked against the schemas: Kubernetes' own OpenAPI
 * schemas (kubernetes-models) for the Deployment, Service and HorizontalPodAutoscaler, and OpenShift's
 * route.openshift.io/v1 Route spec (its required fields and enums, written out below from openshift/api).
 * Beyond the schema: what running on OpenShift as an arbitrary non-root user needs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const load = (name: string) => parse(readFileSync(join(__dirname, name), 'utf8'));

const routeSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'route.openshift.io/v1' },
    kind: { const: 'Route' },
    metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' } } },
    spec: {
      type: 'object',
      required: ['to'],
      additionalProperties: false,
      properties: {
        host: { type: 'string' },
        subdomain: { type: 'string' },
        path: { type: 'string', pattern: '^/' },
        to: {
          type: 'object',
          required: ['kind', 'name'],
          additionalProperties: false,
          properties: { kind: { enum: ['Service', ''] }, name: { type: 'string', minLength: 1 }, weight: { type: 'integer', minimum: 0, maximum: 256 } },
        },
        alternateBackends: { type: 'array', maxItems: 3 },
        port: { type: 'object', required: ['targetPort'], properties: { targetPort: { type: ['string', 'integer'] } } },
        tls: {
          type: 'object',
          required: ['termination'],
          properties: {
            termination: { enum: ['edge', 'passthrough', 'reencrypt'] },
            insecureEdgeTerminationPolicy: { enum: ['Allow', 'None', 'Redirect', ''] },
            certificate: { type: 'string' },
            key: { type: 'string' },
            caCertificate: { type: 'string' },
            destinationCACertificate: { type: 'string' },
          },
        },
        wildcardPolicy: { enum: ['None', 'Subdomain'] },
      },
    },
  },
};

describe('deployment manifests', () => {
  const deployment = load('deployment.yaml');
  const service = load('service.yaml');
  const hpa = load('hpa.yaml');
  const route = load('route.yaml');
  const pdb = load('pdb.yaml');

  it('validate against the Kubernetes schemas', () => {
    expect(() => new Deployment(deployment).validate()).not.toThrow();
    expect(() => new Service(service).validate()).not.toThrow();
    expect(() => new HorizontalPodAutoscaler(hpa).validate()).not.toThrow();
    expect(() => new PodDisruptionBudget(pdb).validate()).not.toThrow();
  });

  it('a schema check that can fail: a broken Deployment is refused', () => {
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
    expect(() => new Deployment(broken).validate()).toThrow();
  });

  it('the Route validates against OpenShift’s route.openshift.io/v1 spec', () => {
    const validate = new Ajv({ allErrors: true }).compile(routeSchema);
    expect(validate(route), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...route, spec: { ...route.spec, tls: { termination: 'edgy' } } })).toBe(false);
  });

  it('runs as OpenShift requires: any non-root UID, read-only root, no privileges, port 8080, probes on /healthz', () => {
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeUndefined();
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container.ports[0].containerPort).toBe(8080);
    expect(container.readinessProbe.httpGet.path).toBe('/healthz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.resources.requests.cpu).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
    expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
  });

  it('wires Service, Route and HPA to the Deployment', () => {
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports[0].targetPort).toBe('http');
    expect(route.spec.to.name).toBe(service.metadata.name);
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
  });
});

describe('rolling updates and disruptions', () => {
  const deployment = load('deployment.yaml');
  const pdb = load('pdb.yaml');
  const nginxConf = readFileSync(join(__dirname, '..', 'nginx', 'nginx.conf'), 'utf8');
  const version = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version as string;

  it('the image reference is pinned: a digest or this release\'s version tag, never latest', () => {
    const image: string = deployment.spec.template.spec.containers[0].image;
    expect(image).not.toMatch(/:latest$/);
    expect(image.includes('@sha256:') ? /@sha256:[0-9a-f]{64}$/.test(image) : image.endsWith(`:${version}`), image).toBe(true);
  });

  it('nginx runs no more worker processes than the pod has CPUs', () => {
    const limit: string = deployment.spec.template.spec.containers[0].resources.limits.cpu;
    const cpus = limit.endsWith('m') ? Number(limit.slice(0, -1)) / 1000 : Number(limit);
    const workers = /^worker_processes\s+(\S+);/m.exec(nginxConf)?.[1];
    expect(workers).not.toBe('auto');
    expect(Number(workers)).toBeLessThanOrEqual(Math.max(1, Math.ceil(cpus)));
  });

  it('a PodDisruptionBudget keeps a pod serving, and replicas spread over nodes', () => {
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    const spread = deployment.spec.template.spec.topologySpreadConstraints as Array<{ topologyKey: string; labelSelector: { matchLabels: unknown } }>;
    expect(spread.map((c) => c.topologyKey)).toContain('kubernetes.io/hostname');
    for (const c of spread) expect(c.labelSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(__dirname, '..', 'Dockerfile'), 'utf8');
  // npm run test:container builds and runs the image itself; these are what a build cannot show: the pins.
  it('pins both base images by digest, and builds FROM them', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=docker\.io\/library\/node:\d+-bookworm-slim@sha256:[0-9a-f]{64}$/m);
    expect(dockerfile).toMatch(/^ARG DEBIAN_IMAGE=docker\.io\/library\/debian:bookworm-slim@sha256:[0-9a-f]{64}$/m);
    expect(dockerfile).toMatch(/^FROM \$\{NODE_IMAGE\} AS build$/m);
    expect(dockerfile).toMatch(/^FROM \$\{DEBIAN_IMAGE\} AS serve$/m);
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
  });

  it('serves as an unprivileged user in group 0 on 8080, with a health check that needs no curl', () => {
    expect(dockerfile).toMatch(/^USER 10001:0$/m);
    expect(dockerfile).toMatch(/^EXPOSE 8080$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [^]*\/healthz/m);
    const instructions = dockerfile.split('\n').filter((line) => !line.startsWith('#'));
    expect(instructions.filter((line) => /\b(curl|wget)\b/.test(line))).toEqual([]);
    expect(dockerfile).toMatch(/ARG INCLUDE_PRETRAINED=true/);
    expect(dockerfile).toContain('COPY nginx/nginx.conf nginx/security-headers.conf /etc/nginx/');
  });
});
