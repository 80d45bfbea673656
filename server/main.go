// Command exod is the daemon behind the ExchangeOnlineManagement module: it
// owns connections, sign-in and the REST client, and serves the exo.v1 gRPC
// API on a per-user Unix socket.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := newRootCommand().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "exod:", err)
		os.Exit(exitCode(err))
	}
}
