/**
 * IEEE 754 half precision (float16: 1 sign bit, 5 exponent bits biased by 15, 10 fraction bits) as float32, for
 * Keras weights saved as float16 (a model cast with model.half() or saved in float16 by tools that do). Every
 * half has an exact float32, so nothing is rounded: zeros keep their sign, subnormals stay subnormals, infinities
 * and NaN come through as themselves (the import refuses a weight that is not a finite number, with its reason).
 * Pure; no DOM.
 */

/** The value of one half, given as its 16 bits. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  // Zero and the subnormals: fraction x 2^-24 (0.fraction x 2^-14).
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

let table: Float32Array | undefined;

/** Every half's float32, built on first use (256 KB): a lookup per weight, however many there are. */
function halfTable(): Float32Array {
  if (!table) {
    table = new Float32Array(0x10000);
    for (let bits = 0; bits < 0x10000; bits++) table[bits] = halfToFloat(bits);
  }
  return table;
}

/** Little-endian float16 bytes (what HDF5 hands back for a float16 dataset, whatever the file's order) as float32. */
export function halvesToFloats(bytes: Uint8Array): Float32Array {
  if (bytes.length % 2) throw new RangeError(`${bytes.length} bytes are no whole number of float16 values`);
  const values = halfTable();
  const out = new Float32Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = values[bytes[2 * i]! | (bytes[2 * i + 1]! << 8)]!;
  return out;
}
