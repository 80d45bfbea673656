// Package buildinfo reports what the running binary is: its version, the
// source revision it was built from and the Go toolchain that built it.
package buildinfo

import (
	"runtime"
	"runtime/debug"
)

// Version is the daemon's own semantic version.
const Version = "0.1.0"

// ModuleSurface is the ExchangeOnlineManagement release whose cmdlet surface
// this project implements.
const ModuleSurface = "3.7.2"

// APIVersion is the newest gRPC API package the daemon serves.
const APIVersion = "exo.v1"

// Info describes one build.
type Info struct {
	Version   string
	Commit    string
	GoVersion string
}

// Read returns the build of the running binary. The commit comes from the
// VCS stamp the go command embeds, so no linker flags are needed.
func Read() Info {
	info := Info{Version: Version, Commit: "unknown", GoVersion: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info
	}
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Commit = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if modified && info.Commit != "unknown" {
		info.Commit += "-dirty"
	}
	return info
}
