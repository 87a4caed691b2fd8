package app

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/encounters/encounters/search"
)

// Search limits.
const (
	FindTextMax      = 200
	DefaultWithinKm  = 30
	MaxWithinKm      = 200
	MaxFindResults   = 10000 // deepest result a page may reach
	findDefaultSort  = search.SortRelevance
	findFacetMessage = "Filter by type, sector, audience, delivery or access."
)

// facetChoices are the values each search facet accepts.
var facetChoices = map[string][]Choice{
	search.FacetType:     OfferTypes,
	search.FacetSector:   Sectors,
	search.FacetAudience: KeyStages,
	search.FacetDelivery: Deliveries,
	search.FacetAccess:   AccessFeatures,
}

// FindOffers answers "Find opportunities": it checks the query, asks the
// search index, and returns the page's offers as stored, in the index's
// order, with their upcoming sessions. Offers that stopped being public
// since they were indexed are left out. Near is a postcode, outcode or
// town; with it, WithinKm defaults to DefaultWithinKm and sort may be
// "distance". Virtual offers with no place are available anywhere, so a
// search near a place keeps them (unless the delivery filter leaves them
// out), without a distance, and sorting by distance shows them after every
// offer that has one. Bad input is EInvalid naming each field.
func (s *Service) FindOffers(ctx context.Context, in FindInput) (*FindResult, error) {
	q, res, err := s.checkFind(ctx, in)
	if err != nil {
		return nil, err
	}
	found, err := s.Index.Search(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find offers: search: %w", err)
	}

	ids := make([]string, len(found.Hits))
	for i, h := range found.Hits {
		ids[i] = h.ID
	}
	offers, err := s.Store.GetOffers(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("find offers: fetch: %w", err)
	}

	now := s.now()
	res.Total, res.Facets = found.Total, found.Facets
	res.Results = make([]FoundOffer, 0, len(found.Hits))
	for _, h := range found.Hits {
		o := offers[h.ID]
		if o == nil || !o.Public {
			res.Total--
			s.log().WarnContext(ctx, "search hit no longer public", "offer_id", h.ID)
			continue
		}
		res.Results = append(res.Results, FoundOffer{Offer: o, Upcoming: o.Upcoming(now), DistanceKm: h.DistanceKm})
	}
	return res, nil
}

// checkFind validates in and returns the index query and a result holding
// the page and the place understood from Near.
func (s *Service) checkFind(ctx context.Context, in FindInput) (search.Query, *FindResult, error) {
	var p Problems
	q := search.Query{
		Text:    strings.TrimSpace(in.Text),
		Filters: checkFilters(&p, in.Filters),
		Sort:    strings.TrimSpace(in.Sort),
	}
	if utf8.RuneCountInString(q.Text) > FindTextMax {
		p.Add("q", "Search words must be %d characters or fewer.", FindTextMax)
	}

	q.From, q.To = checkFindDates(&p, in.From, in.To)
	res := &FindResult{}
	if err := s.checkNear(ctx, &p, &q, res, in); err != nil {
		return q, nil, err
	}

	checkSort(&p, &q)
	q.Page, q.PerPage = checkPage(&p, in.Page, in.PerPage)
	res.Page, res.PerPage = q.Page, q.PerPage
	return q, res, p.Err()
}

// checkFilters keeps the distinct, known values of each known facet.
func checkFilters(p *Problems, in map[string][]string) map[string][]string {
	out := map[string][]string{}
	for facet, values := range in {
		choices, ok := facetChoices[facet]
		if !ok {
			p.Add(facet, findFacetMessage)
			continue
		}
		for _, v := range values {
			v = strings.TrimSpace(v)
			switch {
			case v == "" || slices.Contains(out[facet], v):
			case !InChoices(choices, v):
				p.Add(facet, "Choose %s values from the list.", facet)
			default:
				out[facet] = append(out[facet], v)
			}
		}
	}
	return out
}

// checkFindDates reads an optional window: from midnight London on the
// first day to the last instant of the last.
func checkFindDates(p *Problems, fromText, toText string) (time.Time, time.Time) {
	from, okFrom := checkDate(p, "from", "the first day", fromText, false)
	to, okTo := checkDate(p, "to", "the last day", toText, false)
	if okFrom && okTo && to.Before(from) {
		p.Add("to", "The last day must be the same as or after the first day.")
	}

	if okTo {
		to = to.In(London).AddDate(0, 0, 1).Add(-time.Nanosecond).UTC()
	}
	return from, to
}

// checkNear places what was typed in "near" and sets the distance limit:
// none without a place, DefaultWithinKm with one unless given.
func (s *Service) checkNear(ctx context.Context, p *Problems, q *search.Query, res *FindResult, in FindInput) error {
	switch {
	case math.IsNaN(in.WithinKm) || in.WithinKm < 0 || in.WithinKm > MaxWithinKm:
		p.Add("within_km", "Choose a distance of up to %d km.", MaxWithinKm)
	case in.WithinKm > 0 && strings.TrimSpace(in.Near) == "":
		p.Add("within_km", "Enter a postcode or town in \"near\" to search within a distance.")
	}
	near := strings.TrimSpace(in.Near)
	if near == "" {
		return nil
	}
	if utf8.RuneCountInString(near) > 100 {
		p.Add("near", "Enter a postcode, or the name of a town or village.")
		return nil
	}

	label, loc, err := s.Places.Near(ctx, near)
	switch ErrorCode(err) {
	case "":
	case EInvalid, ENotFound:
		p.Add("near", "%s", sentence(ErrorMessage(err)))
		return nil
	default:
		return fmt.Errorf("find offers: near: %w", err)
	}
	res.NearText, res.NearLoc = label, loc
	q.Near = &search.Point{Lat: loc.Lat, Lon: loc.Lon}
	q.WithinKm = in.WithinKm
	if q.WithinKm == 0 {
		q.WithinKm = DefaultWithinKm
	}
	return nil
}

// checkSort accepts relevance (the default), date, and distance when the
// query has a place.
func checkSort(p *Problems, q *search.Query) {
	switch q.Sort {
	case "":
		q.Sort = findDefaultSort
	case search.SortRelevance, search.SortDate:
	case search.SortDistance:
		if q.Near == nil && !p.Has("near") {
			p.Add("sort", "Enter a postcode or town in \"near\" to sort by distance.")
		}
	default:
		p.Add("sort", "Sort by relevance, date or distance.")
	}
}

// checkPage applies the paging defaults and limits.
func checkPage(p *Problems, page, perPage int) (int, int) {
	if perPage == 0 {
		perPage = DefaultPerPage
	}

	if perPage < 1 || perPage > MaxPerPage {
		p.Add("per_page", "Show from 1 to %d results on a page.", MaxPerPage)
		perPage = DefaultPerPage
	}
	if page == 0 {
		page = 1
	}

	switch {
	case page < 1:
		p.Add("page", "The page number must be 1 or more.")
	case (page-1)*perPage >= MaxFindResults:
		p.Add("page", "Results stop after %d: narrow your search.", MaxFindResults)
	}
	return page, perPage
}
