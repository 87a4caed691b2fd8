package web

import (
	"errors"
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
// Fiber's buffers. Facet parameters may repeat (type=a&type=b). Bytes that
// are not UTF-8 become U+FFFD, so that what is echoed back in a message
// or a field reads as text, never as Go's escapes ("\xff").
func readFindParams(c *fiber.Ctx) findParams {
	args := c.Context().QueryArgs()
	one := func(name string) string { return queryText(args.Peek(name)) }

	p := findParams{
		Text: one("q"), From: one("from"), To: one("to"), Near: one("near"),
		WithinKm: one("within_km"), Sort: one("sort"), Page: one("page"),
		PerPage: one("per_page"), Filters: map[string][]string{},
	}
	for _, facet := range search.Facets {
		for _, v := range args.PeekMulti(facet) {
			if s := queryText(v); s != "" {
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

	// A negative distance goes on to the service, which states the range.
	var probs app.Problems
	if p.WithinKm != "" {
		km, err := strconv.ParseFloat(p.WithinKm, 64)
		if err != nil {
			probs.Add("within_km", "Enter a distance in kilometres, like 20.")
		}
		in.WithinKm = km
	}
	in.Page = positiveParam(&probs, "page", p.Page, "Page must be a whole number, like 2.")
	in.PerPage = positiveParam(&probs, "per_page", p.PerPage,
		"Results per page must be a whole number, like 20.")
	return in, probs.Err()
}

// queryText is one query value as text: trimmed, with any bytes that are
// not UTF-8 replaced by U+FFFD.
func queryText(b []byte) string {
	return strings.TrimSpace(strings.ToValidUTF8(string(b), "\uFFFD"))
}

// paramLabels name the numeric query parameters at the start of a
// sentence.
var paramLabels = map[string]string{"page": "Page", "per_page": "Results per page"}

// maxParam bounds page numbers and sizes: far beyond any list here, and
// small enough that page times size cannot overflow.
const maxParam = 1_000_000

// positiveParam reads an optional whole number from 1 to maxParam.
// notNumber is the problem when value is not a whole number; a number out
// of range is told the range.
func positiveParam(probs *app.Problems, field, value, notNumber string) int {
	if value == "" {
		return 0
	}
	n, err := strconv.Atoi(value)
	if errors.Is(err, strconv.ErrRange) {
		err = nil // a whole number all the same: n is the nearest int, out of range below
	}
	switch {
	case err != nil:
		probs.Add(field, "%s", notNumber)
		return 0
	case n < 1:
		probs.Add(field, "%s must be 1 or more.", paramLabels[field])
		return 0
	case n > maxParam:
		probs.Add(field, "%s must be %d or less.", paramLabels[field], maxParam)
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
