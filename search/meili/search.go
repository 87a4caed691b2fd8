package meili

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/meilisearch/meilisearch-go"

	"github.com/encounters/encounters/search"
)

// defaultPerPage is the page size when a query asks for none.
const defaultPerPage = 20

// Search answers a query: keyword (every word must match, with typos
// allowed), facet, date and distance filters, one sort order, one page,
// and counts per facet value over all pages.
func (i *Index) Search(ctx context.Context, q search.Query) (search.Result, error) {
	req, err := newRequest(q)
	if err != nil {
		return search.Result{}, err
	}

	resp, err := i.index.Search(ctx, q.Text, req)
	if err != nil {
		return search.Result{}, fmt.Errorf("meilisearch search: %w", err)
	}
	return result(resp, q.Near)
}

// newRequest turns a query into a Meilisearch search request.
func newRequest(q search.Query) (*meilisearch.SearchRequest, error) {
	filter, err := buildFilter(q)
	if err != nil {
		return nil, err
	}
	order, err := buildSort(q)
	if err != nil {
		return nil, err
	}

	perPage := int64(q.PerPage)
	if perPage <= 0 {
		perPage = defaultPerPage
	}
	req := &meilisearch.SearchRequest{
		Query:                q.Text,
		Page:                 int64(max(q.Page, 1)),
		HitsPerPage:          &perPage,
		Sort:                 order,
		Facets:               search.Facets,
		AttributesToRetrieve: []string{"id", attrGeo},
		MatchingStrategy:     meilisearch.All,
	}
	if filter != "" {
		req.Filter = filter
	}
	return req, nil
}

// result turns Meilisearch's answer into a search.Result.
func result(resp *meilisearch.SearchResponse, near *search.Point) (search.Result, error) {
	res := search.Result{
		Total:  int(resp.TotalHits),
		Hits:   make([]search.Hit, 0, len(resp.Hits)),
		Facets: make(map[string]map[string]int, len(search.Facets)),
	}
	for _, raw := range resp.Hits {
		h, err := decodeHit(raw, near)
		if err != nil {
			return search.Result{}, err
		}
		res.Hits = append(res.Hits, h)
	}

	counts := map[string]map[string]int{}
	if len(resp.FacetDistribution) > 0 {
		if err := json.Unmarshal(resp.FacetDistribution, &counts); err != nil {
			return search.Result{}, fmt.Errorf("meilisearch facet counts: %w", err)
		}
	}
	for _, name := range search.Facets {
		res.Facets[name] = counts[name]
		if res.Facets[name] == nil {
			res.Facets[name] = map[string]int{}
		}
	}
	return res, nil
}

// decodeHit reads a returned document's id and, when the query had a
// point, its distance from that point.
func decodeHit(raw meilisearch.Hit, near *search.Point) (search.Hit, error) {
	var h search.Hit
	if err := json.Unmarshal(raw["id"], &h.ID); err != nil {
		return h, fmt.Errorf("meilisearch hit id: %w", err)
	}
	if near == nil || len(raw[attrGeo]) == 0 {
		return h, nil
	}

	var g *geo
	if err := json.Unmarshal(raw[attrGeo], &g); err != nil {
		return h, fmt.Errorf("meilisearch hit %s location: %w", h.ID, err)
	}
	if g != nil {
		km := search.DistanceKm(*near, search.Point{Lat: g.Lat, Lon: g.Lng})
		h.DistanceKm = &km
	}
	return h, nil
}
