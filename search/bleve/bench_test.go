package bleveindex_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/encounters/encounters/search"
	"github.com/encounters/encounters/search/searchtest"
)

// documentsWithSessions returns generated offers whose sessions add up to
// exactly sessions, trimming the last offer's.
func documentsWithSessions(sessions int) []search.Document {
	var out []search.Document
	total := 0
	for _, d := range searchtest.Generate(sessions, 42) {
		if left := sessions - total; len(d.SessionStarts) > left {
			d.SessionStarts = d.SessionStarts[:left]
		}
		out = append(out, d)
		total += len(d.SessionStarts)
		if total == sessions {
			break
		}
	}
	return out
}

// BenchmarkSearch measures one Search at county scale: 2,000 and 20,000
// upcoming sessions, about four per offer.
func BenchmarkSearch(b *testing.B) {
	durham := searchtest.Durham
	queries := []struct {
		name string
		q    search.Query
	}{
		{"keyword", search.Query{Text: "engineering Durham", PerPage: 20}},
		{"keyword_typo", search.Query{Text: "enginering Consett", PerPage: 20}},
		{"keyword_typo_in_suffix", search.Query{Text: "constuction Spennymoor", PerPage: 20}},
		{"facet_near_distance_sort", search.Query{
			Filters: map[string][]string{
				search.FacetType:     {"careers_talk", "workplace_visit"},
				search.FacetAudience: {"ks3", "ks4"},
			},
			Near: &durham, WithinKm: 15, Sort: search.SortDistance, PerPage: 20,
		}},
		{"date_sort_all", search.Query{Sort: search.SortDate, PerPage: 20}},
	}

	for _, sessions := range []int{2_000, 20_000} {
		docs := documentsWithSessions(sessions)
		idx := mustOpen(b, filepath.Join(b.TempDir(), "offers.bleve"))
		if err := idx.Upsert(b.Context(), docs...); err != nil {
			b.Fatalf("upsert %d offers: %v", len(docs), err)
		}

		for _, tt := range queries {
			b.Run(fmt.Sprintf("sessions=%d/offers=%d/%s", sessions, len(docs), tt.name), func(b *testing.B) {
				for b.Loop() {
					if _, err := idx.Search(b.Context(), tt.q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		if err := idx.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpsert measures indexing one offer, as saving an offer does.
func BenchmarkUpsert(b *testing.B) {
	idx := mustOpen(b, filepath.Join(b.TempDir(), "offers.bleve"))
	defer idx.Close()
	docs := searchtest.Generate(1000, 9)
	n := 0
	for b.Loop() {
		if err := idx.Upsert(b.Context(), docs[n%len(docs)]); err != nil {
			b.Fatal(err)
		}
		n++
	}
}
