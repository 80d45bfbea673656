package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/openexo/exo/internal/logging"
	"github.com/openexo/exo/internal/sandbox"
	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/cmdlets"
	"github.com/openexo/exo/internal/sandbox/store"
)

func newSandboxCommand(g *globalFlags) *cobra.Command {
	var (
		data          string
		port          int
		tokenLifetime time.Duration
		settingsFile  string
	)
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Serve a local sandbox tenant: Exchange Online's admin API and Entra ID sign-in on loopback",
		Long: `Serves a sandbox tenant over HTTPS on loopback until SIGINT or SIGTERM.

The first line on standard output is one JSON object with the values a
script needs (connectionUri, authorityUri, complianceConnectionUri,
tenantDomain, tenantId, userPrincipalName, password, appId,
certificatePath, certificatePassword, caFile, ...). Set
$env:EXOD_TRUSTED_CA to caFile before Connect-ExchangeOnline.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := logging.New(logging.Config{Level: g.logLevel, File: g.logFile})
			if err != nil {
				return err
			}
			defer func() { _ = log.Sync() }()
			settings, err := readSettings(settingsFile)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			sb, err := sandbox.Start(ctx, sandbox.Options{
				DataPath:      data,
				Port:          port,
				TokenLifetime: tokenLifetime,
				Settings:      settings,
				NewBackend: func(st *store.Store, compliance bool) adminapi.Backend {
					return cmdlets.New(st, cmdlets.Options{Logger: log.Named("cmdlets"), Compliance: compliance})
				},
				Logger: log,
			})
			if err != nil {
				return err
			}
			info := sb.Info()
			line, err := json.Marshal(info)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintln(out, string(line))
			fmt.Fprintf(out, "Sandbox tenant %s (%s) is serving.\n", info.TenantDomain, info.TenantID)
			fmt.Fprintf(out, "  Exchange Online:        %s\n", info.ConnectionURI)
			fmt.Fprintf(out, "  Security & Compliance:  %s\n", info.ComplianceConnectionURI)
			fmt.Fprintf(out, "  Sign-in authority:      %s\n", info.AuthorityURI)
			fmt.Fprintf(out, "  Admin:                  %s / %s\n", info.UserPrincipalName, info.Password)
			fmt.Fprintf(out, "  App-only:               -AppId %s -CertificateFilePath %s\n", info.AppID, info.CertificatePath)
			fmt.Fprintf(out, "  Trust its CA:           $env:EXOD_TRUSTED_CA = '%s'\n", info.CAFile)
			fmt.Fprintln(out, "Press Ctrl+C to stop.")
			<-ctx.Done()
			shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return sb.Close(shutdownCtx)
		},
	}
	cmd.Flags().StringVar(&data, "data", "sandbox-tenant.db", "tenant database file; created with a small default tenant when absent")
	cmd.Flags().IntVar(&port, "port", 0, "TCP port on 127.0.0.1 (and 127.0.0.2 for Security & Compliance); 0 picks a free one")
	cmd.Flags().DurationVar(&tokenLifetime, "token-lifetime", time.Hour, "lifetime of access tokens (short ones exercise refresh)")
	cmd.Flags().StringVar(&settingsFile, "settings", "", "JSON file of throttling and fault settings (the body the control endpoint takes)")
	cmd.AddCommand(newSandboxSeedCommand())
	return cmd
}

func readSettings(path string) (adminapi.Settings, error) {
	if path == "" {
		return adminapi.Settings{}, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return adminapi.Settings{}, fmt.Errorf("read settings: %w", err)
	}
	var s adminapi.Settings
	if err := json.Unmarshal(data, &s); err != nil {
		return adminapi.Settings{}, fmt.Errorf("settings %s: %w", path, err)
	}
	return s, nil
}

func newSandboxSeedCommand() *cobra.Command {
	var opts store.SeedOptions
	var data string
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Build a deterministic tenant in a new database file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := os.Stat(data); err == nil {
				return fmt.Errorf("%s exists; seed a new file", data)
			}
			start := time.Now()
			seeded, err := sandbox.SeedFile(cmd.Context(), data, opts)
			if err != nil {
				return err
			}
			total := 0
			for _, n := range seeded.Counts {
				total += n
			}
			fmt.Fprintf(cmd.OutOrStdout(), "seeded %s: tenant %s, %d mailboxes, %d recipients in %s\n",
				data, seeded.Tenant.InitialDomain, opts.Mailboxes, total, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().StringVar(&data, "data", "", "database file to create")
	cmd.Flags().IntVar(&opts.Mailboxes, "mailboxes", 50, "number of mailboxes")
	cmd.Flags().Int64Var(&opts.Seed, "seed", 1, "seed; the same seed builds the same tenant")
	cmd.Flags().StringVar(&opts.TenantDomain, "domain", "contoso.com", "default accepted domain")
	cmd.Flags().StringVar(&opts.Password, "password", "", "password of the seeded admins (default: the sandbox's well-known one)")
	_ = cmd.MarkFlagRequired("data")
	return cmd
}
