package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
	"github.com/encounters/encounters/app/places"
	"github.com/encounters/encounters/app/stripe"
	"github.com/encounters/encounters/config"
	"github.com/encounters/encounters/emails"
	"github.com/encounters/encounters/search"
	bleveindex "github.com/encounters/encounters/search/bleve"
	"github.com/encounters/encounters/search/meili"
)

// mailer is what the product needs of a sender: app.Mailer plus health.
type mailer interface {
	app.Mailer
	Name() string
	Ping(ctx context.Context) error
}

// engines are the running document store, search index and mail sender,
// chosen by configuration, and the Service built on them.
type engines struct {
	unlock   func()          // releases the data folder; nil when not held
	embedded *mongo.Embedded // nil when MONGODB_URI is set
	store    *mongo.Store
	index    search.Index
	mail     mailer
	svc      *app.Service
}

// openEngines starts or connects to every engine. On error, whatever was
// started is closed again.
func openEngines(ctx context.Context, cfg config.Config, log *slog.Logger) (_ *engines, err error) {
	e := &engines{}
	defer func() {
		if err != nil {
			e.close(log)
		}
	}()

	if usesLocalFiles(cfg) {
		if e.unlock, err = lockDataDir(cfg.DataDir); err != nil {
			return nil, err
		}
	}
	uri := cfg.MongoURI
	if uri == "" {
		if e.embedded, err = startFerret(ctx, cfg, log); err != nil {
			return nil, err
		}
		uri = e.embedded.URI()
	}
	e.store, err = mongo.Open(ctx, uri, cfg.MongoDatabase, mongo.WithEmbedded(e.embedded), mongo.WithLogger(log))
	if err != nil {
		return nil, fmt.Errorf("open documents: %w", err)
	}
	if err = e.store.EnsureIndexes(ctx); err != nil {
		return nil, fmt.Errorf("declare indexes: %w", err)
	}

	if e.index, err = openIndex(cfg); err != nil {
		return nil, err
	}
	if e.mail, err = openMailer(cfg, log); err != nil {
		return nil, err
	}
	gaz, err := places.Load()
	if err != nil {
		return nil, fmt.Errorf("load postcodes: %w", err)
	}

	compose, err := emails.NewTemplates()
	if err != nil {
		return nil, fmt.Errorf("load email templates: %w", err)
	}
	compose.Organizer = cfg.MailFrom
	e.svc = &app.Service{
		Store: e.store, Index: e.index, Places: gaz, Mail: e.mail,
		Compose: compose, Hold: cfg.HoldTime,
		Log: log, BaseURL: cfg.BaseURL,
	}
	if cfg.StripeEnabled() {
		pay, err := stripe.New(cfg.StripeSecretKey, cfg.StripeWebhook, cfg.StripeAPIURL, log)
		if err != nil {
			return nil, fmt.Errorf("set up Stripe: %w", err)
		}
		e.svc.Payments = pay
	}
	return e, nil
}

func startFerret(ctx context.Context, cfg config.Config, log *slog.Logger) (*mongo.Embedded, error) {
	if cfg.FerretPostgres != "" {
		emb, err := mongo.StartEmbeddedPostgres(ctx, cfg.FerretPostgres, log)
		if err != nil {
			return nil, fmt.Errorf("start embedded FerretDB on PostgreSQL: %w", err)
		}
		return emb, nil
	}
	emb, err := mongo.StartEmbedded(ctx, filepath.Join(cfg.DataDir, "db"), log)
	if err != nil {
		return nil, fmt.Errorf("start embedded FerretDB: %w", err)
	}
	return emb, nil
}

func openIndex(cfg config.Config) (search.Index, error) {
	if cfg.MeiliURL != "" {
		idx, err := meili.New(cfg.MeiliURL, cfg.MeiliKey, cfg.MeiliIndex)
		if err != nil {
			return nil, fmt.Errorf("connect to Meilisearch: %w", err)
		}
		return idx, nil
	}
	idx, err := bleveindex.Open(filepath.Join(cfg.DataDir, "search"))
	if err != nil {
		return nil, fmt.Errorf("open search index: %w", err)
	}
	return idx, nil
}

func openMailer(cfg config.Config, log *slog.Logger) (mailer, error) {
	if cfg.SMTPURL != "" {
		return emails.NewSMTP(cfg.SMTPURL, cfg.MailFrom, log)
	}
	return emails.NewFolder(filepath.Join(cfg.DataDir, "mail"), cfg.MailFrom, log)
}

// close shuts every engine in reverse order of opening.
func (e *engines) close(log *slog.Logger) {
	if e.index != nil {
		if err := e.index.Close(); err != nil {
			log.Error("close search index", slog.Any("error", err))
		}
	}
	if e.store != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := e.store.Close(ctx); err != nil {
			log.Error("close documents", slog.Any("error", err))
		}
		cancel()
	}
	if e.embedded != nil {
		e.embedded.Close()
	}
	if e.unlock != nil {
		e.unlock()
	}
}

// usesLocalFiles reports whether an engine keeps files in the data folder
// that only one process may use: the embedded database on SQLite, or the
// Bleve index.
func usesLocalFiles(cfg config.Config) bool {
	return (cfg.MongoURI == "" && cfg.FerretPostgres == "") || cfg.MeiliURL == ""
}

// documentsEngine names the document engine for /healthz.
func (e *engines) documentsEngine() string {
	if e.embedded != nil {
		return "ferretdb-" + e.embedded.Handler()
	}
	return "mongodb"
}
