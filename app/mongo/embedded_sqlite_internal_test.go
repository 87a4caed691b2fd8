package mongo

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestIDLookupsUseAnIndex checks, in the SQLite file itself, that the query
// FerretDB runs to find a document by _id is answered from an index in
// every collection, both for collections made by EnsureIndexes and for data
// that was there before the server started.
func TestIDLookupsUseAnIndex(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "lookups.sqlite")

	steps := []struct {
		name   string
		before func(t *testing.T)
	}{
		{"collections made by EnsureIndexes", func(t *testing.T) {}},
		{"old data at start", func(t *testing.T) { dropIDLookupIndexes(t, file) }},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.before(t)
			startAndEnsure(t, dir)

			db := openSQLite(t, file)
			tables := queryStrings(t, db, "SELECT table_name FROM "+sqliteMetadataTable)
			if len(tables) < len((&Store{}).collections()) {
				t.Fatalf("found %d collection tables, want at least %d", len(tables), len((&Store{}).collections()))
			}
			for _, table := range tables {
				plan := strings.Join(queryStrings(t, db, fmt.Sprintf(
					`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = 'x'`, table)), " ")
				if !strings.Contains(plan, "USING INDEX") {
					t.Errorf("table %s: lookup by _id plan is %q, want an index search", table, plan)
				}
			}
		})
	}
}

func startAndEnsure(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	emb, err := StartEmbedded(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()

	s, err := Open(ctx, emb.URI(), "lookups", WithEmbedded(emb))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
}

func openSQLite(t *testing.T, file string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?mode=rw")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func dropIDLookupIndexes(t *testing.T, file string) {
	t.Helper()
	db := openSQLite(t, file)
	names := queryStrings(t, db, `SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%__id_lookup'`)
	if len(names) == 0 {
		t.Fatal("no lookup indexes to drop")
	}
	for _, n := range names {
		if _, err := db.Exec(fmt.Sprintf("DROP INDEX %q", n)); err != nil {
			t.Fatal(err)
		}
	}
}

// queryStrings returns the last column of every row q returns.
func queryStrings(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()

	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(any)
		}
		if err := rows.Scan(vals...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(*vals[len(vals)-1].(*any)))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
