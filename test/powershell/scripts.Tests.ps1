<#
    Behaviour tests of the generated PowerShell scripts of profile azure-backup-tls12:
    Install-AzureBackupTls12.ps1 (the installer) and Test-AzureBackupTls12.ps1 (the audit).

    The scripts run for real, from out/azure-backup-tls12/scripts (so the installer's default -Path
    is the committed reg folder), with every Windows-only command mocked: Get-CimInstance (which
    Windows this is), Get-HotFix (installed updates), reg.exe (export and import), and Get-Item /
    Test-Path on Registry:: paths (a fake registry held in a hashtable). Nothing touches a real
    registry, even on Windows: reg.exe and the registry reads are always mocked.

    What the scripts should do comes from the generator, not from the scripts' own tables:
    `tlsgen explain azure-backup-tls12 --json` gives each target's values and prerequisites.
    The last block runs the audit script of the golden case every-value-type, for the value types
    (QWORD, binary, multi-string, ...) and quoting-hostile strings that azure-backup-tls12 lacks.

    Run through test/scripts.test.ts (vitest), or directly:
      pwsh -NoProfile -File test/powershell/run-pester.ps1 -PesterManifest <Pester.psd1> -TestPath test/powershell/scripts.Tests.ps1
    Environment: TLSGEN_ROOT (repository root; default two folders up), TLSGEN_NODE (node binary).
#>

BeforeDiscovery {
    # Real Win32_OperatingSystem values for each target variant the profile covers (and a few it
    # does not). Written here independently of definitions/windows.yaml: a wrong build or product
    # type in the catalogue makes these fail. ProductType: 1 workstation, 2 domain controller, 3 server.
    # OSArchitecture is localized ("64-bit", "64 bits", "64 Bit"); the scripts look for "64".
    $script:Machines = @(
        @{ Expected = 'ws2008sp2';     Caption = 'Microsoft Windows Server 2008 Standard';        Version = '6.0.6002';   Build = '6002';  ProductType = 3; Arch = '64-bit' }
        @{ Expected = 'ws2008sp2';     Caption = 'Microsoft Windows Server 2008 Standard (6003)'; Version = '6.0.6003';   Build = '6003';  ProductType = 2; Arch = '64-bit' }
        @{ Expected = 'ws2008sp2-x86'; Caption = 'Microsoft Windows Server 2008 Standard x86';    Version = '6.0.6002';   Build = '6002';  ProductType = 3; Arch = '32-bit' }
        @{ Expected = 'ws2008r2';      Caption = 'Microsoft Windows Server 2008 R2 Standard';     Version = '6.1.7601';   Build = '7601';  ProductType = 3; Arch = '64-bit' }
        @{ Expected = 'ws2012';        Caption = 'Microsoft Windows Server 2012 Datacenter';      Version = '6.2.9200';   Build = '9200';  ProductType = 3; Arch = '64 bits' }
        @{ Expected = 'ws2012r2';      Caption = 'Microsoft Windows Server 2012 R2 (DC)';         Version = '6.3.9600';   Build = '9600';  ProductType = 2; Arch = '64-bit' }
        @{ Expected = 'ws2016';        Caption = 'Microsoft Windows Server 2016 Standard';        Version = '10.0.14393'; Build = '14393'; ProductType = 3; Arch = '64-bit' }
        @{ Expected = 'ws2019';        Caption = 'Microsoft Windows Server 2019 Datacenter';      Version = '10.0.17763'; Build = '17763'; ProductType = 3; Arch = '64-Bit' }
        @{ Expected = 'ws2022';        Caption = 'Microsoft Windows Server 2022 (DC)';            Version = '10.0.20348'; Build = '20348'; ProductType = 2; Arch = '64-bit' }
        @{ Expected = 'ws2025';        Caption = 'Microsoft Windows Server 2025 Datacenter';      Version = '10.0.26100'; Build = '26100'; ProductType = 3; Arch = '64-bit' }
        @{ Expected = 'win7';          Caption = 'Microsoft Windows 7 Professional';              Version = '6.1.7601';   Build = '7601';  ProductType = 1; Arch = '64-bit' }
        @{ Expected = 'win7-x86';      Caption = 'Microsoft Windows 7 Professional x86';          Version = '6.1.7601';   Build = '7601';  ProductType = 1; Arch = '32-bit' }
        @{ Expected = 'win81';         Caption = 'Microsoft Windows 8.1 Pro';                     Version = '6.3.9600';   Build = '9600';  ProductType = 1; Arch = '64-bit' }
        @{ Expected = 'win81-x86';     Caption = 'Microsoft Windows 8.1 Pro x86';                 Version = '6.3.9600';   Build = '9600';  ProductType = 1; Arch = '32-bit' }
        @{ Expected = 'win10';         Caption = 'Microsoft Windows 10 Pro 1507';                 Version = '10.0.10240'; Build = '10240'; ProductType = 1; Arch = '64-bit' }
        @{ Expected = 'win10';         Caption = 'Microsoft Windows 10 Pro 22H2';                 Version = '10.0.19045'; Build = '19045'; ProductType = 1; Arch = '64-bit' }
        @{ Expected = 'win10-x86';     Caption = 'Microsoft Windows 10 Pro 22H2 x86';             Version = '10.0.19045'; Build = '19045'; ProductType = 1; Arch = '32-bit' }
        @{ Expected = 'win11';         Caption = 'Microsoft Windows 11 Pro 21H2';                 Version = '10.0.22000'; Build = '22000'; ProductType = 1; Arch = '64-bit' }
        @{ Expected = 'win11';         Caption = 'Microsoft Windows 11 Enterprise 24H2';          Version = '10.0.26100'; Build = '26100'; ProductType = 1; Arch = '64-bit' }
    )
    # Windows the profile does not cover: both scripts must refuse them (exit 1).
    $script:Unsupported = @(
        @{ Why = 'Vista SP2 (NT 6.0, a workstation)';           Caption = 'Microsoft Windows Vista Business';    Version = '6.0.6002';   Build = '6002';  ProductType = 1; Arch = '64-bit' }
        @{ Why = 'a Server build newer than 2025';              Caption = 'Microsoft Windows Server vNext';      Version = '10.0.28000'; Build = '28000'; ProductType = 3; Arch = '64-bit' }
        @{ Why = 'Server 2008 R2 without SP1 (build 7600)';     Caption = 'Microsoft Windows Server 2008 R2 RTM'; Version = '6.1.7600';   Build = '7600';  ProductType = 3; Arch = '64-bit' }
        @{ Why = 'a Windows 10/11 build between 19045 and 22000'; Caption = 'Microsoft Windows 10 Insider';      Version = '10.0.21000'; Build = '21000'; ProductType = 1; Arch = '64-bit' }
        @{ Why = 'a 32-bit Windows 11 (there is none)';         Caption = 'Microsoft Windows 11 x86';            Version = '10.0.22000'; Build = '22000'; ProductType = 1; Arch = '32-bit' }
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
        $ProfileDir = Join-Path $Root 'out/azure-backup-tls12'
        $RegDir = Join-Path $ProfileDir 'reg'
        $InstallScript = Join-Path $ProfileDir 'scripts/Install-AzureBackupTls12.ps1'
        $AuditScript = Join-Path $ProfileDir 'scripts/Test-AzureBackupTls12.ps1'

        # What the generator says each target gets (independent of the scripts' embedded tables):
        # variant id -> explain's target object (apply[], prerequisites[]).
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
                    Action = $a.action
                    Key    = '{0}\{1}' -f $a.hive, $a.path
                    Name   = $a.name
                    Kind   = $(if ($a.value) { $KindOf[$a.value.type] })
                    Data   = $(if ($a.value) { $a.value.data })
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

        # Commands that do not exist on Linux get a stub so that Mock has something to shadow (Pester
        # cannot mock a command it cannot find). On Windows the real commands exist, and are mocked.
        $script:Stubbed = @()
        if (-not (Get-Command Get-CimInstance -ErrorAction SilentlyContinue)) {
            function global:Get-CimInstance { param([string]$ClassName) throw 'Get-CimInstance stub: not mocked' }
            $script:Stubbed += 'Get-CimInstance'
        }
        if (-not (Get-Command Get-HotFix -ErrorAction SilentlyContinue)) {
            function global:Get-HotFix { param([string[]]$Id) throw 'Get-HotFix stub: not mocked' }
            $script:Stubbed += 'Get-HotFix'
        }
        if (-not (Get-Command reg.exe -ErrorAction SilentlyContinue)) {
            function global:reg.exe { throw 'reg.exe stub: not mocked' }
            $script:Stubbed += 'reg.exe'
        }

        # Mock bodies run in Pester's scope, not this file's: the fake machine lives in globals.
        function Set-FakeMachine($Version, $Build, $ProductType, $Arch, $Caption = 'Microsoft Windows (fake)') {
            $global:TlsgenFakeOs = [pscustomobject]@{
                Caption = $Caption; Version = $Version; BuildNumber = [string]$Build
                ProductType = [uint32]$ProductType; OSArchitecture = $Arch
            }
        }
        function Set-FakeMachineFor([string]$Target) {
            $m = @{
                'ws2019' = @('10.0.17763', 17763, 3, '64-bit'); 'win7' = @('6.1.7601', 7601, 1, '64-bit')
                'win10-x86' = @('10.0.19045', 19045, 1, '32-bit')
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
                if (-not $global:TlsgenFakeRegistry.ContainsKey($v.Key)) { $global:TlsgenFakeRegistry[$v.Key] = @{} }
                $global:TlsgenFakeRegistry[$v.Key][$v.Name] = @{ Kind = $v.Kind; Data = ConvertTo-RegistryData $v.Kind $v.Data }
            }
        }
        function Set-InstalledUpdate([string[]]$Ids) { $global:TlsgenInstalledKbs = @($Ids) }

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
        function Invoke-Audit([switch]$Json, [string]$Script = $AuditScript) {
            $r = Invoke-Script $Script $(if ($Json) { @{ Json = $true } } else { @{} })
            if ($Json -and $r.ExitCode -in 0, 1) {
                $r | Add-Member NoteProperty Report ($r.Text | ConvertFrom-Json)
            }
            $r
        }
        # A fresh folder under TestDrive (backup roots, copies of the reg folder).
        function New-TestFolder([string]$Prefix) { Join-Path $TestDrive ('{0}-{1}' -f $Prefix, [guid]::NewGuid().ToString('N').Substring(0, 8)) }
        function Copy-RegFolder { $copy = New-TestFolder 'reg'; Copy-Item -LiteralPath $RegDir -Destination $copy -Recurse; $copy }

        # ---- Mocks, active in every test below ----
        Mock Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_OperatingSystem' } { $global:TlsgenFakeOs }
        Mock Get-HotFix {
            foreach ($kb in $Id) { if ($global:TlsgenInstalledKbs -contains $kb) { [pscustomobject]@{ HotFixID = $kb; Description = 'Update' } } }
        }
        # reg.exe: record each call ("export <key> <file> /y /reg:64"); exit code per verb, default 0.
        Mock reg.exe {
            $line = @($args | ForEach-Object { "$_" }) -join ' '
            $global:TlsgenRegCalls.Add($line)
            $code = $global:TlsgenRegExitCodes["$($args[0])"]
            $global:LASTEXITCODE = $(if ($null -eq $code) { 0 } else { $code })
        }
        # Pester 6 throws when no filtered mock matches and there is no default mock (Pester 5
        # called the real command): the defaults pass other paths (the .reg files, TestDrive) on
        # to the real cmdlets. (Invoked through their CmdletInfo: even a module-qualified name,
        # Microsoft.PowerShell.Management\Test-Path, reaches the mock again and recurses.)
        Mock Test-Path { & (Get-Command -Name Test-Path -CommandType Cmdlet) @PesterBoundParameters }
        Mock Get-Item { & (Get-Command -Name Get-Item -CommandType Cmdlet) @PesterBoundParameters }
        Mock Test-Path -ParameterFilter { "$LiteralPath" -like 'Registry::*' } {
            $global:TlsgenFakeRegistry.ContainsKey(("$LiteralPath" -replace '^Registry::', ''))
        }
        # A registry key as Get-Item returns it, reduced to the three methods the audit uses. A missing
        # key returns nothing (the scripts pass -ErrorAction SilentlyContinue); a missing value throws on
        # GetValueKind like RegistryKey does.
        Mock Get-Item -ParameterFilter { "$LiteralPath" -like 'Registry::*' } {
            $path = "$LiteralPath" -replace '^Registry::', ''
            $values = $global:TlsgenFakeRegistry[$path]
            if ($null -eq $values) { return }
            $key = [pscustomobject]@{ Name = $path; FakeValues = $values }
            $key | Add-Member ScriptMethod GetValueNames { [string[]]@($this.FakeValues.Keys) }
            $key | Add-Member ScriptMethod GetValueKind {
                param([string]$Name)
                if (-not $this.FakeValues.ContainsKey($Name)) { throw [System.IO.IOException]::new('The system cannot find the file specified.') }
                [Microsoft.Win32.RegistryValueKind]$this.FakeValues[$Name].Kind
            }
            $key | Add-Member ScriptMethod GetValue {
                param([string]$Name, $DefaultValue, $Options)
                $global:TlsgenGetValueOptions.Add("$Options")
                # "," keeps byte[] and string[] whole, as RegistryKey.GetValue returns them.
                if ($this.FakeValues.ContainsKey($Name)) { , $this.FakeValues[$Name].Data } else { $DefaultValue }
            }
            $key
        }
    }

    BeforeEach {
        Set-FakeMachineFor 'ws2019'
        Set-FakeRegistry $null
        Set-InstalledUpdate @()
        $global:TlsgenRegCalls = [System.Collections.Generic.List[string]]::new()
        $global:TlsgenRegExitCodes = @{}
        $global:TlsgenGetValueOptions = [System.Collections.Generic.List[string]]::new()
    }

    AfterAll {
        foreach ($name in $script:Stubbed) { Remove-Item -LiteralPath "function:global:$name" -ErrorAction SilentlyContinue }
        Remove-Variable -Scope Global -Name TlsgenFakeOs, TlsgenFakeRegistry, TlsgenInstalledKbs, TlsgenRegCalls, TlsgenRegExitCodes, TlsgenGetValueOptions -ErrorAction SilentlyContinue
    }

    Describe 'The test machines' {
        It 'cover every target variant the generator has' -ForEach @(@{ Variants = $Variants }) {
            # A new variant in definitions/ must get a detection test here.
            @($Plans.Keys | Sort-Object) | Should -Be @($Variants | Sort-Object)
        }
    }

    Describe 'Detection: which target a Windows machine gets' {
        It 'installer -WhatIf on <Caption> (<Version>, type <ProductType>, <Arch>) picks <Expected>' -ForEach $Machines {
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption
            Set-InstalledUpdate (Get-PlanPrerequisite $Expected)
            $r = Invoke-Installer @{ WhatIf = $true; BackupRoot = (New-TestFolder 'backup') }
            $r.Text | Should -Match ([regex]::Escape("(target $Expected)"))
            # -WhatIf also verifies the committed .reg file's hash against the one in the script.
            $r.Text | Should -Match ([regex]::Escape("Verified $(Join-Path $RegDir "$Expected.reg")"))
            $r.ExitCode | Should -Be 0
            $r.RegCalls.Count | Should -Be 0
        }

        It 'audit -Json on <Caption> (<Version>, type <ProductType>, <Arch>) reports target <Expected>' -ForEach $Machines {
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption
            $r = Invoke-Audit -Json
            $r.Report.target | Should -Be $Expected
            $r.ExitCode | Should -Be 1 # the fake registry is empty
        }

        It 'installer refuses <Why> with exit 1, before any reg.exe call' -ForEach $Unsupported {
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption
            $r = Invoke-Installer @{ BackupRoot = (New-TestFolder 'backup') }
            $r.ExitCode | Should -Be 1
            $r.Text | Should -Match 'does not cover'
            $r.RegCalls.Count | Should -Be 0
            Should -Invoke Get-HotFix -Times 0 -Exactly
        }

        It 'audit refuses <Why> with exit 1 and says why' -ForEach $Unsupported {
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption
            $r = Invoke-Audit
            $r.ExitCode | Should -Be 1
            $r.Text | Should -Match 'does not cover'
            $j = Invoke-Audit -Json
            $j.ExitCode | Should -Be 1
            $j.Report.target | Should -BeNullOrEmpty
            $j.Report.compliant | Should -BeFalse
        }
    }

    Describe 'Install-AzureBackupTls12.ps1' {
        Context '-WhatIf' {
            It 'prints the plan, runs no reg.exe and creates no backup folder' {
                $backupRoot = New-TestFolder 'backup'
                $r = Invoke-Installer @{ WhatIf = $true; BackupRoot = $backupRoot }
                $r.ExitCode | Should -Be 0
                $r.RegCalls.Count | Should -Be 0
                Should -Invoke reg.exe -Times 0 -Exactly
                Test-Path -LiteralPath $backupRoot | Should -BeFalse
                foreach ($v in Get-PlanValue 'ws2019') {
                    $r.Text | Should -Match ([regex]::Escape(('{0} "{1}" = {2} {3}' -f $v.Key, $v.Name, $v.Kind, (Format-ExpectedData $v.Kind $v.Data))))
                }
            }

            It 'lists the missing prerequisites of a target that has some, and runs no reg.exe' {
                Set-FakeMachineFor 'win7'
                $r = Invoke-Installer @{ WhatIf = $true; BackupRoot = (New-TestFolder 'backup') }
                foreach ($kb in Get-PlanPrerequisite 'win7') { $r.Text | Should -Match $kb }
                $r.RegCalls.Count | Should -Be 0
                # The script's choice: -WhatIf still reports the refusal it would make (exit 2).
                $r.ExitCode | Should -Be 2
            }
        }

        Context 'the .reg file must be the one the script was generated with' {
            It 'refuses a .reg file with one byte changed (exit 3), before any reg.exe call' {
                $reg = Copy-RegFolder
                $file = Join-Path $reg 'ws2019.reg'
                $bytes = [IO.File]::ReadAllBytes($file)
                $bytes[200] = $bytes[200] -bxor 0x01
                [IO.File]::WriteAllBytes($file, $bytes)
                $r = Invoke-Installer @{ Path = $reg; BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 3
                $r.Text | Should -Match 'Refused'
                Should -Invoke reg.exe -Times 0 -Exactly
            }

            It 'refuses another target''s .reg file under this target''s name (ws2016.reg as win7.reg)' {
                Set-FakeMachineFor 'win7'
                Set-InstalledUpdate (Get-PlanPrerequisite 'win7')
                $reg = Copy-RegFolder
                Copy-Item -LiteralPath (Join-Path $reg 'ws2016.reg') -Destination (Join-Path $reg 'win7.reg') -Force
                $r = Invoke-Installer @{ Path = $reg; BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 3
                Should -Invoke reg.exe -Times 0 -Exactly
            }

            It 'refuses a missing .reg file (exit 3)' {
                $reg = Copy-RegFolder
                Remove-Item -LiteralPath (Join-Path $reg 'ws2019.reg')
                $r = Invoke-Installer @{ Path = $reg; BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 3
                Should -Invoke reg.exe -Times 0 -Exactly
            }

            It 'refuses a changed .rollback.reg with -Rollback (exit 3)' {
                $reg = Copy-RegFolder
                Copy-Item -LiteralPath (Join-Path $reg 'ws2019.reg') -Destination (Join-Path $reg 'ws2019.rollback.reg') -Force
                $r = Invoke-Installer @{ Path = $reg; Rollback = $true; BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 3
                Should -Invoke reg.exe -Times 0 -Exactly
            }
        }

        Context 'prerequisites' {
            It 'stops with exit 2 and names the missing update, running no reg.exe' {
                Set-FakeMachineFor 'win7'
                $r = Invoke-Installer @{ BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 2
                foreach ($kb in Get-PlanPrerequisite 'win7') {
                    $r.Text | Should -Match $kb
                    # (a filter is evaluated in Pester's scope, so the KB goes into its text)
                    Should -Invoke Get-HotFix -ParameterFilter ([scriptblock]::Create("`$Id -contains '$kb'"))
                }
                Should -Invoke reg.exe -Times 0 -Exactly
            }

            It 'goes ahead when the update is installed' {
                Set-FakeMachineFor 'win7'
                Set-InstalledUpdate (Get-PlanPrerequisite 'win7')
                $r = Invoke-Installer @{ BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 0
                @($r.RegCalls | Where-Object { $_ -like 'import *' }).Count | Should -Be 1
            }

            It 'goes ahead with -IgnoreMissingPrerequisites' {
                Set-FakeMachineFor 'win7'
                $r = Invoke-Installer @{ IgnoreMissingPrerequisites = $true; BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 0
                @($r.RegCalls | Where-Object { $_ -like 'import *' }).Count | Should -Be 1
            }
        }

        Context 'backup, then import' {
            It 'exports every existing key the file touches, then imports the file, in the 64-bit view' {
                Set-FakeRegistry 'ws2019' # every key exists
                $backupRoot = New-TestFolder 'backup'
                $r = Invoke-Installer @{ BackupRoot = $backupRoot }
                $r.ExitCode | Should -Be 0
                $keys = Get-PlanKey 'ws2019'
                $r.RegCalls.Count | Should -Be ($keys.Count + 1)
                # Call order: all exports first, the import last.
                for ($i = 0; $i -lt $keys.Count; $i++) {
                    $r.RegCalls[$i] | Should -BeLike "export $($keys[$i]) $backupRoot*"
                    $r.RegCalls[$i] | Should -Match ' /y /reg:64$'
                }
                $r.RegCalls[-1] | Should -Be "import $(Join-Path $RegDir 'ws2019.reg') /reg:64"
                # The backups go to one new folder under -BackupRoot.
                @(Get-ChildItem -LiteralPath $backupRoot -Directory).Count | Should -Be 1
                $r.Text | Should -Match 'Restart'
            }

            It 'skips keys that do not exist yet' {
                Set-FakeRegistry 'ws2019'
                $missingKey = (Get-PlanKey 'ws2019')[-1]
                $global:TlsgenFakeRegistry.Remove($missingKey)
                $r = Invoke-Installer @{ BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 0
                @($r.RegCalls | Where-Object { $_ -like 'export *' }).Count | Should -Be ((Get-PlanKey 'ws2019').Count - 1)
                @($r.RegCalls | Where-Object { $_ -like "export $missingKey *" }).Count | Should -Be 0
                $r.RegCalls[-1] | Should -BeLike 'import *'
            }

            It 'uses no /reg:64 on a 32-bit Windows' {
                Set-FakeMachineFor 'win10-x86'
                Set-FakeRegistry 'win10-x86'
                $r = Invoke-Installer @{ BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 0
                $r.RegCalls.Count | Should -Be ((Get-PlanKey 'win10-x86').Count + 1)
                $r.RegCalls | ForEach-Object { $_ | Should -Not -Match '/reg:' }
                $r.RegCalls[-1] | Should -Be "import $(Join-Path $RegDir 'win10-x86.reg')"
            }

            It 'stops with exit 4 when a backup fails, importing nothing' {
                Set-FakeRegistry 'ws2019'
                $global:TlsgenRegExitCodes['export'] = 1
                $r = Invoke-Installer @{ BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 4
                @($r.RegCalls | Where-Object { $_ -like 'import *' }).Count | Should -Be 0
            }

            It 'exits 5 when reg.exe import fails' {
                Set-FakeRegistry 'ws2019'
                $global:TlsgenRegExitCodes['import'] = 1
                $r = Invoke-Installer @{ BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 5
                $r.RegCalls[-1] | Should -BeLike 'import *'
            }
        }

        Context '-Rollback' {
            It 'backs up, then imports the .rollback.reg file' {
                Set-FakeRegistry 'ws2019'
                $r = Invoke-Installer @{ Rollback = $true; BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 0
                $r.RegCalls[0] | Should -BeLike 'export *'
                $r.RegCalls[-1] | Should -Be "import $(Join-Path $RegDir 'ws2019.rollback.reg') /reg:64"
            }

            It 'does not need the prerequisites (undoing never needs an update)' {
                Set-FakeMachineFor 'win7'
                $r = Invoke-Installer @{ Rollback = $true; BackupRoot = (New-TestFolder 'backup') }
                $r.ExitCode | Should -Be 0
                $r.RegCalls[-1] | Should -Be "import $(Join-Path $RegDir 'win7.rollback.reg') /reg:64"
            }
        }
    }

    Describe 'Test-AzureBackupTls12.ps1' {
        It 'reports <Expected> compliant (exit 0) when the registry holds exactly the plan' -ForEach $VariantMachines {
            $target = $Expected
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption
            Set-FakeRegistry $target
            Set-InstalledUpdate (Get-PlanPrerequisite $target)
            $r = Invoke-Audit -Json
            $failing = @($r.Report.rows | Where-Object status -NE 'Compliant' | ForEach-Object { "$($_.key) $($_.name): $($_.status)" })
            $failing | Should -BeNullOrEmpty
            $r.Report.compliant | Should -BeTrue
            $r.ExitCode | Should -Be 0
            Should -Invoke reg.exe -Times 0 -Exactly # the audit only reads
        }

        It 'lists one row per value of the plan and one per prerequisite, with the expected type and data (<Expected>)' -ForEach @($VariantMachines | Where-Object { $_.Expected -in 'ws2019', 'win7', 'win10-x86' }) {
            $target = $Expected
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption
            $r = Invoke-Audit -Json
            $r.Report.target | Should -Be $target
            $valueRows = @($r.Report.rows | Where-Object kind -EQ 'value')
            $plan = @(Get-PlanValue $target)
            $valueRows.Count | Should -Be $plan.Count
            for ($i = 0; $i -lt $plan.Count; $i++) {
                $valueRows[$i].key | Should -Be $plan[$i].Key
                $valueRows[$i].name | Should -Be $plan[$i].Name
                $valueRows[$i].expectedType | Should -Be $plan[$i].Kind
                $valueRows[$i].expectedData | Should -Be (Format-ExpectedData $plan[$i].Kind $plan[$i].Data)
                $valueRows[$i].status | Should -Be 'Missing' # empty registry
                $valueRows[$i].source | Should -Not -BeNullOrEmpty
            }
            $prerequisiteRows = @($r.Report.rows | Where-Object kind -EQ 'prerequisite')
            @($prerequisiteRows | ForEach-Object key) | Should -Be @(Get-PlanPrerequisite $target)
            $prerequisiteRows | ForEach-Object { $_.status | Should -Be 'Missing' }
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
            $failing = @($r.Report.rows | Where-Object status -NE 'Compliant')
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

            # The table form says the same, and exits the same.
            $t = Invoke-Audit
            $t.ExitCode | Should -Be 1
            $t.Text | Should -Match 'NOT COMPLIANT'
            foreach ($s in 'WrongData', 'Missing', 'WrongType') { $t.Text | Should -Match $s }
        }

        It 'reports every value of a missing key as Missing' {
            Set-FakeRegistry 'ws2019'
            $gone = (Get-PlanKey 'ws2019')[0]
            $global:TlsgenFakeRegistry.Remove($gone)
            $r = Invoke-Audit -Json
            $r.ExitCode | Should -Be 1
            $expected = @(Get-PlanValue 'ws2019' | Where-Object Key -EQ $gone).Count
            @($r.Report.rows | Where-Object { $_.key -eq $gone -and $_.status -eq 'Missing' }).Count | Should -Be $expected
            @($r.Report.rows | Where-Object status -NE 'Compliant').Count | Should -Be $expected
        }

        It 'is not compliant when a prerequisite update is missing, even with every value in place' {
            Set-FakeMachineFor 'win7'
            Set-FakeRegistry 'win7'
            $r = Invoke-Audit -Json
            $r.ExitCode | Should -Be 1
            $failing = @($r.Report.rows | Where-Object status -NE 'Compliant')
            @($failing.kind | Select-Object -Unique) | Should -Be @('prerequisite')
            @($failing.key) | Should -Be @(Get-PlanPrerequisite 'win7')
        }

        It 'prints COMPLIANT in table form and exits 0 on a compliant machine' {
            Set-FakeRegistry 'ws2019'
            $r = Invoke-Audit
            $r.ExitCode | Should -Be 0
            $r.Text | Should -Match '(?<!NOT )COMPLIANT'
        }
    }

    # The azure-backup-tls12 profile sets only DWORDs. The golden case every-value-type has every
    # registry type, a deletion, and strings made to break quoting; its generated audit script must
    # read each of them back as compliant.
    Describe 'Test-EveryType.ps1 (golden case every-value-type): every registry value type' {
        BeforeAll {
            $GoldenDir = Join-Path $Root 'test/golden/every-value-type'
            $GoldenPlans = Get-Explain 'every-type' (Join-Path $GoldenDir 'definitions')
            $GoldenAudit = Join-Path $GoldenDir 'expected/every-type/scripts/Test-EveryType.ps1'
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
        }

        It 'reports compliant (exit 0) when the registry holds exactly the plan' {
            Set-FakeRegistry 'ws2022' $GoldenPlans
            $r = Invoke-Audit -Json -Script $GoldenAudit
            @($r.Report.rows | Where-Object status -NE 'Compliant' | ForEach-Object { "$($_.name): $($_.status) $($_.actualType) $($_.actualData)" }) | Should -BeNullOrEmpty
            $r.ExitCode | Should -Be 0
        }

        It 'reports a value the profile deletes, still present, as not compliant' {
            Set-FakeRegistry 'ws2022' $GoldenPlans
            $deleted = Get-PlanValue 'ws2022' $GoldenPlans | Where-Object Action -EQ 'delete-value' | Select-Object -First 1
            $global:TlsgenFakeRegistry[$deleted.Key][$deleted.Name] = @{ Kind = 'DWord'; Data = 1 }
            $r = Invoke-Audit -Json -Script $GoldenAudit
            $r.ExitCode | Should -Be 1
            @($r.Report.rows | Where-Object status -NE 'Compliant' | ForEach-Object name) | Should -Be @($deleted.Name)
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
            $failing = @($r.Report.rows | Where-Object status -NE 'Compliant')
            @($failing | ForEach-Object name | Sort-Object) | Should -Be @(@($binary.Name, $qword.Name, $multi.Name) | Sort-Object)
            $failing | ForEach-Object { $_.status | Should -Be 'WrongData' }
        }
    }
}
