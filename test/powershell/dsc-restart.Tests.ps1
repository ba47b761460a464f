<#
    Restart only on a real change (issue 8 point 2). The Script resources CaptureTlsDrift and
    RestartAfterTlsChange are taken from the generated configuration (its AST, through
    inspect-dsc.ps1: Configuration read as a function), and run in the LCM's order against a fake
    registry: Get-Item 'Registry::HIVE' is mocked to return keys backed by a hashtable, with the
    RegistryKey methods the scripts call (OpenSubKey, CreateSubKey, GetValue, GetValueKind,
    SetValue, DeleteValue, DeleteSubKeyTree). The Registry resources write what dsc-registry-oracle.ps1
    says the in-box module writes; the Script resources tlsgen writes instead of Registry resources
    (key names with '/') run their own TestScript and SetScript, as the LCM runs them. The fake splits
    key paths at '\' only, as the registry does.
    Environment: TLSGEN_DSC_CONFIG = the configuration file, TLSGEN_DSC_TARGET = a target id.
#>
BeforeAll {
    . (Join-Path $PSScriptRoot 'dsc-registry-oracle.ps1') -InputPath '-'
    $report = & (Join-Path $PSScriptRoot 'inspect-dsc.ps1') $env:TLSGEN_DSC_CONFIG | ConvertFrom-Json
    $target = $env:TLSGEN_DSC_TARGET
    $script:resources = @($report.files[0].resources | Where-Object { $null -eq $_.targets -or $_.targets -contains $target })
    $script:capture = $script:resources | Where-Object { $_.name -eq 'CaptureTlsDrift' }
    $script:restart = $script:resources | Where-Object { $_.name -eq 'RestartAfterTlsChange' }
    # Registry resources, and the Script resources that stand in for them (not the restart pair), in file order.
    $script:registryResources = @($script:resources | Where-Object { $_.kind -eq 'Registry' -or $_.name -notin 'CaptureTlsDrift', 'RestartAfterTlsChange' })

    function New-Block([string]$Text) { [scriptblock]::Create($Text.Trim().TrimStart('{').TrimEnd('}')) }

    # The fake registry: full key path (upper case) -> @{ values = name (upper case) -> @{ Name; Kind; Data } }.
    function Add-FakeKey([string]$Path) {
        # A key's parents exist too, as in the real registry.
        $parts = $Path.ToUpperInvariant().Split('\')
        for ($i = 1; $i -le $parts.Count; $i++) {
            $k = $parts[0..($i - 1)] -join '\'
            if (-not $script:Registry.ContainsKey($k)) { $script:Registry[$k] = @{ values = @{} } }
        }
    }
    function Clear-FakeRegistry { $script:Registry = @{}; Add-FakeKey 'HKEY_LOCAL_MACHINE\SOFTWARE' }
    Clear-FakeRegistry
    function Get-FakeKey([string]$Path) {
        $key = New-Object PSObject -Property @{ Path = $Path }
        $key | Add-Member ScriptMethod OpenSubKey {
            $full = "$($this.Path)\$($args[0])"
            if ($script:Registry.ContainsKey($full.ToUpperInvariant())) { Get-FakeKey $full } else { $null }
        }
        $key | Add-Member ScriptMethod CreateSubKey {
            $full = "$($this.Path)\$($args[0])"
            Add-FakeKey $full
            Get-FakeKey $full
        }
        $key | Add-Member ScriptMethod GetValue {
            $entry = $script:Registry[$this.Path.ToUpperInvariant()].values[[string]$args[0].ToUpperInvariant()]
            if ($null -eq $entry) { return $null }
            , $entry.Data
        }
        $key | Add-Member ScriptMethod GetValueKind { $script:Registry[$this.Path.ToUpperInvariant()].values[[string]$args[0].ToUpperInvariant()].Kind }
        $key | Add-Member ScriptMethod SetValue {
            $kind = if ($args.Count -gt 2) { [string]$args[2] } else { 'String' }
            $script:Registry[$this.Path.ToUpperInvariant()].values[[string]$args[0].ToUpperInvariant()] = @{ Kind = $kind; Data = $args[1] }
        }
        $key | Add-Member ScriptMethod DeleteValue { $script:Registry[$this.Path.ToUpperInvariant()].values.Remove([string]$args[0].ToUpperInvariant()) }
        $key | Add-Member ScriptMethod DeleteSubKeyTree {
            $full = "$($this.Path)\$($args[0])".ToUpperInvariant()
            foreach ($k in @($script:Registry.Keys)) { if ($k -eq $full -or $k.StartsWith("$full\")) { $script:Registry.Remove($k) } }
        }
        $key
    }

    # What a registry Script resource names: key (hive\path), value name, and whether it deletes a key or a value.
    function Get-ScriptTarget($Resource) {
        $p = $Resource.properties
        $hive = [regex]::Match($p.TestScript, "'Registry::([^']+)'").Groups[1].Value
        $path = [regex]::Match($p.TestScript, "OpenSubKey\('((?:[^']|'')*)'\)").Groups[1].Value -replace "''", "'"
        [pscustomobject]@{
            Key       = "$hive\$path"
            ValueName = [regex]::Match($p.TestScript, "GetValue\('((?:[^']|'')*)'").Groups[1].Value -replace "''", "'"
            Ensure    = if ($p.SetScript -match 'DeleteSubKeyTree|DeleteValue') { 'Absent' } else { 'Present' }
            DeleteKey = $p.SetScript -match 'DeleteSubKeyTree'
        }
    }
    function Set-FakeValue([string]$Key, [string]$Name, [string]$Kind, $Data) {
        Add-FakeKey $Key
        $script:Registry[$Key.ToUpperInvariant()].values[$Name.ToUpperInvariant()] = @{ Kind = $Kind; Data = $Data }
    }

    # What each Registry resource leaves behind, as the in-box module writes it (the oracle's Set).
    function Invoke-RegistryResource($Resource) {
        if ($Resource.kind -eq 'Script') {
            if (-not (& (New-Block $Resource.properties.TestScript))) { $null = & (New-Block $Resource.properties.SetScript) }
            return
        }
        $p = $Resource.properties
        $key = $p.Key.ToUpperInvariant()
        if ($p.Ensure -eq 'Absent') {
            if ($Resource.name -like '*_DeleteKey_*') { foreach ($k in @($script:Registry.Keys)) { if ($k -eq $key -or $k.StartsWith("$key\")) { $script:Registry.Remove($k) } } }
            elseif ($script:Registry.ContainsKey($key)) { $script:Registry[$key].values.Remove($p.ValueName.ToUpperInvariant()) }
            return
        }
        $stored = (Invoke-Inbox ([pscustomobject]@{ ValueType = $p.ValueType; ValueData = $p.ValueData; Hex = $p.Hex }) $true).stored
        Set-FakeValue $p.Key $p.ValueName $stored.Kind (Get-StoredData $stored)
    }

    # One consistency check in the LCM's order; returns the number of restarts requested.
    function Invoke-ConsistencyCheck {
        $global:DSCMachineStatus = 0
        if (-not (& (New-Block $script:capture.properties.TestScript))) { $null = & (New-Block $script:capture.properties.SetScript) }
        foreach ($r in $script:registryResources) { Invoke-RegistryResource $r }
        $restarts = 0
        if (-not (& (New-Block $script:restart.properties.TestScript))) {
            $null = & (New-Block $script:restart.properties.SetScript)
            if ($global:DSCMachineStatus -eq 1) { $restarts = 1 }
        }
        $restarts
    }

    # The planned state: what the Registry resources leave on an empty registry.
    function Reset-ToPlanned { Clear-FakeRegistry; foreach ($r in $script:registryResources) { Invoke-RegistryResource $r } }
    # Undo what one restart-requiring resource plans: remove a planned value, recreate a deleted one.
    function Set-Drift($Resource) {
        $p = if ($Resource.kind -eq 'Script') { Get-ScriptTarget $Resource } else { $Resource.properties }
        if ($p.Ensure -eq 'Present') {
            if ($script:Registry.ContainsKey($p.Key.ToUpperInvariant())) { $script:Registry[$p.Key.ToUpperInvariant()].values.Remove($p.ValueName.ToUpperInvariant()) }
        }
        else { Set-FakeValue $p.Key ($(if ($p.ValueName) { $p.ValueName } else { 'Recreated' })) 'DWord' 1 }
    }
    $script:rebootResources = @($script:registryResources | Where-Object { $_.properties.DependsOn -like "*CaptureTlsDrift*" })
}

Describe 'CaptureTlsDrift and RestartAfterTlsChange' {
    BeforeEach {
        Mock Get-Item -ParameterFilter { $LiteralPath -like 'Registry::*' } -MockWith { Get-FakeKey ($LiteralPath -replace '^Registry::', '') }
    }

    It 'exist for the target, and every restart-requiring Registry resource runs after CaptureTlsDrift' {
        $script:capture | Should -Not -BeNullOrEmpty
        $script:restart | Should -Not -BeNullOrEmpty
        $script:rebootResources.Count | Should -BeGreaterThan 0
        $script:capture.properties.TestScript | Should -Not -Match '\$using:'
        $script:restart.properties.SetScript | Should -Match 'DSCMachineStatus = 1'
    }

    It 'already compliant: no restart, now or on the next run' {
        Reset-ToPlanned
        Invoke-ConsistencyCheck | Should -Be 0
        Invoke-ConsistencyCheck | Should -Be 0
    }

    It 'drifted: exactly one restart, none on the next run; drift repaired later restarts again' {
        Reset-ToPlanned
        foreach ($r in $script:rebootResources) { Set-Drift $r }
        Invoke-ConsistencyCheck | Should -Be 1
        Invoke-ConsistencyCheck | Should -Be 0
        Set-Drift $script:rebootResources[-1]   # someone changes it back later
        Invoke-ConsistencyCheck | Should -Be 1
        Invoke-ConsistencyCheck | Should -Be 0
    }

    It 'each restart-requiring value alone, when it differs, causes one restart' {
        foreach ($r in $script:rebootResources) {
            Reset-ToPlanned
            Set-Drift $r
            Invoke-ConsistencyCheck | Should -Be 1 -Because $r.name
            Invoke-ConsistencyCheck | Should -Be 0 -Because $r.name
        }
    }

    It 'a planned value with other data or another kind is a change' {
        $set = @(foreach ($r in $script:rebootResources) {
                if ($r.kind -eq 'Script') { $t = Get-ScriptTarget $r; if ($t.Ensure -eq 'Present') { [pscustomobject]@{ name = $r.name; properties = $t } } }
                elseif ($r.properties.Ensure -eq 'Present') { $r }
            })
        foreach ($r in $set) {
            Reset-ToPlanned
            Set-FakeValue $r.properties.Key $r.properties.ValueName 'String' 'changed by someone'
            Invoke-ConsistencyCheck | Should -Be 1 -Because $r.name
        }
    }

    It 'a value that differs only where both Registry modules call it equal (case) causes no restart' {
        Reset-ToPlanned
        $text = $script:rebootResources | Where-Object { $_.properties.ValueType -in 'String', 'ExpandString' } | Select-Object -First 1
        if ($null -ne $text) {
            Set-FakeValue $text.properties.Key $text.properties.ValueName $text.properties.ValueType ([string]$text.properties.ValueData).ToUpperInvariant()
            & (New-Block $script:capture.properties.TestScript) | Should -BeTrue
        }
    }

    It 'a pending record survives a failed run and restarts once the Registry resources succeed' {
        Reset-ToPlanned
        $null = & (New-Block $script:capture.properties.SetScript)   # a run recorded drift, then a Registry resource failed
        & (New-Block $script:capture.properties.TestScript) | Should -BeTrue
        Invoke-ConsistencyCheck | Should -Be 1
        Invoke-ConsistencyCheck | Should -Be 0
    }
}
