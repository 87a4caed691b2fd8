package bleveindex_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/encounters/encounters/search"
	bleveindex "github.com/encounters/encounters/search/bleve"
	"github.com/encounters/encounters/search/searchtest"
)

func mustOpen(t testing.TB, dir string) *bleveindex.Index {
	t.Helper()
	idx, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return idx
}

func TestContract(t *testing.T) {
	searchtest.Run(t, func(t *testing.T) search.Index {
		idx := mustOpen(t, filepath.Join(t.TempDir(), "offers.bleve"))
		t.Cleanup(func() {
			if err := idx.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
		})
		return idx
	})
}

func TestReopenKeepsDocuments(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "offers.bleve")
	idx := mustOpen(t, dir)
	docs := searchtest.Generate(25, 1)
	if err := idx.Upsert(t.Context(), docs...); err != nil {
		t.Fatalf("upsert: %v", err)
	}
	if err := idx.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	idx = mustOpen(t, dir)
	defer idx.Close()
	n, err := idx.Count(t.Context())
	if err != nil {
		t.Fatalf("count: %v", err)
	}
	if n != len(docs) {
		t.Errorf("count after reopening = %d, want %d", n, len(docs))
	}
	res, err := idx.Search(t.Context(), search.Query{Text: docs[0].Title, PerPage: 50})
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	if res.Total == 0 {
		t.Errorf("search for %q after reopening found nothing", docs[0].Title)
	}
}

func TestClosedIndexFails(t *testing.T) {
	idx := mustOpen(t, filepath.Join(t.TempDir(), "offers.bleve"))
	if err := idx.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := idx.Ping(t.Context()); err == nil {
		t.Error("ping after close succeeded, want an error")
	}
	if _, err := idx.Search(t.Context(), search.Query{}); err == nil {
		t.Error("search after close succeeded, want an error")
	}
	if err := idx.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
}

func TestOpenRefusesAFolderThatIsNotAnIndex(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := bleveindex.Open(dir); err == nil {
		t.Fatal("open of a folder holding other files succeeded, want an error")
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Errorf("the folder's own file is gone: %v", err)
	}
}

func TestOpenRebuildsAnIndexOfAnotherShape(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "offers.bleve")
	old, err := bleve.New(dir, bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Index("off_old", map[string]any{"title": "Engineering talk"}); err != nil {
		t.Fatal(err)
	}
	if err := old.SetInternal([]byte("encounters_schema"), []byte("encounters-offers-1")); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	idx := mustOpen(t, dir)
	defer idx.Close()
	mustCountIs(t, idx, 0)
	if err := idx.Upsert(t.Context(), searchtest.Generate(3, 1)...); err != nil {
		t.Fatalf("upsert into the rebuilt index: %v", err)
	}
	mustCountIs(t, idx, 3)
}

func mustCountIs(t *testing.T, idx *bleveindex.Index, want int) {
	t.Helper()
	n, err := idx.Count(t.Context())
	if err != nil {
		t.Fatalf("count: %v", err)
	}
	if n != want {
		t.Errorf("count = %d, want %d", n, want)
	}
}
