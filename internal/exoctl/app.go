// Package exoctl is the logic of the exoctl command line: it parses
// PowerShell-style parameters, calls the daemon's exo.v1 API and prints
// tables or JSON lines, with exit codes scripts can branch on
// (docs/exoctl.md).
package exoctl

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"google.golang.org/grpc"
)

// Env is what a run of exoctl reads from its process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// UID is the user, for the default socket path.
	UID int
	// ParentSession names the calling shell's default client session.
	ParentSession string
	// Executable is exoctl's own path, to find exod beside it.
	Executable string
	// StderrTerminal turns the progress counter on by default.
	StderrTerminal bool
	// ReadPassword reads a secret from the terminal without echo; nil when
	// standard input is not a terminal, where a line of Stdin is read.
	ReadPassword func() (string, error)
}

// options are the global --flags.
type options struct {
	output     string
	session    string
	socket     string
	connection string
	columns    []string
	inputs     string
	progress   *bool
	noStart    bool
}

const usageText = `usage: exoctl [--flags] <command> [-Parameter value ...]

commands:
  connect [-AppId id -Organization org -CertificateFilePath file | -Device |
           -Credential user | -AccessToken token | -ManagedIdentity] [...]
                          sign in, as Connect-ExchangeOnline
  connect-ippssession ... sign in to Security & Compliance, as Connect-IPPSSession
  connections [-ConnectionId id] [-ModulePrefix p]
                          list this session's connections
  disconnect [-ConnectionId id] [-ModulePrefix p]
                          close connections (all of the session's by default)
  run <Cmdlet> [-Parameter value ...]
                          run a cmdlet: Get-EXO* through the query engine,
                          any other through the connection's cmdlet catalogue
  version                 print exoctl's daemon and API versions

flags:
  --output table|json     table (default) or one JSON object per line
  --columns a,b           the table's columns
  --connection id         the connection to run cmdlets on
  --inputs file|-         pipeline inputs for run, one per line: a JSON object of
                          parameters, or text for the position-0 parameter
  --session name          use the connections shared under name (env EXOCTL_SESSION)
  --socket path           the daemon's socket (env EXOD_SOCKET)
  --progress, --no-progress
                          count objects on stderr (default: when stderr is a terminal)
  --no-start              fail instead of starting the daemon

exit codes: 0 ok, 1 other failure, 2 usage, 3 service error, 4 throttled,
5 connection or sign-in, 6 daemon unreachable, 130 interrupted.
See docs/exoctl.md.
`

// Main runs exoctl with args (without the program name) and returns the
// exit code.
func Main(ctx context.Context, args []string, env Env) int {
	opts, rest, err := parseFlags(args)
	if err == nil && len(rest) == 0 {
		err = usagef("no command given")
	}
	format := opts.output
	if format != FormatJSON {
		format = FormatTable
	}
	progress := env.StderrTerminal
	if opts.progress != nil {
		progress = *opts.progress
	}
	p := NewPrinter(format, env.Stdout, env.Stderr, opts.columns, progress)
	if err != nil {
		return fail(p, err)
	}
	if rest[0] == "help" || rest[0] == "--help" || rest[0] == "-h" {
		fmt.Fprint(env.Stdout, usageText)
		return ExitOK
	}
	a := &app{opts: opts, env: env, p: p, session: clientSession(opts, env)}
	code := a.dispatch(ctx, rest[0], rest[1:])
	if err := p.Close(); err != nil && code == ExitOK {
		return fail(p, err)
	}
	return code
}

// parseFlags takes the --flags out of args, wherever they are: cmdlet
// parameters use a single dash.
func parseFlags(args []string) (options, []string, error) {
	var o options
	var rest []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "--") || arg == "--" {
			rest = append(rest, arg)
			continue
		}
		name, value, hasValue := strings.Cut(arg[2:], "=")
		takeValue := func() (string, error) {
			if hasValue {
				return value, nil
			}
			if i+1 >= len(args) {
				return "", usagef("--%s needs a value", name)
			}
			i++
			return args[i], nil
		}
		var err error
		switch name {
		case "output", "o":
			o.output, err = takeValue()
			if err == nil && o.output != FormatTable && o.output != FormatJSON {
				err = usagef("--output is table or json, not %q", o.output)
			}
		case "session":
			o.session, err = takeValue()
		case "socket":
			o.socket, err = takeValue()
		case "connection":
			o.connection, err = takeValue()
		case "inputs":
			o.inputs, err = takeValue()
		case "columns":
			var v string
			v, err = takeValue()
			for _, c := range strings.Split(v, ",") {
				if c = strings.TrimSpace(c); c != "" {
					o.columns = append(o.columns, c)
				}
			}
		case "progress", "no-progress":
			on := name == "progress"
			o.progress = &on
		case "no-start":
			o.noStart = true
		case "help":
			rest = append(rest, "help")
		default:
			err = usagef("unknown flag --%s", name)
		}
		if err != nil {
			return o, nil, err
		}
	}
	return o, rest, nil
}

// app is one run of exoctl.
type app struct {
	opts    options
	env     Env
	p       *Printer
	session string
	cc      *grpc.ClientConn
}

func (a *app) dispatch(ctx context.Context, command string, args []string) int {
	var err error
	code := ExitOK
	switch strings.ToLower(command) {
	case "connect", "connect-exchangeonline":
		err = a.connect(ctx, args, false)
	case "connect-ippssession":
		err = a.connect(ctx, args, true)
	case "connections", "get-connectioninformation":
		err = a.connections(ctx, args)
	case "disconnect", "disconnect-exchangeonline":
		err = a.disconnect(ctx, args)
	case "run":
		code, err = a.run(ctx, args)
	case "version":
		err = a.version(ctx, args)
	default:
		err = usagef("unknown command %q (try exoctl help)", command)
	}
	if a.cc != nil {
		_ = a.cc.Close()
	}
	if err != nil {
		if ctx.Err() != nil {
			return ExitInterrupted
		}
		return fail(a.p, err)
	}
	return code
}

// fail prints err and returns its exit code.
func fail(p *Printer, err error) int {
	f := Describe(err)
	e := map[string]any{"code": f.Code.String(), "message": f.Message, "exitCode": f.Exit}
	if f.Reason != "" {
		e["reason"] = f.Reason
	}
	if len(f.Metadata) > 0 {
		e["metadata"] = f.Metadata
	}
	if f.RetryAfter > 0 {
		e["retryAfterSeconds"] = f.RetryAfter.Seconds()
	}
	if f.Field != "" {
		e["field"] = f.Field
	}
	text := f.String()
	if f.Exit == ExitUsage && errors.Is(err, ErrUsage) {
		text += " (try exoctl help)"
	}
	p.Error(e, text)
	return f.Exit
}

// clientSession is the client session exoctl's calls use: by default the
// calling shell's own, so successive commands of one script share their
// connections while other shells and PowerShell processes cannot see them;
// a name given with --session or $EXOCTL_SESSION (or the module's
// $EXOD_CLIENT_SESSION) shares them with every process that gives it.
func clientSession(o options, env Env) string {
	name := o.session
	for _, key := range []string{"EXOCTL_SESSION", "EXOD_CLIENT_SESSION"} {
		if name == "" {
			name = env.Getenv(key)
		}
	}
	if name != "" {
		// The module's naming, so both reach the same connections.
		return "shared:" + name
	}
	// "<pid>-…" like the module's ids, so the daemon drops the records of
	// a shell that has exited; the suffix keeps it apart from the module's.
	return env.ParentSession + "-exoctl"
}

// secret reads a secret from the environment variable key, else from the
// terminal without echo, else one line of standard input.
func (a *app) secret(key, what string) (string, error) {
	if v := a.env.Getenv(key); v != "" {
		return v, nil
	}
	if a.env.ReadPassword != nil {
		fmt.Fprintf(a.env.Stderr, "%s: ", what)
		v, err := a.env.ReadPassword()
		fmt.Fprintln(a.env.Stderr)
		if err != nil || v == "" {
			return "", usagef("%s: set $%s or type it", what, key)
		}
		return v, nil
	}
	line, err := bufio.NewReader(a.env.Stdin).ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || line == "") {
		return "", usagef("%s: set $%s or write it on standard input", what, key)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// readFile reads a file named on the command line.
func readFile(path, what string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("%s: %v", what, err)
	}
	return b, nil
}
