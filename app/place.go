package app

import (
	"context"
	"math"
	"regexp"
	"strings"

	"github.com/encounters/encounters/search"
)

// Precision says how a location was found.
const (
	PrecisionPostcode = "postcode" // the postcode's own Code-Point centroid
	PrecisionOutcode  = "outcode"  // the centroid of its outcode: approximate
	PrecisionPlace    = "place"    // a town or village name
)

// Location is a point on the map and how it was found. A zero Location
// (Precision "") means the place is unknown.
type Location struct {
	Lat       float64 `bson:"lat" json:"lat"`
	Lon       float64 `bson:"lon" json:"lon"`
	Precision string  `bson:"precision,omitempty" json:"precision,omitempty"`
}

// Known reports whether the location was found.
func (l Location) Known() bool { return l.Precision != "" }

// DistanceKm is the great-circle distance between two locations in km,
// measured as the search engines measure it.
func DistanceKm(a, b Location) float64 {
	return search.DistanceKm(search.Point{Lat: a.Lat, Lon: a.Lon}, search.Point{Lat: b.Lat, Lon: b.Lon})
}

// DriveMinutes estimates a car journey over a straight-line distance in
// County Durham: roads wind (x1.3) and average about 45 km/h.
func DriveMinutes(km float64) int {
	return int(math.Round(km * 1.3 / 45 * 60))
}

var postcodePattern = regexp.MustCompile(`^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$`)
var outcodePattern = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]?$`)

// NormalisePostcode upper-cases a UK postcode and puts one space before the
// inward code: "dh13le" becomes "DH1 3LE". ok is false when s is not shaped
// like a postcode.
func NormalisePostcode(s string) (string, bool) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	m := postcodePattern.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1] + " " + m[2], true
}

// Outcode returns the part of a normalised postcode before the space.
func Outcode(postcode string) string {
	out, _, _ := strings.Cut(postcode, " ")
	return out
}

// IsOutcode reports whether s (upper-cased, trimmed) is shaped like an outcode.
func IsOutcode(s string) bool {
	return outcodePattern.MatchString(strings.ToUpper(strings.TrimSpace(s)))
}

// Gazetteer places postcodes and town names. Implementations hold Code-Point
// Open postcodes, outcode centroids and place names in memory.
type Gazetteer interface {
	// Postcode places a postcode. An unknown postcode whose outcode is known
	// gets the outcode centroid, with Precision PrecisionOutcode. A postcode
	// that is malformed or whose outcode is unknown gives an EInvalid error
	// naming the postcode.
	Postcode(ctx context.Context, postcode string) (normalised string, loc Location, err error)
	// Near places what a person typed in a "near" box: a postcode, an
	// outcode, or a town or village name. label is what to show back.
	Near(ctx context.Context, text string) (label string, loc Location, err error)
}
