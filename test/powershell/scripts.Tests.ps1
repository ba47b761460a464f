<#
    Behaviour tests of the generated PowerShell scripts of profile azure-backup-tls12:
    Install-AzureBackupTls12.ps1 (the installer) and Test-AzureBackupTls12.ps1 (the audit).

    The scripts run for real, from a profile folder (TLSGEN_PROFILE_DIR: a fresh `tlsgen build` made by
    test/scripts.test.ts; never the committed out/, which only out-is-current.test.ts judges), so the installer's default
    -Path is that folder's reg folder. Every Windows-only command is mocked: Get-WmiObject (which
    Windows this is), Get-HotFix (installed updates), reg.exe (export writes a .reg file of the fake
    registry; import applies a .reg file to it, parsed here), the registry through the scripts' seam
    Get-TlsgenRegistryHive (a fake Microsoft.Win32.RegistryKey over a hashtable; Get-Item / Test-Path on
    Registry:: paths are mocked too, as the provider behaves, and must never be used), and the scripts' own seams: Test-TlsgenIs64BitProcess
    ([IntPtr]::Size), Test-TlsgenIsAdministrator, Get-TlsgenFileVersion (file versions of the
    prerequisite checks), Get-TlsgenPowerShell64Path (sysnative) with a fake 64-bit powershell.exe,
    and Protect-TlsgenFolder (ACLs). Nothing touches a real registry, even on Windows.

    What the scripts should do comes from the generator, not from the scripts' own tables:
    `tlsgen explain azure-backup-tls12 --json` gives each target's values, prerequisites and advisories.
    The block "Value policies and key names with '/'" runs the scripts of a plan built in
    test/scripts-policy-plan.ts (TLSGEN_POLICY_DIR, its plan in TLSGEN_POLICY_PLAN): TLS 1.2 Client Enabled = 1
    also accepts 0xFFFFFFFF, and a key SCHANNEL\Ciphers\RC4 128/128.
    The last block runs the audit script of the golden case every-value-type (TLSGEN_EVERYTYPE_DIR),
    for the value types (QWORD, binary, multi-string, ...) and quoting-hostile strings that
    azure-backup-tls12 lacks.

    Windows behaviour the mocks stand in for, with sources:
      - reg.exe writes "The operation completed successfully." to stderr and exits 0
        (MicrosoftDocs/windowsserverdocs#2060); hosts that turn native stderr into error records stop
        under $ErrorActionPreference = 'Stop' (PowerShell/PowerShell#3996). The reg.exe mock writes an
        error record, which does exactly that to a naive call (checked below).
      - Windows 10/11 Enterprise multi-session reports ProductType 3
        (https://learn.microsoft.com/azure/virtual-desktop/windows-10-multisession-faq) and
        OperatingSystemSKU 175, PRODUCT_SERVERRDSH
        (https://learn.microsoft.com/windows/win32/api/sysinfoapi/nf-sysinfoapi-getproductinfo).

    Run through test/scripts.test.ts (vitest), or directly, after generating the two profile folders:
      TLSGEN_PROFILE_DIR=... TLSGEN_EVERYTYPE_DIR=... pwsh -NoProfile -File test/powershell/run-pester.ps1 -PesterManifest <Pester.psd1> -TestPath test/powershell/scripts.Tests.ps1
    Environment: TLSGEN_ROOT (repository root; default two folders up), TLSGEN_NODE (node binary),
    TLSGEN_PROFILE_DIR, TLSGEN_EVERYTYPE_DIR (generated profile folders; required: the committed
    copies are never used, so that the tests judge what the code produces now).
#>

BeforeDiscovery {
    # Real Win32_OperatingSystem values for each target variant the profile covers (and a few it
    # does not). Written here independently of definitions/windows.yaml: a wrong build or product
    # type in the catalogue makes these fail. ProductType: 1 workstation, 2 domain controller, 3 server.
    # OSArchitecture is localized ("64-bit", "64 bits", "64 Bit"); the scripts look for "64".
    # Sku: OperatingSystemSKU (7 Server Standard, 8 Datacenter, 48 Professional, 4 Enterprise, 175 multi-session).
    $script:Machines = @(
        @{ Expected = 'ws2008sp2';     Caption = 'Microsoft Windows Server 2008 Standard';        Version = '6.0.6002';   Build = '6002';  ProductType = 3; Arch = '64-bit'; Sku = 7 }
        @{ Expected = 'ws2008sp2';     Caption = 'Microsoft Windows Server 2008 Standard (6003)'; Version = '6.0.6003';   Build = '6003';  ProductType = 2; Arch = '64-bit'; Sku = 7 }
        @{ Expected = 'ws2008sp2-x86'; Caption = 'Microsoft Windows Server 2008 Standard x86';    Version = '6.0.6002';   Build = '6002';  ProductType = 3; Arch = '32-bit'; Sku = 7 }
        @{ Expected = 'ws2008r2';      Caption = 'Microsoft Windows Server 2008 R2 Standard';     Version = '6.1.7601';   Build = '7601';  ProductType = 3; Arch = '64-bit'; Sku = 7 }
        @{ Expected = 'ws2012';        Caption = 'Microsoft Windows Server 2012 Datacenter';      Version = '6.2.9200';   Build = '9200';  ProductType = 3; Arch = '64 bits'; Sku = 8 }
        @{ Expected = 'ws2012r2';      Caption = 'Microsoft Windows Server 2012 R2 (DC)';         Version = '6.3.9600';   Build = '9600';  ProductType = 2; Arch = '64-bit'; Sku = 8 }
        @{ Expected = 'ws2016';        Caption = 'Microsoft Windows Server 2016 Standard';        Version = '10.0.14393'; Build = '14393'; ProductType = 3; Arch = '64-bit'; Sku = 7 }
        @{ Expected = 'ws2019';        Caption = 'Microsoft Windows Server 2019 Datacenter';      Version = '10.0.17763'; Build = '17763'; ProductType = 3; Arch = '64-Bit'; Sku = 8 }
        @{ Expected = 'ws2022';        Caption = 'Microsoft Windows Server 2022 (DC)';            Version = '10.0.20348'; Build = '20348'; ProductType = 2; Arch = '64-bit'; Sku = 8 }
        @{ Expected = 'ws2025';        Caption = 'Microsoft Windows Server 2025 Datacenter';      Version = '10.0.26100'; Build = '26100'; ProductType = 3; Arch = '64-bit'; Sku = 8 }
        @{ Expected = 'win7';          Caption = 'Microsoft Windows 7 Professional';              Version = '6.1.7601';   Build = '7601';  ProductType = 1; Arch = '64-bit'; Sku = 48 }
        @{ Expected = 'win7-x86';      Caption = 'Microsoft Windows 7 Professional x86';          Version = '6.1.7601';   Build = '7601';  ProductType = 1; Arch = '32-bit'; Sku = 48 }
        @{ Expected = 'win81';         Caption = 'Microsoft Windows 8.1 Pro';                     Version = '6.3.9600';   Build = '9600';  ProductType = 1; Arch = '64-bit'; Sku = 48 }
        @{ Expected = 'win81-x86';     Caption = 'Microsoft Windows 8.1 Pro x86';                 Version = '6.3.9600';   Build = '9600';  ProductType = 1; Arch = '32-bit'; Sku = 48 }
        @{ Expected = 'win10';         Caption = 'Microsoft Windows 10 Pro 1507';                 Version = '10.0.10240'; Build = '10240'; ProductType = 1; Arch = '64-bit'; Sku = 48 }
        @{ Expected = 'win10';         Caption = 'Microsoft Windows 10 Pro 22H2';                 Version = '10.0.19045'; Build = '19045'; ProductType = 1; Arch = '64-bit'; Sku = 48 }
        @{ Expected = 'win10';         Caption = 'Microsoft Windows 10 Enterprise multi-session 21H2'; Version = '10.0.19044'; Build = '19044'; ProductType = 3; Arch = '64-bit'; Sku = 175 }
        @{ Expected = 'win10-x86';     Caption = 'Microsoft Windows 10 Pro 22H2 x86';             Version = '10.0.19045'; Build = '19045'; ProductType = 1; Arch = '32-bit'; Sku = 48 }
        @{ Expected = 'win11';         Caption = 'Microsoft Windows 11 Pro 21H2';                 Version = '10.0.22000'; Build = '22000'; ProductType = 1; Arch = '64-bit'; Sku = 48 }
        @{ Expected = 'win11';         Caption = 'Microsoft Windows 11 Enterprise 24H2';          Version = '10.0.26100'; Build = '26100'; ProductType = 1; Arch = '64-bit'; Sku = 4 }
        # Same build and ProductType as Server 2025: only the SKU tells them apart.
        @{ Expected = 'win11';         Caption = 'Microsoft Windows 11 Enterprise multi-session 24H2'; Version = '10.0.26100'; Build = '26100'; ProductType = 3; Arch = '64-bit'; Sku = 175 }
    )
    # Windows the profile does not cover: the installer refuses them (exit 1), the audit says
    # "Not applicable" (exit 0, so Intune starts no remediation).
    $script:Unsupported = @(
        @{ Why = 'Vista SP2 (NT 6.0, a workstation)';           Caption = 'Microsoft Windows Vista Business';    Version = '6.0.6002';   Build = '6002';  ProductType = 1; Arch = '64-bit'; Sku = 6 }
        @{ Why = 'Server 2008 R2 without SP1 (build 7600)';     Caption = 'Microsoft Windows Server 2008 R2 RTM'; Version = '6.1.7600';   Build = '7600';  ProductType = 3; Arch = '64-bit'; Sku = 7 }
        @{ Why = 'a Windows 10/11 build between 19045 and 22000'; Caption = 'Microsoft Windows 10 Insider';      Version = '10.0.21000'; Build = '21000'; ProductType = 1; Arch = '64-bit'; Sku = 48 }
        @{ Why = 'a 32-bit Windows 11 (there is none)';         Caption = 'Microsoft Windows 11 x86';            Version = '10.0.22000'; Build = '22000'; ProductType = 1; Arch = '32-bit'; Sku = 48 }
        @{ Why = 'a Server build newer than 2025';              Caption = 'Microsoft Windows Server 2028';       Version = '10.0.30000'; Build = '30000'; ProductType = 3; Arch = '64-bit'; Sku = 8 }
    )
    # One machine per target variant (the first listed), for the tests that run once per variant.
    $script:VariantMachines = @($script:Machines | Group-Object { $_.Expected } | ForEach-Object { $_.Group[0] })
    $script:Variants = @($script:VariantMachines | ForEach-Object { $_.Expected })
}

# One outer block: Pester allows BeforeEach (the fresh fake machine of every test) only inside one.
Describe 'Generated installer and audit scripts' {
    BeforeAll {
        $Root = $(if ($env:TLSGEN_ROOT) { $env:TLSGEN_ROOT } else { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path })
        $Node = $(if ($env:TLSGEN_NODE) { $env:TLSGEN_NODE } else { 'node' })
        $ProfileDir = $env:TLSGEN_PROFILE_DIR
        if (-not $ProfileDir) { throw 'TLSGEN_PROFILE_DIR is not set (run through test/scripts.test.ts, which generates it)' }
        $RegDir = Join-Path $ProfileDir 'reg'
        $InstallScript = Join-Path $ProfileDir 'scripts/Install-AzureBackupTls12.ps1'
        $AuditScript = Join-Path $ProfileDir 'scripts/Test-AzureBackupTls12.ps1'

        # What the generator says each target gets (independent of the scripts' embedded tables):
        # variant id -> explain's target object (apply[], prerequisites[], advisories[]).
        function Get-Explain([string]$ProfileId, [string]$Definitions = (Join-Path $Root 'definitions')) {
            $text = & $Node (Join-Path $Root 'bin/tlsgen.cjs') explain $ProfileId --definitions $Definitions --json
            if ($LASTEXITCODE -ne 0) { throw "tlsgen explain $ProfileId failed with exit code $LASTEXITCODE" }
            $plans = @{}
            foreach ($t in (($text -join "`n") | ConvertFrom-Json).targets) { $plans[$t.variantId] = $t }
            $plans
        }
        $Plans = Get-Explain 'azure-backup-tls12'

        # .reg value types -> Microsoft.Win32.RegistryValueKind names (what GetValueKind returns).
        $KindOf = @{ REG_DWORD = 'DWord'; REG_QWORD = 'QWord'; REG_SZ = 'String'; REG_EXPAND_SZ = 'ExpandString'; REG_MULTI_SZ = 'MultiString'; REG_BINARY = 'Binary' }

        function Get-PlanValue([string]$Target, [hashtable]$From = $Plans) {
            foreach ($a in $From[$Target].apply) {
                [pscustomobject]@{
                    Action  = $a.action
                    Key     = '{0}\{1}' -f $a.hive, $a.path
                    Name    = $a.name
                    Kind    = $(if ($a.value) { $KindOf[$a.value.type] })
                    Data    = $(if ($a.value) { $a.value.data })
                    Setting = $a.setting.id
                }
            }
        }
        function Get-PlanKey([string]$Target) { @(Get-PlanValue $Target | ForEach-Object Key | Select-Object -Unique) }
        function Get-PlanPrerequisite([string]$Target) { @($Plans[$Target].prerequisites | ForEach-Object id) }
        # Data as the scripts print and compare it: DWORD/QWORD as 0x + upper-case hex digits,
        # binary as upper-case hex, a multi-string's items joined by NUL. (explain gives a DWORD
        # as a number, a QWORD as a decimal string, binary as lower-case hex, a multi-string as a list.)
        function Format-ExpectedData($Kind, $Data) {
            switch ($Kind) {
                'DWord' { '0x{0:X8}' -f [uint32]$Data }
                'QWord' { '0x{0:X16}' -f [uint64]$Data }
                'Binary' { ([string]$Data).ToUpperInvariant() }
                'MultiString' { @($Data) -join [char]0 }
                default { [string]$Data }
            }
        }
        # Data as RegistryKey.GetValue returns it: DWORD Int32 and QWORD Int64 (signed), byte[], string[].
        function ConvertTo-RegistryData($Kind, $Data) {
            switch ($Kind) {
                'DWord' { [BitConverter]::ToInt32([BitConverter]::GetBytes([uint32]$Data), 0) }
                'QWord' { [BitConverter]::ToInt64([BitConverter]::GetBytes([uint64]$Data), 0) }
                'Binary' { , [byte[]][Convert]::FromHexString([string]$Data) }
                'MultiString' { , [string[]]@($Data) }
                default { [string]$Data }
            }
        }

        # Commands that do not exist here (Linux, or PowerShell 7 on Windows) get a stub so that Mock has
        # something to shadow (Pester cannot mock a command it cannot find). The scripts' own seams get
        # one too: the scripts define them, and the mock's alias wins over a function.
        $script:Stubbed = @()
        # (A stub's param block is the signature the mock binds: -ParameterFilter sees those parameters.)
        $stubs = [ordered]@{
            'Get-WmiObject' = 'param([string]$Class)'; 'Get-HotFix' = 'param([string[]]$Id)'; 'reg.exe' = ''; 'tlsgen-powershell64.exe' = ''
            'Test-TlsgenIs64BitProcess' = 'param()'; 'Test-TlsgenIsAdministrator' = 'param()'; 'Get-TlsgenFileVersion' = 'param([string]$Path)'
            'Get-TlsgenPowerShell64Path' = 'param()'; 'Protect-TlsgenFolder' = 'param([string]$Folder)'; 'Get-TlsgenRegistryHive' = 'param([string]$Hive)'
        }
        foreach ($name in $stubs.Keys) {
            if (-not (Get-Command $name -ErrorAction SilentlyContinue)) {
                Set-Item -LiteralPath "function:global:$name" -Value ([scriptblock]::Create("$($stubs[$name]) throw '$name stub: not mocked'"))
                $script:Stubbed += $name
            }
        }

        # Mock bodies run in Pester's scope, not this file's: the fake machine lives in globals.
        function Set-FakeMachine($Version, $Build, $ProductType, $Arch, $Caption = 'Microsoft Windows (fake)', $Sku = 8) {
            $global:TlsgenFakeOs = [pscustomobject]@{
                Caption = $Caption; Version = $Version; BuildNumber = [string]$Build
                ProductType = [uint32]$ProductType; OSArchitecture = $Arch; OperatingSystemSKU = [uint32]$Sku
            }
        }
        function Set-FakeMachineFor([string]$Target) {
            $m = @{
                'ws2019' = @('10.0.17763', 17763, 3, '64-bit'); 'win7' = @('6.1.7601', 7601, 1, '64-bit', 'Windows 7', 48)
                'win10-x86' = @('10.0.19045', 19045, 1, '32-bit', 'Windows 10 x86', 48); 'ws2008sp2' = @('6.0.6002', 6002, 3, '64-bit')
                'ws2025' = @('10.0.26100', 26100, 3, '64-bit')
            }[$Target]
            if (-not $m) { throw "no fake machine for $Target" }
            Set-FakeMachine @m
        }
        # The fake registry: key path (case-insensitive) -> @{ value name -> @{ Kind; Data } }.
        function Set-FakeRegistry([string]$Target, [hashtable]$From = $Plans) {
            $global:TlsgenFakeRegistry = @{}
            if (-not $Target) { return }
            foreach ($v in Get-PlanValue $Target $From) {
                if ($v.Action -ne 'set') { continue }
                Set-FakeValue $v.Key $v.Name $v.Kind (ConvertTo-RegistryData $v.Kind $v.Data)
            }
        }
        function Set-FakeValue([string]$Key, [string]$Name, [string]$Kind, $Data) {
            if (-not $global:TlsgenFakeRegistry.ContainsKey($Key)) { $global:TlsgenFakeRegistry[$Key] = @{} }
            $global:TlsgenFakeRegistry[$Key][$Name] = @{ Kind = $Kind; Data = $Data }
        }
        function Set-InstalledUpdate([string[]]$Ids) { $global:TlsgenInstalledKbs = @($Ids) }
        # File versions the prerequisite checks see: path as written in the plan -> version text.
        function Set-FileVersion([hashtable]$Versions) { $global:TlsgenFileVersions = $Versions }
        # Every prerequisite of a target present by its file versions (or by Get-HotFix where it has none).
        function Set-PrerequisitesPresent([string]$Target) {
            $versions = @{}
            foreach ($p in $Plans[$Target].prerequisites) { foreach ($f in $p.detection.files) { $versions[$f.path] = $f.minVersion } }
            Set-FileVersion $versions
            Set-InstalledUpdate @($Plans[$Target].prerequisites | Where-Object { @($_.detection.files).Count -eq 0 } | ForEach-Object id)
        }
        function Set-DotNetRelease($Release) {
            Set-FakeValue 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' 'Release' 'DWord' ([int]$Release)
        }

        function Invoke-Script([string]$Script, [hashtable]$Parameters = @{}) {
            $global:LASTEXITCODE = -999 # so a script that ends without "exit" is noticed
            $output = @(& $Script @Parameters *>&1 | ForEach-Object { "$_" })
            [pscustomobject]@{ ExitCode = $global:LASTEXITCODE; Output = $output; Text = $output -join "`n"; RegCalls = @($global:TlsgenRegCalls) }
        }
        function Invoke-Installer([hashtable]$Parameters = @{}) {
            # Never the default backup root (%ProgramData%, /usr/share on Linux).
            if (-not $Parameters.ContainsKey('BackupRoot')) { $Parameters.BackupRoot = New-TestFolder 'backup' }
            Invoke-Script $InstallScript $Parameters
        }
        function Invoke-Audit([switch]$Json, [string]$Script = $AuditScript, [hashtable]$Parameters = @{}) {
            if ($Json) { $Parameters.Json = $true }
            $r = Invoke-Script $Script $Parameters
            if ($Json -and $r.ExitCode -in 0, 1) {
                $r | Add-Member NoteProperty Report ($r.Text | ConvertFrom-Json)
            }
            $r
        }
        # A fresh folder under TestDrive (backup roots, copies of the reg folder).
        function New-TestFolder([string]$Prefix) { Join-Path $TestDrive ('{0}-{1}' -f $Prefix, [guid]::NewGuid().ToString('N').Substring(0, 8)) }
        function Copy-RegFolder { $copy = New-TestFolder 'reg'; Copy-Item -LiteralPath $RegDir -Destination $copy -Recurse; $copy }
        function Get-FakeData([string]$Key, [string]$Name) {
            $values = $global:TlsgenFakeRegistry[$Key]
            if ($null -eq $values -or -not $values.ContainsKey($Name)) { return $null }
            $values[$Name].Data
        }

        # ---- reg.exe: a .reg reader and writer for the fake registry (DWORD values, value and key deletions) ----
        function Import-FakeRegFile([string]$File) {
            $key = $null
            foreach ($line in [IO.File]::ReadAllText($File) -split "`r?`n") {
                if ($line -match '^\[-(.+)\]$') {
                    foreach ($k in @($global:TlsgenFakeRegistry.Keys)) { if ($k -eq $Matches[1] -or $k -like "$($Matches[1])\*") { $global:TlsgenFakeRegistry.Remove($k) } }
                    $key = $null
                }
                elseif ($line -match '^\[(.+)\]$') {
                    $key = $Matches[1]
                    if (-not $global:TlsgenFakeRegistry.ContainsKey($key)) { $global:TlsgenFakeRegistry[$key] = @{} }
                }
                elseif ($key -and $line -match '^"((?:[^"\\]|\\.)*)"=(.*)$') {
                    $name = $Matches[1] -replace '\\(.)', '$1'
                    $data = $Matches[2]
                    if ($global:TlsgenImportDrops -contains $name) { continue } # a value Windows did not take
                    if ($data -eq '-') { $global:TlsgenFakeRegistry[$key].Remove($name) }
                    elseif ($data -match '^dword:([0-9a-fA-F]{8})$') { $global:TlsgenFakeRegistry[$key][$name] = @{ Kind = 'DWord'; Data = [BitConverter]::ToInt32([BitConverter]::GetBytes([Convert]::ToUInt32($Matches[1], 16)), 0) } }
                    else { throw "fake reg.exe: value type not supported here: $line" }
                }
            }
        }
        function Export-FakeKey([string]$Key, [string]$File) {
            $lines = @('Windows Registry Editor Version 5.00', '')
            foreach ($k in @($global:TlsgenFakeRegistry.Keys | Where-Object { $_ -eq $Key -or $_ -like "$Key\*" } | Sort-Object)) {
                $lines += "[$k]"
                foreach ($n in @($global:TlsgenFakeRegistry[$k].Keys | Sort-Object)) {
                    $v = $global:TlsgenFakeRegistry[$k][$n]
                    if ($v.Kind -ne 'DWord') { throw "fake reg.exe: cannot export $($v.Kind)" }
                    $lines += ('"{0}"=dword:{1:x8}' -f ($n -replace '(["\\])', '\$1'), [BitConverter]::ToUInt32([BitConverter]::GetBytes([int]$v.Data), 0))
                }
                $lines += ''
            }
            [IO.File]::WriteAllText($File, ($lines -join "`r`n") + "`r`n", [Text.Encoding]::Unicode)
        }

        # ---- Mocks, active in every test below ----
        Mock Get-WmiObject -ParameterFilter { $Class -eq 'Win32_OperatingSystem' } { $global:TlsgenFakeOs }
        Mock Get-WmiObject -ParameterFilter { $Class -eq 'Win32_Processor' } {
            [pscustomobject]@{ AddressWidth = $(if ("$($global:TlsgenFakeOs.OSArchitecture)" -match '64') { 64 } else { 32 }) }
        }
        Mock Get-HotFix {
            foreach ($kb in $Id) { if ($global:TlsgenInstalledKbs -contains $kb) { [pscustomobject]@{ HotFixID = $kb; Description = 'Update' } } }
        }
        # reg.exe: record each call ("export <key> <file> /y", "import <file>"), then act on the fake
        # registry like reg.exe does. Exit code per verb (default 0); like the real reg.exe it writes its
        # success message to stderr (here: an error record, as hosts that wrap native stderr make it).
        Mock reg.exe {
            $line = @($args | ForEach-Object { "$_" }) -join ' '
            $global:TlsgenRegCalls.Add($line)
            $code = $global:TlsgenRegExitCodes["$($args[0])"]
            if ($null -eq $code) { $code = 0 }
            if ($code -eq 0) {
                if ($args[0] -eq 'export') { Export-FakeKey "$($args[1])" "$($args[2])" }
                if ($args[0] -eq 'import') { Import-FakeRegFile "$($args[1])" }
                if ($global:TlsgenRegStderr) { Write-Error -Message 'The operation completed successfully.' -ErrorId NativeCommandError }
            }
            else {
                Write-Error -Message 'ERROR: Error accessing the registry.' -ErrorId NativeCommandError
            }
            $global:LASTEXITCODE = $code
        }
        Mock Test-TlsgenIs64BitProcess { $global:TlsgenIs64BitProcess }
        Mock Test-TlsgenIsAdministrator { $global:TlsgenIsAdministrator }
        Mock Get-TlsgenFileVersion {
            $text = $global:TlsgenFileVersions[$Path]
            if ($text) { [version]$text } else { $null }
        }
        Mock Get-TlsgenPowerShell64Path { $global:TlsgenPowerShell64 }
        Mock Protect-TlsgenFolder { $global:TlsgenProtected.Add($Folder) }
        # The 64-bit powershell.exe a 32-bit host starts: records its arguments, prints a line on stdout
        # and one on stderr, exits with the code the test chose.
        Mock tlsgen-powershell64.exe {
            $global:TlsgenRelaunches.Add(@($args | ForEach-Object { "$_" }))
            Write-Output 'output of the 64-bit run'
            Write-Error -Message 'stderr of the 64-bit run' -ErrorId NativeCommandError
            $global:LASTEXITCODE = $global:TlsgenChildExitCode
        }
        # Pester 6 throws when no filtered mock matches and there is no default mock (Pester 5
        # called the real command): the defaults pass other paths (the .reg files, TestDrive) on
        # to the real cmdlets. (Invoked through their CmdletInfo: even a module-qualified name,
        # Microsoft.PowerShell.Management\Test-Path, reaches the mock again and recurses.)
        Mock Test-Path { & (Get-Command -Name Test-Path -CommandType Cmdlet) @PesterBoundParameters }
        Mock Get-Item { & (Get-Command -Name Get-Item -CommandType Cmdlet) @PesterBoundParameters }

        # The registry as the scripts open it: Get-TlsgenRegistryHive (the scripts' seam) returns a fake
        # Microsoft.Win32.RegistryKey of the hive, whose OpenSubKey takes the rest of the path as the
        # registry does: only '\' separates keys, '/' is part of a name ("Key names cannot include the
        # backslash character (\), but any other printable character can be used",
        # https://learn.microsoft.com/windows/win32/sysinfo/structure-of-the-registry). A key exists when
        # it is in the fake registry or has a subkey there; a missing value throws on GetValueKind like
        # RegistryKey does. Every key opened is recorded in TlsgenRegistryReads.
        function global:New-TlsgenFakeKey([string]$Path) {
            $key = [pscustomobject]@{ Name = $Path }
            $key | Add-Member ScriptMethod OpenSubKey {
                param([string]$Name, $Writable)
                if ($Writable) { throw 'the scripts never open a key writable' }
                $path = $this.Name + '\' + $Name
                $global:TlsgenRegistryReads.Add($path)
                $exists = $global:TlsgenFakeRegistry.ContainsKey($path) -or @($global:TlsgenFakeRegistry.Keys | Where-Object { $_.StartsWith($path + '\', [StringComparison]::OrdinalIgnoreCase) }).Count -gt 0
                if ($exists) { New-TlsgenFakeKey $path } else { $null }
            }
            $key | Add-Member ScriptMethod GetValueNames { [string[]]@(if ($global:TlsgenFakeRegistry.ContainsKey($this.Name)) { $global:TlsgenFakeRegistry[$this.Name].Keys }) }
            $key | Add-Member ScriptMethod GetValueKind {
                param([string]$Name)
                $values = $global:TlsgenFakeRegistry[$this.Name]
                if ($null -eq $values -or -not $values.ContainsKey($Name)) { throw [System.IO.IOException]::new('The system cannot find the file specified.') }
                [Microsoft.Win32.RegistryValueKind]$values[$Name].Kind
            }
            $key | Add-Member ScriptMethod GetValue {
                param([string]$Name, $DefaultValue, $Options)
                $global:TlsgenGetValueOptions.Add("$Options")
                $values = $global:TlsgenFakeRegistry[$this.Name]
                # "," keeps byte[] and string[] whole, as RegistryKey.GetValue returns them.
                if ($null -ne $values -and $values.ContainsKey($Name)) { , $values[$Name].Data } else { $DefaultValue }
            }
            $key | Add-Member ScriptMethod Close { }
            $key
        }
        Mock Get-TlsgenRegistryHive { New-TlsgenFakeKey $Hive }

        # The registry provider, for scripts that would use it: it reads '/' as '\', -LiteralPath included
        # (RegistryProvider.NormalizePath "Converts all / in the path to \";
        # https://github.com/PowerShell/PowerShell/blob/master/src/System.Management.Automation/namespaces/RegistryProvider.cs,
        # https://github.com/PowerShell/PowerShell/issues/5536), so "RC4 128/128" finds the key "RC4 128\128".
        # The scripts must never come here (checked below); if they did, the '/' tests would fail.
        function global:ConvertTo-ProviderKey([string]$LiteralPath) { ("$LiteralPath" -replace '^Registry::', '').Replace('/', '\') }
        Mock Test-Path -ParameterFilter { "$LiteralPath" -like 'Registry::*' } {
            $global:TlsgenProviderReads.Add("$LiteralPath")
            $global:TlsgenFakeRegistry.ContainsKey((ConvertTo-ProviderKey $LiteralPath))
        }
        Mock Get-Item -ParameterFilter { "$LiteralPath" -like 'Registry::*' } {
            $global:TlsgenProviderReads.Add("$LiteralPath")
            $path = ConvertTo-ProviderKey $LiteralPath
            if ($global:TlsgenFakeRegistry.ContainsKey($path)) { New-TlsgenFakeKey $path }
        }
    }

    BeforeEach {
        Set-FakeMachineFor 'ws2019'
        Set-FakeRegistry $null
        Set-InstalledUpdate @()
        Set-FileVersion @{}
        $global:TlsgenRegCalls = [System.Collections.Generic.List[string]]::new()
        $global:TlsgenRegExitCodes = @{}
        $global:TlsgenRegStderr = $false
        $global:TlsgenImportDrops = @()
        $global:TlsgenGetValueOptions = [System.Collections.Generic.List[string]]::new()
        $global:TlsgenRegistryReads = [System.Collections.Generic.List[string]]::new()
        $global:TlsgenProviderReads = [System.Collections.Generic.List[string]]::new()
        $global:TlsgenIs64BitProcess = $true
        $global:TlsgenIsAdministrator = $true
        $global:TlsgenPowerShell64 = 'tlsgen-powershell64.exe'
        $global:TlsgenRelaunches = [System.Collections.Generic.List[object]]::new()
        $global:TlsgenChildExitCode = 0
        $global:TlsgenProtected = [System.Collections.Generic.List[string]]::new()
    }

    AfterAll {
        foreach ($name in $script:Stubbed + 'New-TlsgenFakeKey', 'ConvertTo-ProviderKey') { Remove-Item -LiteralPath "function:global:$name" -ErrorAction SilentlyContinue }
        Remove-Variable -Scope Global -ErrorAction SilentlyContinue -Name TlsgenFakeOs, TlsgenFakeRegistry, TlsgenInstalledKbs, TlsgenFileVersions, TlsgenRegCalls,
            TlsgenRegExitCodes, TlsgenRegStderr, TlsgenImportDrops, TlsgenGetValueOptions, TlsgenRegistryReads, TlsgenProviderReads, TlsgenIs64BitProcess, TlsgenIsAdministrator,
            TlsgenPowerShell64, TlsgenRelaunches, TlsgenChildExitCode, TlsgenProtected
    }

    Describe 'The test machines' {
        It 'cover every target variant the generator has' -ForEach @(@{ Variants = $Variants }) {
            # A new variant in definitions/ must get a detection test here.
            @($Plans.Keys | Sort-Object) | Should -Be @($Variants | Sort-Object)
        }

        It 'include a reg.exe whose stderr stops a naive call under $ErrorActionPreference = ''Stop''' {
            # The oracle for the stderr tests below: the same mock that the scripts survive does stop
            # the call pattern the scripts used to have.
            $global:TlsgenRegStderr = $true
            $file = Join-Path $TestDrive 'oracle.reg'
            { $ErrorActionPreference = 'Stop'; & reg.exe export 'HKEY_LOCAL_MACHINE\SOFTWARE\Oracle' $file /y 2>&1 | Out-Null } | Should -Throw '*completed successfully*'
        }
    }

    Describe 'Detection: which target a Windows machine gets' {
        It 'installer -WhatIf on <Caption> (<Version>, type <ProductType>, SKU <Sku>, <Arch>) picks <Expected>' -ForEach $Machines {
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption $Sku
            $r = Invoke-Installer @{ WhatIf = $true }
            $r.Text | Should -Match ([regex]::Escape("(target $Expected)"))
            # -WhatIf also verifies the .reg file's hash against the one in the script.
            $r.Text | Should -Match ([regex]::Escape("Verified $(Join-Path $RegDir "$Expected.reg")"))
            $r.ExitCode | Should -Be 0
            $r.RegCalls.Count | Should -Be 0
        }

        It 'audit -Json on <Caption> (<Version>, type <ProductType>, SKU <Sku>, <Arch>) reports target <Expected>' -ForEach $Machines {
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption $Sku
            $r = Invoke-Audit -Json
            $r.Report.target | Should -Be $Expected
            $r.Report.applicable | Should -BeTrue
            $r.ExitCode | Should -Be 1 # the fake registry is empty
        }

        It 'installer refuses <Why> with exit 1, before any reg.exe call or update check' -ForEach $Unsupported {
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption $Sku
            $r = Invoke-Installer
            $r.ExitCode | Should -Be 1
            $r.Output[0] | Should -BeLike 'Not covered:*'
            $r.RegCalls.Count | Should -Be 0
            Should -Invoke Get-HotFix -Times 0 -Exactly
        }

        It 'audit says "Not applicable" for <Why> and exits 0 (no remediation can help)' -ForEach $Unsupported {
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption $Sku
            $r = Invoke-Audit
            $r.ExitCode | Should -Be 0
            $r.Output[0] | Should -BeLike 'Not applicable: *'
            $r.Output.Count | Should -Be 1
            $r.Text | Should -Not -Match 'COMPLIANT'
            $j = Invoke-Audit -Json
            $j.ExitCode | Should -Be 0
            $j.Report.applicable | Should -BeFalse
            $j.Report.target | Should -BeNullOrEmpty
            $j.Report.compliant | Should -BeNullOrEmpty
            $j.Report.summary | Should -BeLike 'Not applicable: *'
        }

        Context 'a build newer than the catalogue knows (Server 2028, build 30000)' {
            BeforeEach { Set-FakeMachine '10.0.30000' 30000 3 '64-bit' 'Microsoft Windows Server 2028' }

            It 'is refused by name of the nearest target, with the -Target override to use' {
                $r = Invoke-Installer
                $r.ExitCode | Should -Be 1
                $r.Text | Should -Match 'nearest target is ws2025'
                $r.Text | Should -Match '-Target ws2025'
                $a = Invoke-Audit
                $a.ExitCode | Should -Be 0
                $a.Output[0] | Should -Match '^Not applicable: .*nearest target is ws2025'
            }

            It 'is accepted with -Target ws2025 by both scripts' {
                $r = Invoke-Installer @{ Target = 'ws2025'; WhatIf = $true }
                $r.ExitCode | Should -Be 0
                $r.Text | Should -Match ([regex]::Escape('(target ws2025), chosen with -Target'))
                Set-FakeRegistry 'ws2025'
                $a = Invoke-Audit -Json -Parameters @{ Target = 'ws2025' }
                $a.ExitCode | Should -Be 0
                $a.Report.target | Should -Be 'ws2025'
                $a.Report.compliant | Should -BeTrue
            }

            It 'refuses a -Target of another kind (win11), or one that does not exist' {
                foreach ($bad in 'win11', 'win10-x86', 'ws2030') {
                    $r = Invoke-Installer @{ Target = $bad }
                    $r.ExitCode | Should -Be 1
                    $r.Text | Should -Match ([regex]::Escape("-Target $bad"))
                    $r.RegCalls.Count | Should -Be 0
                    $a = Invoke-Audit -Parameters @{ Target = $bad }
                    $a.ExitCode | Should -Be 2
                    $a.Output[0] | Should -BeLike 'Cannot audit: -Target*'
                }
            }
        }
    }

    Describe '32-bit PowerShell on 64-bit Windows (Intune''s and ConfigMgr''s default host)' {
        BeforeEach { $global:TlsgenIs64BitProcess = $false }

        It 'the installer runs itself again in 64-bit PowerShell with the same parameters and passes its exit code on' {
            $global:TlsgenChildExitCode = 3010
            $backupRoot = New-TestFolder 'backup'
            $r = Invoke-Installer @{ BackupRoot = $backupRoot; IgnoreMissingPrerequisites = $true }
            $r.ExitCode | Should -Be 3010
            $global:TlsgenRelaunches.Count | Should -Be 1
            $global:TlsgenRelaunches[0] | Should -Be @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', $InstallScript, '-BackupRoot', $backupRoot, '-IgnoreMissingPrerequisites')
            $r.Text | Should -Match 'output of the 64-bit run'
            $r.Text | Should -Match 'stderr of the 64-bit run'
            # Nothing judged or written from the 32-bit view.
            $r.RegCalls.Count | Should -Be 0
            $global:TlsgenRegistryReads.Count | Should -Be 0
            Should -Invoke Test-TlsgenIsAdministrator -Times 0 -Exactly
        }

        It 'the audit does the same, and never says compliant or not applicable itself' {
            $global:TlsgenChildExitCode = 1
            Set-FakeRegistry 'ws2019'
            $r = Invoke-Audit -Parameters @{ Target = 'ws2019' }
            $r.ExitCode | Should -Be 1
            $global:TlsgenRelaunches[0] | Should -Be @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', $AuditScript, '-Target', 'ws2019')
            $r.Text | Should -Not -Match 'COMPLIANT|Not applicable'
            $global:TlsgenRegistryReads.Count | Should -Be 0
        }

        It 'passes -WhatIf and -Json on, and a folder ending in a backslash as "\."' {
            $null = Invoke-Installer @{ WhatIf = $true; BackupRoot = 'C:\backups\' }
            $global:TlsgenRelaunches[0] | Should -Be @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', $InstallScript, '-BackupRoot', 'C:\backups\.', '-WhatIf')
            $null = Invoke-Script $AuditScript @{ Json = $true }
            $global:TlsgenRelaunches[1] | Should -Be @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', $AuditScript, '-Json')
        }

        It 'both exit 6 when 64-bit PowerShell cannot be found (no sysnative), changing and judging nothing' {
            $global:TlsgenPowerShell64 = $null
            $r = Invoke-Installer
            $r.ExitCode | Should -Be 6
            $r.RegCalls.Count | Should -Be 0
            $a = Invoke-Audit
            $a.ExitCode | Should -Be 6
            $a.Text | Should -Not -Match 'COMPLIANT|Not applicable'
            $global:TlsgenRegistryReads.Count | Should -Be 0
        }

        It 'a 32-bit process on 32-bit Windows just runs' {
            Set-FakeMachineFor 'win10-x86'
            Set-FakeRegistry 'win10-x86'
            $r = Invoke-Audit -Json
            $r.ExitCode | Should -Be 0
            $r.Report.target | Should -Be 'win10-x86'
            $global:TlsgenRelaunches.Count | Should -Be 0
        }
    }

    Describe 'Install-AzureBackupTls12.ps1' {
        Context 'elevation' {
            It 'exits 8 when not elevated, before any backup or reg.exe call' {
                $global:TlsgenIsAdministrator = $false
                $backupRoot = New-TestFolder 'backup'
                $r = Invoke-Installer @{ BackupRoot = $backupRoot }
                $r.ExitCode | Should -Be 8
                $r.Text | Should -Match 'administrator'
                $r.RegCalls.Count | Should -Be 0
                Test-Path -LiteralPath $backupRoot | Should -BeFalse
            }

            It '-WhatIf only reads, so it runs without elevation' {
                $global:TlsgenIsAdministrator = $false
                $r = Invoke-Installer @{ WhatIf = $true }
                $r.ExitCode | Should -Be 0
            }
        }

        Context '-WhatIf' {
            It 'prints what would change, runs no reg.exe and creates no backup folder' {
                $backupRoot = New-TestFolder 'backup'
                $r = Invoke-Installer @{ WhatIf = $true; BackupRoot = $backupRoot }
                $r.ExitCode | Should -Be 0
                $r.RegCalls.Count | Should -Be 0
                Should -Invoke reg.exe -Times 0 -Exactly
                Test-Path -LiteralPath $backupRoot | Should -BeFalse
                foreach ($v in Get-PlanValue 'ws2019') {
                    $r.Text | Should -Match ([regex]::Escape(('set {0} "{1}" = {2} {3} (now absent)' -f $v.Key, $v.Name, $v.Kind, (Format-ExpectedData $v.Kind $v.Data))))
                }
            }

            It 'names the missing update and the settings that wait for it, and runs no reg.exe' {
                Set-FakeMachineFor 'win7'
                $r = Invoke-Installer @{ WhatIf = $true }
                foreach ($kb in Get-PlanPrerequisite 'win7') { $r.Text | Should -Match "Update $kb missing" }
                $r.RegCalls.Count | Should -Be 0
                $r.ExitCode | Should -Be 0
            }
        }

        Context 'the .reg file must be the one the script was generated with' {
            It 'refuses a .reg file with one byte changed (exit 3), before any reg.exe call' {
                $reg = Copy-RegFolder
                $file = Join-Path $reg 'ws2019.reg'
                $bytes = [IO.File]::ReadAllBytes($file)
                $bytes[200] = $bytes[200] -bxor 0x01
                [IO.File]::WriteAllBytes($file, $bytes)
                $r = Invoke-Installer @{ Path = $reg }
                $r.ExitCode | Should -Be 3
                $r.Text | Should -Match 'Refused'
                Should -Invoke reg.exe -Times 0 -Exactly
            }

            It 'refuses another target''s .reg file under this target''s name (ws2016.reg as win7.reg)' {
                Set-FakeMachineFor 'win7'
                $reg = Copy-RegFolder
                Copy-Item -LiteralPath (Join-Path $reg 'ws2016.reg') -Destination (Join-Path $reg 'win7.reg') -Force
                $r = Invoke-Installer @{ Path = $reg }
                $r.ExitCode | Should -Be 3
                Should -Invoke reg.exe -Times 0 -Exactly
            }

            It 'refuses a missing .reg file (exit 3)' {
                $reg = Copy-RegFolder
                Remove-Item -LiteralPath (Join-Path $reg 'ws2019.reg')
                $r = Invoke-Installer @{ Path = $reg }
                $r.ExitCode | Should -Be 3
                Should -Invoke reg.exe -Times 0 -Exactly
            }

            It 'refuses a changed .rollback.reg with -Rollback (exit 3)' {
                Set-FakeRegistry 'ws2019'
                $reg = Copy-RegFolder
                Copy-Item -LiteralPath (Join-Path $reg 'ws2019.reg') -Destination (Join-Path $reg 'ws2019.rollback.reg') -Force
                $r = Invoke-Installer @{ Path = $reg; Rollback = $true }
                $r.ExitCode | Should -Be 3
                Should -Invoke reg.exe -Times 0 -Exactly
            }
        }

        Context 'what changed decides the exit code' {
            It 'exits 0 and imports nothing when every value is already as planned' {
                Set-FakeRegistry 'ws2019'
                $backupRoot = New-TestFolder 'backup'
                $r = Invoke-Installer @{ BackupRoot = $backupRoot }
                $r.ExitCode | Should -Be 0
                $r.Text | Should -Match 'Nothing to change'
                $r.RegCalls.Count | Should -Be 0
                Test-Path -LiteralPath $backupRoot | Should -BeFalse
            }

            It 'exits 3010 after changing values that need a restart: backup, import, read-back' {
                $first = (Get-PlanValue 'ws2019')[0]
                Set-FakeRegistry 'ws2019'
                $global:TlsgenFakeRegistry[$first.Key][$first.Name].Data = 0 # one value drifted
                $backupRoot = New-TestFolder 'backup'
                $r = Invoke-Installer @{ BackupRoot = $backupRoot }
                $r.ExitCode | Should -Be 3010
                $r.Text | Should -Match '1 change\(s\)'
                $r.Text | Should -Match 'Read back \d+ value\(s\): all as planned'
                $r.Text | Should -Match 'Restart Windows'
                Get-FakeData $first.Key $first.Name | Should -Be ([int]$first.Data)
                $keys = Get-PlanKey 'ws2019'
                $r.RegCalls.Count | Should -Be ($keys.Count + 1)
                # Call order: all exports first, the import last; no /reg:64 anywhere.
                for ($i = 0; $i -lt $keys.Count; $i++) {
                    $r.RegCalls[$i] | Should -BeLike "export $($keys[$i]) $backupRoot* /y"
                }
                $r.RegCalls[-1] | Should -Be "import $(Join-Path $RegDir 'ws2019.reg')"
                # One new backup folder, with its manifest, access restricted.
                $folders = @(Get-ChildItem -LiteralPath $backupRoot -Directory)
                $folders.Count | Should -Be 1
                Test-Path -LiteralPath (Join-Path $folders[0].FullName 'tlsgen-backup.txt') | Should -BeTrue
                $global:TlsgenProtected | Should -Be @($folders[0].FullName)
            }

            It 'exits 0 after changes that need no restart' {
                # Every setting of this profile needs a restart. A copy of the profile folder whose
                # installer says no value does shows the other branch of the rule.
                $copy = New-TestFolder 'norestart'
                Copy-Item -LiteralPath $ProfileDir -Destination $copy -Recurse
                $script = Join-Path $copy 'scripts/Install-AzureBackupTls12.ps1'
                $text = [IO.File]::ReadAllText($script)
                $text.Contains('RestartRequired = $true }') | Should -BeTrue
                [IO.File]::WriteAllText($script, $text.Replace('RestartRequired = $true }', 'RestartRequired = $false }'), [Text.UTF8Encoding]::new($true))
                $r = Invoke-Script $script @{ BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 0
                $r.Text | Should -Match 'Read back'
                $r.Text | Should -Not -Match 'Restart Windows'
            }

            It 'exits 7 when a value is not as planned after the import (read-back)' {
                $global:TlsgenImportDrops = @('SchUseStrongCrypto')
                $r = Invoke-Installer
                $r.ExitCode | Should -Be 7
                $r.Text | Should -Match 'Read-back failed'
                $r.Text | Should -Match 'SchUseStrongCrypto'
                $r.Text | Should -Not -Match 'Restart Windows'
            }

            It 'goes on when reg.exe writes its success message to stderr (exit 0)' {
                $global:TlsgenRegStderr = $true
                Set-FakeRegistry 'ws2019'
                $global:TlsgenFakeRegistry.Remove((Get-PlanKey 'ws2019')[0])
                $r = Invoke-Installer
                $r.ExitCode | Should -Be 3010
                @($r.RegCalls | Where-Object { $_ -like 'export *' }).Count | Should -Be ((Get-PlanKey 'ws2019').Count - 1)
                $r.RegCalls[-1] | Should -BeLike 'import *'
                $r.Text | Should -Not -Match 'Unexpected error'
            }

            It 'exits 5 when reg.exe import fails, with reg.exe''s own message' {
                $global:TlsgenRegExitCodes['import'] = 1
                $r = Invoke-Installer
                $r.ExitCode | Should -Be 5
                $r.Text | Should -Match 'exit code 1: ERROR: Error accessing the registry\.'
                $r.RegCalls[-1] | Should -BeLike 'import *'
            }

            It 'exits 4 when a backup fails, importing nothing, with reg.exe''s own message' {
                Set-FakeRegistry 'ws2019'
                $global:TlsgenFakeRegistry[(Get-PlanKey 'ws2019')[0]].Clear()
                $global:TlsgenRegExitCodes['export'] = 1
                $r = Invoke-Installer
                $r.ExitCode | Should -Be 4
                $r.Text | Should -Match 'ERROR: Error accessing the registry\.'
                @($r.RegCalls | Where-Object { $_ -like 'import *' }).Count | Should -Be 0
            }

            It 'skips keys that do not exist yet, and lists them as absent in the manifest' {
                Set-FakeRegistry 'ws2019'
                $missingKey = (Get-PlanKey 'ws2019')[-1]
                $global:TlsgenFakeRegistry.Remove($missingKey)
                $backupRoot = New-TestFolder 'backup'
                $r = Invoke-Installer @{ BackupRoot = $backupRoot }
                $r.ExitCode | Should -Be 3010
                @($r.RegCalls | Where-Object { $_ -like "export $missingKey *" }).Count | Should -Be 0
                $manifest = Get-Content -LiteralPath (Join-Path (Get-ChildItem -LiteralPath $backupRoot -Directory)[0].FullName 'tlsgen-backup.txt')
                $manifest | Should -Contain "absent`t$missingKey"
            }

            It 'exits 10 on an unexpected error (trap), not 1' {
                Mock Get-TlsgenFileVersion { throw 'disk on fire' }
                Set-FakeMachineFor 'win7'
                $r = Invoke-Installer
                $r.ExitCode | Should -Be 10
                $r.Text | Should -Match 'Unexpected error: disk on fire'
                $r.RegCalls.Count | Should -Be 0
            }
        }

        Context 'updates some settings need (KB3140245 on Windows 7: only the WinHTTP settings)' {
            BeforeEach {
                Set-FakeMachineFor 'win7'
                $Prerequisite = $Plans['win7'].prerequisites | Where-Object id -EQ 'KB3140245'
                $Files = @($Prerequisite.detection.files)
            }

            It 'the plan checks winhttp.dll and webio.dll and gates only the WinHTTP settings' {
                @($Files | ForEach-Object { Split-Path -Leaf $_.path }) | Should -Be @('winhttp.dll', 'webio.dll')
                @($Prerequisite.requiredBy | Where-Object { $_ -notlike 'winhttp-*' }) | Should -BeNullOrEmpty
            }

            It 'missing (file versions too low, no Get-HotFix): writes every value, names the waiting settings, exits 2' {
                Set-FileVersion @{ $Files[0].path = '6.1.7601.17514'; $Files[1].path = '6.1.7601.17514' }
                $r = Invoke-Installer
                $r.ExitCode | Should -Be 2
                $r.Text | Should -Match 'Update KB3140245 missing \(.*winhttp\.dll 6\.1\.7601\.17514 < 6\.1\.7601\.23375'
                foreach ($setting in $Prerequisite.requiredBy) { $r.Text | Should -Match ([regex]::Escape("Waiting for update KB3140245: setting $setting ")) }
                $r.Text | Should -Not -Match 'Waiting for update KB3140245: setting (schannel|dotnet)'
                # Every value written and read back, the WinHTTP ones included.
                @($r.RegCalls | Where-Object { $_ -like 'import *' }).Count | Should -Be 1
                foreach ($v in Get-PlanValue 'win7') { Get-FakeData $v.Key $v.Name | Should -Be ([int]$v.Data) }
                Should -Invoke Get-HotFix -ParameterFilter { $Id -contains 'KB3140245' }
            }

            It 'missing, with -IgnoreMissingPrerequisites: exits 3010' {
                $r = Invoke-Installer @{ IgnoreMissingPrerequisites = $true }
                $r.ExitCode | Should -Be 3010
                $r.Text | Should -Match 'Waiting for update KB3140245'
            }

            It 'present by file version: exits 3010 without asking Get-HotFix' {
                Set-FileVersion @{ $Files[0].path = '6.1.7601.23375'; $Files[1].path = '6.1.7601.24000' }
                $r = Invoke-Installer
                $r.ExitCode | Should -Be 3010
                $r.Text | Should -Match 'Update KB3140245 present \(.*webio\.dll 6\.1\.7601\.24000 >= 6\.1\.7601\.23375'
                Should -Invoke Get-HotFix -Times 0 -Exactly
            }

            It 'present only by Get-HotFix (one file below its version): exits 3010' {
                Set-FileVersion @{ $Files[0].path = '6.1.7601.23375'; $Files[1].path = '6.1.7601.17514' }
                Set-InstalledUpdate 'KB3140245'
                $r = Invoke-Installer
                $r.ExitCode | Should -Be 3010
                $r.Text | Should -Match 'Update KB3140245 present \(.*Get-HotFix lists it'
            }

            It 'a prerequisite without file checks (KB4019276 on 2008 SP2) is judged by Get-HotFix' {
                Set-FakeMachineFor 'ws2008sp2'
                $r = Invoke-Installer
                $r.ExitCode | Should -Be 2
                $r.Text | Should -Match 'Update KB4019276 missing'
                Set-InstalledUpdate 'KB4019276'
                Set-FakeRegistry $null
                (Invoke-Installer).ExitCode | Should -Be 3010
            }

            It 'is not checked for -Rollback (undoing never needs an update)' {
                Set-FakeRegistry 'win7'
                $r = Invoke-Installer @{ Rollback = $true }
                $r.ExitCode | Should -Be 3010
                Should -Invoke Get-HotFix -Times 0 -Exactly
                Should -Invoke Get-TlsgenFileVersion -Times 0 -Exactly
            }
        }

        Context '.NET Framework advisory' {
            It 'warns below the minimum release, naming the source, and does not change the exit code' {
                Set-DotNetRelease 394802 # 4.6.2
                $r = Invoke-Installer
                $r.ExitCode | Should -Be 3010
                $advisory = $Plans['ws2019'].advisories[0]
                $r.Text | Should -Match ('WARNING: \.NET Framework 4 release 394802 is below {0}.*{1}' -f $advisory.minRelease, [regex]::Escape($advisory.source.url))
            }

            It 'says nothing at or above it' {
                Set-DotNetRelease 528040 # 4.8
                $r = Invoke-Installer
                $r.Text | Should -Not -Match 'WARNING'
            }
        }

        Context '-Rollback' {
            It 'backs up, then imports the .rollback.reg file; every value is gone afterwards' {
                Set-FakeRegistry 'ws2019'
                $r = Invoke-Installer @{ Rollback = $true }
                $r.ExitCode | Should -Be 3010
                $r.RegCalls[0] | Should -BeLike 'export *'
                $r.RegCalls[-1] | Should -Be "import $(Join-Path $RegDir 'ws2019.rollback.reg')"
                foreach ($v in Get-PlanValue 'ws2019') { Get-FakeData $v.Key $v.Name | Should -BeNullOrEmpty }
                $r.Text | Should -Match 'all as after a rollback'
            }

            It 'exits 0 and imports nothing when the values are already gone' {
                $r = Invoke-Installer @{ Rollback = $true }
                $r.ExitCode | Should -Be 0
                $r.RegCalls.Count | Should -Be 0
            }
        }

        Context '-Restore' {
            BeforeEach {
                # Before: DisabledByDefault = 1 (a machine configured otherwise), and an unrelated value in
                # a key the profile touches. The installer changes it and keeps a backup.
                $Key = (Get-PlanKey 'ws2019')[0]
                Set-FakeValue $Key 'DisabledByDefault' 'DWord' 1
                Set-FakeValue $Key 'Other' 'DWord' 42
                $BackupRoot = New-TestFolder 'backup'
                $applied = Invoke-Installer @{ BackupRoot = $BackupRoot }
                $applied.ExitCode | Should -Be 3010
                $Folder = @(Get-ChildItem -LiteralPath $BackupRoot -Directory)[0].FullName
                $global:TlsgenRegCalls.Clear()
            }

            It 'imports the rollback, then the backups, and the registry is as before' {
                Get-FakeData $Key 'DisabledByDefault' | Should -Be 0
                $r = Invoke-Installer @{ Restore = $Folder; BackupRoot = $BackupRoot }
                $r.ExitCode | Should -Be 3010
                $r.RegCalls[0] | Should -Be "import $(Join-Path $RegDir 'ws2019.rollback.reg')"
                $r.RegCalls[1] | Should -Be "import $(Join-Path $Folder '01.reg')"
                Get-FakeData $Key 'DisabledByDefault' | Should -Be 1
                Get-FakeData $Key 'Other' | Should -Be 42
                # Values that did not exist before are gone again.
                foreach ($v in Get-PlanValue 'ws2019' | Where-Object Key -NE $Key) { Get-FakeData $v.Key $v.Name | Should -BeNullOrEmpty }
            }

            It 'refuses (exit 9) a folder without the installer''s manifest, importing nothing' {
                $forged = New-TestFolder 'forged'
                New-Item -ItemType Directory -Path $forged | Out-Null
                Copy-Item -LiteralPath (Join-Path $Folder '01.reg') -Destination $forged
                $r = Invoke-Installer @{ Restore = $forged }
                $r.ExitCode | Should -Be 9
                $r.Text | Should -Match 'not a backup folder this script made'
                $r.RegCalls.Count | Should -Be 0
            }

            It 'refuses (exit 9) a backup changed after it was made, or one that writes other keys' {
                $file = Join-Path $Folder '01.reg'
                $original = [IO.File]::ReadAllText($file)
                [IO.File]::WriteAllText($file, $original.Replace('dword:00000001', 'dword:00000002'), [Text.Encoding]::Unicode)
                $r = Invoke-Installer @{ Restore = $Folder }
                $r.ExitCode | Should -Be 9
                $r.Text | Should -Match 'changed since the backup'
                $r.RegCalls.Count | Should -Be 0

                # A forged manifest with matching hashes cannot smuggle in another key either.
                $evil = "Windows Registry Editor Version 5.00`r`n`r`n[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run]`r`n""x""=dword:00000001`r`n"
                [IO.File]::WriteAllText($file, $evil, [Text.Encoding]::Unicode)
                $manifestPath = Join-Path $Folder 'tlsgen-backup.txt'
                $hash = (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash
                $manifest = @(Get-Content -LiteralPath $manifestPath | ForEach-Object { if ($_ -like "file`t01.reg`t*") { "file`t01.reg`t$hash`t$Key" } else { $_ } })
                Set-Content -LiteralPath $manifestPath -Value $manifest
                $r = Invoke-Installer @{ Restore = $Folder }
                $r.ExitCode | Should -Be 9
                $r.Text | Should -Match 'writes outside'
                $r.RegCalls.Count | Should -Be 0
            }

            It 'refuses (exit 9) a backup made for another target' {
                Set-FakeMachineFor 'ws2025'
                $r = Invoke-Installer @{ Restore = $Folder }
                $r.ExitCode | Should -Be 9
                $r.Text | Should -Match 'made for target ws2019, not ws2025'
            }
        }
    }

    Describe 'Test-AzureBackupTls12.ps1' {
        It 'reports <Expected> compliant (exit 0) when the registry holds exactly the plan' -ForEach $VariantMachines {
            $target = $Expected
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption $Sku
            Set-FakeRegistry $target
            Set-PrerequisitesPresent $target
            Set-DotNetRelease 528040
            $r = Invoke-Audit -Json
            $failing = @($r.Report.rows | Where-Object status -NE 'Compliant' | ForEach-Object { "$($_.key) $($_.name): $($_.status)" })
            $failing | Should -BeNullOrEmpty
            $r.Report.compliant | Should -BeTrue
            $r.ExitCode | Should -Be 0
            Should -Invoke reg.exe -Times 0 -Exactly # the audit only reads
        }

        It 'lists one row per value, prerequisite and advisory of the plan, with the expected type and data (<Expected>)' -ForEach @($VariantMachines | Where-Object { $_.Expected -in 'ws2019', 'win7', 'win10-x86' }) {
            $target = $Expected
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption $Sku
            $r = Invoke-Audit -Json
            $r.Report.target | Should -Be $target
            $valueRows = @($r.Report.rows | Where-Object kind -EQ 'value')
            $plan = @(Get-PlanValue $target)
            $valueRows.Count | Should -Be $plan.Count
            for ($i = 0; $i -lt $plan.Count; $i++) {
                $valueRows[$i].key | Should -Be $plan[$i].Key
                $valueRows[$i].name | Should -Be $plan[$i].Name
                $valueRows[$i].setting | Should -Be $plan[$i].Setting
                $valueRows[$i].expectedType | Should -Be $plan[$i].Kind
                $valueRows[$i].expectedData | Should -Be (Format-ExpectedData $plan[$i].Kind $plan[$i].Data)
                $valueRows[$i].status | Should -Be 'Missing' # empty registry
                $valueRows[$i].source | Should -Not -BeNullOrEmpty
            }
            $prerequisiteRows = @($r.Report.rows | Where-Object kind -EQ 'prerequisite')
            @($prerequisiteRows | ForEach-Object key) | Should -Be @(Get-PlanPrerequisite $target)
            $prerequisiteRows | ForEach-Object { $_.status | Should -Be 'Missing' }
            @($r.Report.rows | Where-Object kind -EQ 'advisory').Count | Should -Be @($Plans[$target].advisories).Count
            $r.Report.compliant | Should -BeFalse
            $r.ExitCode | Should -Be 1
        }

        It 'reads values unexpanded (DoNotExpandEnvironmentNames)' {
            Set-FakeRegistry 'ws2019'
            $null = Invoke-Audit -Json
            $global:TlsgenGetValueOptions.Count | Should -BeGreaterThan 0
            $global:TlsgenGetValueOptions | ForEach-Object { $_ | Should -Be 'DoNotExpandEnvironmentNames' }
        }

        It 'reports exactly the drifted values: a DWORD 0 instead of 1, a missing value, a wrong type' {
            Set-FakeRegistry 'ws2019'
            $plan = @(Get-PlanValue 'ws2019' | Where-Object { $_.Kind -eq 'DWord' -and [int]$_.Data -eq 1 })
            $wrongData, $missing, $wrongType = $plan[0], $plan[1], $plan[2]
            $global:TlsgenFakeRegistry[$wrongData.Key][$wrongData.Name].Data = 0
            $global:TlsgenFakeRegistry[$missing.Key].Remove($missing.Name)
            $global:TlsgenFakeRegistry[$wrongType.Key][$wrongType.Name] = @{ Kind = 'String'; Data = '1' }

            $r = Invoke-Audit -Json
            $r.ExitCode | Should -Be 1
            $r.Report.compliant | Should -BeFalse
            $failing = @($r.Report.rows | Where-Object { $_.status -ne 'Compliant' -and $_.status -ne 'Warning' })
            $failing.Count | Should -Be 3
            $row = { param($v) $r.Report.rows | Where-Object { $_.key -eq $v.Key -and $_.name -eq $v.Name } }
            $a = & $row $wrongData
            $a.status | Should -Be 'WrongData'
            $a.actualType | Should -Be 'DWord'
            $a.actualData | Should -Be '0x00000000'
            (& $row $missing).status | Should -Be 'Missing'
            $c = & $row $wrongType
            $c.status | Should -Be 'WrongType'
            $c.actualType | Should -Be 'String'

            # The text form: a one-line summary first, then one line per failing check.
            $t = Invoke-Audit
            $t.ExitCode | Should -Be 1
            $t.Output[0] | Should -Match '^NOT COMPLIANT: profile azure-backup-tls12 .*\(target ws2019\): 3 of \d+ values differ'
            foreach ($s in 'WrongData', 'Missing', 'WrongType') { $t.Text | Should -Match $s }
            ($t.Text.Length) | Should -BeLessThan 2048
        }

        It 'reports every value of a missing key as Missing' {
            Set-FakeRegistry 'ws2019'
            $gone = (Get-PlanKey 'ws2019')[0]
            $global:TlsgenFakeRegistry.Remove($gone)
            $r = Invoke-Audit -Json
            $r.ExitCode | Should -Be 1
            $expected = @(Get-PlanValue 'ws2019' | Where-Object Key -EQ $gone).Count
            @($r.Report.rows | Where-Object { $_.key -eq $gone -and $_.status -eq 'Missing' }).Count | Should -Be $expected
            @($r.Report.rows | Where-Object { $_.status -ne 'Compliant' -and $_.status -ne 'Warning' }).Count | Should -Be $expected
        }

        It 'reports the settings that wait for a missing update as not effective, naming it; the others stay compliant' {
            Set-FakeMachineFor 'win7'
            Set-FakeRegistry 'win7'
            Set-DotNetRelease 528040
            $r = Invoke-Audit -Json
            $r.ExitCode | Should -Be 1
            $waiting = @(($Plans['win7'].prerequisites | Where-Object id -EQ 'KB3140245').requiredBy)
            $failing = @($r.Report.rows | Where-Object status -NE 'Compliant')
            @($failing | Where-Object kind -EQ 'prerequisite' | ForEach-Object key) | Should -Be @('KB3140245')
            $notEffective = @($failing | Where-Object kind -EQ 'value')
            $notEffective.Count | Should -Be @(Get-PlanValue 'win7' | Where-Object { $_.Setting -in $waiting }).Count
            foreach ($row in $notEffective) {
                $row.status | Should -Be 'NotEffective'
                $row.setting | Should -BeIn $waiting
                $row.note | Should -Match 'KB3140245'
            }
            $t = Invoke-Audit
            $t.Output[0] | Should -Match '^NOT COMPLIANT: .*update KB3140245 missing'
        }

        It 'shows a .NET Framework release below the minimum as a warning that keeps the machine compliant' {
            Set-FakeRegistry 'ws2019'
            Set-DotNetRelease 394802
            $r = Invoke-Audit -Json
            $r.ExitCode | Should -Be 0
            $r.Report.compliant | Should -BeTrue
            $warning = @($r.Report.rows | Where-Object kind -EQ 'advisory')
            $warning.Count | Should -Be 1
            $warning[0].status | Should -Be 'Warning'
            $warning[0].actualData | Should -Be '394802'
            $t = Invoke-Audit
            $t.Output[0] | Should -Match '^COMPLIANT: .*1 warning'
            $t.Text | Should -Match 'Warning \.NET Framework 4 release 394802'
        }

        It 'prints COMPLIANT and nothing else on a compliant machine' {
            Set-FakeRegistry 'ws2019'
            Set-DotNetRelease 528040
            $r = Invoke-Audit
            $r.ExitCode | Should -Be 0
            $r.Output[0] | Should -Match '^COMPLIANT: profile azure-backup-tls12 on .* \(target ws2019\): \d+ values as planned\.$'
            $r.Output.Count | Should -Be 1
        }

        It 'exits 10 on an unexpected error (trap): neither compliant nor not compliant' {
            Mock Get-WmiObject -ParameterFilter { $Class -eq 'Win32_OperatingSystem' } { throw 'WMI repository is corrupt' }
            $r = Invoke-Audit
            $r.ExitCode | Should -Be 10
            $r.Text | Should -Match 'Unexpected error: WMI repository is corrupt'
        }

        It 'writes -Json as ASCII' {
            Set-FakeRegistry 'ws2019'
            $r = Invoke-Audit -Json
            $r.Text | Should -Not -Match '[^\x20-\x7e]'
        }
    }

    # A plan built in test/scripts-policy-plan.ts: azure-backup-tls12 where TLS 1.2 Client Enabled = 1 also
    # accepts the legacy 0xFFFFFFFF (a value policy, issue 11 section 2), plus SCHANNEL\Ciphers\RC4 128/128
    # Enabled = 0, a key whose name holds '/' (KB245030).
    Describe 'Value policies and key names with "/" (Install-PolicyTest.ps1, Test-PolicyTest.ps1)' {
        BeforeAll {
            $PolicyDir = $env:TLSGEN_POLICY_DIR
            if (-not $PolicyDir -or -not $env:TLSGEN_POLICY_PLAN) { throw 'TLSGEN_POLICY_DIR / TLSGEN_POLICY_PLAN are not set (run through test/scripts.test.ts)' }
            $PolicyInstall = Join-Path $PolicyDir 'scripts/Install-PolicyTest.ps1'
            $PolicyAudit = Join-Path $PolicyDir 'scripts/Test-PolicyTest.ps1'
            $PolicyPlans = @{}
            foreach ($t in (Get-Content -Raw -LiteralPath $env:TLSGEN_POLICY_PLAN | ConvertFrom-Json).targets) { $PolicyPlans[$t.variantId] = $t }
            $withAlternative = @($PolicyPlans['ws2019'].apply | Where-Object { $_.action -eq 'set' -and @($_.alsoAccepted).Count -gt 0 })
            $withAlternative.Count | Should -Be 1
            $Accepted = @{ Key = '{0}\{1}' -f $withAlternative[0].hive, $withAlternative[0].path; Name = $withAlternative[0].name }
            [uint32]$withAlternative[0].value.data | Should -Be 1
            [uint32]$withAlternative[0].alsoAccepted[0].data | Should -Be ([uint32]::MaxValue)
            $Cipher = 'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\RC4 128/128'
            # What a tool that takes '/' for a separator makes of it: key "RC4 128" with a subkey "128".
            $Decoy = 'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\RC4 128\128'
            @($PolicyPlans['ws2019'].apply | Where-Object { ('{0}\{1}' -f $_.hive, $_.path) -eq $Cipher }).Count | Should -Be 1
            function Get-Row($Report, [string]$Key, [string]$Name) { @($Report.rows | Where-Object { $_.kind -eq 'value' -and $_.key -eq $Key -and $_.name -eq $Name })[0] }
        }
        BeforeEach {
            Set-FakeRegistry 'ws2019' $PolicyPlans
            Set-DotNetRelease 528040
        }

        It 'the provider mock behaves as RegistryProvider.cs: "RC4 128/128" finds the key "RC4 128\128" (the oracle of the tests below)' {
            $global:TlsgenFakeRegistry.Remove($Cipher)
            Set-FakeValue $Decoy 'Enabled' 'DWord' 0
            Test-Path -LiteralPath "Registry::$Cipher" | Should -BeTrue
            (Get-Item -LiteralPath "Registry::$Cipher").Name | Should -Be $Decoy
        }

        It 'the audit reports the accepted alternative (DWORD 0xFFFFFFFF where 1 is planned) as compliant, "accepted by policy"' {
            Set-FakeValue $Accepted.Key $Accepted.Name 'DWord' (-1)
            $r = Invoke-Audit -Json -Script $PolicyAudit
            $r.ExitCode | Should -Be 0
            $r.Report.compliant | Should -BeTrue
            $row = Get-Row $r.Report $Accepted.Key $Accepted.Name
            $row.status | Should -Be 'Compliant'
            $row.expectedData | Should -Be '0x00000001'
            $row.actualData | Should -Be '0xFFFFFFFF'
            $row.note | Should -Be 'accepted by policy'
            # Every other row is compliant without a note.
            @($r.Report.rows | Where-Object { $_.kind -eq 'value' -and $_.note }).Count | Should -Be 1
            $t = Invoke-Audit -Script $PolicyAudit
            $t.ExitCode | Should -Be 0
            $t.Output[0] | Should -Match '^COMPLIANT: profile policy-test .*: \d+ values as planned, 1 accepted by policy\.$'
            $t.Output.Count | Should -Be 1
            Should -Invoke reg.exe -Times 0 -Exactly
        }

        It 'the installer leaves the accepted alternative as it is: nothing backed up or imported, exit 0' {
            Set-FakeValue $Accepted.Key $Accepted.Name 'DWord' (-1)
            $backupRoot = New-TestFolder 'backup'
            $r = Invoke-Script $PolicyInstall @{ BackupRoot = $backupRoot }
            $r.ExitCode | Should -Be 0
            $r.Text | Should -Match 'Nothing to change: every value is already as planned \(1 accepted by policy\)\.'
            $r.RegCalls.Count | Should -Be 0
            Test-Path -LiteralPath $backupRoot | Should -BeFalse
            Get-FakeData $Accepted.Key $Accepted.Name | Should -Be (-1)
        }

        It 'data neither planned nor accepted (2) is not compliant; the installer writes the planned 1' {
            Set-FakeValue $Accepted.Key $Accepted.Name 'DWord' 2
            $r = Invoke-Audit -Json -Script $PolicyAudit
            $r.ExitCode | Should -Be 1
            $row = Get-Row $r.Report $Accepted.Key $Accepted.Name
            $row.status | Should -Be 'WrongData'
            $row.note | Should -BeNullOrEmpty
            $i = Invoke-Script $PolicyInstall @{ BackupRoot = (New-TestFolder 'backup') }
            $i.ExitCode | Should -Be 3010
            Get-FakeData $Accepted.Key $Accepted.Name | Should -Be 1
        }

        It 'the alternative''s data with another type (<Kind> <Shown>) is not compliant' -ForEach @(
            @{ Kind = 'QWord'; Data = [long]4294967295; Shown = '0x00000000FFFFFFFF' }
            @{ Kind = 'String'; Data = '0xFFFFFFFF'; Shown = '0xFFFFFFFF' }
        ) {
            Set-FakeValue $Accepted.Key $Accepted.Name $Kind $Data
            $r = Invoke-Audit -Json -Script $PolicyAudit
            $r.ExitCode | Should -Be 1
            $row = Get-Row $r.Report $Accepted.Key $Accepted.Name
            $row.status | Should -Be 'WrongType'
            $row.actualType | Should -Be $Kind
            $row.actualData | Should -Be $Shown
        }

        It 'reads the key "RC4 128/128" itself: compliant when it holds the plan, whatever "RC4 128\128" holds' {
            Set-FakeValue $Decoy 'Enabled' 'DWord' 1
            $r = Invoke-Audit -Json -Script $PolicyAudit
            $r.ExitCode | Should -Be 0
            (Get-Row $r.Report $Cipher 'Enabled').actualData | Should -Be '0x00000000'
            $global:TlsgenRegistryReads | Should -Contain $Cipher
            $global:TlsgenRegistryReads | Should -Not -Contain $Decoy
        }

        It 'never takes "RC4 128\128" for "RC4 128/128": the audit says Missing, the installer writes the right key' {
            $global:TlsgenFakeRegistry.Remove($Cipher)
            Set-FakeValue $Decoy 'Enabled' 'DWord' 0
            $r = Invoke-Audit -Json -Script $PolicyAudit
            $r.ExitCode | Should -Be 1
            (Get-Row $r.Report $Cipher 'Enabled').status | Should -Be 'Missing'
            $backupRoot = New-TestFolder 'backup'
            $i = Invoke-Script $PolicyInstall @{ BackupRoot = $backupRoot }
            $i.ExitCode | Should -Be 3010
            $i.Text | Should -Match ([regex]::Escape("set $Cipher ""Enabled"" = DWord 0x00000000 (now absent)"))
            # The key did not exist: nothing exported for it, "absent" in the manifest.
            @($i.RegCalls | Where-Object { $_ -like "export $Cipher *" }).Count | Should -Be 0
            $manifest = Get-Content -LiteralPath (Join-Path (Get-ChildItem -LiteralPath $backupRoot -Directory)[0].FullName 'tlsgen-backup.txt')
            $manifest | Should -Contain "absent`t$Cipher"
            # reg.exe imported [..\Ciphers\RC4 128/128] as one key; the read-back found it there.
            Get-FakeData $Cipher 'Enabled' | Should -Be 0
            $i.Text | Should -Match 'Read back \d+ value\(s\): all as planned'
        }

        It 'backs up a key whose name holds "/" with reg.exe export of that key' {
            Set-FakeValue $Accepted.Key $Accepted.Name 'DWord' 2
            $i = Invoke-Script $PolicyInstall @{ BackupRoot = (New-TestFolder 'backup') }
            $i.ExitCode | Should -Be 3010
            @($i.RegCalls | Where-Object { $_ -like "export $Cipher *" }).Count | Should -Be 1
        }

        It 'no registry access goes through the registry provider (installer, audit, rollback)' {
            $null = Invoke-Audit -Script $PolicyAudit
            $null = Invoke-Script $PolicyInstall @{ BackupRoot = (New-TestFolder 'backup') }
            $null = Invoke-Script $PolicyInstall @{ BackupRoot = (New-TestFolder 'backup'); Rollback = $true }
            $null = Invoke-Audit
            $global:TlsgenRegistryReads.Count | Should -BeGreaterThan 0
            $global:TlsgenProviderReads | Should -BeNullOrEmpty
        }
    }

    # The azure-backup-tls12 profile sets only DWORDs. The golden case every-value-type has every
    # registry type, a deletion, and strings made to break quoting; its generated audit script must
    # read each of them back as compliant (and its -Json carry them exactly: ConvertFrom-Json is the
    # judge of the scripts' own JSON writer).
    Describe 'Test-EveryType.ps1 (golden case every-value-type): every registry value type' {
        BeforeAll {
            $GoldenDir = Join-Path $Root 'test/golden/every-value-type'
            $GoldenPlans = Get-Explain 'every-type' (Join-Path $GoldenDir 'definitions')
            $EveryTypeDir = $env:TLSGEN_EVERYTYPE_DIR
            if (-not $EveryTypeDir) { throw 'TLSGEN_EVERYTYPE_DIR is not set (run through test/scripts.test.ts, which generates it)' }
            $GoldenAudit = Join-Path $EveryTypeDir 'scripts/Test-EveryType.ps1'
        }
        BeforeEach {
            # ws2022: this case lists no prerequisite update for it.
            Set-FakeMachine '10.0.20348' 20348 3 '64-bit' 'Microsoft Windows Server 2022 Datacenter'
        }

        It 'embeds each value''s name, type and data exactly as the plan has them' {
            $r = Invoke-Audit -Json -Script $GoldenAudit
            $r.Report.target | Should -Be 'ws2022'
            $plan = @(Get-PlanValue 'ws2022' $GoldenPlans | Where-Object Action -In 'set', 'delete-value')
            $rows = @($r.Report.rows | Where-Object kind -EQ 'value')
            $rows.Count | Should -Be $plan.Count
            for ($i = 0; $i -lt $plan.Count; $i++) {
                $rows[$i].key | Should -BeExactly $plan[$i].Key
                $rows[$i].name | Should -BeExactly $plan[$i].Name
                if ($plan[$i].Action -eq 'set') {
                    $rows[$i].expectedType | Should -Be $plan[$i].Kind
                    $rows[$i].expectedData | Should -BeExactly (Format-ExpectedData $plan[$i].Kind $plan[$i].Data)
                }
            }
            $r.Text | Should -Not -Match '[^\x20-\x7e]'
        }

        It 'reports compliant (exit 0) when the registry holds exactly the plan' {
            Set-FakeRegistry 'ws2022' $GoldenPlans
            $r = Invoke-Audit -Json -Script $GoldenAudit
            @($r.Report.rows | Where-Object { $_.status -ne 'Compliant' -and $_.status -ne 'Warning' } | ForEach-Object { "$($_.name): $($_.status) $($_.actualType) $($_.actualData)" }) | Should -BeNullOrEmpty
            $r.ExitCode | Should -Be 0
        }

        It 'reports a value the profile deletes, still present, as not compliant' {
            Set-FakeRegistry 'ws2022' $GoldenPlans
            $deleted = Get-PlanValue 'ws2022' $GoldenPlans | Where-Object Action -EQ 'delete-value' | Select-Object -First 1
            $global:TlsgenFakeRegistry[$deleted.Key][$deleted.Name] = @{ Kind = 'DWord'; Data = 1 }
            $r = Invoke-Audit -Json -Script $GoldenAudit
            $r.ExitCode | Should -Be 1
            @($r.Report.rows | Where-Object { $_.status -ne 'Compliant' -and $_.status -ne 'Warning' } | ForEach-Object name) | Should -Be @($deleted.Name)
        }

        It 'notices one changed byte, one changed QWORD bit and one changed multi-string item' {
            Set-FakeRegistry 'ws2022' $GoldenPlans
            $values = @(Get-PlanValue 'ws2022' $GoldenPlans | Where-Object Action -EQ 'set')
            $binary = $values | Where-Object { $_.Kind -eq 'Binary' -and $_.Data } | Select-Object -First 1
            $qword = $values | Where-Object Kind -EQ 'QWord' | Select-Object -First 1
            $multi = $values | Where-Object Kind -EQ 'MultiString' | Select-Object -First 1
            $bytes = [byte[]]$global:TlsgenFakeRegistry[$binary.Key][$binary.Name].Data.Clone()
            $bytes[-1] = $bytes[-1] -bxor 1
            $global:TlsgenFakeRegistry[$binary.Key][$binary.Name].Data = $bytes
            $global:TlsgenFakeRegistry[$qword.Key][$qword.Name].Data = $global:TlsgenFakeRegistry[$qword.Key][$qword.Name].Data -bxor 1L
            $items = [string[]]$global:TlsgenFakeRegistry[$multi.Key][$multi.Name].Data.Clone()
            $items[-1] = $items[-1] + ' '
            $global:TlsgenFakeRegistry[$multi.Key][$multi.Name].Data = $items
            $r = Invoke-Audit -Json -Script $GoldenAudit
            $r.ExitCode | Should -Be 1
            $failing = @($r.Report.rows | Where-Object { $_.status -ne 'Compliant' -and $_.status -ne 'Warning' })
            @($failing | ForEach-Object name | Sort-Object) | Should -Be @(@($binary.Name, $qword.Name, $multi.Name) | Sort-Object)
            $failing | ForEach-Object { $_.status | Should -Be 'WrongData' }
        }
    }
}
