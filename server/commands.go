package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"
	"google.golang.org/grpc"

	"github.com/openexo/exo/internal/auth"
	"github.com/openexo/exo/internal/buildinfo"
	"github.com/openexo/exo/internal/callstats"
	"github.com/openexo/exo/internal/client"
	"github.com/openexo/exo/internal/connection"
	"github.com/openexo/exo/internal/daemon"
	"github.com/openexo/exo/internal/instancelock"
	_ "github.com/openexo/exo/internal/jsoncodec" // lets clients speak application/grpc+json
	"github.com/openexo/exo/internal/logging"
	"github.com/openexo/exo/internal/socketpath"
	exov1 "github.com/openexo/exo/proto/exo/v1"
	"github.com/openexo/exo/server/rpc"
)

// exitAlreadyRunning is the exit status of `exod serve` when another daemon
// holds the lock; `exod start` treats it as success once that daemon answers.
const exitAlreadyRunning = 3

func exitCode(err error) int {
	if errors.Is(err, instancelock.ErrHeld) {
		return exitAlreadyRunning
	}
	return 1
}

type globalFlags struct {
	socket   string
	logLevel string
	logFile  string
}

func newRootCommand() *cobra.Command {
	var g globalFlags
	root := &cobra.Command{
		Use:           "exod",
		Short:         "The Exchange Online daemon behind the ExchangeOnlineManagement module",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.socket, "socket", "", "Unix socket path (default: $EXOD_SOCKET, else a per-user runtime directory)")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", os.Getenv("EXOD_LOG_LEVEL"), "log level: debug, info, warn or error (env EXOD_LOG_LEVEL)")
	root.PersistentFlags().StringVar(&g.logFile, "log-file", os.Getenv("EXOD_LOG_FILE"), "log file (env EXOD_LOG_FILE; default standard error, or exod.log beside the socket for start)")
	root.AddCommand(
		newServeCommand(&g),
		newStartCommand(&g),
		newStopCommand(&g),
		newSocketPathCommand(&g),
		newVersionCommand(),
		newSandboxCommand(&g),
	)
	return root
}

func (g *globalFlags) socketPath() string {
	if g.socket != "" {
		return filepath.Clean(g.socket)
	}
	return socketpath.Resolve(os.Getenv, os.Getuid())
}

func newServeCommand(g *globalFlags) *cobra.Command {
	var grace time.Duration
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the gRPC API in the foreground until SIGINT or SIGTERM",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Logs and lock files are the user's alone.
			syscall.Umask(0o077)
			log, err := logging.New(logging.Config{Level: g.logLevel, File: g.logFile})
			if err != nil {
				return err
			}
			defer func() { _ = log.Sync() }()
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			err = serve(ctx, log, g.socketPath(), grace)
			if errors.Is(err, instancelock.ErrHeld) {
				log.Warn("refusing to start a second instance", zap.Error(err))
			}
			return err
		},
	}
	cmd.Flags().DurationVar(&grace, "shutdown-grace", 10*time.Second, "how long in-flight calls may finish after a shutdown signal")
	return cmd
}

func serve(ctx context.Context, log *zap.Logger, socket string, grace time.Duration) error {
	stats := &callstats.Counters{}
	unaryErr, streamErr := rpc.ErrorBoundary(log)
	// The token cache sits beside the socket, in the user's private
	// directory, so a restarted daemon can sign in again silently.
	dir, err := socketpath.PrepareDir(socket, os.Getuid())
	if err != nil {
		return err
	}
	tokenCache, err := auth.NewFileCache(filepath.Join(dir, "tokens.json"), log.Named("tokencache"))
	if err != nil {
		return err
	}
	executable, err := os.Executable()
	if err != nil {
		return fmt.Errorf("locate exod: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(executable); err == nil {
		executable = resolved
	}
	connections := connection.NewManager(connection.Options{
		Cache: tokenCache, RecordPath: filepath.Join(dir, "connections.json"), Logger: log.Named("connection"),
	})
	services := rpc.Services{
		Daemon:      rpc.NewDaemonServer(buildinfo.Read(), stats, socket, executable, time.Now()),
		Connections: rpc.NewConnectionServer(connections),
		Queries:     rpc.NewQueryServer(connections),
		Commands:    rpc.NewCommandServer(connections, log.Named("command")),
	}
	return daemon.Run(ctx, daemon.Config{
		SocketPath:    socket,
		UID:           os.Getuid(),
		Logger:        log,
		ShutdownGrace: grace,
		ServerOptions: []grpc.ServerOption{
			// Counting wraps the error boundary so it sees the final status.
			grpc.ChainUnaryInterceptor(stats.UnaryInterceptor, unaryErr),
			grpc.ChainStreamInterceptor(stats.StreamInterceptor, streamErr),
		},
		Register: services.Register,
	})
}

func newStartCommand(g *globalFlags) *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Start the daemon in the background unless it is already running",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			st, err := startDetached(ctx, g)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "exod running: pid %d, socket %s\n", st.GetPid(), st.GetSocketPath())
			return nil
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 15*time.Second, "how long to wait for the daemon to answer")
	return cmd
}

// startDetached makes sure a daemon answers on the socket. When none does it
// starts `exod serve` in a new session with no terminal and no inherited
// output, so it outlives its parent and never holds a caller's pipes open.
// Two callers racing here both succeed: the instance lock lets one daemon
// win, and the loser exits with exitAlreadyRunning.
func startDetached(ctx context.Context, g *globalFlags) (*exov1.GetStatusResponse, error) {
	socket := g.socketPath()
	probeCtx, cancel := context.WithTimeout(ctx, time.Second)
	st, err := client.Probe(probeCtx, socket)
	cancel()
	if err == nil {
		return st, nil
	}
	if _, err := socketpath.PrepareDir(socket, os.Getuid()); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("locate exod: %w", err)
	}
	logFile := g.logFile
	if logFile == "" {
		logFile = filepath.Join(filepath.Dir(socket), "exod.log")
	}
	args := []string{"serve", "--socket", socket, "--log-file", logFile}
	if g.logLevel != "" {
		args = append(args, "--log-level", g.logLevel)
	}
	child := exec.Command(self, args...)
	child.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := child.Start(); err != nil {
		return nil, fmt.Errorf("start exod serve: %w", err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = child.Wait(); close(done) }()
	childFailed := func() error {
		select {
		case <-done:
			var ee *exec.ExitError
			if errors.As(waitErr, &ee) && ee.ExitCode() == exitAlreadyRunning {
				return nil // another daemon won the race; wait for it to answer
			}
			return fmt.Errorf("exod serve exited early (%v); see %s", waitErr, logFile)
		default:
			return nil
		}
	}
	st, err = client.WaitReady(ctx, socket, childFailed)
	if err != nil {
		return nil, err
	}
	_ = child.Process.Release()
	return st, nil
}

func newStopCommand(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "stop",
		Short: "Ask the running daemon to finish its calls and exit",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			socket := g.socketPath()
			ctx, cancel := context.WithTimeout(cmd.Context(), 2*time.Second)
			defer cancel()
			st, err := client.Probe(ctx, socket)
			if err != nil {
				fmt.Fprintf(cmd.OutOrStdout(), "exod is not running on %s\n", socket)
				return nil
			}
			proc, err := os.FindProcess(int(st.GetPid()))
			if err != nil {
				return fmt.Errorf("find pid %d: %w", st.GetPid(), err)
			}
			if err := proc.Signal(syscall.SIGTERM); err != nil {
				return fmt.Errorf("signal pid %d: %w", st.GetPid(), err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "asked exod (pid %d) to stop\n", st.GetPid())
			return nil
		},
	}
}

func newSocketPathCommand(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "socket-path",
		Short: "Print the Unix socket path the daemon uses",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), g.socketPath())
		},
	}
}

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the daemon's version, commit and Go version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			b := buildinfo.Read()
			fmt.Fprintf(cmd.OutOrStdout(), "exod %s\ncommit %s\n%s\nAPI %s, module surface %s\n",
				b.Version, b.Commit, b.GoVersion, buildinfo.APIVersion, buildinfo.ModuleSurface)
		},
	}
}
