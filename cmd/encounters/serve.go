package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
	"github.com/encounters/encounters/app/web"
	"github.com/encounters/encounters/config"
)

// serve runs the web server until ctx ends (SIGINT or SIGTERM), then lets
// requests in flight finish and closes the index and database.
func serve(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments (got %q)", args[0])}
	}
	e, err := openEngines(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer e.close(log)

	if err := bootstrap(ctx, e, log); err != nil {
		return err
	}

	sessions := mongo.NewSessionStorage(e.store)
	defer sessions.Close()
	srv, err := web.New(e.svc, sessions, web.Config{
		Addr:           cfg.Addr,
		BaseURL:        cfg.BaseURL,
		SecureCookies:  cfg.SecureCookies,
		Log:            log,
		Health:         e.health,
		RequestTimeout: cfg.RequestTimeout,
		ProxyHeader:    cfg.ProxyHeader,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	log.Info("encounters listening", slog.String("addr", ln.Addr().String()),
		slog.String("documents", e.documentsEngine()), slog.String("search", e.index.Name()),
		slog.String("mail", e.mail.Name()))
	for _, line := range cfg.Describe(os.LookupEnv) {
		log.Debug("setting", slog.String("value", line))
	}

	stopBackground := startBackground(ctx, cfg, e, log)
	defer stopBackground() // before the engines close

	served := make(chan error, 1)
	go func() { served <- srv.Listen(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("web server stopped: %w", err)
	case <-ctx.Done():
	}

	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down web server: %w", err)
	}
	log.Info("stopped cleanly")
	return nil
}

// bootstrap makes a fresh data folder a living marketplace (setUp) and
// rebuilds an empty search index from the documents.
func bootstrap(ctx context.Context, e *engines, log *slog.Logger) error {
	if err := setUp(ctx, e, log); err != nil {
		return err
	}

	n, err := e.index.Count(ctx)
	if err != nil {
		return fmt.Errorf("count search index: %w", err)
	}
	if n == 0 {
		start := time.Now()
		count, err := e.svc.Reindex(ctx, nil)
		if err != nil {
			return fmt.Errorf("rebuild search index: %w", err)
		}
		log.Info("search index rebuilt", slog.Int("offers", count), slog.Duration("took", time.Since(start)))
	}
	return nil
}

// setUp gives a data folder the coordinator's organisation and, the first
// time, the county's schools and the demo market. The first time is when
// the store has no coordinator yet; every command that writes to a new
// folder before the server first starts (user add) runs it too, so the
// heavy steps are never skipped. Each step is idempotent.
func setUp(ctx context.Context, e *engines, log *slog.Logger) error {
	_, err := e.store.GetOrg(ctx, app.CoordinatorOrgID)
	fresh := app.ErrorCode(err) == app.ENotFound
	if err != nil && !fresh {
		return fmt.Errorf("read coordinator: %w", err)
	}
	if fresh {
		log.Info("first start: importing County Durham schools and the demo market")
		summary, err := importShippedSchools(ctx, e, os.Stderr)
		if err != nil {
			return err
		}
		log.Info("schools imported", slog.String("summary", summary.String()))
		report, err := e.svc.SeedDemo(ctx)
		if err != nil {
			return fmt.Errorf("seed demo market: %w", err)
		}
		log.Info("demo market seeded", slog.String("summary", report.String()))
	}
	if err := e.svc.EnsureCoordinator(ctx); err != nil {
		return fmt.Errorf("create coordinator: %w", err)
	}
	return nil
}

// health reports each engine for GET /healthz.
func (e *engines) health(ctx context.Context) web.HealthReport {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	return web.HealthReport{
		"documents": {Engine: e.documentsEngine(), Up: e.store.Ping(ctx) == nil},
		"search":    {Engine: e.index.Name(), Up: e.index.Ping(ctx) == nil},
		"mail":      {Engine: e.mail.Name(), Up: e.mail.Ping(ctx) == nil},
	}
}
