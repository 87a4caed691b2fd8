package meili

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/encounters/encounters/search"
)

func TestQuote(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "careers_talk", `"careers_talk"`},
		{"empty", "", `""`},
		{"double quote", `a"b`, `"a\"b"`},
		{"backslash", `a\b`, `"a\\b"`},
		{"backslash before quote", `a\"b`, `"a\\\"b"`},
		{"attempt to close and add a clause", `x" OR type != "y`, `"x\" OR type != \"y"`},
		{"single quotes and brackets stay literal", `it's ] [`, `"it's ] ["`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quote(tt.in); got != tt.want {
				t.Errorf("quote(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestBuildFilter(t *testing.T) {
	from := time.Unix(1_760_000_000, 0)
	to := time.Unix(1_760_600_000, 0)
	durham := &search.Point{Lat: 54.7753, Lon: -1.5849}
	tests := []struct {
		name string
		q    search.Query
		want string
	}{
		{"nothing", search.Query{Text: "engineering"}, ""},
		{"one facet value", search.Query{Filters: map[string][]string{"sector": {"engineering"}}},
			`sector IN ["engineering"]`},
		{"values ORed, facets ANDed in page order", search.Query{Filters: map[string][]string{
			"access": {"step_free"}, "type": {"careers_talk", "workplace_visit"}}},
			`type IN ["careers_talk", "workplace_visit"] AND access IN ["step_free"]`},
		{"empty value list is ignored", search.Query{Filters: map[string][]string{"type": {}}}, ""},
		{"hostile value stays one value", search.Query{Filters: map[string][]string{"type": {`a"] OR id EXISTS OR type IN ["b`}}},
			`type IN ["a\"] OR id EXISTS OR type IN [\"b"]`},
		{"date window is one range", search.Query{From: from, To: to},
			`starts 1760000000 TO 1760600000`},
		{"from only", search.Query{From: from}, `starts >= 1760000000`},
		{"to only", search.Query{To: to}, `starts <= 1760600000`},
		{"distance in metres, keeping offers with no place", search.Query{Near: durham, WithinKm: 12.5},
			`(_geoRadius(54.7753, -1.5849, 12500) OR has_location = false)`},
		{"point without limit filters nothing", search.Query{Near: durham}, ""},
		{"everything ANDed", search.Query{
			Filters: map[string][]string{"delivery": {"in_person"}},
			From:    from, Near: durham, WithinKm: 3},
			`delivery IN ["in_person"] AND starts >= 1760000000 AND (_geoRadius(54.7753, -1.5849, 3000) OR has_location = false)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := buildFilter(tt.q)
			if err != nil {
				t.Fatalf("buildFilter: %v", err)
			}
			if got != tt.want {
				t.Errorf("filter = %s\nwant     %s", got, tt.want)
			}
		})
	}
}

func TestBuildFilterRejects(t *testing.T) {
	tests := []struct {
		name string
		q    search.Query
	}{
		{"attribute not offered as a facet", search.Query{Filters: map[string][]string{"org_id": {"x"}}}},
		{"attribute name with syntax", search.Query{Filters: map[string][]string{`type = "a" OR sector`: {"x"}}}},
		{"negative distance", search.Query{Near: &search.Point{}, WithinKm: -2}},
		{"latitude off the globe", search.Query{Near: &search.Point{Lat: 95}, WithinKm: 2}},
		{"longitude off the globe", search.Query{Near: &search.Point{Lon: -181}, WithinKm: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := buildFilter(tt.q); err == nil {
				t.Errorf("buildFilter = %q, want an error", got)
			}
		})
	}
}

func TestBuildSort(t *testing.T) {
	durham := &search.Point{Lat: 54.7753, Lon: -1.5849}
	tests := []struct {
		name    string
		q       search.Query
		want    []string
		wantErr bool
	}{
		{"default is relevance", search.Query{}, nil, false},
		{"relevance", search.Query{Sort: search.SortRelevance}, nil, false},
		{"date", search.Query{Sort: search.SortDate}, []string{"next_start:asc"}, false},
		{"distance", search.Query{Sort: search.SortDistance, Near: durham},
			[]string{"_geoPoint(54.7753, -1.5849):asc", "next_start:asc"}, false},
		{"distance needs a point", search.Query{Sort: search.SortDistance}, nil, true},
		{"unknown", search.Query{Sort: "price"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := buildSort(tt.q)
			if (err != nil) != tt.wantErr {
				t.Fatalf("buildSort error = %v, want error %v", err, tt.wantErr)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("sort = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNewRequestPaging(t *testing.T) {
	tests := []struct {
		name              string
		page, perPage     int
		wantPage, wantPer int64
	}{
		{"defaults", 0, 0, 1, defaultPerPage},
		{"given", 3, 5, 3, 5},
		{"negative page is the first", -2, 10, 1, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := newRequest(search.Query{Page: tt.page, PerPage: tt.perPage})
			if err != nil {
				t.Fatalf("newRequest: %v", err)
			}
			if req.Page != tt.wantPage || *req.HitsPerPage != tt.wantPer {
				t.Errorf("page %d per page %d, want %d and %d", req.Page, *req.HitsPerPage, tt.wantPage, tt.wantPer)
			}
			if req.Filter != nil {
				t.Errorf("filter = %v, want none", req.Filter)
			}
		})
	}
}

func TestNewRecord(t *testing.T) {
	start := time.Unix(1_760_000_000, 0)
	d := search.Document{
		ID: "off_1", Title: "Talk", HasLocation: true, Lat: 54.7, Lon: -1.5,
		SessionStarts: []time.Time{start.Add(time.Hour), start},
	}
	r := newRecord(d)
	if r.Geo == nil || r.Geo.Lat != 54.7 || r.Geo.Lng != -1.5 {
		t.Errorf("geo = %+v, want 54.7,-1.5", r.Geo)
	}
	if r.NextStart == nil || *r.NextStart != start.Unix() {
		t.Errorf("next start = %v, want the earliest, %d", r.NextStart, start.Unix())
	}
	if !r.HasLocation {
		t.Error("has_location = false for an offer with a place")
	}

	r = newRecord(search.Document{ID: "off_2"})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	for _, absent := range []string{"_geo", "next_start", "starts"} {
		if _, ok := fields[absent]; ok {
			t.Errorf("%s is present for an offer without it: %s", absent, b)
		}
	}
	if located, ok := fields["has_location"]; !ok || located != false {
		t.Errorf("has_location = %v, want false written out for filters: %s", located, b)
	}
}

func TestResult(t *testing.T) {
	body := `{
		"hits": [
			{"id": "off_a", "_geo": {"lat": 54.737, "lng": -1.52}},
			{"id": "off_b"}
		],
		"totalHits": 7,
		"facetDistribution": {"type": {"careers_talk": 4, "mentoring": 3}}
	}`
	var resp meilisearch.SearchResponse
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatal(err)
	}

	res, err := result(&resp, &search.Point{Lat: 54.7753, Lon: -1.5849})
	if err != nil {
		t.Fatalf("result: %v", err)
	}
	if res.Total != 7 || len(res.Hits) != 2 || res.Hits[0].ID != "off_a" || res.Hits[1].ID != "off_b" {
		t.Errorf("result = %+v, want off_a, off_b of 7", res)
	}
	if d := res.Hits[0].DistanceKm; d == nil || *d < 5.9 || *d > 6.0 {
		t.Errorf("off_a distance = %v, want about 5.96 km", d)
	}
	if res.Hits[1].DistanceKm != nil {
		t.Errorf("off_b has no place but a distance")
	}
	if want := map[string]int{"careers_talk": 4, "mentoring": 3}; !maps.Equal(res.Facets["type"], want) {
		t.Errorf("type counts = %v, want %v", res.Facets["type"], want)
	}
	for _, f := range search.Facets {
		if res.Facets[f] == nil {
			t.Errorf("facet %s missing", f)
		}
	}
}
