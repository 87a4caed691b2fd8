package mongo_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	driver "go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
	"github.com/encounters/encounters/app/mongo/mongotest"
)

func TestMain(m *testing.M) { mongotest.Main(m) }

// eachHandler runs fn on a fresh store of every FerretDB handler here,
// opened with opts.
func eachHandler(t *testing.T, fn func(t *testing.T, s *mongo.Store), opts ...mongo.Option) {
	for _, h := range mongotest.Handlers() {
		t.Run(h, func(t *testing.T) {
			t.Parallel()
			fn(t, mongotest.NewStoreOn(t, h, opts...))
		})
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (error: %v)", got, code, err)
	}
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mustEqual[T any](t *testing.T, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

// day returns noon UTC on the nth day of January 2026 (n may exceed 31):
// a time that survives BSON's millisecond precision unchanged.
func day(n int) time.Time {
	return time.Date(2026, time.January, n, 12, 0, 0, 0, time.UTC)
}

// clock is a settable time source for mongo.WithClock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var errStop = errors.New("stop here")

func ctxOf(t testing.TB) context.Context { return t.Context() }

// storeWithDB returns a Store and a plain driver handle on one fresh
// database of the shared FerretDB with the handler. seed, when not nil,
// writes through the driver before the Store ensures its indexes, as data
// from before an upgrade would be there. opts configure the Store.
func storeWithDB(tb testing.TB, handler string, seed func(db *driver.Database),
	opts ...mongo.Option) (*mongo.Store, *driver.Database) {
	tb.Helper()
	ctx := context.Background()
	emb, name := mongotest.Server(tb, handler), mongotest.DBName(tb)

	client, err := driver.Connect(ctx, options.Client().ApplyURI(emb.URI()))
	if err != nil {
		tb.Fatal(err)
	}
	db := client.Database(name)
	tb.Cleanup(func() {
		_ = db.Drop(ctx) // a leftover goes with the temporary folder
		_ = client.Disconnect(ctx)
	})

	s, err := mongo.Open(ctx, emb.URI(), name, append(opts, mongo.WithEmbedded(emb))...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close(ctx) })
	if seed != nil {
		seed(db)
	}
	if err := s.EnsureIndexes(ctx); err != nil {
		tb.Fatal(err)
	}
	return s, db
}

func insertAll[T any](tb testing.TB, c *driver.Collection, n int, build func(i int) T) {
	tb.Helper()
	docs := make([]any, n)
	for i := range n {
		docs[i] = build(i)
	}
	if _, err := c.InsertMany(context.Background(), docs); err != nil {
		tb.Fatal(err)
	}
}
