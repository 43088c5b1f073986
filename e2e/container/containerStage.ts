/**
 * What scripts/container/test-container.ts tells the container specs: the running container's name (to look at
 * its files with `podman exec`) and the folder where one stage leaves what the next checks (the exported model).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these specs with npm run test:container`);
  return value;
};

export const containerName = (): string => required('CONTAINER_NAME');

/** The folder the served-model stage exports the trained model into; the next stage serves it. */
export const exportDir = (): string => required('CONTAINER_EXPORT_DIR');

/** What the trained model read for the check drawing, kept beside (not in) the exported model's folder. */
export const expectedReadingFile = (): string => join(exportDir(), '..', 'expected-reading.json');

/** The names of the files the image serves under /assets/, read inside the running container. */
export function servedAssets(): string[] {
  return execFileSync('podman', ['exec', containerName(), 'ls', '/usr/share/nginx/html/assets'], { encoding: 'utf8' }).trim().split('\n');
}

export function servedAsset(pattern: RegExp): string {
  const name = servedAssets().find((file) => pattern.test(file));
  if (!name) throw new Error(`the image serves no ${pattern} under /assets/`);
  return `/assets/${name}`;
}
