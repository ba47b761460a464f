/**
 * GUIDs derived from names, so regenerating gives the same uid/backup id (no randomness, no
 * clock): a name-based UUID (RFC 9562 version 8 layout over SHA-256), written as GPMC writes
 * GUIDs: upper case in braces.
 */
import { createHash } from 'node:crypto';

export function stableGuid(...parts: readonly string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8: custom, name-derived
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC variant
  const hex = bytes.toString('hex').toUpperCase();
  return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}}`;
}
