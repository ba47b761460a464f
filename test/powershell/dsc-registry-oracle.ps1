<#
    Test oracle: what the DSC Registry resource does with a resource's ValueType/ValueData/Hex, under
    each module tlsgen may import. Re-typed (not copied) from their sources, following the cited lines:

      inbox-wmf50   PSDesiredStateConfiguration 1.1 of WMF 5.0.10586, as forked into xRegistry:
                    github.com/dsccommunity/xPSDesiredStateConfiguration, commit
                    afa6468e61c67c6c1e1551171e8ab1c0488a45cc, DSCResources/MSFT_xRegistryResource/
                    MSFT_xRegistryResource.psm1 (the commit message: "This started with a copy of the
                    Registry resource from PSDesiredStateConfiguration v1.1 (WMF 5.0.10586.0 from
                    Windows 10)"). Get-TargetResourceInternal lines 36-114, Set-TargetResource 170-388
                    (value write 283-300), Test-TargetResource 391-557, GetTypedObject 742-905
                    (TrimStart("0x") 827, 854, 882), ArrayToString 911-940,
                    ConvertByteArrayToHexString 943-960 ('{0:x}' 959), ValueDataMatches 1069-1125.
      inbox-wmf51   The same file after commit 89407aa2edf60acfe1e31a9dccdf22d071bf71b3 ("Merge open
                    Registry with in-box Registry", 2016-09-07, by Microsoft): Convert-ByteArrayToHexString
                    formats '{0:x2}' (line 1290) and Compare-ValueData pads ValueData on the left to the
                    length of what it read (line 1467). TrimStart('0x') stays (lines 1144, 1176, 1208);
                    dsccommunity/xPSDesiredStateConfiguration#276 confirms it in the in-box resource of
                    Windows 10 1607 (WMF 5.1).
      PSDscResources  github.com/PowerShell/PSDscResources, release 2.12.0.0 (commit
                    fa1494c98cd62bc4f8514d4cccc4803c5da60569; file last changed in ef370fb0),
                    DscResources/MSFT_RegistryResource/MSFT_RegistryResource.psm1: Set-TargetResource
                    lines 179-385, Test-TargetResource 387-530, Get-TargetResource 39-177,
                    Convert-ByteArrayToHexString 884-915, ConvertTo-ReadableString 917-972,
                    ConvertTo-Binary 1060-1115, ConvertTo-DWord 1117-1178, ConvertTo-MultiString
                    1180-1208, ConvertTo-QWord 1210-1271, ConvertTo-String 1273-1316,
                    Set-RegistryKeyValue 1318-1368, Test-RegistryKeyValuesMatch 1370-1432.

    Where the value lands (the key each module opens or creates for Key), for key names holding '/'
    (the Schannel cipher keys, e.g. "Ciphers\RC4 128/128"):
      inbox-*       The in-box module opens keys with Get-Item and creates them with New-Item, through the
                    PowerShell registry provider (xPSDesiredStateConfiguration PR #58, commit afa6468e:
                    its fork replaced exactly those calls because "New-Item will outright fail to create
                    these keys"; issue #285 reports the in-box Registry resource writing "...\RC2 40/128"
                    to a wrong path). The provider's NavigationCmdletProvider.NormalizePath turns '/' into
                    '\' in a path that does not exist yet (PowerShell/PowerShell@929903692e,
                    src/System.Management.Automation/namespaces/NavigationProviderBase.cs 865-906), so
                    the key it creates is split at '/'. (afa6468e and 89407aa2 themselves use
                    OpenSubKey: that is the fork's change, not the in-box code, whose source is not
                    published.) tlsgen never gives the in-box module such a key (Script resources do it).
      PSDscResources  Get-RegistryKey (lines 739-780) opens the path after the first '\' with
                    RegistryKey.OpenSubKey; New-RegistryKey (1001-1027) splits at the last '\' only
                    ("Registry key names can contain forward slashes, so we can't use Split-Path here"),
                    creates the parent first and calls CreateSubKey(child); Set-RegistryKeyValue writes
                    with Registry.SetValue(RegistryKey.Name, ...). Win32 splits a subkey path at '\'
                    only ("Key names cannot include the backslash character (\), but any other
                    printable character can be used", learn.microsoft.com/en-us/windows/win32/sysinfo/
                    structure-of-the-registry), so a '/' stays in one key's name.

    Removal (Ensure = 'Absent'), PSDscResources only (same file and commit; unchanged at 7064eda):
      PSDscResources  Set-TargetResource opens the key with Get-RegistryKey (line 222; drive name from
                    Get-RegistryDriveName 609-645 through Get-PathRoot 543-563 and ConvertTo-RegistryDriveName
                    573-601, $script:registryDriveRoots 12-18, Mount-RegistryDrive 653-685), and when the
                    value (or the key) is there removes it through the PowerShell provider with Key as
                    given: Remove-ItemProperty -Path $Key -Name $ValueName -Force (line 312), Remove-Item
                    -Path $Key -Recurse -Force (line 339). Test-TargetResource (387-530) then reads through
                    Get-TargetResource/Get-RegistryKey again. The provider resolves a path without ':'
                    relative to the current location (PowerShell/PowerShell@929903692e,
                    src/System.Management.Automation/namespaces/LocationGlobber.cs, IsAbsolutePath
                    1558-1645: "If there is no : then the path is relative to the current working drive",
                    GetDriveRootRelativePathFromPSPath 1809-1945; learn.microsoft.com/en-us/powershell/module/
                    microsoft.powershell.core/about/about_locations). Under the LCM that is
                    C:\Windows\system32 on the FileSystem provider, so Key = 'HKEY_LOCAL_MACHINE\...' fails
                    with "Cannot find path 'C:\Windows\system32\HKEY_LOCAL_MACHINE\...' because it does not
                    exist." (PowerShell/PSDscResources#201; dsccommunity/xPSDesiredStateConfiguration#444,
                    fixed in xRegistry by commit 5a205a5). With 'HKLM:\...' the provider opens the drive's
                    root, and NormalizePath turns '/' into '\' (NavigationProviderBase.cs 865-906).
                    -Path and -Name take wildcards; the oracle refuses to guess and reports an error for
                    a Key or ValueName holding one of * ? [ ].

    The registry is simulated by what .NET's RegistryKey does (github.com/dotnet/runtime,
    src/libraries/Microsoft.Win32.Registry/src/Microsoft/Win32/RegistryKey.Windows.cs, SetValueCore
    and InternalGetValueCore): DWord stores Convert.ToInt32(value, InvariantCulture) little-endian,
    QWord Convert.ToInt64, String/ExpandString value.ToString() + NUL in UTF-16LE, MultiString
    (string[])value each + NUL then NUL, Binary (byte[])value; GetValue returns Int32, Int64, string,
    string[] or byte[].

    Input: a JSON file, an array of { id, Key, ValueName, ValueType, ValueData, Hex, Ensure } (and
    DeleteKey, true for a key removal, with Ensure = 'Absent').
    Output: JSON, per resource and module: the key the value lands in, the value kind and bytes Set
    writes on an empty key, whether Test then reports compliant, or the error Set or Test throws.
    For Ensure = 'Absent', PSDscResources only: Set runs on a registry holding the value (or the key,
    with a subkey) where Get-RegistryKey looks for it; removed lists what Set took away (del|KEY|NAME,
    delkey|KEY), tests whether Test then reports compliant.
#>
param([Parameter(Mandatory = $true)][string]$InputPath)
Set-StrictMode -Off   # the modules run without strict mode; $Data.Length on a string etc. must behave as there
$ErrorActionPreference = 'Stop'

$KindNumber = @{ String = 1; ExpandString = 2; Binary = 3; DWord = 4; MultiString = 7; QWord = 11 }

#region The registry, as .NET's RegistryKey stores and returns values
function ConvertTo-StoredValue([object]$Value, [string]$Kind) {
    # RegistryKey.SetValue: ArgumentNullException.ThrowIfNull(value) (.NET Framework: ThrowHelper, same check).
    if ($null -eq $Value) { throw 'ArgumentNullException: RegistryKey.SetValue(value) was given $null' }
    $kindName = [string][Microsoft.Win32.RegistryValueKind]$Kind   # PowerShell's string-to-enum conversion, case-insensitive
    $bytes = switch ($kindName) {
        'DWord' { [BitConverter]::GetBytes([Convert]::ToInt32($Value, [Globalization.CultureInfo]::InvariantCulture)) }
        'QWord' { [BitConverter]::GetBytes([Convert]::ToInt64($Value, [Globalization.CultureInfo]::InvariantCulture)) }
        { $_ -in 'String', 'ExpandString' } { [Text.Encoding]::Unicode.GetBytes($Value.ToString() + [char]0) }
        'MultiString' {
            if ($Value -isnot [string[]]) { throw "RegistryKey.SetValue: MultiString needs string[], got $($Value.GetType())" }
            [Text.Encoding]::Unicode.GetBytes((($Value | ForEach-Object { $_ + [char]0 }) -join '') + [char]0)
        }
        'Binary' {
            if ($Value -isnot [byte[]]) { throw "RegistryKey.SetValue: Binary needs byte[], got $($Value.GetType())" }
            $Value
        }
    }
    [pscustomobject]@{ Kind = $kindName; Bytes = [byte[]]@($bytes) }
}

function Get-StoredData($Stored) {
    $bytes = $Stored.Bytes
    switch ($Stored.Kind) {
        'DWord' { return [BitConverter]::ToInt32($bytes, 0) }
        'QWord' { return [BitConverter]::ToInt64($bytes, 0) }
        'MultiString' {
            $text = [Text.Encoding]::Unicode.GetString($bytes)
            $items = New-Object System.Collections.Generic.List[string]
            foreach ($part in $text.Split([char]0)) { if ($part.Length -eq 0) { break }; $items.Add($part) }
            return , [string[]]$items.ToArray()
        }
        'Binary' { return , [byte[]]$bytes }
        default { return [Text.Encoding]::Unicode.GetString($bytes).TrimEnd([char]0) }
    }
}
#endregion

#region Where the value lands
# RegCreateKeyEx / RegistryKey.CreateSubKey: the subkey path is split at '\' only; the new key's Name is the parent's + '\' + path.
function Win32-CreateSubKey([string]$ParentName, [string]$SubKey) { (@($ParentName) + $SubKey.Split('\')) -join '\' }

# PSDscResources New-RegistryKey: split at the last '\', create the parent (recursively), then CreateSubKey(child).
function Dsc-KeyWritten([string]$RegistryKeyPath) {
    $indexOfLastBackslash = $RegistryKeyPath.LastIndexOf('\')
    if ($indexOfLastBackslash -lt 0) { return $RegistryKeyPath }   # the hive (Get-RegistryKey opens it with subkey '')
    $parentName = Dsc-KeyWritten $RegistryKeyPath.Substring(0, $indexOfLastBackslash)
    Win32-CreateSubKey $parentName $RegistryKeyPath.Substring($indexOfLastBackslash + 1)
}

# The in-box module's New-Item -Path: the provider normalises '/' to '\' in a path that does not exist yet.
function Inbox-KeyWritten([string]$Key) { $Key.Replace('/', '\') }
#endregion

#region In-box PSDesiredStateConfiguration (afa6468e; the WMF 5.1 differences of 89407aa2 behind $Wmf51)
function Invoke-InboxArgumentError([string]$ErrorId) { throw "ArgumentException: $ErrorId" }

function Inbox-GetTypedObject {
    param(
        [parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][System.String]$Type,
        [System.String[]]$Data,
        [ValidateNotNull()][Boolean]$Hex,
        [ref]$ReturnValue
    )
    if (($Type -ine 'Multistring') -and ($Data -ne $null) -and ($Data.Count -gt 1)) { Invoke-InboxArgumentError "ArrayNotExpectedForType$Type" }
    switch ($Type) {
        { $_ -in 'String', 'ExpandString' } {
            if (($Data -eq $null) -or ($Data.Length -eq 0)) { $ReturnValue.Value = [String]::Empty; return }
            $ReturnValue.Value = [String]$Data[0]
        }
        'MultiString' {
            if (($Data -eq $null) -or ($Data.Length -eq 0)) { $ReturnValue.Value = [String[]]@(); return }
            $ReturnValue.Value = [String[]]$Data
        }
        'DWord' {
            if (($Data -eq $null) -or ($Data.Length -eq 0)) { $ReturnValue.Value = [Int32]0 }
            elseif ($Hex) {
                $retVal = $null
                # .NET Framework has only String.TrimStart(params char[]): "0x" binds as the characters '0' and 'x'.
                $val = $Data[0].TrimStart([char[]]'0x')
                if ([Int32]::TryParse($val, 'HexNumber', [Globalization.CultureInfo]::CurrentCulture, [ref]$retVal)) { $ReturnValue.Value = $retVal }
                else { Invoke-InboxArgumentError 'ValueDataNotInHexFormat' }
            }
            else { $ReturnValue.Value = [Int32]::Parse($Data[0]) }
        }
        'QWord' {
            if (($Data -eq $null) -or ($Data.Length -eq 0)) { $ReturnValue.Value = [Int64]0 }
            elseif ($Hex) {
                $retVal = $null
                $val = $Data[0].TrimStart([char[]]'0x')
                if ([Int64]::TryParse($val, 'HexNumber', [Globalization.CultureInfo]::CurrentCulture, [ref]$retVal)) { $ReturnValue.Value = $retVal }
                else { Invoke-InboxArgumentError 'ValueDataNotInHexFormat' }
            }
            else { $ReturnValue.Value = [Int64]::Parse($Data[0]) }
        }
        'Binary' {
            if (($Data -eq $null) -or ($Data.Length -eq 0)) { $ReturnValue.Value = [Byte[]]@(); return }
            $val = $Data[0].TrimStart([char[]]'0x')
            if ($val.Length % 2 -ne 0) { $val = $val.PadLeft($val.Length + 1, '0') }
            try {
                $byteArray = [Byte[]]@()
                for ($i = 0; $i -lt ($val.Length - 1); $i = $i + 2) { $byteArray += [Byte]::Parse($val.Substring($i, 2), 'HexNumber') }
                $ReturnValue.Value = [Byte[]]$byteArray
            }
            catch { Invoke-InboxArgumentError 'ValueDataNotInHexFormat' }
        }
    }
}

function Inbox-ArrayToString {
    param([parameter(Mandatory = $true)][ValidateNotNull()][System.Object]$Value)
    if (!$Value.GetType().IsArray) { return $Value.ToString() }
    if ($Value.Length -eq 1) { return $Value[0].ToString() }
    $text = '('
    $Value | ForEach-Object { $text = $text + $_.ToString() + ', ' }
    return $text.TrimEnd(', ') + ')'
}

function Inbox-ConvertByteArrayToHexString {
    param([parameter(Mandatory = $true)][ValidateNotNull()][System.Object]$Data, [bool]$Wmf51)
    $format = if ($Wmf51) { '{0:x2}' } else { '{0:x}' }
    $retString = ''
    $Data | ForEach-Object { $retString += ($format -f $_) }
    return $retString
}

# Get-TargetResourceInternal for a value: $null when absent, else ValueType (the kind) and Data as it compares.
function Inbox-ReadValue($Stored, [bool]$Wmf51) {
    if ($null -eq $Stored) { return $null }
    $valData = Get-StoredData $Stored
    if ($valData -eq $null) { return $null }
    $finalData = $valData
    if ($Stored.Kind -ieq 'Binary') { $finalData = Inbox-ConvertByteArrayToHexString -Data $valData -Wmf51 $Wmf51 }
    [pscustomobject]@{ ValueType = [Microsoft.Win32.RegistryValueKind]$Stored.Kind; Data = $finalData }
}

function Inbox-ValueDataMatches($RetrievedValue, [string]$ValueType, [string[]]$ValueData, [bool]$Hex, [bool]$Wmf51) {
    $specifiedData = $null
    $retrievedData = $RetrievedValue.Data
    Inbox-GetTypedObject -Type $ValueType -Data $ValueData -Hex $Hex -ReturnValue ([ref]$specifiedData)
    if ($ValueType -ieq 'Binary') {
        $specifiedData = if ($Wmf51) { $ValueData[0].PadLeft($retrievedData.Length, '0') } else { $ValueData[0] }
    }
    if ($ValueType -ine 'Multistring') { return ($specifiedData -ieq $retrievedData) }
    if ($specifiedData.Length -ne $retrievedData.Length) { return $false }
    for ($i = 0; $i -lt $specifiedData.Length; $i++) { if ($specifiedData[$i] -ine $retrievedData[$i]) { return $false } }
    return $true
}

function Invoke-Inbox($Resource, [bool]$Wmf51) {
    $ValueType = $Resource.ValueType
    [string[]]$ValueData = @($Resource.ValueData)
    $Hex = [bool]$Resource.Hex
    # Set-TargetResource, Ensure = Present, key present, value absent.
    $setVal = $null
    Inbox-GetTypedObject -Type $ValueType -Data $ValueData -Hex $Hex -ReturnValue ([ref]$setVal)
    $null = Inbox-ArrayToString -Value $setVal   # the ShouldProcess message
    $stored = ConvertTo-StoredValue $setVal $ValueType
    # Test-TargetResource against what Set wrote.
    $valData = Inbox-ReadValue $stored $Wmf51
    $tests = $true
    if ($null -eq $valData) { $tests = $false }
    elseif ($ValueType -ine $valData.ValueType) { $tests = $false }
    elseif (!(Inbox-ValueDataMatches -RetrievedValue $valData -ValueType $ValueType -ValueData $ValueData -Hex $Hex -Wmf51 $Wmf51)) { $tests = $false }
    else { $null = Inbox-ArrayToString -Value $valData.Data }   # the RegValueExists message
    @{ stored = $stored; tests = $tests }
}
#endregion

#region PSDscResources 2.12.0.0
function Dsc-ConvertToBinary {
    param([Parameter()][AllowNull()][AllowEmptyCollection()][System.String[]]$RegistryKeyValue)
    if (($null -ne $RegistryKeyValue) -and ($RegistryKeyValue.Count -gt 1)) { throw 'ArrayNotAllowedForExpectedType Binary' }
    $binaryRegistryKeyValue = [System.Byte[]]@()
    if (($null -ne $RegistryKeyValue) -and ($RegistryKeyValue.Count -eq 1) -and (-not [String]::IsNullOrEmpty($RegistryKeyValue[0]))) {
        $single = $RegistryKeyValue[0]
        if ($single.StartsWith('0x')) { $single = $single.Substring('0x'.Length) }
        if (($single.Length % 2) -ne 0) { $single = $single.PadLeft($single.Length + 1, '0') }
        try {
            for ($i = 0; $i -lt ($single.Length - 1); $i = $i + 2) { $binaryRegistryKeyValue += [System.Byte]::Parse($single.Substring($i, 2), 'HexNumber') }
        }
        catch { throw "BinaryDataNotInHexFormat $single" }
    }
    return $binaryRegistryKeyValue
}

function Dsc-ConvertToInteger {
    # ConvertTo-DWord and ConvertTo-QWord are the same code over Int32 and Int64.
    param([AllowNull()][AllowEmptyCollection()][System.String[]]$RegistryKeyValue, [System.Boolean]$Hex = $false, [type]$As)
    if (($null -ne $RegistryKeyValue) -and ($RegistryKeyValue.Count -gt 1)) { throw "ArrayNotAllowedForExpectedType $As" }
    $result = $As::Parse('0')
    if (($null -ne $RegistryKeyValue) -and ($RegistryKeyValue.Count -eq 1) -and (-not [String]::IsNullOrEmpty($RegistryKeyValue[0]))) {
        $single = $RegistryKeyValue[0]
        if ($Hex) {
            if ($single.StartsWith('0x')) { $single = $single.Substring('0x'.Length) }
            $referenceValue = $null
            if ($As::TryParse($single, 'HexNumber', [Globalization.CultureInfo]::CurrentCulture, [ref]$referenceValue)) { $result = $referenceValue }
            else { throw "DataNotInHexFormat $single" }
        }
        else { $result = $As::Parse($single) }
    }
    return $result
}

function Dsc-ConvertToMultiString {
    param([AllowNull()][AllowEmptyCollection()][System.String[]]$RegistryKeyValue)
    $multi = [System.String[]]@()
    if (($null -ne $RegistryKeyValue) -and ($RegistryKeyValue.Length -gt 0)) { $multi = [System.String[]]$RegistryKeyValue }
    return $multi
}

function Dsc-ConvertToString {
    param([AllowNull()][AllowEmptyCollection()][System.String[]]$RegistryKeyValue)
    if (($null -ne $RegistryKeyValue) -and ($RegistryKeyValue.Count -gt 1)) { throw 'ArrayNotAllowedForExpectedType String or ExpandString' }
    $text = [System.String]::Empty
    if (($null -ne $RegistryKeyValue) -and ($RegistryKeyValue.Count -eq 1)) { $text = [System.String]$RegistryKeyValue[0] }
    return $text
}

function Dsc-ConvertValue([string]$ValueType, [string[]]$ValueData, [bool]$Hex) {
    switch ($ValueType) {
        'Binary' { Dsc-ConvertToBinary -RegistryKeyValue $ValueData; break }
        'DWord' { Dsc-ConvertToInteger -RegistryKeyValue $ValueData -Hex $Hex -As ([int]); break }
        'MultiString' { Dsc-ConvertToMultiString -RegistryKeyValue $ValueData; break }
        'QWord' { Dsc-ConvertToInteger -RegistryKeyValue $ValueData -Hex $Hex -As ([long]); break }
        default { Dsc-ConvertToString -RegistryKeyValue $ValueData }
    }
}

function Dsc-ConvertByteArrayToHexString {
    param([Parameter(Mandatory = $true)][ValidateNotNull()][AllowEmptyCollection()][System.Object[]]$ByteArray)
    $hexString = ''
    foreach ($byte in $ByteArray) { $hexString += ('{0:x2}' -f $byte) }
    return $hexString
}

function Dsc-ConvertToReadableString {
    param(
        [Parameter(Mandatory = $true)][AllowNull()][AllowEmptyCollection()][System.Object[]]$RegistryKeyValue,
        [Parameter(Mandatory = $true)][ValidateSet('String', 'Binary', 'DWord', 'QWord', 'MultiString', 'ExpandString')][System.String]$RegistryKeyValueType
    )
    $readable = [System.String]::Empty
    if ($null -ne $RegistryKeyValue) {
        if ($RegistryKeyValueType -eq 'Binary') { $RegistryKeyValue = Dsc-ConvertByteArrayToHexString -ByteArray $RegistryKeyValue }
        if ($RegistryKeyValueType -ne 'MultiString') { $RegistryKeyValue = [System.String[]]@() + $RegistryKeyValue }
        if ($RegistryKeyValue.Count -eq 1 -and -not [String]::IsNullOrEmpty($RegistryKeyValue[0])) { $readable = $RegistryKeyValue[0].ToString() }
        elseif ($RegistryKeyValue.Count -gt 1) { $readable = "($($RegistryKeyValue -join ', '))" }
    }
    return $readable
}

function Dsc-SetRegistryKeyValue([object]$RegistryKeyValue, [string]$ValueType) {
    if ($ValueType -eq 'Binary') { $RegistryKeyValue = [System.Byte[]]$RegistryKeyValue }
    elseif ($ValueType -eq 'MultiString') { $RegistryKeyValue = [System.String[]]$RegistryKeyValue }
    ConvertTo-StoredValue $RegistryKeyValue $ValueType
}

function Dsc-TestRegistryKeyValuesMatch {
    param(
        [Parameter(Mandatory = $true)][AllowNull()][System.Object]$ExpectedRegistryKeyValue,
        [Parameter(Mandatory = $true)][AllowNull()][System.Object]$ActualRegistryKeyValue,
        [Parameter(Mandatory = $true)][ValidateSet('String', 'Binary', 'DWord', 'QWord', 'MultiString', 'ExpandString')][System.String]$RegistryKeyValueType
    )
    if ($RegistryKeyValueType -eq 'Multistring' -or $RegistryKeyValueType -eq 'Binary') {
        if ($null -eq $ExpectedRegistryKeyValue) { $ExpectedRegistryKeyValue = @() }
        if ($null -eq $ActualRegistryKeyValue) { $ActualRegistryKeyValue = @() }
        return $null -eq (Compare-Object -ReferenceObject $ExpectedRegistryKeyValue -DifferenceObject $ActualRegistryKeyValue)
    }
    if ($null -eq $ExpectedRegistryKeyValue) { $ExpectedRegistryKeyValue = '' }
    if ($null -eq $ActualRegistryKeyValue) { $ActualRegistryKeyValue = '' }
    return $ExpectedRegistryKeyValue -ieq $ActualRegistryKeyValue
}

function Invoke-PSDscResources($Resource) {
    $ValueType = $Resource.ValueType
    [string[]]$ValueData = @($Resource.ValueData)
    $Hex = [bool]$Resource.Hex
    # Set-TargetResource, Ensure = Present, key present, value absent: convert, then write.
    $expected = Dsc-ConvertValue $ValueType $ValueData $Hex
    $stored = Dsc-SetRegistryKeyValue $expected $ValueType
    # Test-TargetResource: Get-TargetResource's view (kind, readable data), then the typed comparison.
    $actual = Get-StoredData $stored
    $kind = [Microsoft.Win32.RegistryValueKind]$stored.Kind
    $null = @() + (Dsc-ConvertToReadableString -RegistryKeyValue $actual -RegistryKeyValueType $kind)
    $tests = $true
    if ($ValueType -ne $kind) { $tests = $false }
    else {
        $expectedAgain = Dsc-ConvertValue $ValueType $ValueData $Hex
        $tests = Dsc-TestRegistryKeyValuesMatch -ExpectedRegistryKeyValue $expectedAgain -ActualRegistryKeyValue $actual -RegistryKeyValueType $ValueType
    }
    @{ stored = $stored; tests = $tests }
}
#endregion

#region PSDscResources 2.12.0.0, Ensure = 'Absent'
$DscRegistryDriveRoots = @{ HKCC = 'HKEY_CURRENT_CONFIG'; HKCR = 'HKEY_CLASSES_ROOT'; HKCU = 'HKEY_CURRENT_USER'; HKLM = 'HKEY_LOCAL_MACHINE'; HKUS = 'HKEY_USERS' }
# Where the LCM's runspace stands: the FileSystem provider, in C:\Windows\system32 (PowerShell/PSDscResources#201).
$LcmCurrentLocation = 'C:\Windows\system32'
# Drives every Windows PowerShell session has (FileSystem C, Registry HKLM and HKCU); Mount-RegistryDrive adds the others.
$DefaultRegistryDrives = @('HKLM', 'HKCU')

# Get-PathRoot (543-563): the text before the first '\', not Split-Path.
function Dsc-GetPathRoot([string]$Path) {
    $i = $Path.IndexOf('\')
    if ($i -ge 0) { return $Path.Substring(0, $i) }
    $Path
}

# Get-RegistryDriveName (609-645) with ConvertTo-RegistryDriveName (573-601): a drive name, or a hive's root name.
function Dsc-GetRegistryDriveName([string]$RegistryKeyPath) {
    $root = (Dsc-GetPathRoot $RegistryKeyPath).TrimEnd('\')
    if ($root.Contains(':')) {
        $name = $root.TrimEnd(':')
        if (-not $DscRegistryDriveRoots.ContainsKey($name)) { throw "ArgumentException: InvalidRegistryDrive $name" }
        return $name
    }
    $name = $null
    # Hashtable.ContainsValue compares with String.Equals (ordinal, case-sensitive); the loop after it with -ieq.
    if ($DscRegistryDriveRoots.ContainsValue($root)) {
        foreach ($k in $DscRegistryDriveRoots.Keys) { if ($DscRegistryDriveRoots[$k] -ieq $root) { $name = $k; break } }
    }
    if ([string]::IsNullOrEmpty($name)) { throw "ArgumentException: InvalidRegistryDrive $root" }
    $name
}

# Get-RegistryKey (739-780): the name of the key it opens (the drive's root key, then OpenSubKey of the rest, split at '\' only).
function Dsc-RegistryKeyOpened([string]$RegistryKeyPath) {
    $root = $DscRegistryDriveRoots[(Dsc-GetRegistryDriveName $RegistryKeyPath)]
    $i = $RegistryKeyPath.IndexOf('\')
    $sub = if ($i -ge 0 -and $i -lt ($RegistryKeyPath.Length - 1)) { $RegistryKeyPath.Substring($i + 1) } else { '' }
    if ($sub -eq '') { return $root }
    Win32-CreateSubKey $root $sub
}

# What -Path names for Remove-ItemProperty / Remove-Item: the registry key, or a FileSystem path that does not exist.
function Resolve-ProviderPath([string]$Path, [string[]]$Drives) {
    if ($Path.IndexOfAny([char[]]'*?[]') -ge 0) { throw "oracle: wildcard characters in -Path '$Path' are not modelled" }
    $colon = $Path.IndexOf(':')
    if ($Path.StartsWith('.\') -or $Path.StartsWith('./') -or $colon -le 0) {
        # LocationGlobber.IsAbsolutePath: no drive, so relative to the current location (the FileSystem drive C:).
        return [pscustomobject]@{ Provider = 'FileSystem'; Path = "$LcmCurrentLocation\$Path" }
    }
    $drive = $Path.Substring(0, $colon)
    if ($Path.Substring($colon).StartsWith('::')) { throw "oracle: provider-qualified path '$Path' is not modelled" }
    if ($drive -notin $Drives) { throw "DriveNotFoundException: A drive with the name '$drive' does not exist." }
    # Registry provider: the drive's root, then the rest with '/' read as '\' (NormalizePath).
    $rest = $Path.Substring($colon + 1).Replace('/', '\').Trim('\')
    $root = $DscRegistryDriveRoots[$drive]
    [pscustomobject]@{ Provider = 'Registry'; Path = $(if ($rest) { "$root\$rest" } else { $root }) }
}

function Test-FakeKey($Registry, [string]$Name) { $Registry.ContainsKey($Name.ToUpperInvariant()) }

function Invoke-PSDscResourcesAbsent($Resource) {
    $Key = [string]$Resource.Key
    $ValueName = [string]$Resource.ValueName
    $deleteKey = [bool]$Resource.DeleteKey
    # The registry before Set: the key the resource opens holds the value (a key removal: a value and a subkey).
    $opened = Dsc-RegistryKeyOpened $Key
    $registry = @{}
    $registry[$opened.ToUpperInvariant()] = @{ $(if ($deleteKey) { 'KEPT' } else { $ValueName.ToUpperInvariant() }) = 1 }
    if ($deleteKey) { $registry["$opened\CHILD".ToUpperInvariant()] = @{ 'KEPT' = 1 } }
    $before = @($registry.Keys | ForEach-Object { $k = $_; $registry[$k].Keys | ForEach-Object { "$k|$_" } })
    $keysBefore = @($registry.Keys)
    # Set-TargetResource (179-385). Get-RegistryKey mounts the drive Key names (Mount-RegistryDrive, Scope Script: the module's own scope, where the removal runs).
    $drives = @($DefaultRegistryDrives) + @(Dsc-GetRegistryDriveName $Key)
    if (Test-FakeKey $registry $opened) {
        if (-not $deleteKey) {
            if ($ValueName.IndexOfAny([char[]]'*?[]') -ge 0) { throw "oracle: wildcard characters in -Name '$ValueName' are not modelled" }
            if ($registry[$opened.ToUpperInvariant()].ContainsKey($ValueName.ToUpperInvariant())) {
                # Remove-ItemProperty -Path $Key -Name $ValueName -Force (line 312).
                $target = Resolve-ProviderPath $Key $drives
                if ($target.Provider -ne 'Registry' -or -not (Test-FakeKey $registry $target.Path)) { throw "ItemNotFoundException: Cannot find path '$($target.Path)' because it does not exist." }
                $values = $registry[$target.Path.ToUpperInvariant()]
                if (-not $values.ContainsKey($ValueName.ToUpperInvariant())) { throw "PSArgumentException: Property $ValueName does not exist at path $($target.Path)." }
                $values.Remove($ValueName.ToUpperInvariant())
            }
        }
        else {
            # Remove-Item -Path $Key -Recurse -Force (line 339); Force = $true, so subkeys do not stop it.
            $target = Resolve-ProviderPath $Key $drives
            if ($target.Provider -ne 'Registry' -or -not (Test-FakeKey $registry $target.Path)) { throw "ItemNotFoundException: Cannot find path '$($target.Path)' because it does not exist." }
            $gone = $target.Path.ToUpperInvariant()
            foreach ($k in @($registry.Keys)) { if ($k -eq $gone -or $k.StartsWith("$gone\")) { $registry.Remove($k) } }
        }
    }
    # Test-TargetResource (387-530), Ensure = 'Absent': compliant when the key it opens, or its value, is gone.
    $tests = if (-not (Test-FakeKey $registry $opened)) { $true } elseif ($deleteKey) { $false } else { -not $registry[$opened.ToUpperInvariant()].ContainsKey($ValueName.ToUpperInvariant()) }
    $after = @($registry.Keys | ForEach-Object { $k = $_; $registry[$k].Keys | ForEach-Object { "$k|$_" } })
    # Reported in the names' own case (the test upper-cases them as its .reg reader does).
    $removed = @(
        $keysGone = @($keysBefore | Where-Object { -not $registry.ContainsKey($_) })
        foreach ($k in $keysGone) { if (($k -replace '\\[^\\]*$', '') -notin $keysGone) { "delkey|$opened$($k.Substring($opened.Length))" } }
        if (-not $deleteKey -and $before.Count -ne $after.Count) { "del|$opened|$ValueName" }
    )
    @{ removed = $removed; tests = $tests }
}

function Invoke-OracleAbsent($Resource) {
    try {
        $result = Invoke-PSDscResourcesAbsent $Resource
        [ordered]@{ module = 'PSDscResources'; key = $null; type = $null; data = $null; removed = @($result.removed); tests = [bool]$result.tests; error = $null }
    }
    catch {
        [ordered]@{ module = 'PSDscResources'; key = $null; type = $null; data = $null; removed = @(); tests = $false; error = [string]$_.Exception.Message }
    }
}
#endregion

function Invoke-Oracle($Resource, [string]$Module) {
    try {
        $result = switch ($Module) {
            'inbox-wmf50' { Invoke-Inbox $Resource $false }
            'inbox-wmf51' { Invoke-Inbox $Resource $true }
            'PSDscResources' { Invoke-PSDscResources $Resource }
        }
        $key = if ($Module -eq 'PSDscResources') { Dsc-KeyWritten $Resource.Key } else { Inbox-KeyWritten $Resource.Key }
        [ordered]@{
            module = $Module
            key    = $key
            type   = $KindNumber[$result.stored.Kind]
            data   = ([BitConverter]::ToString($result.stored.Bytes) -replace '-', '').ToLowerInvariant()
            tests  = [bool]$result.tests
            error  = $null
        }
    }
    catch {
        [ordered]@{ module = $Module; key = $null; type = $null; data = $null; tests = $false; error = [string]$_.Exception.Message }
    }
}

# Only when run as a script: Pester dot-sources this file for Get-StoredData / ConvertTo-StoredValue.
if ($InputPath -ne '-') {
    $resources = Get-Content -LiteralPath $InputPath -Raw -Encoding utf8 | ConvertFrom-Json
    $results = foreach ($resource in $resources) {
        [ordered]@{
            id      = $resource.id
            modules = @(if ($resource.Ensure -eq 'Absent') { Invoke-OracleAbsent $resource } else { foreach ($module in 'inbox-wmf50', 'inbox-wmf51', 'PSDscResources') { Invoke-Oracle $resource $module } })
        }
    }
    ConvertTo-Json -InputObject @($results) -Depth 6
}
