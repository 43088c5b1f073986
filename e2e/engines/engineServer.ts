/** The real build under the container's nginx for an engine's journey, which can be stopped (offline) and restarted. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type NginxServer, startNginx } from '../../scripts/nginxServer';
import { otherArchitecture } from '../modelUploads';

export async function engineServer(port: number) {
  const root = resolve(process.env.DIGIT_LAB_DIST ?? 'dist');
  let server: NginxServer = startNginx(port, root);
  await server.ready();
  return {
    base: `http://127.0.0.1:${port}/`,
    async goOffline() {
      await server.stop();
    },
    async goOnline() {
      server = startNginx(port, root);
      await server.ready();
    },
    stop: () => server.stop(),
  };
}

/** A small model's TensorFlow.js files written to a folder: what the journey imports. */
export async function modelFilesOnDisk(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'digit-lab-engine-import-'));
  return (await otherArchitecture([784], 'engine.json')).map((file) => {
    const path = join(dir, file.name);
    writeFileSync(path, file.buffer);
    return path;
  });
}
