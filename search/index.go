// Package search holds the one Index interface behind "Find opportunities"
// and matching, and its two engines: Bleve, embedded in the data folder, and
// Meilisearch for production. Both pass the same contract suite.
package search

import (
	"context"
	"time"
)

// Facet names. A Query filters on them and a Result counts them.
const (
	FacetType     = "type"
	FacetSector   = "sector"
	FacetAudience = "audience" // key stage: ks1..ks5, adults, teachers
	FacetDelivery = "delivery"
	FacetAccess   = "access"
)

// Facets lists every facet, in the order pages show them.
var Facets = []string{FacetType, FacetSector, FacetAudience, FacetDelivery, FacetAccess}

// Document is one public offer as the index holds it. Facet fields hold the
// values filters and counts use. SessionStarts are the starts of its
// upcoming sessions; an offer with none is still indexed.
type Document struct {
	ID          string
	OrgID       string
	OrgName     string
	Title       string
	Description string
	Sector      string // facet value
	SectorLabel string // words for keyword search
	Type        string
	Audience    []string // key stages, facet values
	Years       []int    // school years served, 0 omitted
	Delivery    string
	Access      []string
	Town        string
	// HasLocation is false for offers with no place (virtual only).
	HasLocation   bool
	Lat, Lon      float64
	SessionStarts []time.Time
	UpdatedAt     time.Time
}

// Sort orders. SortDistance needs Near. It puts nearest first, and every
// offer with no location (virtual only) after every located one; offers
// at the same distance, and those with no location among themselves, come
// soonest next session first, then by relevance.
const (
	SortRelevance = "relevance"
	SortDate      = "date" // next session first
	SortDistance  = "distance"
)

// Query is one search. Zero fields match anything. Filters maps a facet name
// to the values wanted: values of one facet are ORed, facets are ANDed.
type Query struct {
	Text    string
	Filters map[string][]string
	// From and To keep offers with at least one session starting in
	// [From, To]. Zero means open-ended.
	From, To time.Time
	// Near, with WithinKm > 0, keeps offers within WithinKm of the point
	// and offers with no location (virtual only), which are available
	// anywhere, unless other filters leave them out (delivery in_person
	// does). With WithinKm 0 it keeps every offer. Near is also where
	// DistanceKm and SortDistance measure from; an offer with no location
	// has no distance.
	Near     *Point
	WithinKm float64
	Sort     string
	Page     int // 1-based
	PerPage  int
}

// Point is a latitude and longitude in degrees.
type Point struct {
	Lat, Lon float64
}

// Hit is one matching document, in result order.
type Hit struct {
	ID string
	// DistanceKm is set when the query had Near and the document a location.
	DistanceKm *float64
}

// Result is one page of hits, the total across pages, and the count of
// matching documents per facet value (counts ignore paging).
type Result struct {
	Total  int
	Hits   []Hit
	Facets map[string]map[string]int
}

// Index is a search engine holding offers. Upsert and Delete are visible to
// the next Search once they return. Implementations are safe for concurrent
// use.
type Index interface {
	// Upsert adds or replaces documents by ID.
	Upsert(ctx context.Context, docs ...Document) error
	// Delete removes documents by ID; missing ids are not an error.
	Delete(ctx context.Context, ids ...string) error
	// Search answers a query.
	Search(ctx context.Context, q Query) (Result, error)
	// Reset empties the index.
	Reset(ctx context.Context) error
	// Count returns how many documents the index holds.
	Count(ctx context.Context) (int, error)
	// Ping reports whether the engine is up.
	Ping(ctx context.Context) error
	// Name is the engine's name for /healthz: "bleve" or "meilisearch".
	Name() string
	Close() error
}
