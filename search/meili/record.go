package meili

import (
	"slices"

	"github.com/meilisearch/meilisearch-go"

	"github.com/encounters/encounters/search"
)

// record is an offer as the Meilisearch index holds it.
type record struct {
	ID          string   `json:"id"`
	OrgID       string   `json:"org_id,omitempty"`
	OrgName     string   `json:"org_name,omitempty"`
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	Sector      string   `json:"sector,omitempty"`
	SectorLabel string   `json:"sector_label,omitempty"`
	Type        string   `json:"type,omitempty"`
	Audience    []string `json:"audience,omitempty"`
	Delivery    string   `json:"delivery,omitempty"`
	Access      []string `json:"access,omitempty"`
	Town        string   `json:"town,omitempty"`
	Geo         *geo     `json:"_geo,omitempty"`
	HasLocation bool     `json:"has_location"`
	Starts      []int64  `json:"starts,omitempty"`
	NextStart   *int64   `json:"next_start,omitempty"`
	UpdatedAt   int64    `json:"updated_at"`
}

// geo is Meilisearch's reserved point format.
type geo struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

func newRecord(d search.Document) record {
	r := record{
		ID: d.ID, OrgID: d.OrgID, OrgName: d.OrgName,
		Title: d.Title, Description: d.Description,
		Sector: d.Sector, SectorLabel: d.SectorLabel, Type: d.Type,
		Audience: d.Audience, Delivery: d.Delivery, Access: d.Access,
		Town: d.Town, HasLocation: d.HasLocation, UpdatedAt: d.UpdatedAt.Unix(),
	}

	if d.HasLocation {
		r.Geo = &geo{Lat: d.Lat, Lng: d.Lon}
	}
	if len(d.SessionStarts) > 0 {
		r.Starts = make([]int64, len(d.SessionStarts))
		for n, t := range d.SessionStarts {
			r.Starts[n] = t.Unix()
		}
		next := slices.Min(r.Starts)
		r.NextStart = &next
	}
	return r
}

// searchable lists the keyword fields, most telling first: Meilisearch's
// attribute rule ranks a match in an earlier field higher.
var searchable = []string{"title", "org_name", "sector_label", "town", "description"}

// stopWords are left out of keyword matching, as the English analyser of
// the embedded engine does, so "talks for adults" asks for two words.
var stopWords = []string{
	"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from",
	"if", "in", "into", "is", "it", "of", "on", "or", "our", "such", "that",
	"the", "their", "then", "there", "these", "they", "this", "to", "was",
	"will", "with", "your",
}

// indexSettings are applied on every start; Meilisearch does nothing when
// they have not changed.
func indexSettings() *meilisearch.Settings {
	filterable := append([]string{"org_id", attrStarts, attrGeo, attrLocated}, search.Facets...)

	return &meilisearch.Settings{
		// Sort comes first so that a date or distance order holds across
		// every match; without a sort it has no effect.
		RankingRules:         []string{"sort", "words", "typo", "proximity", "attribute", "exactness"},
		SearchableAttributes: searchable,
		FilterableAttributes: filterable,
		SortableAttributes:   []string{attrNextStart, attrGeo},
		StopWords:            stopWords,
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled:             true,
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 4, TwoTypos: 8},
			DisableOnWords:      []string{},
			DisableOnAttributes: []string{},
		},
		Pagination: &meilisearch.Pagination{MaxTotalHits: 100_000},
		Faceting: &meilisearch.Faceting{
			MaxValuesPerFacet: 200,
			SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeAlpha},
		},
	}
}
