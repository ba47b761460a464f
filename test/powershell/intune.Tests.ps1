<#
    Behaviour tests of the generated Intune Remediations pair (Detect-<Name>.ps1, Remediate-<Name>.ps1).

    test/intune.test.ts writes, into TLSGEN_INTUNE_DIR, the pair of azure-backup-tls12 (azure-*) and of
    the golden case every-type (every-*: every value type, non-ASCII and quoting-hostile data, value
    and key deletions; Intune switched off for its ws2022 target), plus <prefix>-expected.json: what
    each embedded target must end up with, taken from the plan, not from the scripts' own tables.

    The scripts run for real with the Windows-only parts mocked: Get-WmiObject (which Windows this
    is), Open-TlsgenIntuneBaseKey (the one function that opens the registry; here a fake
    RegistryKey over a hashtable), elevation, process bitness, the sysnative PowerShell path, file
    versions, Get-HotFix and the .NET release. Nothing touches a real registry.
    Intune's rules checked here: MicrosoftDocs/memdocs intune/fundamentals/remediations.md (exit 1 =
    issue found, output at most 2,048 characters, no reboot) and ../shared/reference/channels.md 5a.
#>

BeforeDiscovery {
    $script:Uncovered = @(
        @{ Why = 'Windows Server 2022'; Caption = 'Microsoft Windows Server 2022 Datacenter'; Version = '10.0.20348'; Build = 20348; ProductType = 3; Arch = '64-bit' }
        @{ Why = 'Windows 7';           Caption = 'Microsoft Windows 7 Professional';         Version = '6.1.7601';   Build = 7601;  ProductType = 1; Arch = '64-bit' }
        @{ Why = 'Windows 8.1';         Caption = 'Microsoft Windows 8.1 Pro';                Version = '6.3.9600';   Build = 9600;  ProductType = 1; Arch = '64-bit' }
        @{ Why = 'Windows Server 2016'; Caption = 'Microsoft Windows Server 2016 Standard';   Version = '10.0.14393'; Build = 14393; ProductType = 2; Arch = '64-bit' }
    )
    $dir = $env:TLSGEN_INTUNE_DIR
    $script:AllScripts = @(
        foreach ($name in 'azure-Detect.ps1', 'azure-Remediate.ps1', 'every-Detect.ps1', 'every-Remediate.ps1', 'policy-Detect.ps1', 'policy-Remediate.ps1') { @{ Name = $name; Path = (Join-Path $dir $name) } }
    )
}

Describe 'Generated Intune Remediations pair' {
    BeforeAll {
        $Dir = $env:TLSGEN_INTUNE_DIR
        if (-not $Dir) { throw 'TLSGEN_INTUNE_DIR is not set (run through test/intune.test.ts)' }
        $AzureDetect = Join-Path $Dir 'azure-Detect.ps1'
        $AzureRemediate = Join-Path $Dir 'azure-Remediate.ps1'
        $EveryDetect = Join-Path $Dir 'every-Detect.ps1'
        $EveryRemediate = Join-Path $Dir 'every-Remediate.ps1'
        $AzureExpected = (Get-Content -Raw (Join-Path $Dir 'azure-expected.json') | ConvertFrom-Json -AsHashtable).targets
        $EveryExpected = (Get-Content -Raw (Join-Path $Dir 'every-expected.json') | ConvertFrom-Json -AsHashtable).targets
        $PolicyDetect = Join-Path $Dir 'policy-Detect.ps1'
        $PolicyRemediate = Join-Path $Dir 'policy-Remediate.ps1'
        $PolicyExpected = (Get-Content -Raw (Join-Path $Dir 'policy-expected.json') | ConvertFrom-Json -AsHashtable).targets

        # Commands that do not exist here get a stub so that Mock has something to shadow.
        $script:Stubbed = @()
        foreach ($name in 'Get-WmiObject', 'Get-HotFix', 'Open-TlsgenIntuneBaseKey', 'Test-TlsgenIntuneAdministrator', 'Test-TlsgenIs64BitProcess',
            'Get-TlsgenPowerShell64Path', 'Get-TlsgenFileVersion', 'Get-TlsgenDotNetRelease') {
            if (-not (Get-Command $name -ErrorAction SilentlyContinue)) {
                $script:Stubbed += $name
            }
        }
        function global:Get-WmiObject { param([string]$Class) throw 'Get-WmiObject stub: not mocked' }
        function global:Get-HotFix { param([string[]]$Id) throw 'Get-HotFix stub: not mocked' }
        function global:Open-TlsgenIntuneBaseKey { param([string]$Hive, [string]$View) throw 'stub: not mocked' }
        function global:Test-TlsgenIntuneAdministrator { throw 'stub: not mocked' }
        function global:Test-TlsgenIs64BitProcess { throw 'stub: not mocked' }
        function global:Get-TlsgenPowerShell64Path { throw 'stub: not mocked' }
        function global:Get-TlsgenFileVersion { param([string]$Path) throw 'stub: not mocked' }
        function global:Get-TlsgenDotNetRelease { throw 'stub: not mocked' }

        # A fake Microsoft.Win32.RegistryKey over $global:IntuneReg (key path -> @{ name -> @{ Kind; Data } };
        # PowerShell hashtables compare keys case-insensitively, as the registry does). OpenSubKey and
        # CreateSubKey split a path at '\' only, as the registry does: '/' is part of a key name ("Key names
        # cannot include the backslash character (\), but any other printable character can be used",
        # https://learn.microsoft.com/windows/win32/sysinfo/structure-of-the-registry).
        function global:New-IntuneFakeKey([string]$Path) {
            $k = [pscustomobject]@{ Path = $Path }
            $k | Add-Member ScriptMethod OpenSubKey {
                param([string]$Name, $Writable)
                $p = $this.Path + '\' + $Name
                # A key exists when it holds values or has subkeys (its parents exist implicitly).
                $exists = $global:IntuneReg.ContainsKey($p) -or @($global:IntuneReg.Keys | Where-Object { $_.StartsWith($p + '\', [StringComparison]::OrdinalIgnoreCase) }).Count -gt 0
                if (-not $exists) { return $null }
                if (-not $global:IntuneReg.ContainsKey($p)) { $global:IntuneReg[$p] = @{} }
                New-IntuneFakeKey $p
            }
            $k | Add-Member ScriptMethod CreateSubKey {
                param([string]$Name)
                $p = $this.Path
                foreach ($part in $Name.Split('\')) {
                    $p = $p + '\' + $part
                    if (-not $global:IntuneReg.ContainsKey($p)) { $global:IntuneReg[$p] = @{} }
                }
                New-IntuneFakeKey $p
            }
            $k | Add-Member ScriptMethod GetValueNames { [string[]]@($global:IntuneReg[$this.Path].Keys) }
            $k | Add-Member ScriptMethod GetValueKind {
                param([string]$Name)
                $values = $global:IntuneReg[$this.Path]
                if (-not $values.ContainsKey($Name)) { throw [System.IO.IOException]::new('The system cannot find the file specified.') }
                [Microsoft.Win32.RegistryValueKind]$values[$Name].Kind
            }
            $k | Add-Member ScriptMethod GetValue {
                param([string]$Name, $Default, $Options)
                $global:IntuneGetValueOptions.Add("$Options")
                $values = $global:IntuneReg[$this.Path]
                if ($values.ContainsKey($Name)) { , $values[$Name].Data } else { $Default }
            }
            $k | Add-Member ScriptMethod SetValue {
                param([string]$Name, $Data, $Kind)
                if ($global:IntuneFailWrite -eq $Name) { throw [System.UnauthorizedAccessException]::new('Access to the registry key is denied.') }
                $global:IntuneWrites.Add(('{0}|{1}|{2}' -f $this.Path, $Name, $Kind))
                if ($global:IntuneSabotage -eq $Name) { $Data = 'not what was written'; $Kind = 'String' }
                $global:IntuneReg[$this.Path][$Name] = @{ Kind = "$Kind"; Data = $Data }
            }
            $k | Add-Member ScriptMethod DeleteValue {
                param([string]$Name, $ThrowOnMissing)
                $global:IntuneWrites.Add(('{0}|{1}|delete' -f $this.Path, $Name))
                $global:IntuneReg[$this.Path].Remove($Name)
            }
            $k | Add-Member ScriptMethod DeleteSubKeyTree {
                param([string]$Name)
                $p = $this.Path + '\' + $Name
                $global:IntuneWrites.Add(('{0}|deletekey' -f $p))
                foreach ($key in @($global:IntuneReg.Keys)) {
                    if ($key -eq $p -or $key.StartsWith($p + '\', [StringComparison]::OrdinalIgnoreCase)) { $global:IntuneReg.Remove($key) }
                }
            }
            $k | Add-Member ScriptMethod Close { }
            $k
        }

        function Set-FakeMachine($Version, $Build, $ProductType, $Arch, $Caption = 'Microsoft Windows (fake)') {
            $global:IntuneOs = [pscustomobject]@{
                Caption = $Caption; Version = $Version; BuildNumber = [string]$Build; ProductType = [uint32]$ProductType
                OSArchitecture = $Arch; OperatingSystemSKU = [uint32]4
            }
        }
        # Data as RegistryKey.GetValue returns it, from the expected JSON.
        function ConvertTo-RegistryData($Kind, $Data) {
            switch ($Kind) {
                'DWord' { [BitConverter]::ToInt32([BitConverter]::GetBytes([uint32]$Data), 0) }
                'QWord' { [BitConverter]::ToInt64([BitConverter]::GetBytes([uint64]$Data), 0) }
                'Binary' { , [byte[]][Convert]::FromHexString([string]$Data) }
                'MultiString' { , [string[]]@($Data) }
                default { [string]$Data }
            }
        }
        function Format-Data($Kind, $Data) {
            switch ($Kind) {
                'DWord' { '0x{0:X8}' -f ([int64]$Data -band 4294967295) }
                'QWord' { '0x{0:X16}' -f [BitConverter]::ToUInt64([BitConverter]::GetBytes([int64]$Data), 0) }
                'Binary' { [Convert]::ToHexString([byte[]]$Data) }
                'MultiString' { @($Data) -join [char]0 }
                default { [string]$Data }
            }
        }
        # The registry as the plan wants it for one target.
        function Set-Compliant([hashtable]$Expected, [string]$Target) {
            $global:IntuneReg = @{}
            foreach ($v in $Expected[$Target].values) {
                if ($v.action -ne 'Set') { continue }
                if (-not $global:IntuneReg.ContainsKey($v.key)) { $global:IntuneReg[$v.key] = @{} }
                $global:IntuneReg[$v.key][$v.name] = @{ Kind = $v.kind; Data = (ConvertTo-RegistryData $v.kind $v.data) }
            }
        }
        # Every planned Set value is in the fake registry with its kind and data; nothing else is.
        function Assert-Planned([hashtable]$Expected, [string]$Target) {
            $sets = @($Expected[$Target].values | Where-Object { $_.action -eq 'Set' })
            foreach ($v in $sets) {
                $global:IntuneReg.ContainsKey($v.key) | Should -BeTrue -Because "key $($v.key)"
                $actual = $global:IntuneReg[$v.key][$v.name]
                $actual | Should -Not -BeNullOrEmpty -Because "value $($v.key) $($v.name)"
                $actual.Kind | Should -Be $v.kind -Because "type of $($v.name)"
                (Format-Data $actual.Kind $actual.Data) | Should -BeExactly (Format-Data $v.kind (ConvertTo-RegistryData $v.kind $v.data)) -Because "data of $($v.name)"
            }
            foreach ($v in @($Expected[$Target].values | Where-Object { $_.action -eq 'Delete' })) {
                if ($global:IntuneReg.ContainsKey($v.key)) { $global:IntuneReg[$v.key].ContainsKey($v.name) | Should -BeFalse }
            }
            foreach ($k in $Expected[$Target].deletedKeys) { $global:IntuneReg.ContainsKey($k) | Should -BeFalse }
            $count = 0
            foreach ($values in $global:IntuneReg.Values) { $count += $values.Count }
            $count | Should -Be $sets.Count
        }

        # Runs a script as Intune does (no parameters) and sorts what it wrote: Output (strings on the
        # success stream) and Other (error, warning, information, verbose records: stderr or host noise).
        function Invoke-Intune([string]$Script) {
            $global:LASTEXITCODE = -999
            $records = @(& $Script *>&1)
            $other = @($records | Where-Object { $_ -isnot [string] })
            $output = @($records | Where-Object { $_ -is [string] })
            [pscustomobject]@{
                ExitCode = $global:LASTEXITCODE; Output = $output; Other = @($other | ForEach-Object { "$($_.GetType().Name): $_" })
                Last = $(if ($output.Count) { $output[-1] } else { '' })
            }
        }
        function Assert-IntuneOutput($Run) {
            $Run.Other | Should -BeNullOrEmpty -Because 'Intune treats stderr as a failure and shows the last line only'
            $Run.Output.Count | Should -Be 1
            $Run.Last.Length | Should -BeLessOrEqual 2048
            $Run.Last | Should -Not -Match '[\r\n]'
        }

        Mock Get-WmiObject -ParameterFilter { $Class -eq 'Win32_OperatingSystem' } { $global:IntuneOs }
        Mock Get-HotFix { foreach ($kb in $Id) { if ($global:IntuneKbs -contains $kb) { [pscustomobject]@{ HotFixID = $kb } } } }
        Mock Open-TlsgenIntuneBaseKey {
            if ($global:IntuneRegistryBroken) { throw 'registry unavailable' }
            $global:IntuneViews.Add("$Hive/$View")
            $root = @{ LocalMachine = 'HKEY_LOCAL_MACHINE'; CurrentUser = 'HKEY_CURRENT_USER'; Users = 'HKEY_USERS' }[$Hive]
            New-IntuneFakeKey $root
        }
        Mock Test-TlsgenIntuneAdministrator { $global:IntuneAdmin }
        Mock Test-TlsgenIs64BitProcess { $global:Intune64BitProcess }
        Mock Get-TlsgenPowerShell64Path { $global:IntuneSysnative }
        Mock Get-TlsgenFileVersion { $global:IntuneFileVersion }
        Mock Get-TlsgenDotNetRelease { $global:IntuneDotNet }
    }

    BeforeEach {
        Set-FakeMachine '10.0.26100' 26100 1 '64-bit' 'Microsoft Windows 11 Enterprise'
        $global:IntuneReg = @{}
        $global:IntuneWrites = [System.Collections.Generic.List[string]]::new()
        $global:IntuneViews = [System.Collections.Generic.List[string]]::new()
        $global:IntuneGetValueOptions = [System.Collections.Generic.List[string]]::new()
        $global:IntuneSabotage = $null
        $global:IntuneFailWrite = $null
        $global:IntuneRegistryBroken = $false
        $global:IntuneAdmin = $true
        $global:Intune64BitProcess = $true
        $global:IntuneSysnative = $null
        $global:IntuneFileVersion = [version]'99.0.0.0'
        $global:IntuneKbs = @()
        $global:IntuneDotNet = 533320
        Remove-Item Env:TLSGEN_INTUNE_RELAUNCHED -ErrorAction SilentlyContinue
    }

    AfterAll {
        foreach ($name in $script:Stubbed + 'New-IntuneFakeKey') { Remove-Item -LiteralPath "function:global:$name" -ErrorAction SilentlyContinue }
        Remove-Item Env:TLSGEN_INTUNE_RELAUNCHED -ErrorAction SilentlyContinue
        Remove-Variable -Scope Global -ErrorAction SilentlyContinue -Name IntuneOs, IntuneReg, IntuneWrites, IntuneViews, IntuneGetValueOptions, IntuneSabotage,
            IntuneFailWrite, IntuneRegistryBroken, IntuneAdmin, Intune64BitProcess, IntuneSysnative, IntuneFileVersion, IntuneKbs, IntuneDotNet
    }

    Describe 'Source' {
        It '<Name> parses, and uses no syntax newer than Windows PowerShell 5.1, no reboot and no host/error-stream output' -ForEach $AllScripts {
            $tokens = $null; $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
            $errors | Should -BeNullOrEmpty
            $ps7 = @('QuestionQuestion', 'QuestionQuestionEquals', 'QuestionDot', 'QuestionLBracket', 'AndAnd', 'OrOr', 'QuestionMark', 'Clean')
            @($tokens | Where-Object { $ps7 -contains [string]$_.Kind } | ForEach-Object { "$($_.Kind) at line $($_.Extent.StartLineNumber)" }) | Should -BeNullOrEmpty
            $commands = @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() })
            $forbidden = 'Restart-Computer', 'Stop-Computer', 'shutdown', 'shutdown.exe', 'Write-Host', 'Write-Warning', 'Write-Error', 'Write-Verbose', 'Write-Information', 'reg', 'reg.exe', 'Get-CimInstance'
            @($commands | Where-Object { $forbidden -contains $_ }) | Should -BeNullOrEmpty
            @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.TypeDefinitionAst] -or $args[0] -is [System.Management.Automation.Language.UsingStatementAst] }, $true)) | Should -BeNullOrEmpty
        }
    }

    Describe 'azure-backup-tls12 on Windows 11' {
        It 'detection on an empty registry: exit 1 (remediation runs), one line naming the missing values' {
            $r = Invoke-Intune $AzureDetect
            $r.ExitCode | Should -Be 1
            Assert-IntuneOutput $r
            $r.Last | Should -Match '^Not compliant: azure-backup-tls12 on Windows 11'
            foreach ($v in $AzureExpected['win11'].values) { $r.Last | Should -Match ([regex]::Escape('"' + $v.name + '": expected')) }
            $global:IntuneWrites.Count | Should -Be 0
        }

        It 'remediation writes exactly the planned values, reads them back, exits 0 and says a restart is required' {
            $r = Invoke-Intune $AzureRemediate
            $r.ExitCode | Should -Be 0
            Assert-IntuneOutput $r
            $AzureExpected['win11'].restartRequired | Should -BeTrue
            $r.Last | Should -Match '^Remediated, restart required: '
            $r.Last | Should -Match 'all read back as planned'
            Assert-Planned $AzureExpected 'win11'
            $global:IntuneWrites.Count | Should -Be @($AzureExpected['win11'].values).Count
            # Every registry access opened the 64-bit view.
            $global:IntuneViews.Count | Should -BeGreaterThan 0
            @($global:IntuneViews | Select-Object -Unique) | Should -Be @('LocalMachine/Registry64')
            @($global:IntuneGetValueOptions | Select-Object -Unique) | Should -Be @('DoNotExpandEnvironmentNames')
        }

        It 'compliant: detection exits 0 with "Compliant", and remediation changes nothing' {
            Set-Compliant $AzureExpected 'win11'
            $d = Invoke-Intune $AzureDetect
            $d.ExitCode | Should -Be 0
            Assert-IntuneOutput $d
            $d.Last | Should -Match '^Compliant: azure-backup-tls12 on Windows 11, 64-bit \(x64\) \(target win11\): all \d+ values as planned\.'
            $m = Invoke-Intune $AzureRemediate
            $m.ExitCode | Should -Be 0
            $m.Last | Should -Match 'nothing changed'
            $global:IntuneWrites.Count | Should -Be 0
        }

        It 'one value with other data: detection names it; remediation rewrites only it' {
            Set-Compliant $AzureExpected 'win11'
            $v = @($AzureExpected['win11'].values)[0]
            $global:IntuneReg[$v.key][$v.name] = @{ Kind = 'DWord'; Data = 5 }
            $d = Invoke-Intune $AzureDetect
            $d.ExitCode | Should -Be 1
            $d.Last | Should -Match ('1 of \d+ values differ: .*"' + [regex]::Escape($v.name) + '": expected DWord 0x0000000\d, found DWord 0x00000005')
            $m = Invoke-Intune $AzureRemediate
            $m.ExitCode | Should -Be 0
            Assert-IntuneOutput $m
            $m.Last | Should -Match 'changed 1 of'
            $global:IntuneWrites.Count | Should -Be 1
            Assert-Planned $AzureExpected 'win11'
        }

        It 'a value of the wrong type (String "1" for a DWord) is not compliant' {
            Set-Compliant $AzureExpected 'win11'
            $v = @($AzureExpected['win11'].values)[-1]
            $global:IntuneReg[$v.key][$v.name] = @{ Kind = 'String'; Data = '1' }
            $d = Invoke-Intune $AzureDetect
            $d.ExitCode | Should -Be 1
            $d.Last | Should -Match 'found String 1'
        }

        It 'read-back mismatch: remediation exits 5 and says which value' {
            $v = @($AzureExpected['win11'].values)[0]
            $global:IntuneSabotage = $v.name
            $m = Invoke-Intune $AzureRemediate
            $m.ExitCode | Should -Be 5
            Assert-IntuneOutput $m
            $m.Last | Should -Match ('^Failed: .*read back differ.*"' + [regex]::Escape($v.name) + '"')
        }

        It 'a write that fails: remediation exits 4 and names the value' {
            $v = @($AzureExpected['win11'].values)[1]
            $global:IntuneFailWrite = $v.name
            $m = Invoke-Intune $AzureRemediate
            $m.ExitCode | Should -Be 4
            $m.Last | Should -Match ('^Failed: .*could not write .*"' + [regex]::Escape($v.name) + '".*denied')
        }

        It 'not elevated: remediation exits 3 and writes nothing' {
            $global:IntuneAdmin = $false
            $m = Invoke-Intune $AzureRemediate
            $m.ExitCode | Should -Be 3
            $m.Last | Should -Match 'logged-on credentials'
            $global:IntuneWrites.Count | Should -Be 0
        }

        It 'an unexpected error: exit 6 with one "Error:" line on the output stream' {
            $global:IntuneRegistryBroken = $true
            $d = Invoke-Intune $AzureDetect
            $d.ExitCode | Should -Be 6
            $d.Last | Should -Match '^Error: unexpected failure while checking: registry unavailable'
            $m = Invoke-Intune $AzureRemediate
            $m.ExitCode | Should -Be 6
        }
    }

    # test/scripts-policy-plan.ts: TLS 1.2 Client Enabled = 1 also accepts 0xFFFFFFFF (a value policy), and
    # SCHANNEL\Ciphers\RC4 128/128 Enabled = 0, a key whose name holds '/' (KB245030).
    Describe 'policy-test on Windows 11: a value policy and a key name with "/"' {
        BeforeAll {
            $values = @($PolicyExpected['win11'].values)
            $Accepted = @($values | Where-Object { @($_.accepted).Count -gt 0 })
            $Accepted.Count | Should -Be 1
            $Accepted = $Accepted[0]
            [uint32]$Accepted.data | Should -Be 1
            [uint32]$Accepted.accepted[0] | Should -Be ([uint32]::MaxValue)
            $Cipher = 'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\RC4 128/128'
            $Decoy = 'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\RC4 128\128'
            @($values | Where-Object { $_.key -eq $Cipher }).Count | Should -Be 1
        }

        It 'a value holding the accepted alternative (DWORD 0xFFFFFFFF for 1): detection exits 0 "accepted by policy", remediation writes nothing' {
            Set-Compliant $PolicyExpected 'win11'
            $global:IntuneReg[$Accepted.key][$Accepted.name] = @{ Kind = 'DWord'; Data = -1 }
            $d = Invoke-Intune $PolicyDetect
            $d.ExitCode | Should -Be 0
            Assert-IntuneOutput $d
            $d.Last | Should -Match '^Compliant: policy-test on .*: all \d+ values as planned \(1 accepted by policy\)\.'
            $m = Invoke-Intune $PolicyRemediate
            $m.ExitCode | Should -Be 0
            $m.Last | Should -Match 'already as planned \(1 accepted by policy\), nothing changed'
            $global:IntuneWrites.Count | Should -Be 0
            $global:IntuneReg[$Accepted.key][$Accepted.name].Data | Should -Be (-1)
        }

        It 'data neither planned nor accepted (2): detection exits 1; remediation writes the planned 1' {
            Set-Compliant $PolicyExpected 'win11'
            $global:IntuneReg[$Accepted.key][$Accepted.name] = @{ Kind = 'DWord'; Data = 2 }
            $d = Invoke-Intune $PolicyDetect
            $d.ExitCode | Should -Be 1
            $d.Last | Should -Match ('"' + [regex]::Escape($Accepted.name) + '": expected DWord 0x00000001, found DWord 0x00000002')
            $m = Invoke-Intune $PolicyRemediate
            $m.ExitCode | Should -Be 0
            $global:IntuneWrites.Count | Should -Be 1
            Assert-Planned $PolicyExpected 'win11'
        }

        It 'the alternative''s data with another type (<Kind>) is not compliant' -ForEach @(
            @{ Kind = 'QWord'; Data = [long]4294967295 }
            @{ Kind = 'String'; Data = '0xFFFFFFFF' }
        ) {
            Set-Compliant $PolicyExpected 'win11'
            $global:IntuneReg[$Accepted.key][$Accepted.name] = @{ Kind = $Kind; Data = $Data }
            $d = Invoke-Intune $PolicyDetect
            $d.ExitCode | Should -Be 1
            $d.Last | Should -Match ('found ' + $Kind)
        }

        It 'remediation writes the key "RC4 128/128" itself, never "RC4 128" with a subkey "128"' {
            $m = Invoke-Intune $PolicyRemediate
            $m.ExitCode | Should -Be 0
            Assert-Planned $PolicyExpected 'win11'
            $global:IntuneReg[$Cipher]['Enabled'].Data | Should -Be 0
            $global:IntuneReg.ContainsKey($Decoy) | Should -BeFalse
            $global:IntuneWrites | Should -Contain "$Cipher|Enabled|DWord"
        }

        It 'detection does not take "RC4 128\128" for "RC4 128/128"' {
            Set-Compliant $PolicyExpected 'win11'
            $global:IntuneReg.Remove($Cipher)
            $global:IntuneReg[$Decoy] = @{ Enabled = @{ Kind = 'DWord'; Data = 0 } }
            $d = Invoke-Intune $PolicyDetect
            $d.ExitCode | Should -Be 1
            $d.Last | Should -Match ([regex]::Escape('RC4 128/128" "Enabled"') + '|' + [regex]::Escape('RC4 128/128 "Enabled"'))
            $d.Last | Should -Match 'found absent'
        }
    }

    Describe 'Windows versions the pair does not cover' {
        It 'detection on <Why>: "Not applicable", exit 0, reads no registry' -ForEach $Uncovered {
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption
            $d = Invoke-Intune $AzureDetect
            $d.ExitCode | Should -Be 0
            Assert-IntuneOutput $d
            $d.Last | Should -Match '^Not applicable: this computer runs '
            $global:IntuneViews.Count | Should -Be 0
        }

        It 'remediation on <Why>: "Not applicable", exit 0, writes nothing' -ForEach $Uncovered {
            Set-FakeMachine $Version $Build $ProductType $Arch $Caption
            $m = Invoke-Intune $AzureRemediate
            $m.ExitCode | Should -Be 0
            $m.Last | Should -Match '^Not applicable: '
            $global:IntuneWrites.Count | Should -Be 0
        }

        It 'a target Intune does not support is not embedded: every-type on Server 2022 is "Not applicable"' {
            Set-FakeMachine '10.0.20348' 20348 3 '64-bit' 'Microsoft Windows Server 2022 Standard'
            $d = Invoke-Intune $EveryDetect
            $d.ExitCode | Should -Be 0
            $d.Last | Should -Match '^Not applicable: '
        }
    }

    Describe '32-bit and 64-bit hosts' {
        It '32-bit PowerShell on 64-bit Windows runs the script again in sysnative PowerShell and passes its last line and exit code on' {
            $global:Intune64BitProcess = $false
            $fake = Join-Path $TestDrive 'powershell.exe'
            Set-Content -LiteralPath $fake -Value "#!/bin/sh`necho `"args: `$*`"`necho 'Not compliant: from the 64-bit child'`nexit 1`n" -NoNewline
            & chmod +x $fake
            $global:IntuneSysnative = $fake
            $d = Invoke-Intune $AzureDetect
            $d.ExitCode | Should -Be 1
            $d.Other | Should -BeNullOrEmpty
            $d.Last | Should -Be 'Not compliant: from the 64-bit child'
            $d.Output[0] | Should -Match ([regex]::Escape("-File $AzureDetect"))
            $d.Output[0] | Should -Match '-NoProfile'
            # Nothing was read in the 32-bit host.
            $global:IntuneViews.Count | Should -Be 0
            $env:TLSGEN_INTUNE_RELAUNCHED | Should -Be '1'
        }

        It '32-bit PowerShell on 64-bit Windows without sysnative PowerShell: exit 2, never compliant, nothing read or written' {
            $global:Intune64BitProcess = $false
            foreach ($script in $AzureDetect, $AzureRemediate) {
                $r = Invoke-Intune $script
                $r.ExitCode | Should -Be 2
                $r.Last | Should -Match 'Run script in 64-bit PowerShell'
            }
            $global:IntuneViews.Count | Should -Be 0
            $global:IntuneWrites.Count | Should -Be 0
        }

        It 'a relaunched script that is still 32-bit stops with exit 2 instead of starting itself again' {
            $global:Intune64BitProcess = $false
            $global:IntuneSysnative = Join-Path $TestDrive 'never-run.exe'
            $env:TLSGEN_INTUNE_RELAUNCHED = '1'
            $r = Invoke-Intune $AzureDetect
            $r.ExitCode | Should -Be 2
        }

        It '32-bit Windows 10 (x86): no relaunch, its own target, registry through the Registry64 API call' {
            Set-FakeMachine '10.0.19045' 19045 1 '32-bit' 'Microsoft Windows 10 Pro x86'
            $global:Intune64BitProcess = $false
            $m = Invoke-Intune $AzureRemediate
            $m.ExitCode | Should -Be 0
            $m.Last | Should -Match '\(target win10-x86\)'
            Assert-Planned $AzureExpected 'win10-x86'
            @($global:IntuneViews | Select-Object -Unique) | Should -Be @('LocalMachine/Registry64')
        }
    }

    Describe 'every-type on Windows 10: every value type, non-ASCII data, deletions' {
        BeforeEach {
            Set-FakeMachine '10.0.19045' 19045 1 '64-bit' 'Microsoft Windows 10 Enterprise'
        }

        It 'remediation writes every type exactly (QWORD, binary, multi-string, non-ASCII, line breaks), deletes the planned value and key' {
            $global:IntuneReg['HKEY_LOCAL_MACHINE\SOFTWARE\TlsgenGolden\Types'] = @{ Obsolete = @{ Kind = 'DWord'; Data = 1 } }
            foreach ($k in $EveryExpected['win10'].deletedKeys) {
                $global:IntuneReg[$k] = @{ Stale = @{ Kind = 'String'; Data = 'x' } }
                $global:IntuneReg["$k\Child"] = @{}
            }
            $m = Invoke-Intune $EveryRemediate
            $m.ExitCode | Should -Be 0 -Because $m.Last
            Assert-IntuneOutput $m
            $m.Last | Should -Match '^Remediated, '
            Assert-Planned $EveryExpected 'win10'
            # The non-ASCII string arrived as the definition wrote it (the script itself is ASCII).
            $global:IntuneReg['HKEY_LOCAL_MACHINE\SOFTWARE\TlsgenGolden\Types']['Non-ASCII ✓ Grüße'].Data | Should -BeExactly 'héllo ✓ 日本語 😀'
            $d = Invoke-Intune $EveryDetect
            $d.ExitCode | Should -Be 0
            $d.Last | Should -Match '^Compliant: '
        }

        It 'a long list of differences is cut to one line of at most 2,048 characters with "(+N more)"' {
            Set-Compliant $EveryExpected 'win10'
            foreach ($v in $EveryExpected['win10'].values) {
                if ($v.action -ne 'Set') { continue }
                $global:IntuneReg[$v.key][$v.name] = @{ Kind = 'String'; Data = ('wrong ' * 400) + "`r`nsecond line" }
            }
            $d = Invoke-Intune $EveryDetect
            $d.ExitCode | Should -Be 1
            Assert-IntuneOutput $d
            $d.Last | Should -Match '\(\+\d+ more\)'
        }

        It 'an update the values wait for and an old .NET are reported, not counted (compliant stays exit 0)' {
            Set-Compliant $EveryExpected 'win10'
            $global:IntuneFileVersion = [version]'1.0.0.0'
            $global:IntuneDotNet = 378389
            $d = Invoke-Intune $EveryDetect
            $d.ExitCode | Should -Be 0
            Assert-IntuneOutput $d
            $d.Last | Should -Match 'Not detected: KB1234567'
            $d.Last | Should -Match '\.NET Framework release 378389 is below 460798'
        }
    }
}
