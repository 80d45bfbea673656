function Find-ExoStoreCertificate {
    <#
    .SYNOPSIS
    Finds a certificate with its private key by thumbprint in the current
    user's and the machine's personal stores.

    .DESCRIPTION
    Uses .NET's own certificate stores, so -CertificateThumbprint also works
    on Linux and macOS, where .NET keeps the current user's store under the
    home directory (Microsoft's module supports it on Windows only). The
    machine's personal store exists on Windows only; elsewhere opening it
    fails and is skipped.

    .PARAMETER Thumbprint
    The SHA-1 thumbprint, in any case, with or without spaces.
    #>
    [CmdletBinding()]
    [OutputType([System.Security.Cryptography.X509Certificates.X509Certificate2])]
    param(
        [Parameter(Mandatory)]
        [string] $Thumbprint
    )

    $wanted = ($Thumbprint -replace '\s', '').ToUpperInvariant()
    foreach ($location in 'CurrentUser', 'LocalMachine') {
        $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', $location)
        try {
            $store.Open([System.Security.Cryptography.X509Certificates.OpenFlags]::ReadOnly)
        } catch [System.Security.Cryptography.CryptographicException] {
            Write-Verbose "The $location\My certificate store cannot be opened here: $($_.Exception.Message)"
            continue
        }
        try {
            $found = $store.Certificates.Find([System.Security.Cryptography.X509Certificates.X509FindType]::FindByThumbprint, $wanted, $false)
            foreach ($certificate in $found) {
                if ($certificate.HasPrivateKey) { return $certificate }
            }
        } finally {
            $store.Dispose()
        }
    }
    throw "No certificate with thumbprint '$Thumbprint' and a private key was found in the CurrentUser\My or LocalMachine\My store."
}
