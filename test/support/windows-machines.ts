/**
 * Sample machines as Group Policy sees them, written independently of definitions/windows.yaml:
 * the FilterOs version token Windows reports ([MS-GPPREF] 2.2.1.22 and notes <17>-<20>), real
 * Win32_OperatingSystem values (BuildNumber, ProductType, OperatingSystemSKU), the
 * Win32_Processor.AddressWidth of the installed Windows, and whether a key named
 * HKLM\SOFTWARE\WOW6432Node exists. A wrong token or build in the catalogue makes the targeting
 * tests fail.
 *
 * Sources for the values:
 * - ProductType: 1 workstation, 2 domain controller, 3 server (Win32_OperatingSystem).
 * - OperatingSystemSKU (GetProductInfo's PRODUCT_* values): 4 PRODUCT_ENTERPRISE, 48
 *   PRODUCT_PROFESSIONAL, 7 PRODUCT_STANDARD_SERVER, 8 PRODUCT_DATACENTER_SERVER, 175
 *   PRODUCT_SERVERRDSH "Windows 10 Enterprise for Virtual Desktops"
 *   (learn.microsoft.com/windows/win32/api/sysinfoapi/nf-sysinfoapi-getproductinfo).
 * - Windows 10/11 Enterprise multi-session "reports the ProductType as having a value of 3, the same
 *   value as Windows Server" (learn.microsoft.com/azure/virtual-desktop/windows-10-multisession-faq);
 *   its edition was "formerly known as Windows 10 Enterprise for Virtual Desktops (EVD)" (same FAQ),
 *   hence SKU 175. Which FilterOs token the GPP client derives for such a host is not documented, so
 *   each multi-session machine is listed once with each token: the targeting must hold either way.
 * - AddressWidth: "On a 32-bit operating system, the value is 32 and on a 64-bit operating system it
 *   is 64" (learn.microsoft.com/windows/win32/cimwin32prov/win32-processor).
 * - Some installers create a literal HKLM\SOFTWARE\WOW6432Node key on 32-bit Windows (fleet review
 *   3.3): those machines must still get no WOW6432Node values.
 */
export interface Machine {
  /** The tlsgen target variant this machine should get, or null for a Windows no profile covers. */
  readonly variant: string | null;
  readonly description: string;
  readonly osToken: string;
  readonly build: string;
  readonly productType: 1 | 2 | 3;
  readonly sku: number;
  readonly addressWidth: 32 | 64;
  /** HKLM\SOFTWARE\WOW6432Node exists: always on 64-bit Windows, on 32-bit only when an installer made it. */
  readonly wow6432NodeKey: boolean;
}

const WORKSTATION = 1;
const DOMAIN_CONTROLLER = 2;
const SERVER = 3;
const SKU = { enterprise: 4, professional: 48, standardServer: 7, datacenterServer: 8, multiSession: 175 } as const;

interface Options {
  readonly x86?: boolean;
  readonly productType?: 1 | 2 | 3;
  readonly sku?: number;
  /** On x86: an installer created a literal WOW6432Node key. */
  readonly strayWow6432Node?: boolean;
}

function m(variant: string | null, description: string, osToken: string, build: string, options: Options = {}): Machine {
  const server = /SRV$|^2K8/.test(osToken) || osToken === 'WIN8S';
  const productType = options.productType ?? (server ? SERVER : WORKSTATION);
  const x86 = options.x86 ?? false;
  return {
    variant,
    description,
    osToken,
    build,
    productType,
    sku: options.sku ?? (productType === WORKSTATION ? SKU.enterprise : SKU.standardServer),
    addressWidth: x86 ? 32 : 64,
    wow6432NodeKey: !x86 || (options.strayWow6432Node ?? false),
  };
}

/** Windows 10/11 Enterprise multi-session, once per FilterOs token the client might derive for it. */
function multiSession(variant: string, description: string, build: string): Machine[] {
  return ['WINTHRESHOLD', 'WINTHRESHOLDSRV'].map((token) =>
    m(variant, `${description} (ProductType 3, SKU 175; FilterOs ${token})`, token, build, { productType: SERVER, sku: SKU.multiSession }),
  );
}

export const MACHINES: readonly Machine[] = [
  m('ws2008sp2', 'Windows Server 2008 SP2 x64', '2K8', '6002'),
  m('ws2008sp2', 'Windows Server 2008 SP2 x64, 2019 servicing build', '2K8', '6003'),
  m('ws2008sp2-x86', 'Windows Server 2008 SP2 x86', '2K8', '6002', { x86: true }),
  m('ws2008sp2-x86', 'Windows Server 2008 SP2 x86 with a WOW6432Node key an installer created', '2K8', '6002', { x86: true, strayWow6432Node: true }),
  m('ws2008r2', 'Windows Server 2008 R2 SP1', '2K8R2', '7601'),
  m('ws2012', 'Windows Server 2012', 'WIN8S', '9200'),
  m('ws2012r2', 'Windows Server 2012 R2', 'WINBLUESRV', '9600'),
  m('ws2016', 'Windows Server 2016', 'WINTHRESHOLDSRV', '14393'),
  m('ws2019', 'Windows Server 2019', 'WINTHRESHOLDSRV', '17763'),
  m('ws2019', 'Windows Server 2019 Datacenter', 'WINTHRESHOLDSRV', '17763', { sku: SKU.datacenterServer }),
  m('ws2022', 'Windows Server 2022', 'WINTHRESHOLDSRV', '20348'),
  m('ws2022', 'Windows Server 2022 domain controller', 'WINTHRESHOLDSRV', '20348', { productType: DOMAIN_CONTROLLER }),
  m('ws2025', 'Windows Server 2025', 'WINTHRESHOLDSRV', '26100'),
  m('win7', 'Windows 7 SP1 x64', 'WIN7', '7601'),
  m('win7-x86', 'Windows 7 SP1 x86', 'WIN7', '7601', { x86: true }),
  m('win7-x86', 'Windows 7 SP1 x86 with a WOW6432Node key an installer created', 'WIN7', '7601', { x86: true, strayWow6432Node: true }),
  m('win81', 'Windows 8.1 x64', 'WINBLUE', '9600'),
  m('win81-x86', 'Windows 8.1 x86', 'WINBLUE', '9600', { x86: true }),
  m('win10', 'Windows 10 1507 x64', 'WINTHRESHOLD', '10240'),
  m('win10', 'Windows 10 1607 (LTSB 2016) x64', 'WINTHRESHOLD', '14393'),
  m('win10', 'Windows 10 1809 (LTSC 2019) x64', 'WINTHRESHOLD', '17763'),
  m('win10', 'Windows 10 22H2 x64 Pro', 'WINTHRESHOLD', '19045', { sku: SKU.professional }),
  m('win10-x86', 'Windows 10 22H2 x86', 'WINTHRESHOLD', '19045', { x86: true }),
  m('win10-x86', 'Windows 10 22H2 x86 with a WOW6432Node key an installer created', 'WINTHRESHOLD', '19045', { x86: true, strayWow6432Node: true }),
  ...multiSession('win10', 'Windows 10 Enterprise multi-session 21H2', '19044'),
  ...multiSession('win10', 'Windows 10 Enterprise multi-session 22H2', '19045'),
  m('win11', 'Windows 11 21H2', 'WINTHRESHOLD', '22000'),
  m('win11', 'Windows 11 23H2', 'WINTHRESHOLD', '22631'),
  m('win11', 'Windows 11 24H2', 'WINTHRESHOLD', '26100'),
  ...multiSession('win11', 'Windows 11 Enterprise multi-session 22H2', '22621'),
  ...multiSession('win11', 'Windows 11 Enterprise multi-session 24H2', '26100'),
  m(null, 'Windows Vista SP2', 'VISTA', '6002'),
  m(null, 'Windows 8', 'WIN8', '9200'),
  m(null, 'a future Windows Server (build 28000)', 'WINTHRESHOLDSRV', '28000'),
];
