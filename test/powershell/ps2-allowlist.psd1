# What Windows PowerShell 2.0 (on .NET Framework 2.0/3.5 SP1) has, as data for ps2-compat.ps1.
#
# Approach, per kind of thing:
# - Commands: ALLOWLIST. Every cmdlet and built-in function that ships in Windows PowerShell 2.0
#   (modules Microsoft.PowerShell.Core, .Management, .Utility, .Security, .Diagnostics, .Host and
#   Microsoft.WSMan.Management). Anything else (a 3.0+ cmdlet, a module command) is refused.
#   Sources: the Windows PowerShell 2.0 help (TechNet, "Applies To: Windows PowerShell 2.0"):
#     about_Core_Commands https://learn.microsoft.com/previous-versions/dd347563(v=technet.10)
#     Get-WmiObject       https://learn.microsoft.com/previous-versions/dd315295(v=technet.10)
#     Get-HotFix          https://learn.microsoft.com/previous-versions/dd315358(v=technet.10)
#     Add-Member          https://learn.microsoft.com/previous-versions/dd347695(v=technet.10)
#   The search tool holds no single complete 2.0 cmdlet index page, so the list below was BUILT FROM
#   KNOWLEDGE of the 2.0 modules and cross-checked against the per-cmdlet 2.0 pages above and the 3.0
#   module index, which marks what 3.0 added (e.g. ConvertTo-Json, Get-CimInstance, Invoke-RestMethod):
#     https://learn.microsoft.com/previous-versions/powershell/module/Microsoft.PowerShell.Utility/?view=powershell-3.0
# - Parameters: ALLOWLIST per cmdlet (the full 2.0 syntax) for the cmdlets generated scripts use or
#   plausibly will. A parameter not in the 2.0 syntax (or a unique prefix of one of them) is refused;
#   a parameter that exists by exact name in pwsh 7.6.9 but not in 2.0 (e.g. Get-ChildItem -File,
#   which 2.0 would silently bind to -Filter as a prefix) is refused too. Cmdlets without a list
#   here have their parameters unchecked (documented gap).
# - Types and .NET members: DENYLIST. An allowlist of every .NET 3.5 type and member is neither
#   available nor useful (scripts may use any BCL type that existed in 2.0), and pwsh 7.6.9 runs on
#   modern .NET, so reflection there cannot say what .NET 2.0 had. The denylist names the .NET 4+
#   types and members that scripts of this kind plausibly use, each with its API page, whose
#   "Applies to" table shows the first .NET Framework version. Known gap: anything not listed.
# - Type accelerators: ALLOWLIST of the 2.0 accelerators; any other accelerator that pwsh 7.6.9
#   knows is refused unless the name also resolves as System.<name> (which 2.0 also did).
@{
    # Cmdlets of Windows PowerShell 2.0, by module (from knowledge, see header).
    Cmdlets = @(
        # Microsoft.PowerShell.Core
        'Add-History', 'Add-PSSnapin', 'Clear-History', 'Disable-PSSessionConfiguration', 'Enable-PSRemoting',
        'Enable-PSSessionConfiguration', 'Enter-PSSession', 'Exit-PSSession', 'Export-Console', 'Export-ModuleMember',
        'ForEach-Object', 'Get-Command', 'Get-Help', 'Get-History', 'Get-Job', 'Get-Module', 'Get-PSSession',
        'Get-PSSessionConfiguration', 'Get-PSSnapin', 'Import-Module', 'Invoke-Command', 'Invoke-History',
        'New-Module', 'New-ModuleManifest', 'New-PSSession', 'New-PSSessionOption', 'Out-Default', 'Out-Host',
        'Out-Null', 'Receive-Job', 'Register-PSSessionConfiguration', 'Remove-Job', 'Remove-Module',
        'Remove-PSSession', 'Remove-PSSnapin', 'Set-PSDebug', 'Set-PSSessionConfiguration', 'Set-StrictMode',
        'Start-Job', 'Stop-Job', 'Test-ModuleManifest', 'Unregister-PSSessionConfiguration', 'Wait-Job',
        'Where-Object', 'Disable-PSRemoting',
        # Microsoft.PowerShell.Management
        'Add-Computer', 'Add-Content', 'Checkpoint-Computer', 'Clear-Content', 'Clear-EventLog', 'Clear-Item',
        'Clear-ItemProperty', 'Complete-Transaction', 'Convert-Path', 'Copy-Item', 'Copy-ItemProperty',
        'Debug-Process', 'Disable-ComputerRestore', 'Enable-ComputerRestore', 'Get-ChildItem',
        'Get-ComputerRestorePoint', 'Get-Content', 'Get-EventLog', 'Get-HotFix', 'Get-Item', 'Get-ItemProperty',
        'Get-Location', 'Get-Process', 'Get-PSDrive', 'Get-PSProvider', 'Get-Service', 'Get-Transaction',
        'Get-WmiObject', 'Invoke-Item', 'Invoke-WmiMethod', 'Join-Path', 'Limit-EventLog', 'Move-Item',
        'Move-ItemProperty', 'New-EventLog', 'New-Item', 'New-ItemProperty', 'New-PSDrive', 'New-Service',
        'New-WebServiceProxy', 'Pop-Location', 'Push-Location', 'Register-WmiEvent', 'Remove-Computer',
        'Remove-EventLog', 'Remove-Item', 'Remove-ItemProperty', 'Remove-PSDrive', 'Remove-WmiObject',
        'Rename-Computer', 'Rename-Item', 'Rename-ItemProperty', 'Reset-ComputerMachinePassword', 'Resolve-Path',
        'Restart-Computer', 'Restart-Service', 'Restore-Computer', 'Resume-Service', 'Set-Content', 'Set-Item',
        'Set-ItemProperty', 'Set-Location', 'Set-Service', 'Set-WmiInstance', 'Show-EventLog', 'Split-Path',
        'Start-Process', 'Start-Service', 'Start-Transaction', 'Stop-Computer', 'Stop-Process', 'Stop-Service',
        'Suspend-Service', 'Test-ComputerSecureChannel', 'Test-Connection', 'Test-Path', 'Undo-Transaction',
        'Use-Transaction', 'Wait-Process', 'Write-EventLog',
        # Microsoft.PowerShell.Utility
        'Add-Member', 'Add-Type', 'Clear-Variable', 'Compare-Object', 'ConvertFrom-Csv', 'ConvertFrom-StringData',
        'ConvertTo-Csv', 'ConvertTo-Html', 'ConvertTo-Xml', 'Disable-PSBreakpoint', 'Enable-PSBreakpoint',
        'Export-Alias', 'Export-Clixml', 'Export-Csv', 'Export-FormatData', 'Export-PSSession', 'Format-Custom',
        'Format-List', 'Format-Table', 'Format-Wide', 'Get-Alias', 'Get-Culture', 'Get-Date', 'Get-Event',
        'Get-EventSubscriber', 'Get-FormatData', 'Get-Host', 'Get-Member', 'Get-PSBreakpoint', 'Get-PSCallStack',
        'Get-Random', 'Get-TraceSource', 'Get-UICulture', 'Get-Unique', 'Get-Variable', 'Group-Object',
        'Import-Alias', 'Import-Clixml', 'Import-Csv', 'Import-LocalizedData', 'Import-PSSession',
        'Invoke-Expression', 'Measure-Command', 'Measure-Object', 'New-Alias', 'New-Event', 'New-Object',
        'New-TimeSpan', 'New-Variable', 'Out-File', 'Out-GridView', 'Out-Printer', 'Out-String', 'Read-Host',
        'Register-EngineEvent', 'Register-ObjectEvent', 'Remove-Event', 'Remove-PSBreakpoint', 'Remove-Variable',
        'Select-Object', 'Select-String', 'Select-Xml', 'Send-MailMessage', 'Set-Alias', 'Set-Date',
        'Set-PSBreakpoint', 'Set-TraceSource', 'Set-Variable', 'Sort-Object', 'Start-Sleep', 'Tee-Object',
        'Trace-Command', 'Unregister-Event', 'Update-FormatData', 'Update-List', 'Update-TypeData', 'Wait-Event',
        'Write-Debug', 'Write-Error', 'Write-Host', 'Write-Output', 'Write-Progress', 'Write-Verbose',
        'Write-Warning',
        # Microsoft.PowerShell.Security
        'ConvertFrom-SecureString', 'ConvertTo-SecureString', 'Get-Acl', 'Get-AuthenticodeSignature',
        'Get-Credential', 'Get-ExecutionPolicy', 'Get-PfxCertificate', 'Set-Acl', 'Set-AuthenticodeSignature',
        'Set-ExecutionPolicy',
        # Microsoft.PowerShell.Diagnostics
        'Export-Counter', 'Get-Counter', 'Get-WinEvent', 'Import-Counter', 'New-WinEvent',
        # Microsoft.PowerShell.Host
        'Start-Transcript', 'Stop-Transcript',
        # Microsoft.WSMan.Management
        'Connect-WSMan', 'Disable-WSManCredSSP', 'Disconnect-WSMan', 'Enable-WSManCredSSP', 'Get-WSManCredSSP',
        'Get-WSManInstance', 'Invoke-WSManAction', 'New-WSManInstance', 'New-WSManSessionOption',
        'Remove-WSManInstance', 'Set-WSManInstance', 'Set-WSManQuickConfig', 'Test-WSMan'
    )

    # Built-in functions of a 2.0 session (from knowledge; `Get-Command -CommandType Function` on 2.0).
    Functions = @('Clear-Host', 'Get-Verb', 'help', 'ImportSystemModules', 'mkdir', 'more', 'prompt', 'TabExpansion',
        'cd..', 'cd\')

    # 2.0 aliases that scripts might use, mapped to their command so parameters are checked too
    # (from knowledge; `Get-Alias` on 2.0). 3.0+ aliases (sls, irm, iwr, gcim, curl, wget, gcb, scb) are absent.
    Aliases = @{
        '%' = 'ForEach-Object'; 'foreach' = 'ForEach-Object'; '?' = 'Where-Object'; 'where' = 'Where-Object'
        'ac' = 'Add-Content'; 'cat' = 'Get-Content'; 'gc' = 'Get-Content'; 'type' = 'Get-Content'
        'cd' = 'Set-Location'; 'chdir' = 'Set-Location'; 'sl' = 'Set-Location'; 'clc' = 'Clear-Content'
        'cls' = 'Clear-Host'; 'clear' = 'Clear-Host'; 'clv' = 'Clear-Variable'; 'compare' = 'Compare-Object'
        'diff' = 'Compare-Object'; 'copy' = 'Copy-Item'; 'cp' = 'Copy-Item'; 'cpi' = 'Copy-Item'
        'del' = 'Remove-Item'; 'erase' = 'Remove-Item'; 'rd' = 'Remove-Item'; 'ri' = 'Remove-Item'
        'rm' = 'Remove-Item'; 'rmdir' = 'Remove-Item'; 'dir' = 'Get-ChildItem'; 'gci' = 'Get-ChildItem'
        'ls' = 'Get-ChildItem'; 'echo' = 'Write-Output'; 'write' = 'Write-Output'; 'fl' = 'Format-List'
        'ft' = 'Format-Table'; 'fw' = 'Format-Wide'; 'gal' = 'Get-Alias'; 'gcm' = 'Get-Command'
        'gi' = 'Get-Item'; 'gl' = 'Get-Location'; 'pwd' = 'Get-Location'; 'gm' = 'Get-Member'
        'gp' = 'Get-ItemProperty'; 'gps' = 'Get-Process'; 'ps' = 'Get-Process'; 'group' = 'Group-Object'
        'gsv' = 'Get-Service'; 'gv' = 'Get-Variable'; 'gwmi' = 'Get-WmiObject'; 'iex' = 'Invoke-Expression'
        'ii' = 'Invoke-Item'; 'ipmo' = 'Import-Module'; 'kill' = 'Stop-Process'; 'spps' = 'Stop-Process'
        'measure' = 'Measure-Object'; 'mi' = 'Move-Item'; 'move' = 'Move-Item'; 'mv' = 'Move-Item'
        'md' = 'mkdir'; 'ni' = 'New-Item'; 'nv' = 'New-Variable'; 'oh' = 'Out-Host'; 'popd' = 'Pop-Location'
        'pushd' = 'Push-Location'; 'ren' = 'Rename-Item'; 'rni' = 'Rename-Item'; 'rnp' = 'Rename-ItemProperty'
        'rp' = 'Remove-ItemProperty'; 'rv' = 'Remove-Variable'; 'rvpa' = 'Resolve-Path'; 'sal' = 'Set-Alias'
        'saps' = 'Start-Process'; 'start' = 'Start-Process'; 'sc' = 'Set-Content'; 'select' = 'Select-Object'
        'set' = 'Set-Variable'; 'sv' = 'Set-Variable'; 'si' = 'Set-Item'; 'sleep' = 'Start-Sleep'
        'sort' = 'Sort-Object'; 'sp' = 'Set-ItemProperty'; 'tee' = 'Tee-Object'; 'icm' = 'Invoke-Command'
        'sajb' = 'Start-Job'; 'rcjb' = 'Receive-Job'; 'wjb' = 'Wait-Job'; 'gjb' = 'Get-Job'; 'rjb' = 'Remove-Job'
        'cvpa' = 'Convert-Path'; 'epcsv' = 'Export-Csv'; 'ipcsv' = 'Import-Csv'; 'h' = 'Get-History'
        'history' = 'Get-History'; 'ghy' = 'Get-History'; 'r' = 'Invoke-History'; 'ihy' = 'Invoke-History'
        'man' = 'help'; 'mount' = 'New-PSDrive'; 'ndr' = 'New-PSDrive'; 'gdr' = 'Get-PSDrive'
        'rdr' = 'Remove-PSDrive'; 'nal' = 'New-Alias'; 'iwmi' = 'Invoke-WmiMethod'; 'rwmi' = 'Remove-WmiObject'
        'swmi' = 'Set-WmiInstance'; 'ogv' = 'Out-GridView'; 'lp' = 'Out-Printer'; 'sasv' = 'Start-Service'
        'spsv' = 'Stop-Service'; 'gu' = 'Get-Unique'; 'gmo' = 'Get-Module'; 'rmo' = 'Remove-Module'
        'nmo' = 'New-Module'; 'asnp' = 'Add-PSSnapin'; 'gsnp' = 'Get-PSSnapin'; 'rsnp' = 'Remove-PSSnapin'
    }

    # Common parameters of 2.0 and their aliases (about_CommonParameters, 2.0:
    # https://learn.microsoft.com/previous-versions/dd315352(v=technet.10)). InformationAction/
    # InformationVariable (5.0) and PipelineVariable (4.0) are not here on purpose.
    CommonParameters = @('Verbose', 'vb', 'Debug', 'db', 'ErrorAction', 'ea', 'WarningAction', 'wa',
        'ErrorVariable', 'ev', 'WarningVariable', 'wv', 'OutVariable', 'ov', 'OutBuffer', 'ob',
        'WhatIf', 'wi', 'Confirm', 'cf', 'UseTransaction', 'usetx')

    # Full 2.0 syntax (parameters and their aliases) of the cmdlets checked parameter by parameter.
    # Each from the cmdlet's 2.0 help page where the search tool had it (URL), else from knowledge.
    Parameters = @{
        # https://learn.microsoft.com/previous-versions/dd347686(v=technet.10)
        'Get-ChildItem'      = @('Path', 'LiteralPath', 'PSPath', 'Filter', 'Include', 'Exclude', 'Recurse', 'Force', 'Name', 'UseTransaction')
        # https://learn.microsoft.com/previous-versions/dd347553(v=technet.10) (no -Stream: 3.0)
        'Get-Item'           = @('Path', 'LiteralPath', 'PSPath', 'Filter', 'Include', 'Exclude', 'Force', 'Credential', 'UseTransaction')
        # https://learn.microsoft.com/previous-versions/dd347719(v=technet.10) (no -Raw/-Tail/-Stream: 3.0; -Wait and
        # -Encoding are FileSystem dynamic parameters in 2.0, from knowledge)
        'Get-Content'        = @('Path', 'LiteralPath', 'PSPath', 'Filter', 'Include', 'Exclude', 'Force', 'Credential', 'ReadCount', 'TotalCount', 'UseTransaction', 'Wait', 'Encoding')
        # https://learn.microsoft.com/previous-versions/dd347593(v=technet.10) (no -AdditionalChildPath: 6.0)
        'Join-Path'          = @('Path', 'PSPath', 'ChildPath', 'Resolve', 'Credential', 'UseTransaction')
        # https://learn.microsoft.com/previous-versions/dd315358(v=technet.10)
        'Get-HotFix'         = @('Id', 'Description', 'ComputerName', 'CN', '__Server', 'IPAddress', 'Credential')
        # https://learn.microsoft.com/previous-versions/dd315295(v=technet.10)
        'Get-WmiObject'      = @('Class', 'Property', 'Filter', 'Query', 'Namespace', 'NS', 'ComputerName', 'Cn', 'Credential', 'Authentication', 'Impersonation', 'Locale', 'EnableAllPrivileges', 'Authority', 'Amended', 'DirectRead', 'List', 'Recurse', 'AsJob', 'ThrottleLimit')
        # The rest: from knowledge of the 2.0 help (Get-Help <cmdlet> -Full on 2.0).
        'Split-Path'         = @('Path', 'LiteralPath', 'PSPath', 'Parent', 'Leaf', 'Qualifier', 'NoQualifier', 'IsAbsolute', 'Resolve', 'Credential', 'UseTransaction')
        'Test-Path'          = @('Path', 'LiteralPath', 'PSPath', 'Filter', 'Include', 'Exclude', 'PathType', 'Type', 'IsValid', 'Credential', 'UseTransaction')
        'Resolve-Path'       = @('Path', 'LiteralPath', 'PSPath', 'Relative', 'Credential', 'UseTransaction')
        'New-Item'           = @('Path', 'Name', 'ItemType', 'Type', 'Value', 'Force', 'Credential', 'UseTransaction')
        'Remove-Item'        = @('Path', 'LiteralPath', 'PSPath', 'Filter', 'Include', 'Exclude', 'Recurse', 'Force', 'Credential', 'UseTransaction')
        'Copy-Item'          = @('Path', 'LiteralPath', 'PSPath', 'Destination', 'Container', 'Recurse', 'Force', 'PassThru', 'Filter', 'Include', 'Exclude', 'Credential', 'UseTransaction')
        'Move-Item'          = @('Path', 'LiteralPath', 'PSPath', 'Destination', 'Force', 'PassThru', 'Filter', 'Include', 'Exclude', 'Credential', 'UseTransaction')
        'Rename-Item'        = @('Path', 'NewName', 'Force', 'PassThru', 'Credential', 'UseTransaction')
        'Get-ItemProperty'   = @('Path', 'LiteralPath', 'PSPath', 'Name', 'PSProperty', 'Filter', 'Include', 'Exclude', 'Credential', 'UseTransaction')
        'Set-ItemProperty'   = @('Path', 'LiteralPath', 'PSPath', 'Name', 'PSProperty', 'Value', 'InputObject', 'PassThru', 'Force', 'Filter', 'Include', 'Exclude', 'Credential', 'UseTransaction', 'Type')
        'New-ItemProperty'   = @('Path', 'LiteralPath', 'PSPath', 'Name', 'PSProperty', 'PropertyType', 'Type', 'Value', 'Force', 'Filter', 'Include', 'Exclude', 'Credential', 'UseTransaction')
        'Remove-ItemProperty'= @('Path', 'LiteralPath', 'PSPath', 'Name', 'PSProperty', 'Force', 'Filter', 'Include', 'Exclude', 'Credential', 'UseTransaction')
        'Set-Content'        = @('Path', 'LiteralPath', 'PSPath', 'Value', 'PassThru', 'Filter', 'Include', 'Exclude', 'Force', 'Credential', 'UseTransaction', 'Encoding')
        'Add-Content'        = @('Path', 'LiteralPath', 'PSPath', 'Value', 'PassThru', 'Filter', 'Include', 'Exclude', 'Force', 'Credential', 'UseTransaction', 'Encoding')
        'Out-File'           = @('FilePath', 'Path', 'Encoding', 'Append', 'Force', 'NoClobber', 'Width', 'InputObject')
        'Out-String'         = @('Stream', 'Width', 'InputObject')
        'Out-Null'           = @('InputObject')
        'Write-Output'       = @('InputObject')
        'Write-Host'         = @('Object', 'NoNewline', 'Separator', 'ForegroundColor', 'BackgroundColor')
        'Write-Warning'      = @('Message')
        'Write-Verbose'      = @('Message')
        'Write-Debug'        = @('Message')
        'Write-Error'        = @('Message', 'Exception', 'ErrorRecord', 'Category', 'ErrorId', 'TargetObject', 'RecommendedAction', 'CategoryActivity', 'Activity', 'CategoryReason', 'Reason', 'CategoryTargetName', 'TargetName', 'CategoryTargetType', 'TargetType')
        'Select-Object'      = @('Property', 'ExcludeProperty', 'ExpandProperty', 'Unique', 'Last', 'First', 'Skip', 'Index', 'InputObject')
        'Sort-Object'        = @('Property', 'Descending', 'Unique', 'InputObject', 'Culture', 'CaseSensitive')
        'Where-Object'       = @('FilterScript', 'InputObject')
        'ForEach-Object'     = @('Process', 'Begin', 'End', 'InputObject')
        'Measure-Object'     = @('Property', 'Sum', 'Average', 'Maximum', 'Minimum', 'Line', 'Word', 'Character', 'IgnoreWhiteSpace', 'InputObject')
        'Get-Date'           = @('Date', 'Year', 'Month', 'Day', 'Hour', 'Minute', 'Second', 'DisplayHint', 'Format', 'UFormat')
        'New-Object'         = @('TypeName', 'ArgumentList', 'Args', 'Property', 'ComObject', 'Strict')
        'Start-Process'      = @('FilePath', 'PSPath', 'ArgumentList', 'Args', 'Credential', 'RunAs', 'WorkingDirectory', 'LoadUserProfile', 'Lup', 'NoNewWindow', 'nnw', 'PassThru', 'RedirectStandardError', 'RSE', 'RedirectStandardInput', 'RSI', 'RedirectStandardOutput', 'RSO', 'Wait', 'WindowStyle', 'UseNewEnvironment', 'Verb')
        'Start-Sleep'        = @('Seconds', 'Milliseconds')
        'Set-StrictMode'     = @('Version', 'Off')
        'Import-Module'      = @('Name', 'Assembly', 'ModuleInfo', 'Prefix', 'Function', 'Cmdlet', 'Variable', 'Alias', 'Force', 'PassThru', 'AsCustomObject', 'Version', 'ArgumentList', 'Args', 'DisableNameChecking', 'Global')
        'Get-Command'        = @('Name', 'Verb', 'Noun', 'PSSnapin', 'Module', 'CommandType', 'Type', 'TotalCount', 'Syntax', 'ArgumentList', 'Args')
        'Get-Service'        = @('Name', 'ServiceName', 'DisplayName', 'Include', 'Exclude', 'InputObject', 'ComputerName', 'Cn', 'DependentServices', 'RequiredServices', 'SDO', 'ServicesDependedOn')
        'Get-Process'        = @('Name', 'ProcessName', 'Id', 'PID', 'InputObject', 'ComputerName', 'Cn', 'Module', 'FileVersionInfo', 'FV', 'FVI')
        'Export-Csv'         = @('Path', 'LiteralPath', 'PSPath', 'InputObject', 'Force', 'NoClobber', 'Encoding', 'Delimiter', 'UseCulture', 'NoTypeInformation', 'NTI')
        'Group-Object'       = @('Property', 'NoElement', 'AsHashTable', 'AHT', 'AsString', 'InputObject', 'Culture', 'CaseSensitive')
        'Add-Member'         = @('MemberType', 'Type', 'Name', 'Value', 'SecondValue', 'InputObject', 'Force', 'PassThru')
        'Get-Acl'            = @('Path', 'Audit', 'Filter', 'Include', 'Exclude', 'UseTransaction')
        'Get-AuthenticodeSignature' = @('FilePath', 'Path')
        'Invoke-Expression'  = @('Command')
        'Get-Variable'       = @('Name', 'ValueOnly', 'Include', 'Exclude', 'Scope')
        'Set-Variable'       = @('Name', 'Value', 'Include', 'Exclude', 'Description', 'Option', 'Force', 'Visibility', 'PassThru', 'Scope')
        'Get-Member'         = @('InputObject', 'Name', 'MemberType', 'Type', 'View', 'Static', 'Force')
        'Compare-Object'     = @('ReferenceObject', 'DifferenceObject', 'SyncWindow', 'Property', 'ExcludeDifferent', 'IncludeEqual', 'PassThru', 'Culture', 'CaseSensitive')
    }

    # Parameter values added after 2.0, per cmdlet and parameter (normalized parameter name).
    ParameterValues = @(
        # New-Item -ItemType SymbolicLink/Junction/HardLink: 5.0.
        @{ Command = 'New-Item'; Parameter = 'ItemType'; Values = @('SymbolicLink', 'Junction', 'HardLink'); Since = '5.0'
           Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/new-item?view=powershell-5.1#-itemtype' }
        # Set-StrictMode -Version 3.0+ is unknown to the 2.0 engine.
        @{ Command = 'Set-StrictMode'; Parameter = 'Version'; Values = @('3', '3.0', '4', '4.0', '5', '5.0', '5.1'); Since = '3.0'
           Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/set-strictmode?view=powershell-5.1#-version' }
        # -Encoding values of .NET Core PowerShell (6.0+) that FileSystemCmdletProviderEncoding (2.0) lacks.
        @{ Command = '*'; Parameter = 'Encoding'; Values = @('utf8NoBOM', 'utf8BOM', 'ansi'); Since = '6.0'
           Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding' }
    )

    # ActionPreference values added after 2.0: Ignore (3.0), Suspend (3.0, workflows), Break (7.0).
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_commonparameters#-erroraction
    # ("The Ignore value ... was introduced in PowerShell 3.0"; "Break ... introduced in PowerShell 7.0")
    ActionPreferencesAfter2 = @('Ignore', 'Suspend', 'Break')

    # Type accelerators of 2.0 (from knowledge of [psobject].Assembly.GetType(
    # 'System.Management.Automation.TypeAccelerators')::Get on 2.0). [pscustomobject] is an
    # accelerator in 2.0 too, but for PSObject: the 3.0 [pscustomobject]@{} construction is a
    # separate rule. Source for what 3.0 added: about_Type_Accelerators
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_type_accelerators
    Accelerators = @('int', 'long', 'string', 'char', 'bool', 'byte', 'double', 'decimal', 'float', 'single',
        'regex', 'array', 'xml', 'scriptblock', 'switch', 'hashtable', 'type', 'ref', 'psobject', 'pscustomobject',
        'psmoduleinfo', 'powershell', 'runspacefactory', 'runspace', 'ipaddress', 'wmi', 'wmisearcher', 'wmiclass',
        'adsi', 'adsisearcher', 'psprimitivedictionary')

    # Attributes usable in a 2.0 script's param block and the named arguments 2.0 knows for them.
    # about_Functions_CmdletBindingAttribute: HelpURI, PositionalBinding, SupportsPaging and
    # RemotingCapability were introduced in 3.0
    #   https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_functions_cmdletbindingattribute
    # about_Functions_Advanced_Parameters: DontShow was introduced in 4.0
    #   https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_functions_advanced_parameters
    Attributes = @{
        'CmdletBinding'          = @('SupportsShouldProcess', 'ConfirmImpact', 'DefaultParameterSetName', 'SupportsTransactions')
        'Parameter'              = @('Mandatory', 'Position', 'ParameterSetName', 'ValueFromPipeline', 'ValueFromPipelineByPropertyName', 'ValueFromRemainingArguments', 'HelpMessage', 'HelpMessageBaseName', 'HelpMessageResourceId')
        'Alias'                  = @()
        'AllowNull'              = @()
        'AllowEmptyString'       = @()
        'AllowEmptyCollection'   = @()
        'ValidateCount'          = @()
        'ValidateLength'         = @()
        'ValidatePattern'        = @('Options')
        'ValidateRange'          = @()
        'ValidateScript'         = @()
        'ValidateSet'            = @('IgnoreCase')
        'ValidateNotNull'        = @()
        'ValidateNotNullOrEmpty' = @()
        # OutputType: the OutputTypeAttribute class is in the 2.0 SDK (from knowledge, unverified here).
        'OutputType'             = @('ParameterSetName', 'ProviderCmdlet')
        'System.Diagnostics.CodeAnalysis.SuppressMessageAttribute' = @('Scope', 'Target', 'MessageId', 'Justification', 'Category', 'CheckId')
        'Diagnostics.CodeAnalysis.SuppressMessageAttribute' = @('Scope', 'Target', 'MessageId', 'Justification', 'Category', 'CheckId')
    }

    # Automatic and preference variables added after 2.0.
    Variables = @(
        @{ Name = 'PSScriptRoot'; Since = '3.0 (2.0: script modules only)'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_automatic_variables#psscriptroot' }
        @{ Name = 'PSCommandPath'; Since = '3.0'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_automatic_variables#pscommandpath' }
        @{ Name = 'PSItem'; Since = '3.0'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_automatic_variables#psitem' }
        @{ Name = 'PSDefaultParameterValues'; Since = '3.0'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_parameters_default_values' }
        @{ Name = 'PSModuleAutoLoadingPreference'; Since = '3.0'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_preference_variables#psmoduleautoloadingpreference' }
        @{ Name = 'InformationPreference'; Since = '5.0'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_preference_variables#informationpreference' }
        @{ Name = 'PSEdition'; Since = '5.1'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_automatic_variables#psedition' }
        @{ Name = 'IsWindows'; Since = '6.0'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_automatic_variables#iswindows' }
        @{ Name = 'IsLinux'; Since = '6.0'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_automatic_variables#islinux' }
        @{ Name = 'IsMacOS'; Since = '6.0'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_automatic_variables#ismacos' }
        @{ Name = 'IsCoreCLR'; Since = '6.0'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_automatic_variables#iscoreclr' }
        @{ Name = 'PSStyle'; Since = '7.2'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_ansi_terminals' }
        @{ Name = 'EnabledExperimentalFeatures'; Since = '7.0'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_automatic_variables#enabledexperimentalfeatures' }
        @{ Name = 'PSNativeCommandUseErrorActionPreference'; Since = '7.3'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_preference_variables#psnativecommanduseerroractionpreference' }
        @{ Name = 'PSNativeCommandArgumentPassing'; Since = '7.3'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_preference_variables#psnativecommandargumentpassing' }
    )

    # .NET types (or namespaces, ending in '.') that .NET Framework 3.5 SP1 lacks, or PowerShell 3.0+ types.
    # Each API page's "Applies to" table gives the first .NET Framework version.
    Types = @(
        @{ Name = 'System.Tuple'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.tuple' }
        @{ Name = 'System.ValueTuple'; Since = '.NET 4.7'; Source = 'https://learn.microsoft.com/dotnet/api/system.valuetuple' }
        @{ Name = 'System.Lazy'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.lazy-1' }
        @{ Name = 'System.Numerics.'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.numerics.biginteger' }
        @{ Name = 'System.Threading.Tasks.'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.threading.tasks.task' }
        @{ Name = 'System.Threading.CancellationToken'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.threading.cancellationtoken' }
        @{ Name = 'System.Threading.SemaphoreSlim'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.threading.semaphoreslim' }
        @{ Name = 'System.Collections.Concurrent.'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.collections.concurrent' }
        @{ Name = 'System.Collections.Generic.SortedSet'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.collections.generic.sortedset-1' }
        @{ Name = 'System.Collections.Generic.ISet'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.collections.generic.iset-1' }
        @{ Name = 'System.IO.MemoryMappedFiles.'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.io.memorymappedfiles' }
        @{ Name = 'System.IO.Compression.ZipFile'; Since = '.NET 4.5'; Source = 'https://learn.microsoft.com/dotnet/api/system.io.compression.zipfile' }
        @{ Name = 'System.IO.Compression.ZipArchive'; Since = '.NET 4.5'; Source = 'https://learn.microsoft.com/dotnet/api/system.io.compression.ziparchive' }
        @{ Name = 'System.Net.Http.'; Since = '.NET 4.5'; Source = 'https://learn.microsoft.com/dotnet/api/system.net.http.httpclient' }
        @{ Name = 'System.Net.WebUtility'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.net.webutility' }
        @{ Name = 'System.Dynamic.'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.dynamic' }
        @{ Name = 'System.Runtime.InteropServices.RuntimeInformation'; Since = '.NET 4.7.1'; Source = 'https://learn.microsoft.com/dotnet/api/system.runtime.interopservices.runtimeinformation' }
        @{ Name = 'Microsoft.Win32.RegistryView'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/microsoft.win32.registryview' }
        @{ Name = 'Microsoft.Win32.RegistryOptions'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/microsoft.win32.registryoptions' }
        @{ Name = 'Microsoft.Management.Infrastructure.'; Since = 'PowerShell 3.0 (CIM)'; Source = 'https://learn.microsoft.com/dotnet/api/microsoft.management.infrastructure.ciminstance' }
        @{ Name = 'System.Management.Automation.Language.'; Since = 'PowerShell 3.0 (AST API)'; Source = 'https://learn.microsoft.com/dotnet/api/system.management.automation.language.parser' }
        @{ Name = 'System.Management.Automation.PSCredential'; Since = 'accelerator [pscredential] is 3.0; use the full name'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_type_accelerators' }
    )

    # Static members (and enum values) added in .NET 4+, by declaring type.
    StaticMembers = @(
        @{ Type = 'System.Environment'; Member = 'Is64BitOperatingSystem'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.environment.is64bitoperatingsystem' }
        @{ Type = 'System.Environment'; Member = 'Is64BitProcess'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.environment.is64bitprocess' }
        @{ Type = 'System.Environment'; Member = 'SystemPageSize'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.environment.systempagesize' }
        @{ Type = 'System.Environment'; Member = 'CurrentManagedThreadId'; Since = '.NET 4.5'; Source = 'https://learn.microsoft.com/dotnet/api/system.environment.currentmanagedthreadid' }
        @{ Type = 'System.String'; Member = 'IsNullOrWhiteSpace'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.string.isnullorwhitespace' }
        @{ Type = 'System.IO.Directory'; Member = 'EnumerateFiles'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.io.directory.enumeratefiles' }
        @{ Type = 'System.IO.Directory'; Member = 'EnumerateDirectories'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.io.directory.enumeratedirectories' }
        @{ Type = 'System.IO.Directory'; Member = 'EnumerateFileSystemEntries'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.io.directory.enumeratefilesystementries' }
        @{ Type = 'System.IO.File'; Member = 'ReadLines'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.io.file.readlines' }
        @{ Type = 'System.IO.File'; Member = 'AppendAllLines'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.io.file.appendalllines' }
        @{ Type = 'System.Enum'; Member = 'TryParse'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.enum.tryparse' }
        @{ Type = 'System.Version'; Member = 'Parse'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.version.parse' }
        @{ Type = 'System.Version'; Member = 'TryParse'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.version.tryparse' }
        @{ Type = 'System.Guid'; Member = 'Parse'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.guid.parse' }
        @{ Type = 'System.Guid'; Member = 'TryParse'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.guid.tryparse' }
        @{ Type = 'System.TimeSpan'; Member = 'ParseExact'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.timespan.parseexact' }
        @{ Type = 'System.TimeSpan'; Member = 'TryParseExact'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.timespan.tryparseexact' }
        @{ Type = 'System.Array'; Member = 'Empty'; Since = '.NET 4.6'; Source = 'https://learn.microsoft.com/dotnet/api/system.array.empty' }
        @{ Type = 'System.DateTimeOffset'; Member = 'FromUnixTimeSeconds'; Since = '.NET 4.6'; Source = 'https://learn.microsoft.com/dotnet/api/system.datetimeoffset.fromunixtimeseconds' }
        @{ Type = 'Microsoft.Win32.RegistryKey'; Member = 'OpenBaseKey'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/microsoft.win32.registrykey.openbasekey' }
        @{ Type = 'Microsoft.Win32.RegistryKey'; Member = 'FromHandle'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/microsoft.win32.registrykey.fromhandle' }
        @{ Type = 'System.Tuple'; Member = 'Create'; Since = '.NET 4.0'; Source = 'https://learn.microsoft.com/dotnet/api/system.tuple.create' }
        @{ Type = 'System.Net.SecurityProtocolType'; Member = 'Tls11'; Since = '.NET 4.5'; Source = 'https://learn.microsoft.com/dotnet/api/system.net.securityprotocoltype' }
        @{ Type = 'System.Net.SecurityProtocolType'; Member = 'Tls12'; Since = '.NET 4.5'; Source = 'https://learn.microsoft.com/dotnet/api/system.net.securityprotocoltype' }
        @{ Type = 'System.Net.SecurityProtocolType'; Member = 'Tls13'; Since = '.NET 4.8'; Source = 'https://learn.microsoft.com/dotnet/api/system.net.securityprotocoltype' }
        @{ Type = 'System.Net.SecurityProtocolType'; Member = 'SystemDefault'; Since = '.NET 4.7'; Source = 'https://learn.microsoft.com/dotnet/api/system.net.securityprotocoltype' }
    )

    # Environment.SpecialFolder values added in .NET 4.0 (2.0 has e.g. CommonApplicationData,
    # ProgramFiles, System, ApplicationData). Checked on [Environment+SpecialFolder]::X and on
    # string arguments of [Environment]::GetFolderPath('X').
    # https://learn.microsoft.com/dotnet/api/system.environment.specialfolder (per-value "Applies to";
    # the list of 4.0 additions is from knowledge of that page)
    SpecialFolders4 = @('Windows', 'ProgramFilesX86', 'CommonProgramFilesX86', 'UserProfile', 'SystemX86',
        'Fonts', 'AdminTools', 'CommonAdminTools', 'CommonDocuments', 'CommonMusic', 'CommonPictures',
        'CommonVideos', 'CommonDesktopDirectory', 'CommonStartMenu', 'CommonPrograms', 'CommonStartup',
        'CommonTemplates', 'CommonOemLinks', 'CDBurning', 'LocalizedResources', 'MyVideos', 'NetworkShortcuts',
        'PrinterShortcuts', 'Resources')

    # Instance method names that only exist from PowerShell 4.0 / .NET 4 on, whatever the receiver.
    InstanceMethods = @(
        @{ Member = 'Where'; Since = 'PowerShell 4.0 (intrinsic .Where())'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_arrays#where' }
        @{ Member = 'ForEach'; Since = 'PowerShell 4.0 (intrinsic .ForEach())'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_arrays#foreach' }
        @{ Member = 'HasFlag'; Since = '.NET 4.0 (Enum.HasFlag)'; Source = 'https://learn.microsoft.com/dotnet/api/system.enum.hasflag' }
        # Stream.CopyTo(Stream) is .NET 4.0. FileInfo.CopyTo(string) existed in 2.0 and cannot be told
        # apart statically: one-argument .CopyTo() is refused; use Copy-Item or [IO.File]::Copy.
        @{ Member = 'CopyTo'; Arguments = 1; Since = '.NET 4.0 (Stream.CopyTo)'; Source = 'https://learn.microsoft.com/dotnet/api/system.io.stream.copyto' }
    )
}
