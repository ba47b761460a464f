/**
 * Registry outcomes as comparable strings, for cross-format parity:
 * `set|KEY|NAME|type|hex bytes`, `del|KEY|NAME`, `delkey|KEY` (keys and names upper-cased, as
 * Windows compares them case-insensitively). The .reg side is read with the strict reader.
 *
 * The plan side (what `generate()` resolved for a target) is encoded here from the registry's own
 * definitions of the value types, never with the product's encoders: REG_SZ and REG_EXPAND_SZ are
 * the UTF-16LE code units followed by one 00 00 terminator; REG_MULTI_SZ is each string so
 * terminated, then one more 00 00 (an empty list is that final 00 00 alone); REG_DWORD is 4 bytes
 * and REG_QWORD 8 bytes, little-endian; REG_BINARY is the bytes as they are.
 */
import { readFileSync } from 'node:fs';
import type { RegistryOperation } from '../../src/resolve/plan.js';
import { NO_TYPE, REG_BINARY, REG_DWORD, REG_EXPAND_SZ, REG_MULTI_SZ, REG_QWORD, REG_SZ, readRegBytes, type RegParseResult } from './reg-reader.js';

export function regFileOutcomes(path: string): string[] {
  const parsed = readRegBytes(readFileSync(path));
  if (parsed.problems.length > 0) throw new Error(`${path}: ${parsed.problems.join('; ')}`);
  return parsedOutcomes(parsed);
}

function parsedOutcomes(parsed: RegParseResult): string[] {
  return [
    ...parsed.entries.map((e) => (e.op === 'set' ? setOutcome(e.key, e.name, e.type, e.data) : deleteValueOutcome(e.key, e.name))),
    ...parsed.deletedKeys.map(deleteKeyOutcome),
  ].sort();
}

export const setOutcome = (key: string, name: string, type: number, data: Uint8Array) =>
  `set|${key.toUpperCase()}|${name.toUpperCase()}|${type}|${Buffer.from(data).toString('hex')}`;
export const deleteValueOutcome = (key: string, name: string) => `del|${key.toUpperCase()}|${name.toUpperCase()}`;
export const deleteKeyOutcome = (key: string) => `delkey|${key.toUpperCase()}`;

// ---------------------------------------------------------------------------------------
// The plan, decoded by the test

/** The registry type number of each value type name ([MS-RRP] 2.2.6, winnt.h REG_*). */
export const TYPE_NUMBER: Readonly<Record<string, number>> = {
  REG_SZ,
  REG_EXPAND_SZ,
  REG_BINARY,
  REG_DWORD,
  REG_MULTI_SZ,
  REG_QWORD,
};

/** UTF-16LE code units, two bytes each, low byte first; lone surrogates kept as they are. */
export function utf16leUnits(text: string): Buffer {
  const out = Buffer.alloc(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[2 * i] = unit & 0xff;
    out[2 * i + 1] = unit >> 8;
  }
  return out;
}

const NUL = Buffer.from([0, 0]);

/** A string as REG_SZ/REG_EXPAND_SZ stores it: its code units, then one 00 00. */
export function registryString(text: string): Buffer {
  return Buffer.concat([utf16leUnits(text), NUL]);
}

/** REG_MULTI_SZ: each string terminated by 00 00, then an empty string (one more 00 00). */
export function registryMultiString(items: readonly string[]): Buffer {
  return Buffer.concat([...items.map(registryString), NUL]);
}

export function littleEndian(value: bigint, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  let rest = value;
  for (let i = 0; i < bytes; i++) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (rest !== 0n) throw new Error(`${value} does not fit in ${bytes} bytes`);
  return out;
}

/** Type number and stored bytes of a plan value, from the value types' definitions above. */
export function planValueBytes(value: { type: string; data: unknown }): { type: number; data: Buffer } {
  const type = TYPE_NUMBER[value.type];
  if (type === undefined) throw new Error(`unknown value type ${value.type}`);
  switch (value.type) {
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return { type, data: registryString(value.data as string) };
    case 'REG_MULTI_SZ':
      return { type, data: registryMultiString(value.data as string[]) };
    case 'REG_DWORD':
      return { type, data: littleEndian(BigInt(value.data as number), 4) };
    case 'REG_QWORD':
      return { type, data: littleEndian(value.data as bigint, 8) };
    default:
      return { type, data: Buffer.from(value.data as Uint8Array) };
  }
}

export function operationKey(op: { hive: string; path: string }): string {
  return op.path === '' ? op.hive : `${op.hive}\\${op.path}`;
}

/**
 * A plan's operations in the reader's vocabulary, in order, as if they were the lines of a .reg
 * file (line = position + 1), so the reader's finalState() and diffState() apply to the plan as
 * they apply to a file and to a consumer's export.
 */
export function planAsRegParse(ops: readonly RegistryOperation[]): RegParseResult {
  const parsed: RegParseResult = { entries: [], deletedKeys: [], blocks: [], rejected: [], issues: [], problems: [] };
  ops.forEach((op, i) => {
    const key = operationKey(op);
    const line = i + 1;
    if (op.action === 'delete-key') {
      parsed.blocks.push({ key, op: 'delete', line });
      parsed.deletedKeys.push(key);
      return;
    }
    parsed.blocks.push({ key, op: 'open', line });
    if (op.action === 'delete-value') {
      parsed.entries.push({ key, name: op.name, op: 'deleteValue', type: NO_TYPE, data: Buffer.alloc(0), line });
    } else {
      parsed.entries.push({ key, name: op.name, op: 'set', line, ...planValueBytes(op.value) });
    }
  });
  return parsed;
}

/** The outcome strings of a plan's operations (same notation as regFileOutcomes). */
export function planOutcomes(ops: readonly RegistryOperation[]): string[] {
  return parsedOutcomes(planAsRegParse(ops));
}

/** A PSDscResources drive-form Key (HKLM:\\...) as the hive name the .reg files use ($script:registryDriveRoots). */
export function hiveFormKey(key: string): string {
  const hives: Record<string, string> = {
    HKLM: 'HKEY_LOCAL_MACHINE',
    HKCU: 'HKEY_CURRENT_USER',
    HKCR: 'HKEY_CLASSES_ROOT',
    HKUS: 'HKEY_USERS',
    HKCC: 'HKEY_CURRENT_CONFIG',
  };
  return key.replace(/^(HK(?:LM|CU|CR|US|CC)):\\/, (_, drive: string) => `${hives[drive]}\\`);
}
