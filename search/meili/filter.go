package meili

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/encounters/encounters/search"
)

// Attribute names in the Meilisearch documents.
const (
	attrStarts    = "starts"       // unix seconds of every upcoming session
	attrNextStart = "next_start"   // unix seconds of the earliest one
	attrGeo       = "_geo"         // Meilisearch's reserved point field
	attrLocated   = "has_location" // false for offers with no place
)

// quoteEscaper escapes the two characters that are special inside a
// quoted filter value: the backslash and the double quote.
var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// quote turns any string into one quoted filter value, so that user text
// can never end the value early and add to the expression.
func quote(s string) string {
	return `"` + quoteEscaper.Replace(s) + `"`
}

// buildFilter returns the filter expression of q: facets (values ORed,
// facets ANDed), the session date range and the distance limit (which
// keeps offers with no location), ANDed. It is "" when q filters nothing.
// Attribute names come from our own list, never from the caller; values
// are always quoted or formatted numbers.
func buildFilter(q search.Query) (string, error) {
	if err := checkQuery(q); err != nil {
		return "", err
	}

	var parts []string
	for _, name := range search.Facets {
		if values := q.Filters[name]; len(values) > 0 {
			parts = append(parts, facetFilter(name, values))
		}
	}
	if f := startsFilter(q); f != "" {
		parts = append(parts, f)
	}
	if q.Near != nil && q.WithinKm > 0 {
		parts = append(parts, fmt.Sprintf("(_geoRadius(%s, %s, %s) OR %s = false)",
			number(q.Near.Lat), number(q.Near.Lon), number(q.WithinKm*1000), attrLocated))
	}
	return strings.Join(parts, " AND "), nil
}

// checkQuery rejects facets we do not index and points not on Earth.
func checkQuery(q search.Query) error {
	for name := range q.Filters {
		if !slices.Contains(search.Facets, name) {
			return fmt.Errorf("unknown facet %q", name)
		}
	}

	if q.WithinKm < 0 || math.IsNaN(q.WithinKm) || math.IsInf(q.WithinKm, 0) {
		return fmt.Errorf("within_km %v is not a distance", q.WithinKm)
	}
	if q.Near != nil && (!(math.Abs(q.Near.Lat) <= 90) || !(math.Abs(q.Near.Lon) <= 180)) {
		return fmt.Errorf("near %v,%v is not a point", q.Near.Lat, q.Near.Lon)
	}
	return nil
}

func facetFilter(name string, values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = quote(v)
	}
	return name + " IN [" + strings.Join(quoted, ", ") + "]"
}

// startsFilter keeps documents with a session start in [From, To]. With
// both bounds it must be one TO range: on an array, ">= a AND <= b" would
// also match a document with one start before a and another after b.
func startsFilter(q search.Query) string {
	from, to := q.From.Unix(), q.To.Unix()

	switch {
	case !q.From.IsZero() && !q.To.IsZero():
		return fmt.Sprintf("%s %d TO %d", attrStarts, from, to)
	case !q.From.IsZero():
		return fmt.Sprintf("%s >= %d", attrStarts, from)
	case !q.To.IsZero():
		return fmt.Sprintf("%s <= %d", attrStarts, to)
	}
	return ""
}

// buildSort returns the sort parameter for q.Sort; relevance needs none.
// By distance, Meilisearch puts documents with no _geo last; the date
// then orders those, and documents at the same distance.
func buildSort(q search.Query) ([]string, error) {
	switch q.Sort {
	case "", search.SortRelevance:
		return nil, nil
	case search.SortDate:
		return []string{attrNextStart + ":asc"}, nil
	case search.SortDistance:
		if q.Near == nil {
			return nil, errors.New("sort by distance needs a point to measure from")
		}
		return []string{
			fmt.Sprintf("_geoPoint(%s, %s):asc", number(q.Near.Lat), number(q.Near.Lon)),
			attrNextStart + ":asc",
		}, nil
	}
	return nil, fmt.Errorf("unknown sort %q", q.Sort)
}

func number(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}
