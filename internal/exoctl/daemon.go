package exoctl

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"time"

	"google.golang.org/grpc"

	"github.com/openexo/exo/internal/client"
	"github.com/openexo/exo/internal/socketpath"
)

// startTimeout bounds starting the daemon.
const startTimeout = 20 * time.Second

// conn returns the daemon connection, starting the daemon (`exod start`)
// when none answers, as the module does.
func (a *app) conn(ctx context.Context) (*grpc.ClientConn, error) {
	if a.cc != nil {
		return a.cc, nil
	}
	socket := a.opts.socket
	if socket == "" {
		socket = socketpath.Resolve(a.env.Getenv, a.env.UID)
	}
	probe, cancel := context.WithTimeout(ctx, time.Second)
	_, err := client.Probe(probe, socket)
	cancel()
	if err != nil {
		if a.opts.noStart {
			return nil, fmt.Errorf("%w: %v", ErrUnreachable, err)
		}
		if err := a.startDaemon(ctx, socket); err != nil {
			return nil, err
		}
	}
	cc, err := client.Dial(socket)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	a.cc = cc
	return cc, nil
}

// startDaemon runs `exod start`, which returns once the daemon answers.
func (a *app) startDaemon(ctx context.Context, socket string) error {
	exod := a.env.Getenv("EXOD_PATH")
	if exod == "" && a.env.Executable != "" {
		exod = filepath.Join(filepath.Dir(a.env.Executable), "exod")
	}
	if path, err := exec.LookPath(exod); err == nil {
		exod = path
	} else if path, err := exec.LookPath("exod"); err == nil {
		exod = path
	} else {
		return fmt.Errorf("%w: no daemon answers on %s and exod was not found beside exoctl, in $EXOD_PATH or on PATH", ErrUnreachable, socket)
	}
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, exod, "start", "--socket", socket).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w: exod start: %v: %s", ErrUnreachable, err, out)
	}
	return nil
}
