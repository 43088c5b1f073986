/**
 * The Node versions the project supports (package.json's engines, said in the README and used by the Dockerfile's
 * build stage) are versions every locked dependency supports: the first release of each supported line satisfies
 * every `engines.node` in package-lock.json (a dependency that wants a newer Node fails this test, as
 * puppeteer-core 25 did: it wants 22.12).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
};
const supported = new semver.Range(pkg.engines.node);
/** The oldest release of each line the range allows: 20.19.0, 22.13.0, 24.0.0. */
const oldestOfEachLine = supported.set.map((comparators) => semver.minVersion(new semver.Range(comparators.map((c) => c.value).join(' ')))!.version);

describe('supported Node versions', () => {
  it('are lines of Node, each from a first release on', () => {
    expect(oldestOfEachLine).toEqual(['20.19.0', '22.13.0', '24.0.0']);
  });

  it('are supported by every locked dependency', () => {
    const refusing = Object.entries(lock.packages).flatMap(([name, entry]) => {
      const wanted = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (!wanted || name === '') return [];
      return oldestOfEachLine.filter((version) => !semver.satisfies(version, wanted)).map((version) => `${name} wants Node ${wanted}, not ${version}`);
    });
    expect(refusing).toEqual([]);
  });

  it('include the Node the image builds with and the one running this test', () => {
    const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
    const line = /^ARG NODE_IMAGE=\S*node:(\d+)-/m.exec(dockerfile)?.[1];
    expect(line, 'the Dockerfile names its Node image').toBeDefined();
    expect(oldestOfEachLine.map((version) => semver.major(version))).toContain(Number(line));
    expect(semver.satisfies(process.versions.node, supported)).toBe(true);
  });

  it('are the ones the README says', () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    expect(readme).toContain('Node.js 20.19+, 22.13+ or 24+');
  });
});
