package mongo_test

import (
	"context"
	"net"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
)

func TestStartEmbeddedKeepsDataInFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not", "there", "yet")
	org := &app.Organisation{ID: "emp_kept", Kind: app.KindEmployer, Name: "Kept Ltd", CreatedAt: day(1), UpdatedAt: day(1)}

	for round, step := range []string{"write", "read back after restart"} {
		t.Run(step, func(t *testing.T) {
			emb, err := mongo.StartEmbedded(ctxOf(t), dir, nil)
			mustOK(t, err)
			defer emb.Close()
			if emb.Handler() != mongo.HandlerSQLite {
				t.Fatalf("handler = %q, want %q", emb.Handler(), mongo.HandlerSQLite)
			}

			s, err := mongo.Open(ctxOf(t), emb.URI(), "kept")
			mustOK(t, err)
			defer s.Close(context.Background())
			mustOK(t, s.Ping(ctxOf(t)))
			if s.Name() != mongo.EngineFerretDB {
				t.Fatalf("Name() = %q, want %q", s.Name(), mongo.EngineFerretDB)
			}

			if round == 0 {
				mustOK(t, s.CreateOrg(ctxOf(t), org))
				return
			}
			got, err := s.GetOrg(ctxOf(t), org.ID)
			mustOK(t, err)
			mustEqual(t, got, org)
		})
	}
}

func TestEmbeddedCloseStopsServer(t *testing.T) {
	emb, err := mongo.StartEmbedded(ctxOf(t), t.TempDir(), nil)
	mustOK(t, err)
	s, err := mongo.Open(ctxOf(t), emb.URI(), "closing")
	mustOK(t, err)
	mustOK(t, s.Ping(ctxOf(t)))
	mustOK(t, s.Close(ctxOf(t)))

	emb.Close()
	emb.Close() // a second Close does nothing

	u, err := url.Parse(emb.URI())
	mustOK(t, err)
	if conn, err := net.Dial("tcp", u.Host); err == nil {
		conn.Close()
		t.Fatalf("%s still accepts connections after Close", u.Host)
	}
}

func TestStartEmbeddedRejectsBadConfig(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	tests := []struct {
		name  string
		start func() (*mongo.Embedded, error)
	}{
		{"empty PostgreSQL URL", func() (*mongo.Embedded, error) {
			return mongo.StartEmbeddedPostgres(context.Background(), "", nil)
		}},
		{"PostgreSQL URL that is not one", func() (*mongo.Embedded, error) {
			return mongo.StartEmbeddedPostgres(context.Background(), "::not a url::", nil)
		}},
		{"cancelled context", func() (*mongo.Embedded, error) {
			return mongo.StartEmbedded(cancelled, t.TempDir(), nil)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emb, err := tt.start()
			if err == nil {
				emb.Close()
				t.Fatal("started, want an error")
			}
		})
	}
}
