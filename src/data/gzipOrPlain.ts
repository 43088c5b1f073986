/**
 * Reads a stream that holds a file stored gzip-compressed on the server, whether or not the server sent it with
 * `Content-Encoding: gzip`. With the header (vite preview, some hosts and CDNs) the browser has already inflated
 * the bytes; without it (nginx, plain file servers) they are still gzip. The first bytes tell which: gzip's magic
 * number and method (1f 8b 08). Pure: works on any ReadableStream (browser and Node).
 */

/** gzip's magic number and the deflate method byte (RFC 1952). */
const GZIP_HEADER = [0x1f, 0x8b, 0x08] as const;

export class ContentLengthError extends Error {
  override name = 'ContentLengthError';
}

export function isGzip(head: Uint8Array): boolean {
  return GZIP_HEADER.every((byte, i) => head[i] === byte);
}

/** Collects the stream's content into exactly `expectedBytes`, inflating it first when it is still gzip. */
export async function readGzipOrPlain(stream: ReadableStream<Uint8Array>, expectedBytes: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  // Enough of the head to see the magic number, however the network split it into chunks.
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < GZIP_HEADER.length) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    head.push(value);
    headBytes += value.byteLength;
  }
  const first = concat(head, headBytes);
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.byteLength) controller.enqueue(first);
      if (ended) controller.close();
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const content = isGzip(first) ? rest.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>) : rest;
  return collect(content, expectedBytes);
}

async function collect(stream: ReadableStream<Uint8Array>, expectedBytes: number): Promise<Uint8Array> {
  const out = new Uint8Array(expectedBytes);
  let offset = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (offset + value.byteLength > out.byteLength) {
      await reader.cancel();
      throw new ContentLengthError(`longer than the expected ${expectedBytes} bytes`);
    }
    out.set(value, offset);
    offset += value.byteLength;
  }
  if (offset !== expectedBytes) throw new ContentLengthError(`${offset} bytes, expected ${expectedBytes}`);
  return out;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
