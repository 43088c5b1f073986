/**
 * Decoding of the IDX files that MNIST is published in (http://yann.lecun.com/exdb/mnist/ describes the format):
 * a big-endian header `0x00 0x00 <type> <rank>`, one uint32 per dimension, then the values, row-major.
 * Pure: bytes in, typed view out. Shared by scripts/prepare-data.ts and the unit tests.
 */

export class IdxFormatError extends Error {
  override name = 'IdxFormatError';
}

/** The magic numbers of the two MNIST file kinds: unsigned bytes, rank 3 (images) or rank 1 (labels). */
export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxFile {
  /** The dimensions from the header, e.g. [60000, 28, 28]. */
  dims: number[];
  /** The values, a view into the input without a copy. */
  data: Uint8Array;
}

/**
 * Reads an unsigned-byte IDX file and checks it against the expected magic number.
 * @param label a name for the file, used in error messages.
 */
export function decodeIdx(bytes: Uint8Array, expectedMagic: number, label: string): IdxFile {
  if (bytes.byteLength < 8) {
    throw new IdxFormatError(`${label}: ${bytes.byteLength} bytes is too short for an IDX header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    throw new IdxFormatError(
      `${label}: wrong magic number 0x${hex(magic)}, expected 0x${hex(expectedMagic)} ` +
        `(is this the right file, and is it decompressed?)`,
    );
  }
  const rank = magic & 0xff;
  const headerBytes = 4 + 4 * rank;
  if (bytes.byteLength < headerBytes) {
    throw new IdxFormatError(`${label}: header needs ${headerBytes} bytes, file has ${bytes.byteLength}`);
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const available = bytes.byteLength - headerBytes;
  if (available !== count) {
    throw new IdxFormatError(
      `${label}: header promises ${count} values (${dims.join('x')}) but the file holds ${available}` +
        (available < count ? ' (truncated download?)' : ' (trailing bytes)'),
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
