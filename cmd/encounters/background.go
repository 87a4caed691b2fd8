package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/encounters/encounters/config"
	"github.com/encounters/encounters/emails"
)

// indexRefreshEvery is how often the search index is written again, so
// that sessions which have started stop counting in date searches.
const indexRefreshEvery = 6 * time.Hour

// sweepEvery is how often the booking sweep runs: waitlist holds that ran
// out, reminders, feedback requests, checklist chasers and emails a crash
// lost between a booking's change and its outbox job.
const sweepEvery = time.Minute

// startBackground starts the work that runs beside the web server: the
// index refresh always, and, when cfg.Worker, the outbox worker and the
// booking and fee sweeps. The returned function stops them and waits for
// them to finish, before the engines close.
func startBackground(ctx context.Context, cfg config.Config, e *engines, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	run := func(fn func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn()
		}()
	}

	run(func() { every(ctx, indexRefreshEvery, func() { refreshIndex(ctx, e, log) }) })
	if cfg.Worker {
		worker := emails.NewWorker(e.store, e.mail, log)
		run(func() { worker.Run(ctx) })
		run(func() { every(ctx, sweepEvery, func() { sweepBookings(ctx, e, log) }) })
		run(func() { every(ctx, sweepEvery, func() { sweepFees(ctx, e, log) }) })
		log.Info("mail worker started", slog.String("worker", worker.ID))
	}
	return func() {
		cancel()
		wg.Wait()
	}
}

// every calls fn every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, fn func()) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			fn()
		}
	}
}

// refreshIndex writes the search index again.
func refreshIndex(ctx context.Context, e *engines, log *slog.Logger) {
	n, err := e.svc.RefreshIndex(ctx, nil)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("refresh search index", slog.Any("error", err))
		}
		return
	}
	log.Info("search index refreshed", slog.Int("offers", n))
}

// sweepBookings runs one booking sweep.
func sweepBookings(ctx context.Context, e *engines, log *slog.Logger) {
	if err := e.svc.SweepBookings(ctx); err != nil && ctx.Err() == nil {
		log.Error("booking sweep", slog.Any("error", err))
	}
}

// sweepFees asks Stripe for card fees it could not give when payments
// were made.
func sweepFees(ctx context.Context, e *engines, log *slog.Logger) {
	if err := e.svc.SweepFees(ctx); err != nil && ctx.Err() == nil {
		log.Warn("fee sweep", slog.Any("error", err))
	}
}
