/**
 * DSC byte rules, in one place: how the Registry resource of each module (in-box
 * PSDesiredStateConfiguration, PSDscResources 2.12) is given ValueType and ValueData, and how the
 * restart Script resources hold a planned value. Everything returns PowerShell source through
 * formats/powershell.ts literals.
 */
import type { DscResourceModule } from '../definitions/types.js';
import type { RegistryValue } from '../model/registry.js';
import { hexBytes, hexNumber } from './hex.js';
import { REGISTRY_VALUE_KIND, psSingleQuoted, psStringArray, psStringExpression } from './powershell.js';

/**
 * ValueType as each module's schema spells it (ValueMap): the in-box MSFT_RegistryResource.schema.mof
 * has "Dword"/"Qword" (xPSDesiredStateConfiguration@afa6468e), PSDscResources 2.12 "DWord"/"QWord".
 */
export function dscValueType(type: RegistryValue['type'], module: DscResourceModule): string {
  if (module === 'PSDesiredStateConfiguration' && type === 'REG_DWORD') return 'Dword';
  if (module === 'PSDesiredStateConfiguration' && type === 'REG_QWORD') return 'Qword';
  return REGISTRY_VALUE_KIND[type];
}

const INT32_LIMIT = 2n ** 31n;
const INT64_LIMIT = 2n ** 63n;

/**
 * ValueData as a PowerShell expression, in the one form both modules read back as the planned data
 * (checked by test/powershell/dsc-registry-oracle.ps1), and whether the resource needs `Hex = $true`:
 *  - DWORD/QWORD below 2^31/2^63: decimal without Hex ([Int32]::Parse / [Int64]::Parse in both);
 *  - larger ones: Hex = $true and hex digits without '0x' or leading zeros. The first digit is then
 *    8-F, so the in-box TrimStart("0x") leaves it alone, and Int32/Int64 TryParse(HexNumber) reads
 *    it as the negative number whose bits are the planned value (decimal would overflow Parse);
 *  - Binary: hex digits without '0x': the in-box Test compares ValueData with the value read back
 *    as hex text, which never starts with 0x (WMF 5.1: Convert-ByteArrayToHexString '{0:x2}').
 */
export function dscValueData(value: RegistryValue): { readonly expression: string; readonly hex: boolean } {
  switch (value.type) {
    case 'REG_DWORD':
      return integerData(BigInt(value.data), INT32_LIMIT);
    case 'REG_QWORD':
      return integerData(value.data, INT64_LIMIT);
    case 'REG_BINARY':
      return { expression: psSingleQuoted(hexBytes(value.data, 'upper')), hex: false };
    case 'REG_MULTI_SZ':
      return { expression: psStringArray(value.data), hex: false };
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return { expression: psStringExpression(value.data), hex: false };
  }
}

function integerData(value: bigint, signedLimit: bigint): { readonly expression: string; readonly hex: boolean } {
  if (value < signedLimit) return { expression: psSingleQuoted(value.toString(10)), hex: false };
  return { expression: psSingleQuoted(hexNumber(value)), hex: true };
}

/**
 * A planned value's data as the CaptureTlsDrift script compares it with the value read back:
 * DWORD/QWORD as unsigned decimal, Binary as lower-case hex digits, MULTI_SZ as an array.
 */
export function dscPlannedData(value: RegistryValue): string {
  switch (value.type) {
    case 'REG_DWORD':
    case 'REG_QWORD':
      return psSingleQuoted(value.data.toString(10));
    case 'REG_BINARY':
      return psSingleQuoted(hexBytes(value.data, 'lower'));
    case 'REG_MULTI_SZ':
      return psStringArray(value.data);
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return psStringExpression(value.data);
  }
}
