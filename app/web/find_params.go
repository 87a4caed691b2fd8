package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/search"
)

// findParams is a "Find opportunities" query exactly as typed, so that a
// page with mistakes can show the visitor's words back to them.
type findParams struct {
	Text     string
	Filters  map[string][]string
	From, To string
	Near     string
	WithinKm string
	Sort     string
	Page     string
	PerPage  string
}

// readFindParams copies the query string of a search, page or API, out of
// Fiber's buffers. Facet parameters may repeat (type=a&type=b).
func readFindParams(c *fiber.Ctx) findParams {
	args := c.Context().QueryArgs()
	one := func(name string) string { return strings.TrimSpace(string(args.Peek(name))) }

	p := findParams{
		Text: one("q"), From: one("from"), To: one("to"), Near: one("near"),
		WithinKm: one("within_km"), Sort: one("sort"), Page: one("page"),
		PerPage: one("per_page"), Filters: map[string][]string{},
	}
	for _, facet := range search.Facets {
		for _, v := range args.PeekMulti(facet) {
			if s := strings.TrimSpace(string(v)); s != "" {
				p.Filters[facet] = append(p.Filters[facet], s)
			}
		}
	}
	return p
}

// input checks the numbers and turns the parameters into the service's
// FindInput; the service checks everything else. Problems name the query
// parameter.
func (p findParams) input() (app.FindInput, error) {
	in := app.FindInput{
		Text: p.Text, Filters: p.Filters, From: p.From, To: p.To,
		Near: p.Near, Sort: p.Sort,
	}

	var probs app.Problems
	if p.WithinKm != "" {
		km, err := strconv.ParseFloat(p.WithinKm, 64)
		if err != nil || km < 0 {
			probs.Add("within_km", "Enter a distance in kilometres, like 20.")
		}
		in.WithinKm = km
	}
	in.Page = positiveParam(&probs, "page", p.Page, "Page must be a whole number, like 2.")
	in.PerPage = positiveParam(&probs, "per_page", p.PerPage,
		"Results per page must be a whole number, like 20.")
	return in, probs.Err()
}

// positiveParam reads an optional whole number of at least 1.
func positiveParam(probs *app.Problems, field, value, message string) int {
	if value == "" {
		return 0
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < 1 {
		probs.Add(field, "%s", message)
		return 0
	}
	return n
}

// checked reports whether value is selected for facet.
func (p findParams) checked(facet, value string) bool {
	for _, v := range p.Filters[facet] {
		if v == value {
			return true
		}
	}

	return false
}
