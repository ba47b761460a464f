<#
    Test-side: reads XML files with .NET's System.Xml (the parser Windows tools use) and prints
    them as JSON trees: { name, attributes, children, text } per element.
#>
param([Parameter(Mandatory, ValueFromRemainingArguments)][string[]]$Path)
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

function ConvertTo-Tree([System.Xml.XmlElement]$Element) {
    $attributes = [ordered]@{}
    foreach ($a in $Element.Attributes) { $attributes[$a.Name] = $a.Value }
    [ordered]@{
        name       = $Element.LocalName
        attributes = $attributes
        children   = @($Element.ChildNodes | Where-Object { $_ -is [System.Xml.XmlElement] } | ForEach-Object { ConvertTo-Tree $_ })
        text       = $Element.InnerText
    }
}

$files = foreach ($file in $Path) {
    $document = [System.Xml.XmlDocument]::new()
    $document.PreserveWhitespace = $true
    $document.Load($file)
    [ordered]@{ path = $file; root = ConvertTo-Tree $document.DocumentElement }
}
@{ files = @($files) } | ConvertTo-Json -Depth 64 -Compress
