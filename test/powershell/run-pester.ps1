<#
    Test-side driver: imports Pester from the path test/support/pester.ts restored it to (never from
    PSGallery or a user's module path), runs one *.Tests.ps1 file, and prints a JSON summary as the
    last line of standard output, after a marker line, so Pester's own output and anything the tests
    write can come before it.
#>
param(
    [Parameter(Mandatory)][string]$PesterManifest,
    [Parameter(Mandatory)][string]$TestPath,
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')][string]$Verbosity = 'Normal'
)
# No Set-StrictMode here: it would be inherited by the test files (and, through them, by the
# scripts under test), which must run as they would for a user.
$ErrorActionPreference = 'Stop'
# No ANSI colour codes in what vitest prints on failure.
$PSStyle.OutputRendering = 'PlainText'

Import-Module -Name $PesterManifest -Force
$loaded = Get-Module -Name Pester
if ($loaded.Path -notlike "$(Split-Path -Parent $PesterManifest)*") {
    throw "Pester was loaded from $($loaded.Path), not from $PesterManifest"
}

$configuration = New-PesterConfiguration
$configuration.Run.Path = @($TestPath)
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Verbosity
$configuration.Output.RenderMode = 'Plaintext'
$result = Invoke-Pester -Configuration $configuration

function Get-ErrorText($errorRecords) {
    @($errorRecords | ForEach-Object {
            if ($null -ne $_.Exception) { $_.Exception.Message } else { "$_" }
        }) -join "`n"
}

# A failure in BeforeAll/AfterAll fails a block or the whole file without failing an It; count
# those too, or a broken test file would report "0 failed". (A test whose BeforeAll failed is then
# counted twice, as itself and as its block: the count is for "is it zero", not for reporting.)
$failures = [System.Collections.Generic.List[object]]::new()
foreach ($test in $result.Failed) {
    $message = Get-ErrorText $test.ErrorRecord
    if ($message -eq '') { $message = '(no error of its own: a BeforeAll/AfterAll around it failed)' }
    $failures.Add([ordered]@{ name = $test.ExpandedPath; message = $message })
}
foreach ($block in $result.FailedBlocks) {
    $failures.Add([ordered]@{ name = "[block] $($block.ExpandedPath)"; message = Get-ErrorText $block.ErrorRecord })
}
foreach ($container in $result.FailedContainers) {
    $failures.Add([ordered]@{ name = "[file] $($container.Item)"; message = Get-ErrorText $container.ErrorRecord })
}

$summary = [ordered]@{
    pesterVersion = $loaded.Version.ToString()
    psVersion     = $PSVersionTable.PSVersion.ToString()
    result        = $result.Result
    total         = $result.TotalCount
    passed        = $result.PassedCount
    failed        = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    skipped       = $result.SkippedCount
    notRun        = $result.NotRunCount
    durationMs    = [int]$result.Duration.TotalMilliseconds
    failures      = @($failures)
}
Write-Output '::tlsgen-pester-summary::'
Write-Output ($summary | ConvertTo-Json -Depth 6 -Compress)
