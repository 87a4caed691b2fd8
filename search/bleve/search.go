package bleveindex

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	blevesearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/encounters/encounters/search"
)

// defaultPerPage is the page size when a query asks for none.
const defaultPerPage = 20

// facetSize is more than the number of values any facet has, so that
// counts cover every value.
const facetSize = 200

// Search answers a query: keyword, facet, date and distance filters, one
// sort order, one page, and counts per facet value over all pages.
func (i *Index) Search(ctx context.Context, q search.Query) (search.Result, error) {
	var res search.Result
	err := i.use(ctx, "search", func(idx bleve.Index) error {
		req, err := newRequest(idx, q)
		if err != nil {
			return err
		}

		sr, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return err
		}
		res = result(sr, q.Near)
		return nil
	})
	return res, err
}

// newRequest turns a query into a Bleve search request.
func newRequest(idx bleve.Index, q search.Query) (*bleve.SearchRequest, error) {
	if err := checkPoint(q); err != nil {
		return nil, err
	}
	filter, err := filterQuery(q)
	if err != nil {
		return nil, err
	}
	order, err := sortOrder(q)
	if err != nil {
		return nil, err
	}

	page, perPage := max(q.Page, 1), q.PerPage
	if perPage <= 0 {
		perPage = defaultPerPage
	}
	text := textQuery(idx, q.Text)
	req := bleve.NewSearchRequestOptions(combine(text, filter), perPage, (page-1)*perPage, false)
	req.SortByCustom(order)
	if q.Near != nil {
		req.Fields = []string{fieldLat, fieldLon}
	}
	for _, f := range search.Facets {
		req.AddFacet(f, bleve.NewFacetRequest(f, facetSize))
	}
	return req, nil
}

// checkPoint rejects coordinates and distances no place on Earth has.
func checkPoint(q search.Query) error {
	if q.WithinKm < 0 || math.IsNaN(q.WithinKm) || math.IsInf(q.WithinKm, 0) {
		return fmt.Errorf("within_km %v is not a distance", q.WithinKm)
	}

	if q.Near == nil {
		return nil
	}
	if !(math.Abs(q.Near.Lat) <= 90) || !(math.Abs(q.Near.Lon) <= 180) {
		return fmt.Errorf("near %v,%v is not a point", q.Near.Lat, q.Near.Lon)
	}
	return nil
}

// combine joins the keyword query and the filters. Filters add a constant
// to every score, so they never change the order of relevance.
func combine(text, filter query.Query) query.Query {
	switch {
	case text == nil && filter == nil:
		return bleve.NewMatchAllQuery()
	case filter == nil:
		return text
	}

	constant := bleve.NewBooleanQuery()
	constant.AddFilter(filter)
	if text == nil {
		return constant
	}
	return bleve.NewConjunctionQuery(text, constant)
}

// filterQuery ANDs the facet, date and distance filters, ORing the values
// of one facet. It returns nil when the query filters nothing.
func filterQuery(q search.Query) (query.Query, error) {
	for name := range q.Filters {
		if !slices.Contains(search.Facets, name) {
			return nil, fmt.Errorf("unknown facet %q", name)
		}
	}

	var parts []query.Query
	for _, name := range search.Facets {
		if values := q.Filters[name]; len(values) > 0 {
			parts = append(parts, facetQuery(name, values))
		}
	}
	if r := startsQuery(q); r != nil {
		parts = append(parts, r)
	}
	if q.Near != nil && q.WithinKm > 0 {
		parts = append(parts, withinQuery(*q.Near, q.WithinKm))
	}

	switch len(parts) {
	case 0:
		return nil, nil
	case 1:
		return parts[0], nil
	}
	return bleve.NewConjunctionQuery(parts...), nil
}

func facetQuery(name string, values []string) query.Query {
	or := bleve.NewDisjunctionQuery()
	for _, v := range values {
		t := bleve.NewTermQuery(v)
		t.SetField(name)
		or.AddQuery(t)
	}
	return or
}

// withinQuery keeps documents within km of p, and those with no location,
// which are available anywhere.
func withinQuery(p search.Point, km float64) query.Query {
	distance := strconv.FormatFloat(km, 'f', -1, 64) + "km"
	g := bleve.NewGeoDistanceQuery(p.Lon, p.Lat, distance)
	g.SetField(fieldLocation)

	anywhere := bleve.NewBoolFieldQuery(false)
	anywhere.SetField(fieldLocated)
	return bleve.NewDisjunctionQuery(g, anywhere)
}

// startsQuery keeps documents with a session start in [From, To]. Starts
// are one multi-valued field, so one range matches when any start is in it.
func startsQuery(q search.Query) query.Query {
	if q.From.IsZero() && q.To.IsZero() {
		return nil
	}

	var lo, hi *float64
	if !q.From.IsZero() {
		v := float64(q.From.Unix())
		lo = &v
	}
	if !q.To.IsZero() {
		v := float64(q.To.Unix())
		hi = &v
	}

	inclusive := true
	r := bleve.NewNumericRangeInclusiveQuery(lo, hi, &inclusive, &inclusive)
	r.SetField(fieldStarts)
	return r
}

// sortOrder returns the Bleve sort for q.Sort; ties fall back to score,
// then id, so pages never overlap. By distance, documents with no location
// come last (Bleve puts them at the greatest distance), and documents at
// the same distance, those with no location among them, soonest first.
func sortOrder(q search.Query) (blevesearch.SortOrder, error) {
	ties := blevesearch.SortOrder{&blevesearch.SortScore{Desc: true}, &blevesearch.SortDocID{}}
	next := &blevesearch.SortField{
		Field:   fieldNextStart,
		Type:    blevesearch.SortFieldAsNumber,
		Missing: blevesearch.SortFieldMissingLast,
	}

	switch q.Sort {
	case "", search.SortRelevance:
		return ties, nil
	case search.SortDate:
		return append(blevesearch.SortOrder{next}, ties...), nil
	case search.SortDistance:
		if q.Near == nil {
			return nil, errors.New("sort by distance needs a point to measure from")
		}
		geo, err := blevesearch.NewSortGeoDistance(fieldLocation, "km", q.Near.Lon, q.Near.Lat, false)
		if err != nil {
			return nil, err
		}
		return append(blevesearch.SortOrder{geo, next}, ties...), nil
	}
	return nil, fmt.Errorf("unknown sort %q", q.Sort)
}

// result turns Bleve's answer into a search.Result.
func result(sr *bleve.SearchResult, near *search.Point) search.Result {
	res := search.Result{
		Total:  int(sr.Total),
		Hits:   make([]search.Hit, 0, len(sr.Hits)),
		Facets: make(map[string]map[string]int, len(search.Facets)),
	}
	for _, h := range sr.Hits {
		res.Hits = append(res.Hits, search.Hit{ID: h.ID, DistanceKm: distance(h, near)})
	}

	for _, name := range search.Facets {
		counts := map[string]int{}
		if fr := sr.Facets[name]; fr != nil {
			for _, t := range fr.Terms.Terms() {
				counts[t.Term] = t.Count
			}
		}
		res.Facets[name] = counts
	}
	return res
}

// distance works out how far a hit is from near, from its stored point.
func distance(h *blevesearch.DocumentMatch, near *search.Point) *float64 {
	if near == nil {
		return nil
	}

	lat, okLat := h.Fields[fieldLat].(float64)
	lon, okLon := h.Fields[fieldLon].(float64)
	if !okLat || !okLon {
		return nil
	}
	km := search.DistanceKm(*near, search.Point{Lat: lat, Lon: lon})
	return &km
}
