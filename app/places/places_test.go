package places

import (
	"context"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
)

func mustLoad(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return g
}

// near reports whether two coordinates agree to within about 10 metres.
func near(a, b float64) bool { return math.Abs(a-b) < 0.0001 }

func TestPostcode(t *testing.T) {
	g := mustLoad(t)
	tests := []struct {
		name      string
		in        string
		norm      string
		lat, lon  float64
		precision string
		errCode   string
		errHas    string
	}{
		{name: "Durham postcode", in: "DH1 3LE", norm: "DH1 3LE", lat: 54.768132, lon: -1.571858, precision: app.PrecisionPostcode},
		{name: "Newton Aycliffe school", in: "DL5 4EX", norm: "DL5 4EX", lat: 54.621752, lon: -1.580984, precision: app.PrecisionPostcode},
		{name: "lower case without space", in: "dl54ex", norm: "DL5 4EX", lat: 54.621752, lon: -1.580984, precision: app.PrecisionPostcode},
		{name: "extra spaces", in: "  dh1   3le ", norm: "DH1 3LE", lat: 54.768132, lon: -1.571858, precision: app.PrecisionPostcode},
		{name: "unknown postcode falls back to Code-Point outcode centroid", in: "DH1 9ZZ", norm: "DH1 9ZZ", lat: 54.78232, lon: -1.56508, precision: app.PrecisionOutcode},
		{name: "school postcode missing from Code-Point 2014", in: "DH7 0HX", norm: "DH7 0HX", precision: app.PrecisionOutcode},
		{name: "outside the North East uses GeoNames outcode", in: "AB10 1AA", norm: "AB10 1AA", lat: 57.1437, lon: -2.0981, precision: app.PrecisionOutcode},
		{name: "well formed but unknown outcode", in: "ZZ9 9ZZ", errCode: app.EInvalid, errHas: "Postcode ZZ9 9ZZ is not a UK postcode we can place"},
		{name: "garbage", in: "not a postcode", errCode: app.EInvalid, errHas: "Enter a real postcode, like DH1 3LE"},
		{name: "outcode only", in: "DH1", errCode: app.EInvalid, errHas: "Enter a real postcode"},
		{name: "empty", in: "   ", errCode: app.EInvalid, errHas: "Enter a postcode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			norm, loc, err := g.Postcode(context.Background(), tt.in)
			if tt.errCode != "" {
				if app.ErrorCode(err) != tt.errCode || !strings.Contains(app.ErrorMessage(err), tt.errHas) {
					t.Fatalf("err = %v, want %s containing %q", err, tt.errCode, tt.errHas)
				}
				if loc.Known() {
					t.Errorf("location %+v on error, want zero", loc)
				}
				return
			}
			if err != nil {
				t.Fatalf("Postcode(%q): %v", tt.in, err)
			}
			if norm != tt.norm || loc.Precision != tt.precision {
				t.Errorf("got %q %q, want %q %q", norm, loc.Precision, tt.norm, tt.precision)
			}
			if tt.lat != 0 && (!near(loc.Lat, tt.lat) || !near(loc.Lon, tt.lon)) {
				t.Errorf("at %.6f,%.6f, want %.6f,%.6f", loc.Lat, loc.Lon, tt.lat, tt.lon)
			}
		})
	}
}

func TestNear(t *testing.T) {
	g := mustLoad(t)
	tests := []struct {
		name      string
		in        string
		label     string
		precision string
		lat, lon  float64
		errHas    string
	}{
		{name: "postcode", in: "dh1 3le", label: "DH1 3LE", precision: app.PrecisionPostcode, lat: 54.768132, lon: -1.571858},
		{name: "outcode", in: "dl12", label: "DL12", precision: app.PrecisionOutcode},
		{name: "town", in: "Consett", label: "Consett", precision: app.PrecisionPlace, lat: 54.854, lon: -1.8316},
		{name: "two words any case", in: "  barnard   CASTLE ", label: "Barnard Castle", precision: app.PrecisionPlace, lat: 54.5415, lon: -1.919},
		{name: "Durham is the city", in: "durham", label: "Durham", precision: app.PrecisionPlace, lat: 54.7768, lon: -1.5757},
		{name: "hyphens optional", in: "Chester le Street", label: "Chester-le-Street", precision: app.PrecisionPlace},
		{name: "apostrophe optional", in: "St Johns Chapel", label: "St John's Chapel", precision: app.PrecisionPlace},
		{name: "County Durham wins a shared name", in: "Brandon", label: "Brandon", precision: app.PrecisionPlace, lat: 54.75, lon: -1.6167},
		{name: "town beats PO-box outcode", in: "Gateshead", label: "Gateshead", precision: app.PrecisionPlace, lat: 54.9621, lon: -1.6017},
		{name: "unknown town", in: "Atlantis", errHas: `We could not find "Atlantis"`},
		{name: "unknown outcode", in: "ZZ9", errHas: "ZZ9 is not a UK postcode district we can place"},
		{name: "empty", in: "", errHas: "Enter a postcode or a town"},
		{name: "long text is clipped", in: strings.Repeat("x", 500), errHas: strings.Repeat("x", 40) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			label, loc, err := g.Near(context.Background(), tt.in)
			if tt.errHas != "" {
				if app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), tt.errHas) {
					t.Fatalf("err = %v, want invalid containing %q", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatalf("Near(%q): %v", tt.in, err)
			}
			if label != tt.label || loc.Precision != tt.precision {
				t.Errorf("got %q %q, want %q %q", label, loc.Precision, tt.label, tt.precision)
			}
			if tt.lat != 0 && (!near(loc.Lat, tt.lat) || !near(loc.Lon, tt.lon)) {
				t.Errorf("at %.6f,%.6f, want %.6f,%.6f", loc.Lat, loc.Lon, tt.lat, tt.lon)
			}
		})
	}
}

func TestIMDDecile(t *testing.T) {
	g := mustLoad(t)
	tests := []struct {
		name   string
		lsoa   string
		decile int
		ok     bool
	}{
		{name: "County Durham 015A", lsoa: "E01020590", decile: 5, ok: true},
		{name: "most deprived tenth, County Durham 011A", lsoa: "E01020592", decile: 1, ok: true},
		{name: "least deprived tenth, County Durham 013D", lsoa: "E01020603", decile: 10, ok: true},
		{name: "first row, Gateshead 027A", lsoa: "E01008162", decile: 4, ok: true},
		{name: "outside the North East, City of London 001A", lsoa: "E01000001"},
		{name: "lower case is not a code", lsoa: "e01020590"},
		{name: "MSOA code", lsoa: "E02004295"},
		{name: "empty", lsoa: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			decile, ok := g.IMDDecile(tt.lsoa)
			if decile != tt.decile || ok != tt.ok {
				t.Errorf("IMDDecile(%q) = %d, %v, want %d, %v", tt.lsoa, decile, ok, tt.decile, tt.ok)
			}
		})
	}
}

func TestLoadCounts(t *testing.T) {
	g := mustLoad(t)
	if got := len(g.postcodes); got != 78403 {
		t.Errorf("postcodes = %d, want 78403 (every Code-Point NE row)", got)
	}
	if got := len(g.outcodes); got != 3002 {
		t.Errorf("outcodes = %d, want 3002", got)
	}
	if got := len(g.places); got < 950 {
		t.Errorf("places = %d, want the ~994 distinct North East names", got)
	}
	if got := len(g.deciles); got != 1657 {
		t.Errorf("deciles = %d, want 1657 (every North East LSOA)", got)
	}
	again := mustLoad(t)
	if again != g {
		t.Error("second Load parsed again, want the shared gazetteer")
	}
}

// BenchmarkLoad measures parsing the shipped data, and the memory the
// gazetteer keeps afterwards (retained-MB).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	var g *Gazetteer
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		var err error
		if g, err = load(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "retained-MB")
	runtime.KeepAlive(g)
}

func BenchmarkPostcode(b *testing.B) {
	g := mustLoad(b)
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := g.Postcode(ctx, "dh1 3le"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNearPlace(b *testing.B) {
	g := mustLoad(b)
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := g.Near(ctx, "Barnard Castle"); err != nil {
			b.Fatal(err)
		}
	}
}
