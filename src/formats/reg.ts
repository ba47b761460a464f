/**
 * .reg byte rules (regedit "Windows Registry Editor Version 5.00" export shape), in one place.
 * Reference: ../shared/reference/formats.md §1, from Wine's exporter and its Windows-verified tests.
 * Everything here returns LF text; formats/text-encoding.ts makes it UTF-16LE + BOM + CRLF.
 */
import type { RegistryValue } from '../model/registry.js';

/** Hex data wraps once the line reaches this column (regedit: 25 bytes per continuation line). */
const WRAP_COLUMN = 77;

/** Inside "…" only backslash and double quote are escapes; nothing else may be escaped. */
export function quoteRegString(text: string): string {
  return '"' + text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

/** `@` is the key's default value; any other name is quoted. */
export function regValueName(name: string): string {
  return name === '' ? '@' : quoteRegString(name);
}

export function regKeyLine(hive: string, path: string, deleteKey = false): string {
  // Key names are not escaped in .reg; validation rejects names that would break the line.
  return `[${deleteKey ? '-' : ''}${hive}\\${path}]`;
}

export function regDeleteValueLine(name: string): string {
  return `${regValueName(name)}=-`;
}

/** One value assignment; hex data may span several lines joined by `\` + LF + two spaces. */
export function regValueLine(name: string, value: RegistryValue): string {
  const prefix = regValueName(name) + '=';
  switch (value.type) {
    case 'REG_DWORD':
      return prefix + 'dword:' + value.data.toString(16).padStart(8, '0');
    case 'REG_SZ':
      // A quoted string cannot carry CR, LF or NUL (regedit drops or rejects the line): use hex(1).
      return needsHexString(value.data) ? wrapHex(prefix + 'hex(1):', utf16leZ(value.data)) : prefix + quoteRegString(value.data);
    case 'REG_EXPAND_SZ':
      return wrapHex(prefix + 'hex(2):', utf16leZ(value.data));
    case 'REG_MULTI_SZ':
      return wrapHex(prefix + 'hex(7):', multiStringBytes(value.data));
    case 'REG_QWORD':
      return wrapHex(prefix + 'hex(b):', qwordBytes(value.data));
    case 'REG_BINARY':
      return wrapHex(prefix + 'hex:', value.data);
  }
}

function needsHexString(text: string): boolean {
  return /[\u0000-\u0008\u000a-\u001f\u007f]/.test(text);
}

/**
 * regedit's wrapping: after each comma, once the line has reached column 77, continue on a new
 * line indented by two spaces. The first line holds at least one byte however long the name is.
 */
export function wrapHex(prefix: string, bytes: Uint8Array): string {
  let out = prefix;
  let column = prefix.length;
  bytes.forEach((byte, i) => {
    out += byte.toString(16).padStart(2, '0');
    if (i === bytes.length - 1) return;
    out += ',';
    column += 3;
    if (column >= WRAP_COLUMN) {
      out += '\\\n  ';
      column = 2;
    }
  });
  return out;
}

/** UTF-16LE code units plus the two-byte terminator, as the registry stores REG_SZ/EXPAND_SZ. */
export function utf16leZ(text: string): Uint8Array {
  const bytes = new Uint8Array((text.length + 1) * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[i * 2] = unit & 0xff;
    bytes[i * 2 + 1] = unit >> 8;
  }
  return bytes;
}

/** Each string with its terminator, then one more empty terminator. */
export function multiStringBytes(strings: readonly string[]): Uint8Array {
  const parts = strings.map(utf16leZ);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0) + 2);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function qwordBytes(value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return bytes;
}
