<#
.SYNOPSIS
Measures PowerShell's own cost per object for one page of 1,000 mailboxes:
the floor under any PowerShell client of the service.

.DESCRIPTION
Builds one page of 1,000 objects shaped like Get-EXOMailbox's Minimum
property set (sixteen properties, three of them GUIDs), then times, per
object: ConvertFrom-Json alone; ConvertFrom-Json with each object emitted
to the pipeline (what the plain Invoke-RestMethod script in getexo.ps1
does); the module's first loop, which typed the GUID properties and
inserted the type name into each PSCustomObject; and the module's loop
now (Invoke-ExoQuery): the page read as dictionaries whose first key,
PSTypeName, the [pscustomobject] cast turns into the type name. No daemon
or sandbox is involved.

    pwsh -NoProfile -File tests/bench/jsonparse.ps1
#>
param([int] $Repeat = 20)
$ErrorActionPreference = 'Stop'

$page = foreach ($i in 1..1000) {
    [ordered]@{
        ExternalDirectoryObjectId = [guid]::NewGuid().ToString(); UserPrincipalName = "user$i@contoso.com"
        Alias = "user$i"; DisplayName = "User Number $i"
        EmailAddresses = @("SMTP:user$i@contoso.com", "smtp:user$i@contoso.onmicrosoft.com")
        PrimarySmtpAddress = "user$i@contoso.com"; RecipientType = 'UserMailbox'; RecipientTypeDetails = 'UserMailbox'
        Identity = "user$i"; Id = "user$i"; ExchangeVersion = '0.20 (15.0.0.0)'; Name = "user$i"
        DistinguishedName = "CN=user$i,OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=NAMPR01A001,DC=prod,DC=outlook,DC=com"
        OrganizationId = 'NAMPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com'
        Guid = [guid]::NewGuid().ToString(); ExchangeGuid = [guid]::NewGuid().ToString()
    }
}
$typeName = 'ExchangeOnlineManagement.ExoMailbox'
$json = ConvertTo-Json -InputObject @($page) -Compress -Depth 4
# As the daemon sends it to the module (QueryRequest.type_name_member).
$typedJson = ConvertTo-Json -Compress -Depth 4 -InputObject @($page | ForEach-Object {
        $typed = [ordered]@{ PSTypeName = $typeName }
        foreach ($key in $_.Keys) { $typed[$key] = $_[$key] }
        $typed
    })
$guids = 'ExternalDirectoryObjectId', 'Guid', 'ExchangeGuid'

$cases = [ordered]@{
    'ConvertFrom-Json alone'                   = { $null = ConvertFrom-Json -InputObject $json -NoEnumerate }
    'ConvertFrom-Json, objects emitted'        = { foreach ($object in (ConvertFrom-Json -InputObject $json -NoEnumerate)) { $object } }
    'The module''s first loop (GUIDs and type name set on each PSCustomObject)' = {
        foreach ($object in (ConvertFrom-Json -InputObject $json -NoEnumerate)) {
            foreach ($name in $guids) {
                if ($object.$name) { $object.$name = [guid]$object.$name }
            }
            $object.PSObject.TypeNames.Insert(0, $typeName)
            $object
        }
    }
    'The module''s loop (dictionaries cast to [pscustomobject])' = {
        foreach ($object in (ConvertFrom-Json -InputObject $typedJson -NoEnumerate -AsHashtable)) {
            foreach ($name in $guids) {
                if ($object[$name]) { $object[$name] = [guid]$object[$name] }
            }
            [pscustomobject]$object
        }
    }
}
'| Work per object, page of 1,000 | µs per object |'
'| --- | ---: |'
foreach ($case in $cases.GetEnumerator()) {
    $null = & $case.Value | Measure-Object
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    foreach ($k in 1..$Repeat) { $null = & $case.Value | Measure-Object }
    '| {0} | {1:N0} |' -f $case.Key, ($clock.Elapsed.TotalMilliseconds * 1000 / (1000 * $Repeat))
}
