import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ContentLengthError, isGzip, readGzipOrPlain } from './gzipOrPlain';

/** A stream that delivers `bytes` in chunks of the given sizes (the network splits bodies anywhere). */
function streamOf(bytes: Uint8Array, chunkSizes: number[] = [bytes.byteLength]): ReadableStream<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; offset < bytes.byteLength; i++) {
    const size = chunkSizes[Math.min(i, chunkSizes.length - 1)]!;
    chunks.push(bytes.slice(offset, offset + size));
    offset += size;
  }
  return new ReadableStream({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

// Like the MNIST files: a run of zero pixels, then content.
const content = new Uint8Array(5000).map((_, i) => (i < 300 ? 0 : (i * 37) % 256));
const gzipped = new Uint8Array(gzipSync(content));

describe('readGzipOrPlain', () => {
  it('inflates a body that is still gzip (nginx sends no Content-Encoding)', async () => {
    expect(await readGzipOrPlain(streamOf(gzipped), content.byteLength)).toEqual(content);
  });

  it('passes through a body the browser already inflated (the server sent Content-Encoding: gzip)', async () => {
    expect(await readGzipOrPlain(streamOf(content), content.byteLength)).toEqual(content);
  });

  it('finds the gzip header even when the first chunks are one byte each', async () => {
    expect(await readGzipOrPlain(streamOf(gzipped, [1, 1, 1, 7, 1000]), content.byteLength)).toEqual(content);
    expect(await readGzipOrPlain(streamOf(content, [1, 2, 4096]), content.byteLength)).toEqual(content);
  });

  it('a label file whose first byte happens to be 0x1f is still plain', async () => {
    const labels = new Uint8Array([0x1f, 0x8b, 0x00, 4, 5]);
    expect(await readGzipOrPlain(streamOf(labels), 5)).toEqual(labels);
  });

  it('says when the content is shorter or longer than expected, inflated or not', async () => {
    await expect(readGzipOrPlain(streamOf(content.subarray(0, 4000)), 5000)).rejects.toThrowError(ContentLengthError);
    await expect(readGzipOrPlain(streamOf(gzipped), 4000)).rejects.toThrowError(/longer than the expected 4000 bytes/);
    await expect(readGzipOrPlain(streamOf(new Uint8Array()), 10)).rejects.toThrowError(/0 bytes, expected 10/);
  });

  it('a truncated gzip body fails rather than yielding partial data', async () => {
    await expect(readGzipOrPlain(streamOf(gzipped.subarray(0, gzipped.byteLength - 20)), content.byteLength)).rejects.toThrow();
  });

  it('isGzip looks at magic number and method', () => {
    expect(isGzip(gzipped)).toBe(true);
    expect(isGzip(new Uint8Array([0x1f, 0x8b]))).toBe(false);
    expect(isGzip(content)).toBe(false);
  });
});
