package places

import (
	"bufio"
	"compress/gzip"
	"embed"
	"fmt"
	"strconv"
	"strings"

	"github.com/encounters/encounters/app"
)

// data holds the shipped files; data/ATTRIBUTION.md says where each came
// from and how it was cut down.
//
//go:embed data/*.csv.gz
var data embed.FS

// geographicPostcodes is how many Code-Point postcodes an outcode needs
// before a place name in it is trusted: non-geographic outcodes such as
// DH98 (PO boxes and large users) hold a handful each.
const geographicPostcodes = 30

// outcodeSum accumulates the Code-Point postcodes of one outcode.
type outcodeSum struct {
	lat, lon float64
	n        int
}

func load() (*Gazetteer, error) {
	g := &Gazetteer{
		postcodes: make(map[uint64]point, 80000),
		outcodes:  make(map[string]point, 3100),
		places:    make(map[string]place, 1000),
		deciles:   make(map[string]int8, 1700),
	}

	sums := make(map[string]*outcodeSum, 150)
	if err := eachRow("postcodes_ne.csv.gz", 3, func(f []string) error {
		return g.addPostcode(f, sums)
	}); err != nil {
		return nil, err
	}

	if err := eachRow("outcodes_uk.csv.gz", 3, g.addOutcode); err != nil {
		return nil, err
	}
	// The Code-Point centroid (the mean of an outcode's postcodes) is
	// better than GeoNames' mean of a few place points: it wins.
	for out, s := range sums {
		g.outcodes[out] = point{float32(s.lat / float64(s.n)), float32(s.lon / float64(s.n))}
	}

	ranks := make(map[string]int, 1000)
	if err := eachRow("places_ne.csv.gz", 6, func(f []string) error {
		return g.addPlace(f, sums, ranks)
	}); err != nil {
		return nil, err
	}

	if err := eachRow("imd2019_ne.csv.gz", 2, g.addDecile); err != nil {
		return nil, err
	}
	return g, nil
}

// addPostcode reads "postcode,lat,lon".
func (g *Gazetteer) addPostcode(f []string, sums map[string]*outcodeSum) error {
	out, _, ok := strings.Cut(f[0], " ")
	if !ok || len(f[0]) > 8 {
		return fmt.Errorf("postcode %q is not normalised", f[0])
	}
	p, err := parsePoint(f[1], f[2])
	if err != nil {
		return err
	}
	g.postcodes[packPostcode(f[0])] = p

	s := sums[out]
	if s == nil {
		s = &outcodeSum{}
		sums[strings.Clone(out)] = s
	}
	s.lat += float64(p.lat)
	s.lon += float64(p.lon)
	s.n++
	return nil
}

// addOutcode reads "outcode,lat,lon".
func (g *Gazetteer) addOutcode(f []string) error {
	p, err := parsePoint(f[1], f[2])
	if err != nil {
		return err
	}
	g.outcodes[strings.Clone(f[0])] = p
	return nil
}

// addPlace reads "name,outcode,lat,lon,county,district". A name that
// appears more than once keeps its best-ranked entry, see placeRank.
func (g *Gazetteer) addPlace(f []string, sums map[string]*outcodeSum, ranks map[string]int) error {
	p, err := parsePoint(f[2], f[3])
	if err != nil {
		return err
	}

	key := foldName(f[0])
	rank := placeRank(sums[f[1]], f[4], f[5])
	if best, seen := ranks[key]; seen && best >= rank {
		return nil
	}
	ranks[key] = rank
	g.places[key] = place{name: strings.Clone(f[0]), at: p}
	return nil
}

// addDecile reads "lsoa,imd_decile".
func (g *Gazetteer) addDecile(f []string) error {
	if !app.IsLSOA(f[0]) {
		return fmt.Errorf("LSOA code %q is not E01 and six digits", f[0])
	}

	d, err := strconv.Atoi(f[1])
	if err != nil || d < 1 || d > 10 {
		return fmt.Errorf("IMD decile %q is not from 1 to 10", f[1])
	}
	g.deciles[strings.Clone(f[0])] = int8(d)
	return nil
}

// placeRank orders entries that share a name, so that "Gateshead" is the
// town and not a PO-box outcode, and County Durham wins ties elsewhere:
// first a geographic outcode, then the County Durham district, then the
// historic county of Durham, then the bigger outcode.
func placeRank(s *outcodeSum, county, district string) int {
	rank := 0
	if s != nil {
		rank = min(s.n, 99999)
		if s.n >= geographicPostcodes {
			rank += 800000
		}
	}

	if district == "County Durham" {
		rank += 400000
	}
	if county == "Durham" {
		rank += 200000
	}
	return rank
}

func parsePoint(lat, lon string) (point, error) {
	la, err := strconv.ParseFloat(lat, 32)
	if err != nil {
		return point{}, fmt.Errorf("latitude: %w", err)
	}

	lo, err := strconv.ParseFloat(lon, 32)
	if err != nil {
		return point{}, fmt.Errorf("longitude: %w", err)
	}
	return point{float32(la), float32(lo)}, nil
}

// eachRow calls fn with the fields of every line of a shipped gzip CSV
// file after its header. The files are our own, with no quoted fields.
func eachRow(name string, width int, fn func([]string) error) error {
	f, err := data.Open("data/" + name)
	if err != nil {
		return fmt.Errorf("places: open %s: %w", name, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("places: read %s: %w", name, err)
	}

	sc := bufio.NewScanner(zr)
	fields := make([]string, 0, width)
	for line := 1; sc.Scan(); line++ {
		if line == 1 {
			continue
		}
		fields = append(fields[:0], strings.Split(sc.Text(), ",")...)
		if len(fields) != width {
			return fmt.Errorf("places: %s line %d: %d fields, want %d", name, line, len(fields), width)
		}
		if err := fn(fields); err != nil {
			return fmt.Errorf("places: %s line %d: %w", name, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("places: read %s: %w", name, err)
	}
	return nil
}
