// Package logging builds the daemon's structured logger.
package logging

import (
	"fmt"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Config chooses where logs go and how much is written.
type Config struct {
	// Level is debug, info, warn or error; empty means info.
	Level string
	// File is the log file; empty means standard error.
	File string
}

// New returns a JSON logger for cfg.
func New(cfg Config) (*zap.Logger, error) {
	level := zapcore.InfoLevel
	if cfg.Level != "" {
		if err := level.UnmarshalText([]byte(cfg.Level)); err != nil {
			return nil, fmt.Errorf("log level %q: %w", cfg.Level, err)
		}
	}
	zc := zap.NewProductionConfig()
	zc.Level = zap.NewAtomicLevelAt(level)
	zc.EncoderConfig.TimeKey = "time"
	zc.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	zc.Sampling = nil
	out := "stderr"
	if cfg.File != "" {
		out = cfg.File
	}
	zc.OutputPaths = []string{out}
	zc.ErrorOutputPaths = []string{out}
	log, err := zc.Build()
	if err != nil {
		return nil, fmt.Errorf("build logger: %w", err)
	}
	return log, nil
}
