package mongotest

import (
	"os"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
)

func TestMain(m *testing.M) { Main(m) }

func TestStoresAreIsolated(t *testing.T) {
	a, b := NewStore(t), NewStore(t)
	ctx := t.Context()
	org := &app.Organisation{ID: "emp_1", Kind: app.KindEmployer, Name: "Only in A"}
	if err := a.CreateOrg(ctx, org); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		store *mongo.Store
		want  string
	}{
		{"the store written to", a, ""},
		{"another test's store", b, app.ENotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.store.GetOrg(ctx, "emp_1")
			if got := app.ErrorCode(err); got != tt.want {
				t.Fatalf("GetOrg error code = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDBNamesAreFreshAndValid(t *testing.T) {
	seen := map[string]bool{}
	names := []string{"plain", "With Spaces/and:odd*chars", "a_very_long_test_name_that_goes_on_and_on_well_past_the_limit_of_63"}
	for range 3 {
		for _, name := range names {
			t.Run(name, func(t *testing.T) {
				db := DBName(t)
				if seen[db] || len(db) > 63 || !validDBName(db) {
					t.Fatalf("DBName = %q: repeated, too long or with odd characters", db)
				}
				seen[db] = true
			})
		}
	}
}

func validDBName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return s != ""
}

// TestShutdownAndRestart stops the shared server, which the NewStore after
// it starts again; the other tests here do not run in parallel with it.
func TestShutdownAndRestart(t *testing.T) {
	var dir string
	t.Run("a store's database is dropped when its test ends", func(t *testing.T) {
		NewStore(t)
		mu.Lock()
		dir = servers[mongo.HandlerSQLite].dir
		mu.Unlock()
	})
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sqlite") {
			t.Errorf("database file %s left after its test", e.Name())
		}
	}

	Shutdown()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("data folder still there after Shutdown: %v", err)
	}
	if err := NewStore(t).Ping(t.Context()); err != nil {
		t.Fatalf("store after restart: %v", err)
	}
}
