package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/search"
)

// facetView is one group of filter checkboxes on the search page.
type facetView struct {
	Name    string
	Legend  string
	Options []facetOption
}

// facetOption is one checkbox: a value, its words, how many results have
// it (shown when ShowCount) and whether the visitor ticked it.
type facetOption struct {
	ID        string
	Value     string
	Label     string
	Count     int
	ShowCount bool
	Checked   bool
}

// facetLegends names each facet's group of checkboxes.
var facetLegends = map[string]string{
	search.FacetType:     "Type of opportunity",
	search.FacetSector:   "Sector",
	search.FacetAudience: "Who it is for",
	search.FacetDelivery: "How it is delivered",
	search.FacetAccess:   "Access",
}

// sortChoices are the orders the search page offers.
var sortChoices = []app.Choice{
	{Value: search.SortRelevance, Label: "Best match"},
	{Value: search.SortDate, Label: "Soonest date"},
	{Value: search.SortDistance, Label: "Nearest"},
}

// showFindPage answers GET /offers, "Find opportunities": the search form,
// the facets with counts and one page of results. Mistakes in the query
// show the form with an error summary and status 400.
func (s *Server) showFindPage(c *fiber.Ctx) error {
	params := readFindParams(c)
	data := fiber.Map{"Title": "Find opportunities", "Form": params, "Errors": map[string]string{},
		"Sorts": sortChoices, "Facets": facetViews(params, nil)}

	in, err := params.input()
	if err != nil {
		return s.findFailed(c, data, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	res, err := s.svc.FindOffers(ctx, in)
	if err != nil {
		return s.findFailed(c, data, err)
	}

	cards := make([]offerCard, 0, len(res.Results))
	for _, f := range res.Results {
		cards = append(cards, newOfferCard(f.Offer, f.Upcoming, f.DistanceKm))
	}
	data["Results"] = cards
	data["Total"] = res.Total
	data["NearText"] = res.NearText
	data["Facets"] = facetViews(params, res.Facets)
	data["Pager"] = newPager(c, res.Page, res.PerPage, res.Total)
	return s.render(c, fiber.StatusOK, "offers/index", data)
}

// findFailed shows the search page with the query's mistakes, or an error
// page for anything that is not the visitor's mistake. The title stays
// "Find opportunities": the layout adds "Error: " whenever ErrorList is set.
func (s *Server) findFailed(c *fiber.Ctx, data fiber.Map, err error) error {
	if app.ErrorCode(err) != app.EInvalid {
		return s.pageError(c, err)
	}
	s.logError(c, err)
	for k, v := range formErrors(err) {
		data[k] = v
	}
	return s.render(c, fiber.StatusBadRequest, "offers/index", data)
}

// redirectToFind sends the old address /find to /offers, keeping the query.
func redirectToFind(c *fiber.Ctx) error {
	to := "/offers"
	if q := string(c.Request().URI().QueryString()); q != "" {
		to += "?" + q
	}
	return c.Redirect(to, fiber.StatusMovedPermanently)
}

// facetViews lists each facet's values with their counts among the
// results. In a facet with nothing ticked, a value is offered only when
// some result has it, and its count is exact. Once a value is ticked,
// every value of that facet is offered, since ticking another widens the
// search (values of one facet are ORed) by an amount the counts cannot
// tell; only ticked values show a count. With no counts (a failed search)
// every value is offered.
func facetViews(p findParams, counts map[string]map[string]int) []facetView {
	out := make([]facetView, 0, len(search.Facets))
	for _, name := range search.Facets {
		fv := facetView{Name: name, Legend: facetLegends[name]}
		ticked := len(p.Filters[name]) > 0
		for _, ch := range vocabularies[name] {
			n, checked := counts[name][ch.Value], p.checked(name, ch.Value)
			if counts != nil && n == 0 && !ticked {
				continue
			}
			fv.Options = append(fv.Options, facetOption{ID: name + "-" + ch.Value, Value: ch.Value,
				Label: ch.Label, Count: n, ShowCount: counts != nil && (checked || !ticked),
				Checked: checked})
		}
		if len(fv.Options) > 0 {
			out = append(out, fv)
		}
	}
	return out
}

// facetCounts returns a result's facet counts with every facet present,
// so that JSON always carries the same keys.
func facetCounts(counts map[string]map[string]int) map[string]map[string]int {
	out := make(map[string]map[string]int, len(search.Facets))
	for _, name := range search.Facets {
		values := make(map[string]int, len(counts[name]))
		for k, n := range counts[name] {
			values[k] = n
		}
		out[name] = values
	}

	return out
}
