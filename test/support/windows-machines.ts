/**
 * Sample machines as Group Policy sees them, written independently of definitions/windows.yaml:
 * the FilterOs version token Windows reports ([MS-GPPREF] 2.2.1.22 and notes <17>-<20>), real
 * Win32_OperatingSystem.BuildNumber values, and whether HKLM\SOFTWARE\WOW6432Node exists.
 * A wrong token or build in the catalogue makes the targeting tests fail.
 */
export interface Machine {
  /** The tlsgen target variant this machine should get, or null for a Windows no profile covers. */
  readonly variant: string | null;
  readonly description: string;
  readonly osToken: string;
  readonly build: string;
  readonly x64: boolean;
}

const m = (variant: string | null, description: string, osToken: string, build: string, x64 = true): Machine => ({ variant, description, osToken, build, x64 });

export const MACHINES: readonly Machine[] = [
  m('ws2008sp2', 'Windows Server 2008 SP2 x64', '2K8', '6002'),
  m('ws2008sp2', 'Windows Server 2008 SP2 x64, 2019 servicing build', '2K8', '6003'),
  m('ws2008sp2-x86', 'Windows Server 2008 SP2 x86', '2K8', '6002', false),
  m('ws2008r2', 'Windows Server 2008 R2 SP1', '2K8R2', '7601'),
  m('ws2012', 'Windows Server 2012', 'WIN8S', '9200'),
  m('ws2012r2', 'Windows Server 2012 R2', 'WINBLUESRV', '9600'),
  m('ws2016', 'Windows Server 2016', 'WINTHRESHOLDSRV', '14393'),
  m('ws2019', 'Windows Server 2019', 'WINTHRESHOLDSRV', '17763'),
  m('ws2022', 'Windows Server 2022', 'WINTHRESHOLDSRV', '20348'),
  m('ws2025', 'Windows Server 2025', 'WINTHRESHOLDSRV', '26100'),
  m('win7', 'Windows 7 SP1 x64', 'WIN7', '7601'),
  m('win7-x86', 'Windows 7 SP1 x86', 'WIN7', '7601', false),
  m('win81', 'Windows 8.1 x64', 'WINBLUE', '9600'),
  m('win81-x86', 'Windows 8.1 x86', 'WINBLUE', '9600', false),
  m('win10', 'Windows 10 1507 x64', 'WINTHRESHOLD', '10240'),
  m('win10', 'Windows 10 1607 (LTSB 2016) x64', 'WINTHRESHOLD', '14393'),
  m('win10', 'Windows 10 22H2 x64', 'WINTHRESHOLD', '19045'),
  m('win10-x86', 'Windows 10 22H2 x86', 'WINTHRESHOLD', '19045', false),
  m('win11', 'Windows 11 21H2', 'WINTHRESHOLD', '22000'),
  m('win11', 'Windows 11 23H2', 'WINTHRESHOLD', '22631'),
  m('win11', 'Windows 11 24H2', 'WINTHRESHOLD', '26100'),
  m(null, 'Windows Vista SP2', 'VISTA', '6002'),
  m(null, 'Windows 8', 'WIN8', '9200'),
  m(null, 'a future Windows Server (build 28000)', 'WINTHRESHOLDSRV', '28000'),
];
