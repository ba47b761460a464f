/**
 * GPP Registry.xml value forms, as GPMC writes them: the `value` attribute of a
 * Properties element holds DWORD as 8 and QWORD as 16 upper-case hex digits, Binary as upper-case
 * hex digits, MULTI_SZ joined by spaces (the strings themselves go to a Values list), strings as
 * they are. formats/xml.ts escapes the result.
 */
import type { RegistryValue } from '../model/registry.js';
import { hexBytes, hexNumber } from './hex.js';

export function gppValue(value: RegistryValue): { readonly value: string; readonly values: readonly string[] | null } {
  switch (value.type) {
    case 'REG_DWORD':
      return { value: hexNumber(value.data, 8), values: null };
    case 'REG_QWORD':
      return { value: hexNumber(value.data, 16), values: null };
    case 'REG_BINARY':
      return { value: hexBytes(value.data, 'upper'), values: null };
    case 'REG_MULTI_SZ':
      return { value: value.data.join(' '), values: [...value.data] };
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return { value: value.data, values: null };
  }
}
