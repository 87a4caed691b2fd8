package mongo

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Embedded FerretDB handler names, as Embedded.Handler reports them.
const (
	HandlerSQLite     = "sqlite"
	HandlerPostgreSQL = "postgresql"
)

// Embedded is a FerretDB server running inside this process on a loopback
// port. The application speaks to it through the MongoDB driver at URI, as
// it would to a real MongoDB. Close stops it; it cannot be restarted.
type Embedded struct {
	uri     string
	handler string
	dir     string // the SQLite data folder
	cancel  context.CancelFunc
	done    chan struct{}
	once    sync.Once
}

// StartEmbedded starts FerretDB with its SQLite handler, keeping one file
// per database in dir (created when missing). FerretDB's own log lines go
// to log at warning level and above, tagged component=ferretdb; a nil log
// discards them. ctx bounds the start only, not the server's life.
func StartEmbedded(ctx context.Context, dir string, log *slog.Logger) (*Embedded, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("start ferretdb: data folder: %w", err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("start ferretdb: data folder: %w", err)
	}

	if err := indexIDLookups(ctx, abs); err != nil {
		return nil, fmt.Errorf("start ferretdb: %w", err)
	}

	sqliteURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs) + "/"}).String()
	e, err := startEmbedded(ctx, &ferretdb.Config{
		Handler:   HandlerSQLite,
		SQLiteURL: sqliteURL,
	}, log)
	if err != nil {
		return nil, err
	}
	e.dir = abs
	return e, nil
}

// StartEmbeddedPostgres starts FerretDB with its PostgreSQL handler, keeping
// documents in the PostgreSQL database at pgURL (for example
// "postgres://user:pass@127.0.0.1:5432/encounters"). Logging is as for
// StartEmbedded.
func StartEmbeddedPostgres(ctx context.Context, pgURL string, log *slog.Logger) (*Embedded, error) {
	if pgURL == "" {
		return nil, fmt.Errorf("start ferretdb: PostgreSQL URL is empty")
	}
	return startEmbedded(ctx, &ferretdb.Config{
		Handler:       HandlerPostgreSQL,
		PostgreSQLURL: pgURL,
	}, log)
}

func startEmbedded(ctx context.Context, cfg *ferretdb.Config, log *slog.Logger) (*Embedded, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("start ferretdb: %w", err)
	}

	// Port 0 lets the kernel choose a free port; FerretDB binds it in New,
	// so the address is known before Run and no other process can take it.
	cfg.Listener.TCP = "127.0.0.1:0"
	cfg.Logger = slog.New(quietHandler{inner: loggerOrDiscard(log).Handler()}).
		With(slog.String("component", "ferretdb"))

	f, err := ferretdb.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("start ferretdb %s: %w", cfg.Handler, err)
	}

	runCtx, cancel := context.WithCancel(context.Background())
	e := &Embedded{uri: f.MongoDBURI(), handler: cfg.Handler, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		_ = f.Run(runCtx) // Run always returns nil once runCtx is cancelled.
	}()
	return e, nil
}

// URI is the mongodb:// address of the server, such as
// "mongodb://127.0.0.1:41234/".
func (e *Embedded) URI() string { return e.uri }

// Handler names the storage behind the server: HandlerSQLite or
// HandlerPostgreSQL.
func (e *Embedded) Handler() string { return e.handler }

// Close stops the server: it stops listening, closes client connections and
// the storage, and returns once all of that is done. Calling it again does
// nothing.
func (e *Embedded) Close() {
	e.once.Do(func() {
		e.cancel()
		<-e.done
	})
}
