// Package searchtest is the contract every search engine passes: the same
// scenarios run against Bleve always and against Meilisearch when a server
// is available. It also generates county-scale offers for benchmarks.
package searchtest

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/encounters/encounters/search"
)

// scenario is one named contract check against a fresh, empty index.
type scenario struct {
	name string
	run  func(t *testing.T, idx search.Index)
}

// Run runs the contract suite. open returns a fresh, empty index for each
// scenario and arranges for it to be closed and removed when t ends.
func Run(t *testing.T, open func(t *testing.T) search.Index) {
	scenarios := []scenario{
		{"empty index", testEmpty},
		{"upsert is visible to the next search", testVisible},
		{"upsert replaces by id", testReplace},
		{"delete", testDelete},
		{"reset", testReset},
		{"ping and name", testPing},
		{"keyword", testKeyword},
		{"typos", testTypos},
		{"facet filters", testFacetFilters},
		{"facet counts", testFacetCounts},
		{"facet counts ignore paging", testFacetPaging},
		{"date range", testDateRange},
		{"distance filter", testDistance},
		{"distance sort", testDistanceSort},
		{"date sort", testDateSort},
		{"paging", testPaging},
		{"bad queries", testBadQueries},
		{"concurrent upserts and searches", testConcurrency},
	}

	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			s.run(t, open(t))
		})
	}
}

// load upserts the fixtures and returns the instant their days count from.
func load(t *testing.T, idx search.Index) time.Time {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	if err := idx.Upsert(t.Context(), fixtures(now)...); err != nil {
		t.Fatalf("upsert fixtures: %v", err)
	}
	return now
}

func mustSearch(t *testing.T, idx search.Index, q search.Query) search.Result {
	t.Helper()
	res, err := idx.Search(t.Context(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return res
}

func mustCount(t *testing.T, idx search.Index, want int) {
	t.Helper()
	n, err := idx.Count(t.Context())
	if err != nil {
		t.Fatalf("count: %v", err)
	}
	if n != want {
		t.Errorf("count = %d, want %d", n, want)
	}
}

func ids(res search.Result) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out
}

// sameSet reports whether got and want hold the same ids in any order.
func sameSet(got, want []string) bool {
	a, b := slices.Clone(got), slices.Clone(want)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func wantIDs(t *testing.T, res search.Result, want ...string) {
	t.Helper()
	if got := ids(res); !sameSet(got, want) {
		t.Errorf("hits = %v, want %v (any order)", got, want)
	}
	if res.Total != len(want) {
		t.Errorf("total = %d, want %d", res.Total, len(want))
	}
}

func wantOrder(t *testing.T, res search.Result, want ...string) {
	t.Helper()
	if got := ids(res); !slices.Equal(got, want) {
		t.Errorf("hits = %v, want %v in this order", got, want)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.1 }
