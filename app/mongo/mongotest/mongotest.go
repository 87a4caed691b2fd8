// Package mongotest gives tests a real document store: one embedded
// FerretDB per test binary, started on first use, and a fresh database in
// it for every test, dropped when the test ends.
//
// A package whose tests use it should end its test binary with Shutdown,
// which stops FerretDB and removes its temporary folder:
//
//	func TestMain(m *testing.M) { mongotest.Main(m) }
//
// Without that the server dies with the process and its folder is left
// behind, to be removed by the next test binary that starts one. Folders
// go in /dev/shm where there is one (SQLite's syncs to disk would make
// every test ten times slower to set up), otherwise in os.TempDir.
//
// The SQLite handler is always there. When FERRETDB_POSTGRESQL_URL is set,
// Handlers also lists the PostgreSQL handler, so tests can run on both.
package mongotest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	driver "go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/encounters/encounters/app/mongo"
)

// EnvPostgreSQL is the environment variable that, when set to a
// PostgreSQL URL, adds FerretDB's PostgreSQL handler to Handlers.
const EnvPostgreSQL = "FERRETDB_POSTGRESQL_URL"

// dirPrefix starts the name of every temporary data folder; the process id
// follows, so a later run can tell which folders are abandoned.
const dirPrefix = "encounters-mongotest-"

// shmDir is Linux's memory-backed folder, preferred for data folders.
const shmDir = "/dev/shm"

const startTimeout = time.Minute

// server is one shared embedded FerretDB and a client used to drop the
// databases tests leave behind.
type server struct {
	once  sync.Once
	emb   *mongo.Embedded
	admin *driver.Client
	dir   string
	err   error
}

var (
	mu      sync.Mutex
	servers = map[string]*server{}
	dbSeq   atomic.Int64
)

// Handlers lists the FerretDB handlers tests can run against here:
// mongo.HandlerSQLite always, then mongo.HandlerPostgreSQL when
// FERRETDB_POSTGRESQL_URL is set.
func Handlers() []string {
	if os.Getenv(EnvPostgreSQL) != "" {
		return []string{mongo.HandlerSQLite, mongo.HandlerPostgreSQL}
	}
	return []string{mongo.HandlerSQLite}
}

// NewStore returns a Store with its indexes on a fresh database of the
// shared SQLite FerretDB. The database is dropped and the Store closed when
// the test ends.
func NewStore(t testing.TB, opts ...mongo.Option) *mongo.Store {
	t.Helper()
	return NewStoreOn(t, mongo.HandlerSQLite, opts...)
}

// NewStoreOn is NewStore on the shared FerretDB with the given handler, one
// of Handlers().
func NewStoreOn(t testing.TB, handler string, opts ...mongo.Option) *mongo.Store {
	t.Helper()
	srv := shared(t, handler)
	name := DBName(t)

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	opts = append([]mongo.Option{mongo.WithEmbedded(srv.emb)}, opts...)
	s, err := mongo.Open(ctx, srv.emb.URI(), name, opts...)
	if err != nil {
		t.Fatalf("mongotest: open %s: %v", name, err)
	}
	t.Cleanup(func() { dropAndClose(t, srv, s, name) })

	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatalf("mongotest: indexes on %s: %v", name, err)
	}
	return s
}

func dropAndClose(t testing.TB, srv *server, s *mongo.Store, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()

	if err := s.Close(ctx); err != nil {
		t.Errorf("mongotest: close %s: %v", name, err)
	}
	if err := srv.admin.Database(name).Drop(ctx); err != nil {
		t.Errorf("mongotest: drop %s: %v", name, err)
	}
}

// Server returns the shared FerretDB with the handler, starting it if need
// be, for tests that talk to it with the driver or open their own Store.
func Server(t testing.TB, handler string) *mongo.Embedded {
	t.Helper()
	return shared(t, handler).emb
}

// DBName returns a database name no other test in this binary has had,
// made from the test's name so that a leftover database says whose it was.
func DBName(t testing.TB) string {
	var b strings.Builder
	for _, r := range strings.ToLower(t.Name()) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}

	name := fmt.Sprintf("t%d_%s", dbSeq.Add(1), b.String())
	return strings.TrimRight(name[:min(len(name), 63)], "_")
}

// shared returns the running server for handler, starting it on first use.
func shared(t testing.TB, handler string) *server {
	t.Helper()
	mu.Lock()
	srv := servers[handler]
	if srv == nil {
		srv = &server{}
		servers[handler] = srv
	}
	mu.Unlock()

	srv.once.Do(func() { srv.err = srv.start(handler) })
	if srv.err != nil {
		t.Fatalf("mongotest: %v", srv.err)
	}
	return srv
}

func (srv *server) start(handler string) error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	var err error
	switch handler {
	case mongo.HandlerSQLite:
		base := tempBase()
		removeAbandonedDirs(shmDir, os.TempDir())
		if srv.dir, err = os.MkdirTemp(base, dirPrefix+strconv.Itoa(os.Getpid())+"-"); err != nil {
			return fmt.Errorf("data folder: %w", err)
		}
		srv.emb, err = mongo.StartEmbedded(ctx, srv.dir, log)
	case mongo.HandlerPostgreSQL:
		srv.emb, err = mongo.StartEmbeddedPostgres(ctx, os.Getenv(EnvPostgreSQL), log)
	default:
		return fmt.Errorf("unknown handler %q", handler)
	}
	if err != nil {
		return err
	}

	srv.admin, err = driver.Connect(ctx, options.Client().ApplyURI(srv.emb.URI()))
	if err != nil {
		srv.emb.Close()
		return fmt.Errorf("admin client: %w", err)
	}
	return nil
}

// Shutdown stops every shared FerretDB and removes its data folder. A
// later NewStore starts a new one.
func Shutdown() {
	mu.Lock()
	defer mu.Unlock()

	for handler, srv := range servers {
		srv.stop()
		delete(servers, handler)
	}
}

func (srv *server) stop() {
	if srv.admin != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = srv.admin.Disconnect(ctx) // the server stops next anyway
		cancel()
	}
	if srv.emb != nil {
		srv.emb.Close()
	}
	if srv.dir != "" {
		_ = os.RemoveAll(srv.dir) // best effort: a later run removes leftovers
	}
}

// Main runs the tests of a package, then Shutdown. Call it from TestMain;
// the test binary exits with the tests' result.
func Main(m *testing.M) {
	m.Run()
	Shutdown()
}

// tempBase is where data folders go: /dev/shm when it is there, because
// SQLite syncs every write to disk and a test's new database with its
// indexes takes about 100 ms on disk against about 10 ms in memory;
// otherwise os.TempDir.
func tempBase() string {
	if probe, err := os.MkdirTemp(shmDir, dirPrefix+"probe-"); err == nil {
		_ = os.Remove(probe) // empty, made only to prove /dev/shm is writable
		return shmDir
	}
	return os.TempDir()
}

// removeAbandonedDirs deletes data folders in bases left by test binaries
// that ended without Shutdown: those whose process is gone.
func removeAbandonedDirs(bases ...string) {
	var matches []string
	for _, base := range bases {
		found, _ := filepath.Glob(filepath.Join(base, dirPrefix+"*")) // the pattern is valid
		matches = append(matches, found...)
	}

	for _, dir := range matches {
		pidText, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(dir), dirPrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		_ = os.RemoveAll(dir) // best effort, as above
	}
}

func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || err == syscall.EPERM
}
