package mongo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the driver FerretDB's SQLite handler uses too
)

// FerretDB 1.24's SQLite handler keeps each collection in a table with one
// JSON column, and indexes _id as the expression _ferretdb_sjson->"_id".
// But it looks documents up by _id (find, update, delete) with the
// expression _ferretdb_sjson->'$._id', which SQLite does not recognise as
// the same, so every lookup by _id scans the whole table: 40 to 100 ms per
// GetOffer at 2,000 offers, growing with the collection. An index on the
// very expression the lookups use turns that into an index search (about
// 1.5 ms, BenchmarkGetOffer). FerretDB does not know about this index,
// which is harmless: it never lists it, and dropping the collection drops
// it.

// sqliteMetadataTable lists a database's collections and their tables.
const sqliteMetadataTable = "_ferretdb_collections"

// indexIDLookups adds the _id lookup index to every collection of every
// database in the data folder that lacks it.
func indexIDLookups(ctx context.Context, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("index id lookups: %w", err)
	}
	for _, en := range entries {
		if en.IsDir() || !strings.HasSuffix(en.Name(), ".sqlite") {
			continue
		}
		if err := indexIDLookupsIn(ctx, filepath.Join(dir, en.Name())); err != nil {
			return err
		}
	}
	return nil
}

// indexIDLookupsIn adds the _id lookup index to every collection of the
// one database kept in file. It never creates the file.
func indexIDLookupsIn(ctx context.Context, file string) error {
	dsn := (&url.URL{
		Scheme:   "file",
		Path:     filepath.ToSlash(file),
		RawQuery: "mode=rw&_pragma=busy_timeout(10000)",
	}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("index id lookups in %s: %w", filepath.Base(file), err)
	}
	defer db.Close()

	tables, err := tablesWithoutIDLookup(ctx, db)
	if err != nil {
		return fmt.Errorf("index id lookups in %s: %w", filepath.Base(file), err)
	}
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"__id_lookup", t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index id lookups in %s: %w", filepath.Base(file), err)
		}
	}
	return nil
}

// tablesWithoutIDLookup lists the collection tables that lack the index.
func tablesWithoutIDLookup(ctx context.Context, db *sql.DB) ([]string, error) {
	q := fmt.Sprintf(`SELECT c.table_name FROM %q c WHERE NOT EXISTS (
		SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.name = c.table_name || '__id_lookup')`,
		sqliteMetadataTable)
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		tables = append(tables, t)
	}
	return tables, rows.Err()
}

// IndexIDLookups adds the index FerretDB's SQLite handler lacks for finding
// documents by _id to every collection of database dbName; without it every
// lookup by id scans the collection. Store.EnsureIndexes calls it when the
// Store was opened WithEmbedded; StartEmbedded does it for the data that is
// already there. It does nothing for the PostgreSQL handler or for a
// database that does not exist yet.
func (e *Embedded) IndexIDLookups(ctx context.Context, dbName string) error {
	if e.handler != HandlerSQLite {
		return nil
	}
	file := filepath.Join(e.dir, dbName+".sqlite")
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return indexIDLookupsIn(ctx, file)
}
