<#
    Test-side, for test/property.test.ts: reads a batch of generated files the way their consumers
    do, in one PowerShell process (7.6.9), and writes one JSON document.

    Input (-ManifestPath, JSON):
      dsc      DSC configuration paths: test/powershell/inspect-dsc.ps1's report for them, and for every
               Registry resource that sets a value, what each DSC module writes and whether it then
               tests compliant (test/powershell/dsc-registry-oracle.ps1, dot-sourced); for every
               registry Script resource, what its Get/Test/Set bodies do on the fake registry of
               test/powershell/dsc-registry-script.ps1 (dot-sourced; Invoke-PropertyRegistryScript).
      dscSeeds [{ path, seed: [{ key, name }] }]: per DSC path, the values present before a Script
               resource's Set (those the file may delete).
      scripts  [{ path, expected: [{ kind, hex }] }]: installer, audit and Intune scripts. Every value
               of the $TlsgenPlans literal (no evaluation: only literal AST shapes are read), then, with
               the script's own functions (defined from its AST, run on the literals only):
               ConvertTo-TlsgenText of each expected value as RegistryKey.GetValue returns it (what
               the scripts compare the literal Data with), and ConvertFrom-TlsgenIntuneText of each
               literal Data (what Intune remediation hands to RegistryKey.SetValue), stored as .NET does.
      census   .ps1 paths: what the parser found that can run (commands, variables, sub-expressions,
               member calls, script blocks, assignments), so a hostile case can be compared with
               its benign twin. DSC configurations are read with `Configuration` as `function`.
      gpp      Registry.xml paths: every Registry item's Properties, read with System.Xml.
#>
param([Parameter(Mandatory = $true)][string]$ManifestPath, [Parameter(Mandatory = $true)][string]$OutputPath)
$ErrorActionPreference = 'Stop'
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
. (Join-Path $here 'dsc-registry-oracle.ps1') -InputPath '-'
# The fake registry the registry Script resources run on (it defines Get-Item: nothing here calls the cmdlet).
. (Join-Path $here 'dsc-registry-script.ps1') -InputPath '-'
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
$L = 'System.Management.Automation.Language'


# Walking ASTs with script-block predicates costs ~10 µs a node; this visitor does it in C#.
Add-Type -TypeDefinition @'
using System.Collections.Generic;
using System.Management.Automation.Language;
public static class TlsgenPropertyAst {
    public static List<Ast> All(Ast root) {
        var list = new List<Ast>();
        foreach (var n in root.FindAll(a => true, true)) list.Add(n);
        return list;
    }
    public static FunctionDefinitionAst Function(Ast root, string name) {
        return (FunctionDefinitionAst)root.Find(a => a is FunctionDefinitionAst f && f.Name == name, true);
    }
    public static AssignmentStatementAst Assignment(Ast root, string variable) {
        return (AssignmentStatementAst)root.Find(a => a is AssignmentStatementAst s && s.Left is VariableExpressionAst v && v.VariablePath.UserPath == variable, false);
    }
    public static object[] Census(Ast root, string[] kindNames) {
        var kinds = new Dictionary<string, int>();
        foreach (var k in kindNames) kinds[k] = 0;
        var commands = new SortedDictionary<string, int>(System.StringComparer.Ordinal);
        var variables = new SortedDictionary<string, int>(System.StringComparer.Ordinal);
        foreach (var n in root.FindAll(a => true, true)) {
            var t = n.GetType().Name;
            if (kinds.ContainsKey(t)) kinds[t]++;
            string key = null; SortedDictionary<string, int> into = null;
            if (n is CommandAst c) { key = c.GetCommandName() ?? "<dynamic>"; into = commands; }
            else if (n is VariableExpressionAst v) { key = v.VariablePath.UserPath; into = variables; }
            if (into != null) { into.TryGetValue(key, out var count); into[key] = count + 1; }
        }
        return new object[] { commands, variables, kinds };
    }
}
'@

$manifest = Get-Content -LiteralPath $ManifestPath -Raw -Encoding utf8 | ConvertFrom-Json

$parseCache = @{}
$literalCache = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::Ordinal)
function Read-Ast([string]$Path, [switch]$FunctionShaped) {
    $cacheKey = "$FunctionShaped|$Path"
    if ($parseCache.ContainsKey($cacheKey)) { return $parseCache[$cacheKey] }
    $text = [System.IO.File]::ReadAllText($Path)
    if ($FunctionShaped) { $text = [regex]::Replace($text, '(?m)^Configuration(?=\s+\w+\s*$)', 'function  ') }
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
    $parseCache[$cacheKey] = [pscustomobject]@{ Ast = $ast; Errors = @($errors | ForEach-Object { '{0} at line {1}: {2}' -f $_.ErrorId, $_.Extent.StartLineNumber, $_.Message }) }
    $parseCache[$cacheKey]
}

# Literal shapes only: constants, 'text', $true/$false/$null, @(...), a, b, @{...}, ('a' + [char]10 + 'b').
function Get-Literal($Ast) {
    if ($Ast -is [System.Management.Automation.Language.HashtableAst]) {
        $table = [ordered]@{}
        foreach ($pair in $Ast.KeyValuePairs) {
            # Keys may be bare words (@{ Action = ... }).
            $key = $(if ($pair.Item1 -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $pair.Item1.Value } else { Get-Literal $pair.Item1 })
            $table.Add([string]$key, (Get-Literal $pair.Item2))
        }
        return , $table
    }
    if ($Ast -is [System.Management.Automation.Language.PipelineAst]) {
        if ($Ast.PipelineElements.Count -ne 1 -or $Ast.PipelineElements[0] -isnot [System.Management.Automation.Language.CommandExpressionAst]) { throw "not a literal: $($Ast.Extent.Text)" }
        return , (Get-Literal $Ast.PipelineElements[0].Expression)
    }
    if ($Ast -is [System.Management.Automation.Language.ParenExpressionAst]) { return , (Get-Literal $Ast.Pipeline) }
    if ($Ast -is [System.Management.Automation.Language.ArrayExpressionAst]) {
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($statement in $Ast.SubExpression.Statements) {
            $expression = $statement.PipelineElements[0].Expression
            if ($statement.PipelineElements.Count -ne 1 -or $null -eq $expression) { throw "not a literal: $($statement.Extent.Text)" }
            if ($expression -is [System.Management.Automation.Language.ArrayLiteralAst]) { foreach ($e in $expression.Elements) { $items.Add((Get-Literal $e)) } }
            else { $items.Add((Get-Literal $expression)) }
        }
        return , $items.ToArray()
    }
    if ($Ast -is [System.Management.Automation.Language.ArrayLiteralAst]) {
        return , @($Ast.Elements | ForEach-Object { , (Get-Literal $_) })
    }
    if ($Ast -is [System.Management.Automation.Language.BinaryExpressionAst] -and $Ast.Operator -eq 'Plus') {
        $left = Get-Literal $Ast.Left; $right = Get-Literal $Ast.Right
        if ($left -isnot [string] -or $right -isnot [string]) { throw "not a string concatenation: $($Ast.Extent.Text)" }
        return $left + $right
    }
    if ($Ast -is [System.Management.Automation.Language.ConvertExpressionAst] -and $Ast.Type.TypeName.Name -eq 'char' -and
        $Ast.Child -is [System.Management.Automation.Language.ConstantExpressionAst]) {
        return [string][char][int]$Ast.Child.Value
    }
    if ($Ast -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
        if ($Ast.StringConstantType -notin 'SingleQuoted', 'SingleQuotedHereString') { throw "not a single-quoted string: $($Ast.Extent.Text)" }
        return $Ast.Value
    }
    if ($Ast -is [System.Management.Automation.Language.ConstantExpressionAst]) { return $Ast.Value }
    if ($Ast -is [System.Management.Automation.Language.VariableExpressionAst] -and $Ast.VariablePath.UserPath -in 'true', 'false', 'null') {
        return $Ast.SafeGetValue()
    }
    throw "not a literal: $($Ast.Extent.Text)"
}

function Get-Census([string]$Path, [bool]$FunctionShaped) {
    $parsed = Read-Ast $Path -FunctionShaped:$FunctionShaped
    $names = 'SubExpressionAst', 'ExpandableStringExpressionAst', 'InvokeMemberExpressionAst', 'MemberExpressionAst', 'ScriptBlockAst', 'FunctionDefinitionAst',
        'AssignmentStatementAst', 'CommandAst', 'HashtableAst', 'IfStatementAst', 'TypeExpressionAst', 'UsingExpressionAst', 'AttributeAst', 'NamedBlockAst', 'ParamBlockAst', 'TrapStatementAst'
    $result = [TlsgenPropertyAst]::Census($parsed.Ast, [string[]]$names)
    $commands = [ordered]@{}; foreach ($p in $result[0].GetEnumerator()) { $commands[$p.Key] = $p.Value }
    $variables = [ordered]@{}; foreach ($p in $result[1].GetEnumerator()) { $variables[$p.Key] = $p.Value }
    $kinds = [ordered]@{}
    foreach ($k in $names) { $kinds[$k] = $result[2][$k] }
    [ordered]@{ path = $Path; errors = $parsed.Errors; commands = $commands; variables = $variables; kinds = $kinds }
}

function Get-FunctionText($Ast, [string]$Name) {
    $f = [TlsgenPropertyAst]::Function($Ast, $Name)
    if ($null -eq $f) { return $null }
    $f.Extent.Text
}

function Get-ScriptReport($Item) {
    $parsed = Read-Ast $Item.path
    $problems = [System.Collections.Generic.List[string]]::new()
    $plans = [ordered]@{}
    $assignment = [TlsgenPropertyAst]::Assignment($parsed.Ast, 'TlsgenPlans')
    if ($null -eq $assignment) { $problems.Add('no $TlsgenPlans assignment') }
    else {
        $table = $assignment.Right.Expression
        if ($table -isnot [System.Management.Automation.Language.HashtableAst]) { $problems.Add('$TlsgenPlans is not a hashtable literal') }
        else {
            foreach ($pair in $table.KeyValuePairs) {
                $target = [string](Get-Literal $pair.Item1)
                $planAst = $pair.Item2.PipelineElements[0].Expression
                $valuesPair = @($planAst.KeyValuePairs | Where-Object { $_.Item1.Value -eq 'Values' })
                if ($valuesPair.Count -ne 1) { $problems.Add("$target`: no Values"); continue }
                $text = $valuesPair[0].Item2.Extent.Text
                try {
                    # The installer and the audit (and the two Intune scripts) embed the same table: read each text once.
                    if (-not $literalCache.ContainsKey($text)) { $literalCache[$text] = Get-Literal $valuesPair[0].Item2 }
                    $plans[$target] = $literalCache[$text]
                }
                catch { $problems.Add("$target`: $_") }
            }
        }
    }
    $toText = Get-FunctionText $parsed.Ast 'ConvertTo-TlsgenText'
    $fromText = Get-FunctionText $parsed.Ast 'ConvertFrom-TlsgenIntuneText'
    # Each in its own scope: the functions of one file never serve another.
    $texts = & {
        if ($null -eq $toText) { return , @() }
        . ([scriptblock]::Create($toText))
        , @(foreach ($e in @($Item.expected)) {
                $bytes = [byte[]]@(if ($e.hex.Length -gt 0) { [Convert]::FromHexString($e.hex) })
                $value = Get-StoredData ([pscustomobject]@{ Kind = $e.kind; Bytes = $bytes })
                [string](ConvertTo-TlsgenText $e.kind $value)
            })
    }
    $stored = [ordered]@{}
    if ($null -ne $fromText) {
        & {
            . ([scriptblock]::Create($fromText))
            foreach ($target in $plans.Keys) {
                $stored[$target] = @(foreach ($v in $plans[$target]) {
                        if ($v['Action'] -ne 'Set') { $null; continue }
                        try {
                            $data = ConvertFrom-TlsgenIntuneText $v['Type'] $v['Data']
                            $s = ConvertTo-StoredValue $data $v['Type']
                            [ordered]@{ type = $KindNumber[$s.Kind]; hex = ([Convert]::ToHexString([byte[]]$s.Bytes)).ToLowerInvariant() }
                        }
                        catch { [ordered]@{ error = [string]$_ } }
                    })
            }
        }
    }
    [ordered]@{ path = $Item.path; errors = $parsed.Errors; problems = @($problems); plans = $plans; texts = $texts; hasToText = $null -ne $toText; hasFromText = $null -ne $fromText; stored = $stored }
}

function Get-GppReport([string]$Path) {
    $document = [System.Xml.XmlDocument]::new()
    $document.PreserveWhitespace = $true
    $document.Load($Path)
    $items = foreach ($registry in $document.GetElementsByTagName('Registry')) {
        $p = $registry['Properties']
        if ($null -eq $p) { [ordered]@{ problem = 'no Properties' }; continue }
        $attributes = [ordered]@{}
        foreach ($a in $p.Attributes) { $attributes[$a.Name] = $a.Value }
        $values = $null
        if ($null -ne $p['Values']) { $values = @($p['Values'].ChildNodes | Where-Object { $_ -is [System.Xml.XmlElement] } | ForEach-Object { $_.InnerText }) }
        [ordered]@{ properties = $attributes; values = $values }
    }
    [ordered]@{ path = $Path; items = @($items) }
}

# A registry Script resource (src/render/dsc.ts registryScript; not the restart pair), run on
# dsc-registry-script.ps1's fake registry, which splits key names at '\' only. The state before Set
# holds HKLM\SOFTWARE and every value the file may delete (Seed: key and name from the definition),
# each with a String no planned value can equal and a decoy value beside it. Reported: Test before
# Set, Test after, whether a second Set changes anything, every value Set wrote (with the key path
# exactly as the script spelled it) or removed, keys it removed, and keys it added that do not lead
# to a value it wrote.
$RestartScripts = 'CaptureTlsDrift', 'RestartAfterTlsChange'
$SeedData = "$([char]1)tlsgen seed"
$DecoyName = "$([char]1)tlsgen decoy"
function Get-FakeValues {
    $values = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::Ordinal)
    foreach ($k in $script:Registry.Keys) {
        foreach ($v in $script:Registry[$k].values.GetEnumerator()) {
            $values["$k|$($v.Key)"] = [ordered]@{
                key = $v.Value.Key; name = $v.Value.Name; type = $KindNumber[$v.Value.Kind]
                hex = ([Convert]::ToHexString([byte[]]$v.Value.Bytes)).ToLowerInvariant()
            }
        }
    }
    , $values
}
function Invoke-PropertyRegistryScript($Resource, $Seed) {
    $p = $Resource.properties
    # As the LCM runs them: no strict mode.
    Set-StrictMode -Off
    $result = [ordered]@{ testBefore = $null; testAfter = $null; idempotent = $null; written = @(); removed = @(); keysRemoved = @(); strayKeys = @(); error = $null }
    try {
        $get = New-Block $p.GetScript; $test = New-Block $p.TestScript; $set = New-Block $p.SetScript
        Clear-FakeRegistry
        Add-FakeKey 'HKEY_LOCAL_MACHINE\SOFTWARE'
        foreach ($s in @($Seed)) {
            Add-FakeKey $s.key
            $k = Get-FakeKey $s.key
            $k.SetValue($s.name, $SeedData, 'String')
            $k.SetValue($DecoyName, $SeedData, 'String')
        }
        $keysBefore = @($script:Registry.Keys)
        $before = Get-FakeValues
        $result.testBefore = [bool](& $test)
        $null = & $set
        $result.testAfter = [bool](& $test)
        $after = Get-FakeValues
        $snapshot = Get-Snapshot
        $null = & $set
        $result.idempotent = ($snapshot -eq (Get-Snapshot)) -and [bool](& $test)
        $null = & $get
        $result.written = @(foreach ($id in $after.Keys) {
                $old = $null
                if (-not $before.TryGetValue($id, [ref]$old) -or $old.type -ne $after[$id].type -or $old.hex -ne $after[$id].hex) { $after[$id] }
            })
        $result.removed = @(foreach ($id in $before.Keys) { if (-not $after.ContainsKey($id)) { [ordered]@{ key = $before[$id].key; name = $before[$id].name } } })
        $keysAfter = @($script:Registry.Keys)
        $result.keysRemoved = @($keysBefore | Where-Object { $_ -notin $keysAfter })
        $written = @($result.written | ForEach-Object { $_.key.ToUpperInvariant() })
        $result.strayKeys = @($keysAfter | Where-Object { $_ -notin $keysBefore } | Where-Object {
                $added = $_
                -not @($written | Where-Object { $_ -eq $added -or $_.StartsWith("$added\") })
            })
    }
    catch { $result.error = [string]$_.Exception.Message }
    $result
}

$report = [ordered]@{ dsc = $null; scripts = @(); census = @(); gpp = @() }
if (@($manifest.dsc).Count -gt 0) {
    $inspect = (& (Join-Path $here 'inspect-dsc.ps1') @($manifest.dsc)) -join "`n" | ConvertFrom-Json -Depth 64 -DateKind String
    $seeds = @{}
    foreach ($s in @($manifest.dscSeeds)) { $seeds[$s.path] = @($s.seed) }
    foreach ($file in $inspect.files) {
        foreach ($resource in @($file.resources)) {
            if ($resource.kind -eq 'Script' -and $resource.name -notin $RestartScripts) {
                $resource | Add-Member -NotePropertyName script -NotePropertyValue (Invoke-PropertyRegistryScript $resource $seeds[$file.path])
                continue
            }
            if ($resource.kind -ne 'Registry' -or $resource.properties.Ensure -ne 'Present') { continue }
            $resourceInput = [pscustomobject]@{
                Key = $resource.properties.Key; ValueName = $resource.properties.ValueName; ValueType = $resource.properties.ValueType
                ValueData = $resource.properties.ValueData
                Hex = $(if ($resource.properties.PSObject.Properties['Hex']) { $resource.properties.Hex } else { $false })
                Ensure = 'Present'
            }
            # Only the module(s) the configuration imports: PSDscResources, or the in-box module (WMF 5.0 and 5.1 versions).
            $modules = $(if (@($file.imports)[0] -like "*'PSDscResources'*") { @('PSDscResources') } else { @('inbox-wmf50', 'inbox-wmf51') })
            $resource | Add-Member -NotePropertyName oracle -NotePropertyValue @(foreach ($module in $modules) { Invoke-Oracle $resourceInput $module })
        }
    }
    $report.dsc = $inspect
}
$report.scripts = @(foreach ($item in @($manifest.scripts)) { Get-ScriptReport $item })
$report.census = @(foreach ($item in @($manifest.census)) { Get-Census $item.path ([bool]$item.functionShaped) })
$report.gpp = @(foreach ($path in @($manifest.gpp)) { Get-GppReport $path })
[System.IO.File]::WriteAllText($OutputPath, ($report | ConvertTo-Json -Depth 64 -Compress), [System.Text.UTF8Encoding]::new($false))
