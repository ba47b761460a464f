<#
.SYNOPSIS
Checks PowerShell scripts for anything Windows PowerShell 2.0 (on .NET Framework 2.0/3.5 SP1) lacks.

.DESCRIPTION
Parses each file with PowerShell's own parser (System.Management.Automation.Language.Parser::ParseFile,
here in pwsh 7.6.9), walks the AST and reports every violation as JSON on standard output:
  { pwshVersion, rules: [{ id, reason, source }], files: [{ path, violations: [{ rule, line, column,
    text, reason, source }] }] }
What PowerShell 2.0 has is data in ps2-allowlist.psd1 (with sources); the rules below cite the page
that dates each construct. Run with -ListRules to get only the rule catalogue.

Known gaps (not detectable statically, or not worth a false positive):
- member enumeration ($array.Property, 3.0) is found only on @(...) / array literals and on variables
  that are only ever assigned arrays in the file; .Count/.Length on a scalar (3.0) is not found.
- .NET members are a denylist: a .NET 4+ member not listed passes; overloads are checked only where
  the argument count tells (Path.Combine with 3+ arguments, GetFolderPath with an option). String.Join
  with an IEnumerable argument is fine in practice: PowerShell's binder converts it to string[].
- parameters are checked only for cmdlets listed in the data file; splatted parameters are not checked.
- C# passed to Add-Type is not checked (2.0 compiles it with the .NET 3.5 C# 3 compiler).
#>
[CmdletBinding(PositionalBinding = $false)]
param(
    [Parameter(Position = 0, ValueFromRemainingArguments = $true)]
    [string[]]$Path = @(),
    [string]$DataFile = (Join-Path $PSScriptRoot 'ps2-allowlist.psd1'),
    [switch]$ListRules
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$data = Import-PowerShellDataFile -LiteralPath $DataFile
$about = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/'

# Rule catalogue: id -> reason, source. Reasons name the PowerShell/.NET version that added the construct.
$rules = [ordered]@{
    'PARSE-ERROR'                  = @('the script does not parse', 'https://learn.microsoft.com/dotnet/api/system.management.automation.language.parser.parsefile')
    'REQUIRES-VERSION-MISSING'     = @('the script must declare #Requires -Version 2.0 (issue 8, point 4)', "${about}about_requires")
    'REQUIRES-VERSION-TOO-HIGH'    = @('#Requires -Version above 2.0 refuses to run on PowerShell 2.0', "${about}about_requires")
    'REQUIRES-RUNASADMIN'          = @('#Requires -RunAsAdministrator was added in PowerShell 4.0', "${about}about_requires#-runasadministrator")
    'REQUIRES-NOT-IN-PS2'          = @('#Requires -Modules (3.0), -PSEdition (5.1) and -Assembly (5.0) are not in PowerShell 2.0', "${about}about_requires")
    'COMMAND-NOT-IN-PS2'           = @('not a Windows PowerShell 2.0 cmdlet, built-in function or alias, nor a function of this script; call native programs with their extension (reg.exe)', 'https://learn.microsoft.com/previous-versions/dd347563(v=technet.10)')
    'PARAMETER-NOT-IN-PS2'         = @('parameter not in the PowerShell 2.0 syntax of this cmdlet', 'https://learn.microsoft.com/previous-versions/dd347686(v=technet.10)')
    'PARAMETER-VALUE-NOT-IN-PS2'   = @('parameter value added after PowerShell 2.0', "${about}about_character_encoding")
    'ACTION-PREFERENCE-NOT-IN-PS2' = @('ActionPreference Ignore/Suspend (3.0) and Break (7.0) are not in PowerShell 2.0', "${about}about_commonparameters#-erroraction")
    'SIMPLIFIED-SYNTAX'            = @('Where-Object/ForEach-Object without a script block (simplified syntax, -Parallel) needs PowerShell 3.0+', "${about}about_simplified_syntax")
    'PSCUSTOMOBJECT'               = @('[pscustomobject] construction is PowerShell 3.0; in 2.0 [pscustomobject] is [psobject] and @{} stays a hashtable: use New-Object PSObject -Property', "${about}about_pscustomobject")
    'TYPE-NOT-IN-PS2'              = @('type accelerator not in PowerShell 2.0 ([ordered] is 3.0): use the full .NET type name', "${about}about_type_accelerators")
    'HASHTABLE-CAST'               = @('converting a hash table to an object of another type ([Type]@{...}) is PowerShell 3.0', "${about}about_object_creation#create-objects-from-hash-tables")
    'DOTNET4-TYPE'                 = @('.NET type missing from .NET Framework 3.5 SP1', 'https://learn.microsoft.com/dotnet/framework/migration-guide/versions-and-dependencies')
    'DOTNET4-MEMBER'               = @('.NET member missing from .NET Framework 3.5 SP1', 'https://learn.microsoft.com/dotnet/framework/migration-guide/versions-and-dependencies')
    'DOTNET4-OVERLOAD'             = @('.NET overload missing from .NET Framework 3.5 SP1', 'https://learn.microsoft.com/dotnet/api/system.io.path.combine')
    'INTRINSIC-METHOD'             = @('.Where()/.ForEach() collection methods were added in PowerShell 4.0', "${about}about_arrays#where")
    'STATIC-NEW'                   = @('[Type]::new() was added in PowerShell 5.0: use New-Object', "${about}about_object_creation")
    'VARIABLE-NOT-IN-PS2'          = @('automatic or preference variable added after PowerShell 2.0', "${about}about_automatic_variables")
    'USING-SCOPE'                  = @('the $using: scope modifier was added in PowerShell 3.0', "${about}about_remote_variables")
    'OPERATOR-NOT-IN-PS2'          = @('-in/-notin and -shl/-shr were added in PowerShell 3.0; -replace with a script block in 6.1', "${about}about_comparison_operators")
    'ATTRIBUTE-ARGUMENT-OMITTED'   = @('a Boolean attribute argument without "= $true" (e.g. [CmdletBinding(SupportsShouldProcess)]) needs PowerShell 3.0', "${about}about_functions_advanced_parameters")
    'ATTRIBUTE-NOT-IN-PS2'         = @('attribute or attribute argument added after PowerShell 2.0', "${about}about_functions_cmdletbindingattribute")
    'CLASS-ENUM'                   = @('class and enum definitions were added in PowerShell 5.0', "${about}about_classes")
    'USING-STATEMENT'              = @('using statements were added in PowerShell 5.0', "${about}about_using")
    'CONFIGURATION'                = @('DSC configurations need WMF 4.0 or later', 'https://learn.microsoft.com/powershell/dsc/overview?view=dsc-1.1')
    'WORKFLOW'                     = @('workflows were added in PowerShell 3.0', 'https://learn.microsoft.com/previous-versions/powershell/module/psworkflow/about/about_workflows?view=powershell-5.1')
    'FOREACH-PARALLEL'             = @('foreach -parallel (workflow, 3.0) is not in PowerShell 2.0', 'https://learn.microsoft.com/previous-versions/powershell/module/psworkflow/about/about_foreach-parallel?view=powershell-5.1')
    'PIPELINE-CHAIN'               = @('&& and || pipeline chain operators were added in PowerShell 7.0', "${about}about_pipeline_chain_operators")
    'TERNARY'                      = @('the ternary operator ? : was added in PowerShell 7.0', "${about}about_operators#ternary-operator--if-true--if-false")
    'NULL-COALESCING'              = @('?? and ??= were added in PowerShell 7.0', "${about}about_operators#null-coalescing-operator-")
    'NULL-CONDITIONAL'             = @('?. and ?[] were added in PowerShell 7.1', "${about}about_operators#null-conditional-operators--and-")
    'BACKGROUND-OPERATOR'          = @('the background operator & was added in PowerShell 6.0', "${about}about_operators#background-operator-")
    'REDIRECTION-NOT-IN-PS2'       = @('PowerShell 2.0 redirects only output (>, >>) and errors (2>, 2>>, 2>&1); *>, 3>..5> are 3.0, 6> is 5.0', "${about}about_redirection")
    'NUMERIC-LITERAL'              = @('numeric literal suffixes u/y/s/n/us/uy (6.2/7.0) and 0b binary literals (7.0) are not in PowerShell 2.0', "${about}about_numeric_literals")
    'STRING-ESCAPE'                = @('the `e and `u{...} escape sequences were added in PowerShell 6.0 (in 2.0 `e is a plain e)', "${about}about_special_characters")
    'MEMBER-ENUMERATION'           = @('property access on an array enumerates its elements only from PowerShell 3.0 (member-access enumeration): use ForEach-Object { $_.Name }', "${about}about_member-access_enumeration")
}

$violations = [System.Collections.Generic.List[object]]::new()

function Add-Violation([string]$Rule, $Extent, [string]$Detail, [string]$Source)
{
    if ($Extent -is [System.Management.Automation.Language.Ast]) { $Extent = $Extent.Extent }
    $text = ([string]$Extent.Text -split "`r?`n")[0]
    if ($text.Length -gt 160) { $text = $text.Substring(0, 160) + '...' }
    $violations.Add([pscustomobject][ordered]@{
        rule   = $Rule
        line   = $Extent.StartLineNumber
        column = $Extent.StartColumnNumber
        text   = $text
        reason = $(if ($Detail) { "$Detail; $($rules[$Rule][0])" } else { $rules[$Rule][0] })
        source = $(if ($Source) { $Source } else { $rules[$Rule][1] })
    })
}

if ($ListRules)
{
    [ordered]@{ pwshVersion = $PSVersionTable.PSVersion.ToString(); rules = @($rules.Keys | ForEach-Object { [ordered]@{ id = $_; reason = $rules[$_][0]; source = $rules[$_][1] } }) } | ConvertTo-Json -Depth 5
    return
}

# ---- lookup tables from the data file -------------------------------------------------------------
$ci = [System.StringComparer]::OrdinalIgnoreCase
$ps2Commands = [System.Collections.Generic.HashSet[string]]::new([string[]]($data.Cmdlets + $data.Functions), $ci)
$aliases = [System.Collections.Generic.Dictionary[string, string]]::new($ci)
foreach ($k in $data.Aliases.Keys) { $aliases[$k] = $data.Aliases[$k] }
$ps2Accelerators = [System.Collections.Generic.HashSet[string]]::new([string[]]$data.Accelerators, $ci)
$accelerators7 = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')::Get
$specialFolders4 = [System.Collections.Generic.HashSet[string]]::new([string[]]$data.SpecialFolders4, $ci)
$variablesAfter2 = @{}
foreach ($v in $data.Variables) { $variablesAfter2[$v.Name.ToLowerInvariant()] = $v }
$attributes = [System.Collections.Generic.Dictionary[string, object]]::new($ci)
foreach ($k in $data.Attributes.Keys) { $attributes[$k] = @($data.Attributes[$k]) }
$commonAfter2 = @{ 'PipelineVariable' = '4.0'; 'pv' = '4.0'; 'InformationAction' = '5.0'; 'infa' = '5.0'; 'InformationVariable' = '5.0'; 'iv' = '5.0' }
$arrayMembers = [System.Collections.Generic.HashSet[string]]::new([string[]]@('Count', 'Length', 'LongLength', 'Rank', 'SyncRoot', 'IsReadOnly', 'IsFixedSize', 'IsSynchronized', 'psobject', 'psbase', 'pstypenames', 'psadapted', 'psextended'), $ci)
$ps7ParameterCache = @{}

# Names and aliases of a cmdlet's parameters in this pwsh (7.6.9), to catch exact post-2.0 names.
function Get-Ps7ParameterName([string]$Command)
{
    if (-not $ps7ParameterCache.ContainsKey($Command))
    {
        $names = [System.Collections.Generic.HashSet[string]]::new($ci)
        $info = Get-Command -Name $Command -CommandType Cmdlet -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($info)
        {
            foreach ($p in $info.Parameters.Values)
            {
                [void]$names.Add($p.Name)
                foreach ($a in $p.Aliases) { [void]$names.Add($a) }
            }
        }
        $ps7ParameterCache[$Command] = $names
    }
    $ps7ParameterCache[$Command]
}

# The expression of an assignment's right side when it is a plain expression ($x = @(...)), else $null.
function Get-AssignedExpression($Statement)
{
    if ($Statement -is [System.Management.Automation.Language.CommandExpressionAst]) { return $Statement.Expression }
    if ($Statement -is [System.Management.Automation.Language.PipelineAst] -and $Statement.PipelineElements.Count -eq 1 -and
        $Statement.PipelineElements[0] -is [System.Management.Automation.Language.CommandExpressionAst])
    {
        return $Statement.PipelineElements[0].Expression
    }
    $null
}

function Get-ConstantText($Ast)
{
    if ($Ast -is [System.Management.Automation.Language.StringConstantExpressionAst]) { return $Ast.Value }
    if ($Ast -is [System.Management.Automation.Language.ConstantExpressionAst]) { return [string]$Ast.Value }
    $null
}

# Resolves a written type name against this pwsh; returns the full names it may stand for.
function Get-TypeCandidate($TypeName)
{
    $name = $TypeName.FullName
    $candidates = @($name, "System.$name")
    try
    {
        $resolved = $TypeName.GetReflectionType()
        if ($resolved) { $candidates += ($resolved.FullName -replace '`.*$', '') }
    }
    catch { }
    $candidates
}

function Test-TypeName($TypeName, $Extent)
{
    if ($TypeName -is [System.Management.Automation.Language.ArrayTypeName]) { Test-TypeName $TypeName.ElementType $Extent; return }
    if ($TypeName -is [System.Management.Automation.Language.GenericTypeName])
    {
        Test-TypeName $TypeName.TypeName $Extent
        foreach ($argument in $TypeName.GenericArguments) { Test-TypeName $argument $Extent }
        return
    }
    $name = $TypeName.FullName
    if ($name -in @('pscustomobject', 'System.Management.Automation.PSCustomObject')) { Add-Violation 'PSCUSTOMOBJECT' $Extent; return }
    if ($name -eq 'ordered') { Add-Violation 'TYPE-NOT-IN-PS2' $Extent '[ordered] was added in PowerShell 3.0' "${about}about_hash_tables#creating-ordered-dictionaries"; return }
    $candidates = Get-TypeCandidate $TypeName
    foreach ($entry in $data.Types)
    {
        foreach ($candidate in $candidates)
        {
            $hit = $(if ($entry.Name.EndsWith('.')) { $candidate.StartsWith($entry.Name, 'OrdinalIgnoreCase') } else { $candidate -eq $entry.Name -or $candidate.StartsWith($entry.Name + '`', 'OrdinalIgnoreCase') })
            if ($hit) { Add-Violation 'DOTNET4-TYPE' $Extent ("{0}: {1}" -f $entry.Name, $entry.Since) $entry.Source; return }
        }
    }
    if ($name -notmatch '\.' -and $accelerators7.ContainsKey($name) -and -not $ps2Accelerators.Contains($name))
    {
        $target = $accelerators7[$name]
        if ($target.FullName -ne "System.$name")
        {
            Add-Violation 'TYPE-NOT-IN-PS2' $Extent ("[{0}] (for {1}) is not a PowerShell 2.0 accelerator" -f $name, $target.FullName)
        }
    }
}

# The declaring type a static member expression names, as candidate full names.
function Get-StaticTypeCandidate($Expression)
{
    if ($Expression -isnot [System.Management.Automation.Language.TypeExpressionAst]) { return @() }
    Get-TypeCandidate $Expression.TypeName
}

# ---- per file ------------------------------------------------------------------------------------
$results = foreach ($file in $Path)
{
    $violations.Clear()
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile((Resolve-Path -LiteralPath $file).ProviderPath, [ref]$tokens, [ref]$errors)

    # A DSC configuration keyword: report it (the parser here has no DSC schema store, so its errors
    # inside a configuration are reported under the same rule).
    $configurationTokens = @($tokens | Where-Object { $_.Kind -eq 'Configuration' })
    foreach ($t in $configurationTokens) { Add-Violation 'CONFIGURATION' $t.Extent }
    foreach ($e in $errors)
    {
        if ($configurationTokens.Count) { Add-Violation 'CONFIGURATION' $e.Extent $e.Message; continue }
        switch ($e.ErrorId)
        {
            'WorkflowNotSupportedInPowerShellCore' { Add-Violation 'WORKFLOW' $e.Extent }
            'KeywordParameterReservedForFutureUse' { Add-Violation 'FOREACH-PARALLEL' $e.Extent }
            default { Add-Violation 'PARSE-ERROR' $e.Extent $e.Message }
        }
    }

    # #Requires
    $requiresToken = @($tokens | Where-Object { $_.Kind -eq 'Comment' -and $_.Text -match '^#requires\b' })
    $requiresExtent = $(if ($requiresToken.Count) { $requiresToken[0].Extent } else { $ast.Extent })
    $requirements = $ast.ScriptRequirements
    if (-not $requirements -or -not $requirements.RequiredPSVersion)
    {
        Add-Violation 'REQUIRES-VERSION-MISSING' $requiresExtent
    }
    elseif ($requirements.RequiredPSVersion -gt [version]'2.0')
    {
        Add-Violation 'REQUIRES-VERSION-TOO-HIGH' $requiresExtent ('#Requires -Version {0}' -f $requirements.RequiredPSVersion)
    }
    elseif ($requirements.RequiredPSVersion -ne [version]'2.0')
    {
        Add-Violation 'REQUIRES-VERSION-MISSING' $requiresExtent ('#Requires -Version {0}, not 2.0' -f $requirements.RequiredPSVersion)
    }
    if ($requirements)
    {
        if ($requirements.IsElevationRequired) { Add-Violation 'REQUIRES-RUNASADMIN' $requiresExtent }
        if ($requirements.RequiredModules.Count -or $requirements.RequiredPSEditions.Count -or $requirements.RequiredAssemblies.Count)
        {
            Add-Violation 'REQUIRES-NOT-IN-PS2' $requiresExtent
        }
    }

    $all = @($ast.FindAll({ $true }, $true))
    $definedFunctions = [System.Collections.Generic.HashSet[string]]::new($ci)
    foreach ($node in $all)
    {
        if ($node -is [System.Management.Automation.Language.FunctionDefinitionAst]) { [void]$definedFunctions.Add($node.Name) }
    }

    # Variables that are only ever assigned @(...) or array literals in this file (member-enumeration heuristic).
    $assignedArray = @{}
    foreach ($node in $all)
    {
        $name = $null
        $isArray = $false
        if ($node -is [System.Management.Automation.Language.AssignmentStatementAst] -and $node.Left -is [System.Management.Automation.Language.VariableExpressionAst])
        {
            $name = $node.Left.VariablePath.UserPath
            $expression = Get-AssignedExpression $node.Right
            $isArray = $expression -is [System.Management.Automation.Language.ArrayExpressionAst] -or $expression -is [System.Management.Automation.Language.ArrayLiteralAst]
            if ($node.Operator -eq 'PlusEquals' -and $assignedArray.ContainsKey($name)) { $isArray = $assignedArray[$name] }
        }
        elseif ($node -is [System.Management.Automation.Language.ForEachStatementAst]) { $name = $node.Variable.VariablePath.UserPath }
        elseif ($node -is [System.Management.Automation.Language.ParameterAst]) { $name = $node.Name.VariablePath.UserPath }
        if ($name)
        {
            $assignedArray[$name] = $isArray -and (-not $assignedArray.ContainsKey($name) -or $assignedArray[$name])
        }
    }

    foreach ($node in $all)
    {
        switch ($node)
        {
            { $_ -is [System.Management.Automation.Language.CommandAst] }
            {
                $commandName = $node.GetCommandName()
                if (-not $commandName) { break }
                if ($definedFunctions.Contains($commandName)) { break }
                if ($commandName -match '\.(exe|com|cmd|bat)$' -or $commandName -match '[\\/]') { break }
                $target = $(if ($aliases.ContainsKey($commandName)) { $aliases[$commandName] } else { $commandName })
                if (-not $ps2Commands.Contains($target))
                {
                    Add-Violation 'COMMAND-NOT-IN-PS2' $node.CommandElements[0] ("'{0}'" -f $commandName)
                    break
                }
                $canonical = @($data.Cmdlets + $data.Functions | Where-Object { $_ -eq $target })[0]
                $allowed = $(if ($data.Parameters.ContainsKey($canonical)) { @($data.Parameters[$canonical]) } else { $null })
                $whereOrForEach = $canonical -in @('Where-Object', 'ForEach-Object')
                $elements = $node.CommandElements
                for ($i = 1; $i -lt $elements.Count; $i++)
                {
                    $element = $elements[$i]
                    if ($element -isnot [System.Management.Automation.Language.CommandParameterAst])
                    {
                        if ($whereOrForEach -and $element -isnot [System.Management.Automation.Language.ScriptBlockExpressionAst])
                        {
                            Add-Violation 'SIMPLIFIED-SYNTAX' $element ('{0} argument is not a script block' -f $canonical)
                        }
                        continue
                    }
                    $parameterName = $element.ParameterName
                    $argument = $element.Argument
                    $full = $parameterName
                    if ($commonAfter2.ContainsKey($parameterName))
                    {
                        Add-Violation 'PARAMETER-NOT-IN-PS2' $element ('-{0} is a common parameter of PowerShell {1}' -f $parameterName, $commonAfter2[$parameterName]) "${about}about_commonparameters"
                        continue
                    }
                    if ($allowed)
                    {
                        $known = @($allowed + $data.CommonParameters)
                        $exact = @($known | Where-Object { $_ -eq $parameterName })
                        $prefix = @($known | Where-Object { $_.StartsWith($parameterName, 'OrdinalIgnoreCase') })
                        if ($exact.Count) { $full = $exact[0] }
                        elseif ((Get-Ps7ParameterName $canonical).Contains($parameterName) -or $prefix.Count -eq 0)
                        {
                            $rule = $(if ($whereOrForEach) { 'SIMPLIFIED-SYNTAX' } else { 'PARAMETER-NOT-IN-PS2' })
                            Add-Violation $rule $element ('{0} -{1}' -f $canonical, $parameterName)
                            continue
                        }
                        else { $full = $prefix[0] }
                    }
                    # The argument: -Name:value, or the next element when it is not a parameter.
                    if (-not $argument -and $i + 1 -lt $elements.Count -and $elements[$i + 1] -isnot [System.Management.Automation.Language.CommandParameterAst])
                    {
                        $argument = $elements[$i + 1]
                        if ($whereOrForEach -and $full -notin @('Verbose', 'vb', 'Debug', 'db', 'WhatIf', 'wi', 'Confirm', 'cf')) { $i++ }
                    }
                    $value = $(if ($argument) { Get-ConstantText $argument } else { $null })
                    if ($null -eq $value) { continue }
                    if ($full -in @('ErrorAction', 'ea', 'WarningAction', 'wa') -and $value -in $data.ActionPreferencesAfter2)
                    {
                        Add-Violation 'ACTION-PREFERENCE-NOT-IN-PS2' $element ('-{0} {1}' -f $parameterName, $value)
                    }
                    foreach ($rule in $data.ParameterValues)
                    {
                        $commandMatches = $rule.Command -eq '*' -or $rule.Command -eq $canonical
                        $parameterMatches = $rule.Parameter.StartsWith($parameterName, 'OrdinalIgnoreCase') -or ($rule.Parameter -eq 'ItemType' -and $parameterName -eq 'Type')
                        if ($commandMatches -and $parameterMatches -and $value -in $rule.Values)
                        {
                            Add-Violation 'PARAMETER-VALUE-NOT-IN-PS2' $element ('{0} -{1} {2} needs PowerShell {3}' -f $canonical, $parameterName, $value, $rule.Since) $rule.Source
                        }
                    }
                }
                # New-Object <.NET 4 type>
                if ($canonical -eq 'New-Object')
                {
                    $typeArgument = @($elements | Select-Object -Skip 1 | Where-Object { $_ -isnot [System.Management.Automation.Language.CommandParameterAst] })[0]
                    $typeText = $(if ($typeArgument) { Get-ConstantText $typeArgument } else { $null })
                    if ($typeText)
                    {
                        $parsedType = [System.Management.Automation.Language.TypeName]::new($typeArgument.Extent, ($typeText -replace '\[.*$', ''))
                        Test-TypeName $parsedType $typeArgument.Extent
                    }
                }
            }
            { $_ -is [System.Management.Automation.Language.TypeExpressionAst] } { Test-TypeName $node.TypeName $node.Extent }
            { $_ -is [System.Management.Automation.Language.TypeConstraintAst] } { Test-TypeName $node.TypeName $node.Extent }
            { $_ -is [System.Management.Automation.Language.ConvertExpressionAst] }
            {
                if ($node.Child -is [System.Management.Automation.Language.HashtableAst])
                {
                    $name = $node.Type.TypeName.FullName
                    if ($name -notin @('hashtable', 'System.Collections.Hashtable', 'psobject', 'System.Management.Automation.PSObject', 'pscustomobject', 'ordered', 'System.Management.Automation.PSCustomObject', 'object', 'System.Object'))
                    {
                        Add-Violation 'HASHTABLE-CAST' $node.Type
                    }
                }
            }
            { $_ -is [System.Management.Automation.Language.AttributeAst] }
            {
                $name = $node.TypeName.FullName
                $key = $(if ($attributes.ContainsKey($name)) { $name } elseif ($name.EndsWith('Attribute') -and $attributes.ContainsKey($name.Substring(0, $name.Length - 9))) { $name.Substring(0, $name.Length - 9) } else { $null })
                if (-not $key)
                {
                    Add-Violation 'ATTRIBUTE-NOT-IN-PS2' $node ("[{0}()]" -f $name)
                    break
                }
                foreach ($named in $node.NamedArguments)
                {
                    if ($named.ExpressionOmitted) { Add-Violation 'ATTRIBUTE-ARGUMENT-OMITTED' $named ('{0} without = $true' -f $named.ArgumentName) }
                    if ($named.ArgumentName -notin $attributes[$key]) { Add-Violation 'ATTRIBUTE-NOT-IN-PS2' $named ('{0}({1}) is not in PowerShell 2.0' -f $key, $named.ArgumentName) }
                }
            }
            { $_ -is [System.Management.Automation.Language.MemberExpressionAst] }
            {
                if ($node.NullConditional) { Add-Violation 'NULL-CONDITIONAL' $node }
                $memberName = Get-ConstantText $node.Member
                if (-not $memberName) { break }
                $isInvoke = $node -is [System.Management.Automation.Language.InvokeMemberExpressionAst]
                $argumentCount = $(if ($isInvoke -and $node.Arguments) { $node.Arguments.Count } else { 0 })
                if ($node.Static)
                {
                    if ($isInvoke -and $memberName -eq 'new') { Add-Violation 'STATIC-NEW' $node; break }
                    $typeCandidates = @(Get-StaticTypeCandidate $node.Expression)
                    foreach ($entry in $data.StaticMembers)
                    {
                        if ($entry.Member -eq $memberName -and $typeCandidates -contains $entry.Type)
                        {
                            Add-Violation 'DOTNET4-MEMBER' $node ('{0}::{1}: {2}' -f $entry.Type, $entry.Member, $entry.Since) $entry.Source
                        }
                    }
                    if ($typeCandidates -contains 'System.Environment+SpecialFolder' -and $specialFolders4.Contains($memberName))
                    {
                        Add-Violation 'DOTNET4-MEMBER' $node ('SpecialFolder.{0}: .NET 4.0' -f $memberName) 'https://learn.microsoft.com/dotnet/api/system.environment.specialfolder'
                    }
                    if ($typeCandidates -contains 'System.Management.Automation.ActionPreference' -and $memberName -in $data.ActionPreferencesAfter2)
                    {
                        Add-Violation 'ACTION-PREFERENCE-NOT-IN-PS2' $node
                    }
                    if ($isInvoke -and $typeCandidates -contains 'System.IO.Path' -and $memberName -eq 'Combine' -and $argumentCount -gt 2)
                    {
                        Add-Violation 'DOTNET4-OVERLOAD' $node ('Path.Combine with {0} arguments: .NET 4.0 (2.0 has only Combine(string, string))' -f $argumentCount) 'https://learn.microsoft.com/dotnet/api/system.io.path.combine'
                    }
                    if ($isInvoke -and $typeCandidates -contains 'System.Environment' -and $memberName -eq 'GetFolderPath')
                    {
                        if ($argumentCount -gt 1)
                        {
                            Add-Violation 'DOTNET4-OVERLOAD' $node 'GetFolderPath(SpecialFolder, SpecialFolderOption): .NET 4.0' 'https://learn.microsoft.com/dotnet/api/system.environment.getfolderpath'
                        }
                        $folder = $(if ($argumentCount -ge 1) { Get-ConstantText $node.Arguments[0] } else { $null })
                        if ($folder -and $specialFolders4.Contains($folder))
                        {
                            Add-Violation 'DOTNET4-MEMBER' $node ("SpecialFolder '{0}': .NET 4.0" -f $folder) 'https://learn.microsoft.com/dotnet/api/system.environment.specialfolder'
                        }
                    }
                    break
                }
                if ($isInvoke)
                {
                    foreach ($entry in $data.InstanceMethods)
                    {
                        if ($entry.Member -eq $memberName -and (-not $entry.ContainsKey('Arguments') -or $entry.Arguments -eq $argumentCount))
                        {
                            $rule = $(if ($entry.Member -in @('Where', 'ForEach')) { 'INTRINSIC-METHOD' } else { 'DOTNET4-MEMBER' })
                            Add-Violation $rule $node ('.{0}(): {1}' -f $entry.Member, $entry.Since) $entry.Source
                        }
                    }
                    break
                }
                # Member-access enumeration on something known to be an array.
                $target = $node.Expression
                while ($target -is [System.Management.Automation.Language.ParenExpressionAst] -and $target.Pipeline -is [System.Management.Automation.Language.PipelineAst] -and
                    $target.Pipeline.PipelineElements.Count -eq 1 -and $target.Pipeline.PipelineElements[0] -is [System.Management.Automation.Language.CommandExpressionAst])
                {
                    $target = $target.Pipeline.PipelineElements[0].Expression
                }
                $knownArray = $target -is [System.Management.Automation.Language.ArrayExpressionAst] -or $target -is [System.Management.Automation.Language.ArrayLiteralAst] -or
                    ($target -is [System.Management.Automation.Language.VariableExpressionAst] -and $assignedArray.ContainsKey($target.VariablePath.UserPath) -and $assignedArray[$target.VariablePath.UserPath])
                if ($knownArray -and -not $arrayMembers.Contains($memberName))
                {
                    Add-Violation 'MEMBER-ENUMERATION' $node ('.{0} on an array' -f $memberName)
                }
            }
            { $_ -is [System.Management.Automation.Language.IndexExpressionAst] } { if ($node.NullConditional) { Add-Violation 'NULL-CONDITIONAL' $node } }
            { $_ -is [System.Management.Automation.Language.VariableExpressionAst] }
            {
                $name = ($node.VariablePath.UserPath -replace '^(global|script|local|private):', '').ToLowerInvariant()
                if ($variablesAfter2.ContainsKey($name))
                {
                    $entry = $variablesAfter2[$name]
                    Add-Violation 'VARIABLE-NOT-IN-PS2' $node ('${0}: PowerShell {1}' -f $entry.Name, $entry.Since) $entry.Source
                }
            }
            { $_ -is [System.Management.Automation.Language.UsingExpressionAst] } { Add-Violation 'USING-SCOPE' $node }
            { $_ -is [System.Management.Automation.Language.BinaryExpressionAst] }
            {
                $operator = $node.Operator.ToString()
                if ($operator -in @('In', 'Iin', 'Cin', 'NotIn', 'Inotin', 'Cnotin', 'Shl', 'Shr'))
                {
                    Add-Violation 'OPERATOR-NOT-IN-PS2' $node ('-{0}' -f $operator.ToLowerInvariant())
                }
                elseif ($operator -eq 'QuestionQuestion') { Add-Violation 'NULL-COALESCING' $node }
                elseif ($operator -in @('Ireplace', 'Creplace') -and $node.Right -is [System.Management.Automation.Language.ArrayLiteralAst] -and
                    @($node.Right.Elements | Where-Object { $_ -is [System.Management.Automation.Language.ScriptBlockExpressionAst] }).Count)
                {
                    Add-Violation 'OPERATOR-NOT-IN-PS2' $node '-replace with a script block'
                }
            }
            { $_ -is [System.Management.Automation.Language.AssignmentStatementAst] }
            {
                if ($node.Operator.ToString() -eq 'QuestionQuestionEquals') { Add-Violation 'NULL-COALESCING' $node }
                $assigned = Get-AssignedExpression $node.Right
                if ($node.Left -is [System.Management.Automation.Language.VariableExpressionAst] -and $node.Left.VariablePath.UserPath -match 'ActionPreference$' -and $assigned)
                {
                    $value = Get-ConstantText $assigned
                    if ($value -in $data.ActionPreferencesAfter2) { Add-Violation 'ACTION-PREFERENCE-NOT-IN-PS2' $node }
                }
            }
            { $_ -is [System.Management.Automation.Language.TernaryExpressionAst] } { Add-Violation 'TERNARY' $node }
            { $_ -is [System.Management.Automation.Language.PipelineChainAst] } { Add-Violation 'PIPELINE-CHAIN' $node }
            { $_ -is [System.Management.Automation.Language.PipelineAst] } { if ($node.Background) { Add-Violation 'BACKGROUND-OPERATOR' $node } }
            { $_ -is [System.Management.Automation.Language.TypeDefinitionAst] } { Add-Violation 'CLASS-ENUM' $node }
            { $_ -is [System.Management.Automation.Language.UsingStatementAst] } { Add-Violation 'USING-STATEMENT' $node }
            { $_ -is [System.Management.Automation.Language.ConfigurationDefinitionAst] -or $_ -is [System.Management.Automation.Language.DynamicKeywordStatementAst] } { Add-Violation 'CONFIGURATION' $node }
            { $_ -is [System.Management.Automation.Language.FunctionDefinitionAst] } { if ($node.IsWorkflow) { Add-Violation 'WORKFLOW' $node } }
            { $_ -is [System.Management.Automation.Language.ForEachStatementAst] }
            {
                if ($node.Flags -band [System.Management.Automation.Language.ForEachFlags]::Parallel) { Add-Violation 'FOREACH-PARALLEL' $node }
            }
            { $_ -is [System.Management.Automation.Language.FileRedirectionAst] }
            {
                if ($node.FromStream.ToString() -notin @('Output', 'Error')) { Add-Violation 'REDIRECTION-NOT-IN-PS2' $node }
            }
            { $_ -is [System.Management.Automation.Language.MergingRedirectionAst] }
            {
                if ($node.FromStream.ToString() -ne 'Error' -or $node.ToStream.ToString() -ne 'Output') { Add-Violation 'REDIRECTION-NOT-IN-PS2' $node }
            }
            { $_ -is [System.Management.Automation.Language.ConstantExpressionAst] -and $_ -isnot [System.Management.Automation.Language.StringConstantExpressionAst] }
            {
                $literal = $node.Extent.Text
                if ($literal -match '^0[bB][01]' -or $literal -match '^(0[xX][0-9a-fA-F]+|[0-9][0-9.]*([eE][+-]?[0-9]+)?)(u[lsy]?|[ysn])((kb|mb|gb|tb|pb))?$')
                {
                    Add-Violation 'NUMERIC-LITERAL' $node
                }
            }
            { $_ -is [System.Management.Automation.Language.StringConstantExpressionAst] -or $_ -is [System.Management.Automation.Language.ExpandableStringExpressionAst] }
            {
                if ($node.StringConstantType.ToString() -in @('DoubleQuoted', 'DoubleQuotedHereString') -and $node.Extent.Text -cmatch '(?<!`)`(e|u\{)')
                {
                    Add-Violation 'STRING-ESCAPE' $node
                }
            }
        }
    }

    [pscustomobject][ordered]@{
        path       = $file
        violations = @($violations | Sort-Object line, column, rule -Unique)
    }
}

[ordered]@{
    pwshVersion = $PSVersionTable.PSVersion.ToString()
    files       = @($results)
} | ConvertTo-Json -Depth 6
