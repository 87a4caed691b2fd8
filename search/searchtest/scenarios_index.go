package searchtest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/encounters/encounters/search"
)

func testEmpty(t *testing.T, idx search.Index) {
	mustCount(t, idx, 0)

	res := mustSearch(t, idx, search.Query{Text: "engineering"})
	wantIDs(t, res)
	for _, f := range search.Facets {
		if _, ok := res.Facets[f]; !ok {
			t.Errorf("facets lack %q: every facet is always present", f)
		}
	}

	if err := idx.Upsert(t.Context()); err != nil {
		t.Errorf("upsert of nothing: %v", err)
	}
	if err := idx.Delete(t.Context()); err != nil {
		t.Errorf("delete of nothing: %v", err)
	}
}

func testVisible(t *testing.T, idx search.Index) {
	doc := fixtures(time.Now())[0]
	if err := idx.Upsert(t.Context(), doc); err != nil {
		t.Fatalf("upsert: %v", err)
	}
	wantIDs(t, mustSearch(t, idx, search.Query{Text: "Kromek"}), doc.ID)
	mustCount(t, idx, 1)
}

func testReplace(t *testing.T, idx search.Index) {
	now := load(t, idx)
	doc := fixtures(now)[0]
	doc.Title = "Quantum imaging open day"
	doc.OrgName = "Spectral Instruments"
	doc.Sector, doc.SectorLabel = "health", "Health and science"
	if err := idx.Upsert(t.Context(), doc); err != nil {
		t.Fatalf("upsert: %v", err)
	}

	mustCount(t, idx, 6)
	wantIDs(t, mustSearch(t, idx, search.Query{Text: "quantum"}), idDurham)
	wantIDs(t, mustSearch(t, idx, search.Query{Text: "Kromek"}))
	res := mustSearch(t, idx, search.Query{Filters: map[string][]string{search.FacetSector: {"engineering"}}})
	wantIDs(t, res, idAycliffe)
}

func testDelete(t *testing.T, idx search.Index) {
	load(t, idx)
	if err := idx.Delete(t.Context(), idBowburn, "off_never_indexed"); err != nil {
		t.Fatalf("delete: %v", err)
	}

	mustCount(t, idx, 5)
	wantIDs(t, mustSearch(t, idx, search.Query{Text: "robotics"}))
	res := mustSearch(t, idx, search.Query{PerPage: 10})
	if res.Total != 5 {
		t.Errorf("total after delete = %d, want 5", res.Total)
	}
}

func testReset(t *testing.T, idx search.Index) {
	load(t, idx)
	if err := idx.Reset(t.Context()); err != nil {
		t.Fatalf("reset: %v", err)
	}
	mustCount(t, idx, 0)
	wantIDs(t, mustSearch(t, idx, search.Query{}))

	// The index takes documents again after a reset.
	load(t, idx)
	mustCount(t, idx, 6)
}

func testPing(t *testing.T, idx search.Index) {
	if err := idx.Ping(t.Context()); err != nil {
		t.Errorf("ping: %v", err)
	}
	if name := idx.Name(); name != "bleve" && name != "meilisearch" {
		t.Errorf("name = %q, want bleve or meilisearch", name)
	}
}

func testConcurrency(t *testing.T, idx search.Index) {
	load(t, idx)
	const writers, perWriter, readers = 4, 5, 4
	docs := Generate(writers*perWriter, 7)

	var wg sync.WaitGroup
	errs := make(chan error, writers*perWriter+readers*perWriter)
	for w := range writers {
		wg.Go(func() {
			for _, d := range docs[w*perWriter : (w+1)*perWriter] {
				if err := idx.Upsert(t.Context(), d); err != nil {
					errs <- fmt.Errorf("upsert %s: %w", d.ID, err)
				}
			}
		})
	}
	for range readers {
		wg.Go(func() {
			for range perWriter {
				res, err := idx.Search(t.Context(), search.Query{Text: "engineering", Near: &Durham, WithinKm: 50})
				if err != nil {
					errs <- fmt.Errorf("search: %w", err)
				} else if len(res.Hits) == 0 {
					errs <- fmt.Errorf("search lost the fixtures while others wrote")
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	mustCount(t, idx, 6+writers*perWriter)
	res := mustSearch(t, idx, search.Query{PerPage: 100})
	if res.Total != 6+writers*perWriter {
		t.Errorf("total = %d, want %d", res.Total, 6+writers*perWriter)
	}
}
