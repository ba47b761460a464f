<#
    Test-side runner for the Script resources tlsgen writes instead of Registry resources (keys whose
    name holds '/', src/model/dsc-registry-limits.ts registryResourceCannotOpenKey). Each one's
    GetScript/TestScript/SetScript, as inspect-dsc.ps1 read them from the generated file's AST, runs
    against a fake registry that names keys as Win32 does: a subkey path is split at '\' only, every
    other character (including '/') is part of a key name ("Key names cannot include the backslash
    character (\), but any other printable character can be used", learn.microsoft.com/en-us/windows/
    win32/sysinfo/structure-of-the-registry), and names compare case-insensitively. Get-Item
    'Registry::HIVE' returns the hive's key, as the registry provider returns Registry.LocalMachine
    (PowerShell/PowerShell@929903692e, RegistryProvider.cs lines 3307-3311, 3649-3656); the fake has the
    RegistryKey methods the scripts call (OpenSubKey, CreateSubKey, DeleteSubKeyTree, GetValue,
    GetValueKind, SetValue, DeleteValue).

    Input: a JSON file, an array of { id, kind, name, properties } (Script resources only), or '-' to
    define the functions only (dot-sourced by property-inspect.ps1).
    Output: JSON per resource: what a consistency check does on a registry without the planned state
    (testBefore, then Set), whether Test is then true (testAfter), whether a second Set changes
    anything (idempotent), the outcome in the cross-format form (set|KEY|NAME|type|hex, del|KEY|NAME,
    delkey|KEY), every key path left in the fake registry, and the error thrown, if any.
#>
param([Parameter(Mandatory = $true)][string]$InputPath)
$ErrorActionPreference = 'Stop'
$KindNumber = @{ String = 1; ExpandString = 2; Binary = 3; DWord = 4; MultiString = 7; QWord = 11 }

function Clear-FakeRegistry { $script:Registry = [ordered]@{} }
function Add-FakeKey([string]$Path) {
    $parts = $Path.Split('\')
    for ($i = 1; $i -le $parts.Count; $i++) {
        $k = ($parts[0..($i - 1)] -join '\').ToUpperInvariant()
        if (-not $script:Registry.Contains($k)) { $script:Registry[$k] = @{ values = @{} } }
    }
}
function Get-FakeKey([string]$Path) {
    $key = New-Object PSObject -Property @{ Path = $Path }
    $key | Add-Member ScriptMethod OpenSubKey {
        $full = "$($this.Path)\$($args[0])"
        if ($script:Registry.Contains($full.ToUpperInvariant())) { Get-FakeKey $full } else { $null }
    }
    $key | Add-Member ScriptMethod CreateSubKey { $full = "$($this.Path)\$($args[0])"; Add-FakeKey $full; Get-FakeKey $full }
    $key | Add-Member ScriptMethod DeleteSubKeyTree {
        $full = "$($this.Path)\$($args[0])".ToUpperInvariant()
        if (-not $script:Registry.Contains($full) -and $args[1]) { throw 'ArgumentException: the subkey does not exist' }
        foreach ($k in @($script:Registry.Keys)) { if ($k -eq $full -or $k.StartsWith("$full\")) { $script:Registry.Remove($k) } }
    }
    $key | Add-Member ScriptMethod GetValue {
        $entry = $script:Registry[$this.Path.ToUpperInvariant()].values[[string]$args[0].ToUpperInvariant()]
        if ($null -eq $entry) { return $null }
        , $entry.Data
    }
    $key | Add-Member ScriptMethod GetValueKind { [Microsoft.Win32.RegistryValueKind]$script:Registry[$this.Path.ToUpperInvariant()].values[[string]$args[0].ToUpperInvariant()].Kind }
    $key | Add-Member ScriptMethod SetValue {
        $stored = ConvertTo-StoredValue $args[1] ([string]$args[2])
        # Key: the path exactly as the script spelled it (OpenSubKey/CreateSubKey arguments, joined at '\').
        $script:Registry[$this.Path.ToUpperInvariant()].values[[string]$args[0].ToUpperInvariant()] = @{ Key = $this.Path; Name = [string]$args[0]; Kind = $stored.Kind; Data = (Get-StoredData $stored); Bytes = $stored.Bytes }
    }
    $key | Add-Member ScriptMethod DeleteValue { $script:Registry[$this.Path.ToUpperInvariant()].values.Remove([string]$args[0].ToUpperInvariant()) }
    $key
}
function Get-Item { param([string]$LiteralPath) if ($LiteralPath -notlike 'Registry::*') { throw "unexpected Get-Item $LiteralPath" }; Get-FakeKey ($LiteralPath -replace '^Registry::', '') }
function Get-Snapshot { ($script:Registry.Keys | ForEach-Object { "$_=" + (($script:Registry[$_].values.Values | ForEach-Object { "$($_.Name):$($_.Kind):$([BitConverter]::ToString($_.Bytes))" } | Sort-Object) -join ',') }) -join '|' }
function New-Block([string]$Text) { [scriptblock]::Create($Text.Trim().TrimStart('{').TrimEnd('}')) }

# The registry's own value store (ConvertTo-StoredValue, Get-StoredData), shared with the oracle
# (dot-sourcing it binds its own $InputPath here, so keep ours first).
$inputFile = $InputPath
. (Join-Path $PSScriptRoot 'dsc-registry-oracle.ps1') -InputPath '-'

function Invoke-RegistryScript($resource) {
    $p = $resource.properties
    $get = New-Block $p.GetScript; $test = New-Block $p.TestScript; $set = New-Block $p.SetScript
    # The key and value the script names, read from its TestScript's literals (only to set up drift and report).
    $hive = [regex]::Match($p.TestScript, "'Registry::([^']+)'").Groups[1].Value
    $path = [regex]::Match($p.TestScript, "OpenSubKey\('((?:[^']|'')*)'\)").Groups[1].Value -replace "''", "'"
    $deleteKey = $p.SetScript -match 'DeleteSubKeyTree'
    $deleteValue = $p.SetScript -match 'DeleteValue'
    $valueName = if ($deleteKey) { '' } else { [regex]::Match($p.TestScript, "GetValue\('((?:[^']|'')*)'").Groups[1].Value -replace "''", "'" }
    $full = "$hive\$path"
    $result = [ordered]@{ id = $resource.id; key = $full; valueName = $valueName; testBefore = $null; testAfter = $null; idempotent = $null; outcome = $null; keys = @(); get = $null; error = $null }
    try {
        Clear-FakeRegistry
        Add-FakeKey "$hive\SOFTWARE"
        if ($deleteKey) { Add-FakeKey "$full\Sub"; (Get-FakeKey $full).SetValue('Enabled', 1, 'DWord') }
        elseif ($deleteValue) { Add-FakeKey $full; (Get-FakeKey $full).SetValue($valueName, 1, 'DWord') }
        $result.testBefore = [bool](& $test)
        $null = & $set
        $result.testAfter = [bool](& $test)
        $before = Get-Snapshot
        $null = & $set
        $result.idempotent = ($before -eq (Get-Snapshot)) -and [bool](& $test)
        $result.get = [string](& $get).Result
        $result.keys = @($script:Registry.Keys)
        $result.outcome = if ($deleteKey) { if ($script:Registry.Contains($full.ToUpperInvariant())) { 'still there' } else { "delkey|$($full.ToUpperInvariant())" } }
        elseif ($deleteValue) {
            $left = $script:Registry[$full.ToUpperInvariant()]
            if ($null -ne $left -and $left.values.Contains($valueName.ToUpperInvariant())) { 'still there' } else { "del|$($full.ToUpperInvariant())|$($valueName.ToUpperInvariant())" }
        }
        else {
            $entry = $script:Registry[$full.ToUpperInvariant()].values[$valueName.ToUpperInvariant()]
            if ($null -eq $entry) { 'missing' } else { "set|$($full.ToUpperInvariant())|$($valueName.ToUpperInvariant())|$($KindNumber[$entry.Kind])|$(([BitConverter]::ToString($entry.Bytes) -replace '-', '').ToLowerInvariant())" }
        }
    }
    catch { $result.error = [string]$_.Exception.Message }
    $result
}

# Only when run as a script: test/powershell/property-inspect.ps1 dot-sources this file (-InputPath '-')
# for the fake registry and runs the Script bodies on a state of its own.
if ($inputFile -ne '-') {
    $resources = Get-Content -LiteralPath $inputFile -Raw -Encoding utf8 | ConvertFrom-Json
    $results = foreach ($resource in $resources) { Invoke-RegistryScript $resource }
    ConvertTo-Json -InputObject @($results) -Depth 6
}
