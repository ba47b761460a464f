/**
 * Registry outcomes as comparable strings, for cross-format parity:
 * `set|KEY|NAME|type|hex bytes`, `del|KEY|NAME`, `delkey|KEY` (keys and names upper-cased, as
 * Windows compares them case-insensitively). The .reg side is read with the strict reader.
 */
import { readFileSync } from 'node:fs';
import { readRegBytes } from './reg-reader.js';

export function regFileOutcomes(path: string): string[] {
  const parsed = readRegBytes(readFileSync(path));
  if (parsed.problems.length > 0) throw new Error(`${path}: ${parsed.problems.join('; ')}`);
  return [
    ...parsed.entries.map((e) =>
      e.op === 'set' ? setOutcome(e.key, e.name, e.type, e.data) : deleteValueOutcome(e.key, e.name),
    ),
    ...parsed.deletedKeys.map(deleteKeyOutcome),
  ].sort();
}

export const setOutcome = (key: string, name: string, type: number, data: Uint8Array) =>
  `set|${key.toUpperCase()}|${name.toUpperCase()}|${type}|${Buffer.from(data).toString('hex')}`;
export const deleteValueOutcome = (key: string, name: string) => `del|${key.toUpperCase()}|${name.toUpperCase()}`;
export const deleteKeyOutcome = (key: string) => `delkey|${key.toUpperCase()}`;
