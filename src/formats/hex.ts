/**
 * Hex digits as the generated files write them: no `0x` prefix and no separators; each format
 * chooses the case and width its consumer reads (formats/reg.ts keeps regedit's own lower-case forms).
 */

/** Two hex digits per byte, in order: `0A1B` (upper) or `0a1b` (lower); empty for no bytes. */
export function hexBytes(bytes: Uint8Array, letters: 'upper' | 'lower'): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return letters === 'upper' ? hex.toUpperCase() : hex;
}

/** An unsigned integer in upper-case hex, left-padded with zeros to `width` digits (no padding by default). */
export function hexNumber(value: number | bigint, width = 0): string {
  return value.toString(16).toUpperCase().padStart(width, '0');
}
