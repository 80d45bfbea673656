# Source from bash: puts the project's toolchains on PATH and points Go at the
# offline module mirror when ../shared/goproxy sits beside the checkout.
# Installs nothing; scripts/bootstrap.sh does that.
_exo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export EXO_ROOT=$_exo_root
export EXO_TOOLS=$_exo_root/.tools
case ":$PATH:" in *":/usr/local/go/bin:"*) ;; *) [ -d /usr/local/go/bin ] && PATH=/usr/local/go/bin:$PATH ;; esac
case ":$PATH:" in *":$HOME/.dotnet/tools:"*) ;; *) PATH=$PATH:$HOME/.dotnet/tools ;; esac
export GOBIN=$EXO_TOOLS/bin
case ":$PATH:" in *":$GOBIN:"*) ;; *) PATH=$GOBIN:$PATH ;; esac
export PATH
if [ -f "$_exo_root/../shared/tools/go-offline-env.sh" ] && [ -e "$_exo_root/../shared/goproxy" ]; then
  # shellcheck disable=SC1091
  . "$_exo_root/../shared/tools/go-offline-env.sh"
fi
unset _exo_root
