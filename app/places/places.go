// Package places finds where things are: it implements app.Gazetteer over
// Code-Point Open postcodes for the North East, outcode centroids for the
// whole UK and GeoNames town and village names for the North East, and
// app.Deprivation over the English Indices of Deprivation 2019 for North
// East neighbourhoods, all shipped inside the binary (see
// data/ATTRIBUTION.md).
package places

import (
	"context"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/encounters/encounters/app"
)

// point is a latitude and longitude packed small: float32 keeps about half
// a metre of precision, finer than the centroids themselves.
type point struct {
	lat, lon float32
}

func (p point) location(precision string) app.Location {
	return app.Location{Lat: float64(p.lat), Lon: float64(p.lon), Precision: precision}
}

// place is a town or village, under the name GeoNames gives it.
type place struct {
	name string
	at   point
}

// Gazetteer places postcodes, outcodes and North East town names. It is
// read-only once loaded and safe for concurrent use.
type Gazetteer struct {
	postcodes map[uint64]point // by packPostcode of the normalised postcode
	outcodes  map[string]point // Code-Point centroid where known, else GeoNames
	places    map[string]place // by foldName
	deciles   map[string]int8  // IMD 2019 decile by LSOA code
}

var (
	_ app.Gazetteer   = (*Gazetteer)(nil)
	_ app.Deprivation = (*Gazetteer)(nil)
)

var loadOnce = sync.OnceValues(load)

// Load returns the gazetteer. The shipped data is parsed on the first call
// only; later calls share the same read-only Gazetteer.
func Load() (*Gazetteer, error) {
	return loadOnce()
}

// Postcode places a postcode: its own Code-Point Open centroid when the
// postcode is known, else the centroid of its outcode. A malformed postcode,
// or one whose outcode is unknown, gives an EInvalid error.
func (g *Gazetteer) Postcode(_ context.Context, postcode string) (string, app.Location, error) {
	if strings.TrimSpace(postcode) == "" {
		return "", app.Location{}, app.Errorf(app.EInvalid, "Enter a postcode, like DH1 3LE")
	}
	norm, ok := app.NormalisePostcode(postcode)
	if !ok {
		return "", app.Location{}, app.Errorf(app.EInvalid, "Enter a real postcode, like DH1 3LE")
	}

	if p, ok := g.postcodes[packPostcode(norm)]; ok {
		return norm, p.location(app.PrecisionPostcode), nil
	}
	if p, ok := g.outcodes[app.Outcode(norm)]; ok {
		return norm, p.location(app.PrecisionOutcode), nil
	}
	return "", app.Location{}, app.Errorf(app.EInvalid, "Postcode %s is not a UK postcode we can place", norm)
}

// Near places what a person typed in a "near" box: a full postcode, an
// outcode such as "DL12", or a North East town or village such as
// "Barnard Castle" (any case, hyphens or spaces). label is the postcode,
// outcode or place name as understood, to show back.
func (g *Gazetteer) Near(ctx context.Context, text string) (string, app.Location, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", app.Location{}, app.Errorf(app.EInvalid, "Enter a postcode or a town, like DH1 3LE or Consett")
	}
	if _, ok := app.NormalisePostcode(text); ok {
		return g.Postcode(ctx, text)
	}

	if app.IsOutcode(text) {
		out := strings.ToUpper(text)
		if p, ok := g.outcodes[out]; ok {
			return out, p.location(app.PrecisionOutcode), nil
		}
		return "", app.Location{}, app.Errorf(app.EInvalid, "%s is not a UK postcode district we can place", out)
	}

	if pl, ok := g.places[foldName(text)]; ok {
		return pl.name, pl.at.location(app.PrecisionPlace), nil
	}
	return "", app.Location{}, app.Errorf(app.EInvalid,
		"We could not find %q. Enter a postcode, like DH1 3LE, or a town or village in the North East, like Consett",
		clip(text, 40))
}

// IMDDecile gives the Index of Multiple Deprivation 2019 decile (1 = most
// deprived tenth of England) of a North East LSOA, by its 2011 code such
// as "E01020590". ok is false for an LSOA outside the North East, or for
// anything that is not an LSOA code.
func (g *Gazetteer) IMDDecile(lsoa string) (int, bool) {
	d, ok := g.deciles[lsoa]
	return int(d), ok
}

// packPostcode packs a normalised postcode ("DH1 3LE", at most 8 bytes)
// into a map key, which costs less memory than a string key.
func packPostcode(norm string) uint64 {
	var k uint64
	for i := 0; i < len(norm) && i < 8; i++ {
		k = k<<8 | uint64(norm[i])
	}
	return k
}

// foldName reduces a place name to a lookup key: lower case, apostrophes
// and full stops dropped, hyphens as spaces, single spaces.
func foldName(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("'", "", "’", "", ".", "", "-", " ", ",", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// clip shortens text echoed back in a message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
