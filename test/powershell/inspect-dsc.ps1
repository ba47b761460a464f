<#
    Test-side inspector for generated DSC files, run by the real PowerShell (7.6.9).
    Prints one JSON document describing every file given on the command line:
      - parse errors of the file as it is, and of a minimal hand-written configuration, so the test
        can show that the only errors are the ones every Configuration gets on Linux (no DSC schema
        store there: the Configuration keyword needs PSDesiredStateConfiguration's CIM schemas);
      - parse errors of the same text with the Configuration keyword read as a function, which is
        how everything else in the file gets checked by the real parser;
      - every Registry and Script resource found in that AST, with its properties evaluated as
        literals and the targets of its enclosing `if ($target -in @(...))`;
      - constructs Windows PowerShell 5.1 lacks;
      - for .psd1 files, what Import-PowerShellDataFile loads.
#>
param([Parameter(Mandatory, ValueFromRemainingArguments)][string[]]$Path)
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
$Language = [System.Management.Automation.Language.Parser]

function Get-ParseErrors([string]$Text) {
    $tokens = $null; $errors = $null
    $ast = $Language::ParseInput($Text, [ref]$tokens, [ref]$errors)
    [pscustomobject]@{
        Ast    = $ast
        Errors = @($errors | ForEach-Object { [ordered]@{ id = $_.ErrorId; message = ($_.Message -split "`n")[0]; line = $_.Extent.StartLineNumber } })
    }
}

# Only literal shapes the generator emits are accepted: 'text', @('a', 'b'), $true, and ('a' + [char]10 + 'b').
function Get-LiteralValue($Ast) {
    try { return , $Ast.SafeGetValue() } catch { }
    if ($Ast -is [System.Management.Automation.Language.ParenExpressionAst]) {
        return , (Get-LiteralValue $Ast.Pipeline.PipelineElements[0].Expression)
    }
    if ($Ast -is [System.Management.Automation.Language.ArrayExpressionAst]) {
        # @(a, b, c) holds one statement whose expression is the array literal a, b, c.
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($statement in $Ast.SubExpression.Statements) {
            $expression = $statement.PipelineElements[0].Expression
            if ($expression -is [System.Management.Automation.Language.ArrayLiteralAst]) {
                foreach ($element in $expression.Elements) { $items.Add((Get-LiteralValue $element)) }
            }
            else { $items.Add((Get-LiteralValue $expression)) }
        }
        return , $items.ToArray()
    }
    if ($Ast -is [System.Management.Automation.Language.BinaryExpressionAst] -and $Ast.Operator -eq 'Plus') {
        return (Get-LiteralValue $Ast.Left) + (Get-LiteralValue $Ast.Right)
    }
    if ($Ast -is [System.Management.Automation.Language.ConvertExpressionAst] -and $Ast.Type.TypeName.Name -eq 'char' -and
        $Ast.Child -is [System.Management.Automation.Language.ConstantExpressionAst]) {
        return [string][char][int]$Ast.Child.Value
    }
    throw "not a literal: $($Ast.Extent.Text)"
}

# `if ($target -in @(...))` around a resource: the targets it is limited to; $null when unguarded.
function Get-GuardTargets($Ast) {
    for ($node = $Ast.Parent; $null -ne $node; $node = $node.Parent) {
        if ($node -is [System.Management.Automation.Language.IfStatementAst]) {
            $condition = $node.Clauses[0].Item1.PipelineElements[0].Expression
            if ($condition -is [System.Management.Automation.Language.BinaryExpressionAst] -and $condition.Operator -in @('In', 'Iin') -and
                $condition.Left.Extent.Text -eq '$target') {
                $targets = Get-LiteralValue $condition.Right
                return , [string[]]$targets
            }
        }
    }
    return $null
}

# In the function-shaped parse, `Registry 'Name'` is a two-element command and the `{ Key = 'x' }` on
# the next line is the following statement (only DSC's keyword parsing joins them); its statements
# are `Key = 'x'` commands: read them back as properties.
function Get-ResourceBody($Command) {
    $pipeline = $Command.Parent
    $statements = $pipeline.Parent.Statements
    $index = $statements.IndexOf($pipeline)
    if ($index -lt 0 -or $index + 1 -ge $statements.Count) { return $null }
    $next = $statements[$index + 1]
    if ($next -isnot [System.Management.Automation.Language.PipelineAst] -or $next.PipelineElements.Count -ne 1) { return $null }
    $expression = $next.PipelineElements[0]
    if ($expression -isnot [System.Management.Automation.Language.CommandExpressionAst] -or
        $expression.Expression -isnot [System.Management.Automation.Language.ScriptBlockExpressionAst]) { return $null }
    $expression.Expression.ScriptBlock
}

function Get-Resources($Ast) {
    $commands = $Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and
            $n.GetCommandName() -in @('Registry', 'Script') -and $n.CommandElements.Count -eq 2 }, $true)
    foreach ($command in $commands) {
        $properties = [ordered]@{}
        $problems = @()
        $body = Get-ResourceBody $command
        if ($null -eq $body) { $problems += 'no { ... } block follows the resource name' }
        foreach ($statement in @(if ($body) { $body.EndBlock.Statements })) {
            $elements = @($statement.PipelineElements[0].CommandElements)
            if ($elements.Count -ne 3 -or $elements[1].Extent.Text -ne '=') { $problems += "not a property: $($statement.Extent.Text)"; continue }
            $name = $elements[0].Extent.Text
            if ($name -like '*Script' -or $name -eq 'DependsOn') { $properties[$name] = $elements[2].Extent.Text; continue }
            try { $properties[$name] = Get-LiteralValue $elements[2] } catch { $problems += "$name`: $_" }
        }
        [ordered]@{
            kind       = $command.GetCommandName()
            name       = Get-LiteralValue $command.CommandElements[1]
            targets    = Get-GuardTargets $command
            properties = $properties
            problems   = $problems
            line       = $command.Extent.StartLineNumber
        }
    }
}

# Windows PowerShell 5.1 has none of these (PowerShell 7 added them).
function Get-Ps7OnlyConstructs($Ast) {
    $Ast.FindAll({ param($n)
            ($n.GetType().Name -eq 'TernaryExpressionAst') -or
            ($n.GetType().Name -eq 'PipelineChainAst') -or
            ($n -is [System.Management.Automation.Language.BinaryExpressionAst] -and $n.Operator -eq 'QuestionQuestion') -or
            ($n -is [System.Management.Automation.Language.AssignmentStatementAst] -and $n.Operator -eq 'QuestionQuestionEquals') -or
            ($n -is [System.Management.Automation.Language.MemberExpressionAst] -and $n.NullConditional) -or
            ($n -is [System.Management.Automation.Language.IndexExpressionAst] -and $n.NullConditional)
        }, $true) | ForEach-Object { "$($_.GetType().Name) at line $($_.Extent.StartLineNumber): $($_.Extent.Text)" }
}

$minimal = "Configuration Minimal`r`n{`r`n    Import-DscResource -ModuleName 'PSDesiredStateConfiguration'`r`n    Node 'localhost'`r`n    {`r`n    }`r`n}`r`n"
$report = [ordered]@{ minimalConfigurationErrors = (Get-ParseErrors $minimal).Errors; files = @() }
foreach ($file in $Path) {
    $text = [System.IO.File]::ReadAllText($file)
    $entry = [ordered]@{ path = $file; errors = (Get-ParseErrors $text).Errors }
    if ($file -like '*.psd1') {
        $entry.data = Import-PowerShellDataFile -LiteralPath $file
        $entry.functionShapedErrors = @()
        $entry.ps7Only = @(Get-Ps7OnlyConstructs (Get-ParseErrors $text).Ast)
    }
    else {
        # Read `Configuration Name` as `function Name`; the body is then ordinary PowerShell.
        $functionShaped = [regex]::Replace($text, '(?m)^Configuration(?=\s+\w+\s*$)', 'function  ')
        $parsed = Get-ParseErrors $functionShaped
        $entry.configurations = @([regex]::Matches($text, '(?m)^Configuration\s+(\w+)\s*$') | ForEach-Object { $_.Groups[1].Value })
        $entry.functionShapedErrors = $parsed.Errors
        $entry.resources = @(Get-Resources $parsed.Ast)
        $entry.imports = @($parsed.Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() -eq 'Import-DscResource' }, $true) | ForEach-Object { $_.Extent.Text })
        $entry.ps7Only = @(Get-Ps7OnlyConstructs $parsed.Ast)
    }
    $report.files += $entry
}
$report | ConvertTo-Json -Depth 12
