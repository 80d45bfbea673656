// Command exoctl runs Exchange Online cmdlets from any shell through the
// exod daemon's gRPC API. See docs/exoctl.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/openexo/exo/internal/exoctl"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	executable, _ := os.Executable() // empty only on exotic systems; exod is then looked up on PATH
	terminal := false
	if fi, err := os.Stderr.Stat(); err == nil {
		terminal = fi.Mode()&os.ModeCharDevice != 0
	}
	env := exoctl.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, UID: os.Getuid(),
		ParentSession: exoctl.ParentSession(os.Getppid()), Executable: executable, StderrTerminal: terminal,
	}
	if fd := int(os.Stdin.Fd()); term.IsTerminal(fd) {
		env.ReadPassword = func() (string, error) {
			b, err := term.ReadPassword(fd)
			return string(b), err
		}
	}
	code := exoctl.Main(ctx, os.Args[1:], env)
	stop()
	os.Exit(code)
}
