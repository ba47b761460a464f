/**
 * What each DSC Registry resource module can write faithfully. Validation refuses the rest with a
 * located diagnostic; the DSC renderer treats a refused value reaching it as a bug. The facts come
 * from the modules' own code, which test/powershell/dsc-registry-oracle.ps1 re-types and cites.
 */
import type { Hive, RegistryValue } from './registry.js';

/**
 * Why the in-box PSDesiredStateConfiguration Registry resource cannot write this value faithfully,
 * or null when it can. The reasons come from its source (the WMF 5.0.10586 copy that became
 * xRegistry, dsccommunity/xPSDesiredStateConfiguration@afa6468e, MSFT_xRegistryResource.psm1,
 * and the WMF 5.1 in-box code merged in @89407aa2; test/powershell/dsc-registry-oracle.ps1 re-types
 * both and checks every generated resource):
 *  - GetTypedObject parses Binary data as `$Data[0].TrimStart("0x")` (afa6468e lines 882-894):
 *    TrimStart strips every leading '0' and 'x' character, so a leading 00 byte is lost;
 *  - WMF 4.0/5.0's ConvertByteArrayToHexString formats each byte with '{0:x}' (afa6468e line 959),
 *    without a leading zero, and ValueDataMatches compares that text with ValueData, so a value
 *    holding a byte below 0x10 never tests as compliant and is rewritten on every consistency check.
 * DWORD and QWORD always have a form both modules parse (see valueData).
 */
export function inboxDscCannotWrite(value: RegistryValue): string | null {
  if (value.type !== 'REG_BINARY') return null;
  if (value.data.length > 0 && value.data[0] === 0) {
    return 'REG_BINARY data starting with a 00 byte: the in-box DSC Registry resource strips every leading 0 of ValueData (TrimStart("0x")) and writes fewer bytes; pin dsc.resourceModule: PSDscResources, or deploy this value with the .reg file, GPP or the scripts';
  }
  if (value.data.some((byte) => byte < 0x10)) {
    return 'REG_BINARY data with a byte below 0x10: the in-box DSC Registry resource of WMF 4.0/5.0 reads bytes back without their leading zero ("{0:x}"), so the value never tests as compliant and is rewritten on every consistency check; pin dsc.resourceModule: PSDscResources, or deploy this value with the .reg file, GPP or the scripts';
  }
  return null;
}

/**
 * Why PSDscResources 2.12's Registry resource cannot write this value, or null. Its ConvertTo-Binary
 * and ConvertTo-MultiString return an empty array, which PowerShell unrolls to $null on output
 * (MSFT_RegistryResource.psm1 lines 1107 and 1200, `return` of an empty array, at PowerShell/PSDscResources@fa1494c9), so
 * Set-RegistryKeyValue passes $null to Registry.SetValue, which throws ArgumentNullException. The
 * in-box module writes both, but one configuration should work with either module, so validation
 * refuses these for DSC whatever the profile pins.
 */
export function psDscResourcesCannotWrite(value: RegistryValue): string | null {
  if (value.type === 'REG_BINARY' && value.data.length === 0) {
    return "empty REG_BINARY data: PSDscResources' Registry resource turns it into $null and Registry.SetValue throws; deploy this value with the .reg file, GPP or the scripts";
  }
  if (value.type === 'REG_MULTI_SZ' && value.data.length === 0) {
    return "an empty REG_MULTI_SZ list: PSDscResources' Registry resource turns it into $null and Registry.SetValue throws; deploy this value with the .reg file, GPP or the scripts";
  }
  return null;
}

/**
 * Why this module's Registry resource cannot carry an operation on this key, or null when it can.
 * The DSC renderer then writes the operation with a Script resource that opens keys through .NET's
 * RegistryKey only (src/render/dsc.ts, registryScript), which the Win32 registry splits on '\' alone:
 * "Key names cannot include the backslash character (\), but any other printable character can be
 * used" (https://learn.microsoft.com/en-us/windows/win32/sysinfo/structure-of-the-registry).
 *
 * A key name holding '/' (the Schannel cipher keys such as "RC4 128/128", KB245030) reaches the
 * PowerShell registry provider as a path, and the provider reads '/' as a path separator: its
 * NavigationCmdletProvider.NormalizePath turns every '/' into '\' before GetParentPath and
 * GetChildName split a path that does not exist yet (PowerShell/PowerShell@929903692e,
 * src/System.Management.Automation/namespaces/NavigationProviderBase.cs lines 865-906, code older than
 * the open-source history), so New-Item creates "RC4 128" with a subkey "128".
 *  - The in-box PSDesiredStateConfiguration Registry resource opens and creates keys with Get-Item
 *    and New-Item: the xRegistry fork of its WMF 5.0.10586 code replaced exactly those calls with
 *    OpenSubKey/CreateSubKey because "New-Item will outright fail to create these keys, and Get-Item
 *    can also become confused" (dsccommunity/xPSDesiredStateConfiguration#58, commit afa6468e), and
 *    the in-box resource was still reported writing a wrong path or failing for
 *    "...\Ciphers\RC2 40/128" (dsccommunity/xPSDesiredStateConfiguration#285). The in-box source is
 *    not published, so no in-box Registry resource is trusted with such a key, whatever it does.
 *  - PSDscResources 2.12 opens keys with OpenSubKey, creates them with CreateSubKey after splitting at
 *    the last '\' ("Registry key names can contain forward slashes, so we can't use Split-Path here")
 *    and writes with Registry.SetValue(RegistryKey.Name, ...) (MSFT_RegistryResource.psm1 at
 *    PowerShell/PSDscResources@fa1494c9, Get-RegistryKey lines 739-780, New-RegistryKey 1001-1027,
 *    Set-RegistryKeyValue 1318-1368): a value is written to the one key. But Ensure = 'Absent' removes
 *    through the provider (Remove-ItemProperty -Path $Key line 312, Remove-Item -Path $Key line 339),
 *    so deletions under such a key are not left to it.
 * test/powershell/dsc-registry-oracle.ps1 re-types both key paths; dsc-registry-script.ps1 runs the
 * Script resources against a registry that splits names as Win32 does.
 */
export function registryResourceCannotOpenKey(
  path: string,
  action: 'set' | 'delete-value' | 'delete-key',
  module: 'PSDesiredStateConfiguration' | 'PSDscResources',
): string | null {
  if (!path.includes('/')) return null;
  if (module === 'PSDesiredStateConfiguration') {
    return "a key name with '/': the in-box DSC Registry resource opens and creates keys through the PowerShell registry provider, which splits the name at '/'";
  }
  if (action !== 'set') {
    return "a key name with '/': PSDscResources' Registry resource removes values and keys through the PowerShell registry provider (Remove-ItemProperty/Remove-Item -Path), which splits the name at '/'";
  }
  return null;
}

/**
 * PSDscResources 2.12's drive names for the hives ($script:registryDriveRoots, MSFT_RegistryResource.psm1
 * lines 12-18 at PowerShell/PSDscResources@fa1494c9, unchanged at 7064eda).
 */
const PSDSCRESOURCES_DRIVES: Readonly<Record<Hive, string>> = {
  HKEY_LOCAL_MACHINE: 'HKLM',
  HKEY_CURRENT_USER: 'HKCU',
  HKEY_CLASSES_ROOT: 'HKCR',
  HKEY_USERS: 'HKUS',
  HKEY_CURRENT_CONFIG: 'HKCC',
};

/**
 * The Key a PSDscResources Registry resource with Ensure = 'Absent' must be given: the drive form
 * `HKLM:\SOFTWARE\...`, never `HKEY_LOCAL_MACHINE\SOFTWARE\...`.
 *
 * Its Set-TargetResource removes a value with `Remove-ItemProperty -Path $Key` (line 312) and a key
 * with `Remove-Item -Path $Key -Recurse` (line 339), handing Key to the PowerShell provider unchanged
 * (MSFT_RegistryResource.psm1 at PowerShell/PSDscResources@fa1494c9, the 2.12.0.0 release, unchanged
 * at 7064eda). A path with no ':' names no drive, so the provider resolves it relative to the current
 * location (PowerShell/PowerShell@929903692e, src/System.Management.Automation/namespaces/
 * LocationGlobber.cs, IsAbsolutePath lines 1558-1645, "If there is no : then the path is relative to
 * the current working drive", and line 1904; https://learn.microsoft.com/en-us/powershell/module/
 * microsoft.powershell.core/about/about_locations): under the LCM that is C:\Windows\system32, and
 * the removal fails with "Cannot find path 'C:\Windows\system32\HKEY_LOCAL_MACHINE\...'"
 * (PowerShell/PSDscResources#201; the same code in xRegistry was dsccommunity/xPSDesiredStateConfiguration#444,
 * fixed there by commit 5a205a5 with RegistryKey.DeleteValue/DeleteSubKeyTree, never ported).
 * The drive form works on every path the resource takes: Get-RegistryDriveName (lines 609-645) takes
 * the text before the first '\' (Get-PathRoot, 543-563), strips ':' and accepts a name of
 * $script:registryDriveRoots; Mount-RegistryDrive (653-685) creates that drive when it is missing;
 * Get-RegistryKey (739-780) opens the rest below it with OpenSubKey, for Get, Test and Set alike.
 * The in-box module removes through RegistryKey (DeleteValue, DeleteSubKeyTree: the in-box code as
 * merged in dsccommunity/xPSDesiredStateConfiguration@89407aa2, lines 482 and 530), so its Key stays
 * in the HKEY_ form its documentation uses.
 */
export function psDscResourcesRemovalKey(hive: Hive, path: string): string {
  return `${PSDSCRESOURCES_DRIVES[hive]}:\\${path}`;
}
