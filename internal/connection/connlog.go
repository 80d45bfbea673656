package connection

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// LogLevelAll is the -LogLevel that logs everything; any other value
// ("Default") logs information and up.
const LogLevelAll = "All"

// openConnectionLog opens the connection's own log file in dir
// (-LogDirectoryPath): JSON lines, mode 0600, Info and up, or everything
// with -LogLevel All. It returns the daemon's logger teed to the file and
// the file's closer.
func openConnectionLog(base *zap.Logger, dir, id, level string) (*zap.Logger, func() error, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("%w: log directory: %w", ErrInvalidRequest, err)
	}
	path := filepath.Join(dir, "exo-"+id+".log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: log file: %w", ErrInvalidRequest, err)
	}
	enabled := zapcore.InfoLevel
	if level == LogLevelAll {
		enabled = zapcore.DebugLevel
	}
	enc := zap.NewProductionEncoderConfig()
	enc.TimeKey, enc.EncodeTime = "time", zapcore.ISO8601TimeEncoder
	file := zapcore.NewCore(zapcore.NewJSONEncoder(enc), zapcore.AddSync(f), enabled)
	log := base.WithOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core { return zapcore.NewTee(c, file) }))
	return log, f.Close, nil
}

// timedTransport logs every admin API request with its status and
// duration: at Info with -TrackPerformance, else at Debug. It logs the
// path only: queries carry filters and headers carry the token.
type timedTransport struct {
	base  http.RoundTripper
	log   *zap.Logger
	level zapcore.Level
}

func (t timedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.base.RoundTrip(r)
	if ce := t.log.Check(t.level, "admin API request"); ce != nil {
		fields := []zap.Field{zap.String("method", r.Method), zap.String("path", r.URL.Path),
			zap.String("cmdlet", r.Header.Get("X-CmdletName")), zap.Duration("elapsed", time.Since(start))}
		if err != nil {
			fields = append(fields, zap.Error(err))
		} else {
			fields = append(fields, zap.Int("status", resp.StatusCode))
		}
		ce.Write(fields...)
	}
	return resp, err
}

// timedClient wraps hc's transport in a timedTransport.
func timedClient(hc *http.Client, log *zap.Logger, trackPerformance bool) *http.Client {
	out := *hc
	base := out.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	level := zapcore.DebugLevel
	if trackPerformance {
		level = zapcore.InfoLevel
	}
	out.Transport = timedTransport{base: base, log: log, level: level}
	return &out
}
