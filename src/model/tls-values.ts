/**
 * Which registry values mean what to Schannel and WinHTTP, so value policies and lint can recognise
 * them whatever setting writes them.
 *
 * - Schannel protocol values: `HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\<protocol>\Client|Server`,
 *   DWORD `Enabled` and `DisabledByDefault` (Microsoft, "TLS registry settings":
 *   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings).
 * - WinHTTP: `DefaultSecureProtocols` under `SOFTWARE\[Wow6432Node\]Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`,
 *   a bitmap of WINHTTP_FLAG_SECURE_PROTOCOL_* (https://learn.microsoft.com/windows/win32/winhttp/option-flags).
 */
import { windowsUpperInvariant } from './registry.js';
import type { Hive } from './registry.js';

export type Side = 'client' | 'server';

export interface SchannelProtocolValue {
  /** As windows.yaml and the Schannel table spell it, e.g. "TLS 1.2". */
  readonly protocol: string;
  readonly side: Side;
  readonly name: 'Enabled' | 'DisabledByDefault';
}

const SCHANNEL_PROTOCOLS = 'SYSTEM\\CURRENTCONTROLSET\\CONTROL\\SECURITYPROVIDERS\\SCHANNEL\\PROTOCOLS\\';

/** The Schannel protocol value a registry value is, or null. Compared as Windows compares names. */
export function schannelProtocolValue(hive: Hive, path: string, name: string): SchannelProtocolValue | null {
  if (hive !== 'HKEY_LOCAL_MACHINE') return null;
  const upper = windowsUpperInvariant(path);
  if (!upper.startsWith(SCHANNEL_PROTOCOLS)) return null;
  const parts = path.slice(SCHANNEL_PROTOCOLS.length).split('\\');
  if (parts.length !== 2) return null;
  const [protocolText, sideText] = parts as [string, string];
  const side = windowsUpperInvariant(sideText) === 'CLIENT' ? 'client' : windowsUpperInvariant(sideText) === 'SERVER' ? 'server' : null;
  const valueName = windowsUpperInvariant(name) === 'ENABLED' ? 'Enabled' : windowsUpperInvariant(name) === 'DISABLEDBYDEFAULT' ? 'DisabledByDefault' : null;
  if (!side || !valueName) return null;
  const protocol = /^(SSL|TLS|DTLS) ([0-9]\.[0-9])$/i.exec(protocolText);
  if (!protocol) return null;
  return { protocol: `${protocol[1]!.toUpperCase()} ${protocol[2]}`, side, name: valueName };
}

const WINHTTP_KEYS = [
  'SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\INTERNET SETTINGS\\WINHTTP',
  'SOFTWARE\\WOW6432NODE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\INTERNET SETTINGS\\WINHTTP',
];

/** Is this WinHTTP's DefaultSecureProtocols (native or the 32-bit view)? */
export function isWinHttpDefaultSecureProtocols(hive: Hive, path: string, name: string): boolean {
  return hive === 'HKEY_LOCAL_MACHINE' && WINHTTP_KEYS.includes(windowsUpperInvariant(path)) && windowsUpperInvariant(name) === 'DEFAULTSECUREPROTOCOLS';
}

/**
 * WINHTTP_FLAG_SECURE_PROTOCOL_* bits by the names profiles use. The TLS 1.3 bit is the SDK's
 * WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3 (0x2000); option-flags lists it for WinHttpSetOption.
 */
export const WINHTTP_PROTOCOL_BITS: Readonly<Record<string, number>> = {
  ssl2: 0x8,
  ssl3: 0x20,
  tls10: 0x80,
  tls11: 0x200,
  tls12: 0x800,
  tls13: 0x2000,
};

/** "tls11+tls12" → 0xA00. Names were checked by the schema; a repeated name counts once. */
export function winHttpProtocolBitmap(names: string): number {
  return names.split('+').reduce((bits, name) => bits | (WINHTTP_PROTOCOL_BITS[name] ?? 0), 0);
}

/** DWORD data as the policy options spell it: 1 stays 1, 0xFFFFFFFF is shown in hex. */
export function policyDataText(data: number): string {
  return data > 9 ? `0x${data.toString(16).toUpperCase()}` : String(data);
}
