function Read-ExoCommandCatalog {
    <#
    .SYNOPSIS
    Reads what each exported cmdlet's command needs from the service's
    generated module, with PowerShell's parser; the module is never run.

    .DESCRIPTION
    Returns one entry per exported cmdlet, in the service's order: Name, the
    text of its [CmdletBinding()] and other param-block attributes
    (Binding), its param() block text (Params), its ConfirmImpact as a
    number, or -1 without SupportsShouldProcess (Impact), and whether its
    proxy batches pipeline input, read from the Begin block's $UseBatching
    assignment (Batching).

    .PARAMETER ModuleScript
    The service's module text (GetCatalog's moduleScript).

    .PARAMETER Cmdlet
    The exported cmdlets, in the service's order.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)]
        [string] $ModuleScript,

        [Parameter(Mandatory)]
        [AllowEmptyCollection()]
        [string[]] $Cmdlet
    )

    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($ModuleScript, [ref]$tokens, [ref]$errors)
    if ($errors.Count -gt 0) {
        throw "the service's command module does not parse: $($errors[0].Message) (line $($errors[0].Extent.StartLineNumber))"
    }
    # Top-level functions only; the proxies are declared `function script:Name`.
    $functions = [System.Collections.Generic.Dictionary[string, System.Management.Automation.Language.FunctionDefinitionAst]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($statement in $ast.EndBlock.Statements) {
        if ($statement -is [System.Management.Automation.Language.FunctionDefinitionAst]) {
            $name = $statement.Name
            $colon = $name.IndexOf(':')
            if ($colon -ge 0) { $name = $name.Substring($colon + 1) }
            $functions[$name] = $statement
        }
    }

    $entries = [System.Collections.Generic.List[hashtable]]::new($Cmdlet.Count)
    foreach ($name in $Cmdlet) {
        $function = $null
        if (-not $functions.TryGetValue($name, [ref]$function)) {
            throw "the service's command module has no function for its exported cmdlet $name"
        }
        if ($name -notmatch '^[A-Za-z]+-[A-Za-z0-9]+$') {
            throw "the service's cmdlet name '$name' cannot be a command name"
        }
        $body = $function.Body
        $impact = -1
        $binding = ''
        $params = 'param()'
        if ($body.ParamBlock) {
            $params = $body.ParamBlock.Extent.Text
            foreach ($attribute in $body.ParamBlock.Attributes) {
                $binding += $attribute.Extent.Text + "`n    "
                # Compared by name: resolving the type costs milliseconds per proxy.
                if ($attribute.TypeName.Name -notin 'CmdletBinding', 'CmdletBindingAttribute', 'System.Management.Automation.CmdletBinding', 'System.Management.Automation.CmdletBindingAttribute') { continue }
                $shouldProcess = $false
                $impactName = 'Medium'
                foreach ($argument in $attribute.NamedArguments) {
                    if ($argument.ArgumentName -eq 'SupportsShouldProcess') {
                        $shouldProcess = $argument.ExpressionOmitted -or $argument.Argument.Extent.Text -eq '$true'
                    } elseif ($argument.ArgumentName -eq 'ConfirmImpact') {
                        $impactName = $argument.Argument.Extent.Text.Trim("'", '"')
                    }
                }
                if ($shouldProcess) { $impact = [int][System.Management.Automation.ConfirmImpact]$impactName }
            }
        }
        # `$UseBatching = $true -and $PSCmdlet.MyInvocation.ExpectingInput`:
        # the constant operand says whether the proxy batches at all.
        $batching = '$false'
        if ($body.BeginBlock) {
            foreach ($statement in $body.BeginBlock.Statements) {
                if ($statement -is [System.Management.Automation.Language.AssignmentStatementAst] -and
                    $statement.Left -is [System.Management.Automation.Language.VariableExpressionAst] -and
                    $statement.Left.VariablePath.UserPath -eq 'UseBatching') {
                    if ($statement.Right.Extent.Text -match '^\s*\$true\b') { $batching = '$true' }
                    break
                }
            }
        }
        $entries.Add(@{ Name = $name; Binding = $binding; Params = $params; Impact = $impact; Batching = $batching })
    }
    , $entries
}
