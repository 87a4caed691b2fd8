package searchtest

import (
	"maps"
	"testing"
	"time"

	"github.com/encounters/encounters/search"
)

func testKeyword(t *testing.T, idx search.Index) {
	load(t, idx)

	tests := []struct {
		name  string
		text  string
		want  []string
		first string
	}{
		{"word in a title", "welding", []string{idAycliffe}, ""},
		{"organisation name", "Kromek", []string{idDurham}, ""},
		{"typo in an organisation name", "Kromak", []string{idDurham}, ""},
		{"typo in a long word ranks the title match first", "enginering", []string{idDurham, idAycliffe}, idDurham},
		{"typo the stemmer cannot undo", "fabricaton", []string{idAycliffe}, ""},
		{"sector label", "logistics", []string{idBowburn}, ""},
		{"town", "Consett", []string{idConsett}, ""},
		{"description", "parcels", []string{idBowburn}, ""},
		{"start or stem of a word", "robotic", []string{idBowburn}, ""},
		{"every word must match", "engineering Durham", []string{idDurham}, ""},
		{"case and punctuation", "  WELDING!! ", []string{idAycliffe}, ""},
		{"no match", "zeppelin", nil, ""},
		{"blank matches everything", "   ", []string{idDurham, idBowburn, idAycliffe, idConsett, idBarnard, idVirtual}, ""},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustSearch(t, idx, search.Query{Text: tt.text, PerPage: 10})
			wantIDs(t, res, tt.want...)
			if tt.first != "" && (len(res.Hits) == 0 || res.Hits[0].ID != tt.first) {
				t.Errorf("first hit of %v, want %s", ids(res), tt.first)
			}
		})
	}
}

// typoFixtures are offers whose long words people often mistype, added to
// the fixtures by the typo scenario.
func typoFixtures(now time.Time) []search.Document {
	return []search.Document{
		{
			ID: idBuild, OrgID: "org_wearside", OrgName: "Wearside Homes",
			Title:       "Construction site tour",
			Description: "Walk a new housing development with our site manager.",
			Sector:      "construction", SectorLabel: "Construction and the built environment",
			Type: "workplace_visit", Audience: []string{"ks4"}, Delivery: "in_person", Town: "Durham",
			HasLocation: true, Lat: Durham.Lat, Lon: Durham.Lon,
			SessionStarts: []time.Time{now.Add(12 * 24 * time.Hour)},
		},
		{
			ID: idCircuits, OrgID: "org_circuits", OrgName: "Sedgefield Circuits",
			Title:       "Electronics assembly line visit",
			Description: "See circuit boards built and tested.",
			Sector:      "engineering", SectorLabel: "Engineering and manufacturing",
			Type: "workplace_visit", Audience: []string{"ks4", "ks5"}, Delivery: "in_person", Town: "Sedgefield",
			HasLocation: true, Lat: 54.653, Lon: -1.449,
		},
		{
			ID: idWard, OrgID: "org_nhs", OrgName: "County Durham Health Trust",
			Title:       "A day on a hospital ward",
			Description: "Shadow nurses and healthcare assistants on a children's ward.",
			Sector:      "health", SectorLabel: "Health and science",
			Type: "workplace_visit", Audience: []string{"ks5"}, Delivery: "in_person", Town: "Bishop Auckland",
			HasLocation: true, Lat: 54.663, Lon: -1.677,
		},
	}
}

// testTypos holds every engine to the same typo tolerance: one mistake in
// a word of four letters or more, two from eight, whether the mistake
// falls in the part an English stemmer strips or in the part it keeps.
func testTypos(t *testing.T, idx search.Index) {
	now := load(t, idx)
	if err := idx.Upsert(t.Context(), typoFixtures(now)...); err != nil {
		t.Fatalf("upsert typo fixtures: %v", err)
	}

	tests := []struct {
		text string
		want []string
	}{
		{"construction", []string{idBuild}},
		{"constuction", []string{idBuild}},
		{"construcion", []string{idBuild}},
		{"electonics", []string{idCircuits}},
		{"elecronics", []string{idCircuits}},
		{"fabriction", []string{idAycliffe}},
		{"hospitl", []string{idWard}},
		{"hopsital ward", []string{idWard}},
		{"electonics visit", []string{idCircuits}},
	}

	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			wantIDs(t, mustSearch(t, idx, search.Query{Text: tt.text, PerPage: 20}), tt.want...)
		})
	}
}

func testFacetFilters(t *testing.T, idx search.Index) {
	load(t, idx)

	tests := []struct {
		name    string
		filters map[string][]string
		want    []string
	}{
		{"one value", map[string][]string{search.FacetSector: {"engineering"}},
			[]string{idDurham, idAycliffe}},
		{"values of one facet are ORed", map[string][]string{search.FacetSector: {"engineering", "logistics"}},
			[]string{idDurham, idAycliffe, idBowburn}},
		{"facets are ANDed", map[string][]string{search.FacetSector: {"engineering"}, search.FacetAudience: {"ks3"}},
			[]string{idDurham}},
		{"multi-valued field", map[string][]string{search.FacetAccess: {"quiet_space", "send_adjustments"}},
			[]string{idBowburn, idConsett}},
		{"delivery", map[string][]string{search.FacetDelivery: {"virtual"}},
			[]string{idVirtual}},
		{"type", map[string][]string{search.FacetType: {"workplace_visit"}},
			[]string{idBowburn, idBarnard}},
		{"unknown value", map[string][]string{search.FacetType: {"space_walk"}}, nil},
		{"value with quotes cannot break out", map[string][]string{search.FacetType: {`x" OR type != "y`}}, nil},
		{"empty value list filters nothing", map[string][]string{search.FacetType: {}},
			[]string{idDurham, idBowburn, idAycliffe, idConsett, idBarnard, idVirtual}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantIDs(t, mustSearch(t, idx, search.Query{Filters: tt.filters, PerPage: 10}), tt.want...)
		})
	}
}

func testFacetCounts(t *testing.T, idx search.Index) {
	load(t, idx)

	tests := []struct {
		name  string
		q     search.Query
		facet string
		want  map[string]int
	}{
		{"types of all offers", search.Query{}, search.FacetType, map[string]int{
			"careers_talk": 1, "workplace_visit": 2, "work_experience": 1, "adult_work_trial": 1, "mentoring": 1}},
		{"sectors", search.Query{}, search.FacetSector, map[string]int{
			"engineering": 2, "logistics": 1, "care": 1, "agriculture": 1, "digital": 1}},
		{"audiences count each offer once per value", search.Query{}, search.FacetAudience, map[string]int{
			"ks2": 1, "ks3": 1, "ks4": 3, "ks5": 2, "adults": 2}},
		{"deliveries", search.Query{}, search.FacetDelivery, map[string]int{
			"in_person": 4, "hybrid": 1, "virtual": 1}},
		{"access", search.Query{}, search.FacetAccess, map[string]int{
			"step_free": 3, "quiet_space": 1, "send_adjustments": 1}},
		{"counts follow the filters", search.Query{Filters: map[string][]string{search.FacetSector: {"engineering"}}},
			search.FacetAudience, map[string]int{"ks3": 1, "ks4": 2}},
		{"counts follow the keyword", search.Query{Text: "welding"},
			search.FacetType, map[string]int{"work_experience": 1}},
		{"no hits, no counts", search.Query{Text: "zeppelin"}, search.FacetType, map[string]int{}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustSearch(t, idx, tt.q)
			if got := res.Facets[tt.facet]; !maps.Equal(got, tt.want) {
				t.Errorf("facet %s = %v, want %v", tt.facet, got, tt.want)
			}
		})
	}
}

func testFacetPaging(t *testing.T, idx search.Index) {
	load(t, idx)

	q := search.Query{Filters: map[string][]string{search.FacetSector: {"engineering"}}, PerPage: 1}
	for page := 1; page <= 3; page++ {
		q.Page = page
		res := mustSearch(t, idx, q)
		if res.Total != 2 {
			t.Errorf("page %d: total = %d, want 2", page, res.Total)
		}
		want := map[string]int{"careers_talk": 1, "work_experience": 1}
		if got := res.Facets[search.FacetType]; !maps.Equal(got, want) {
			t.Errorf("page %d: type counts = %v, want %v", page, got, want)
		}
	}
}

func testDateRange(t *testing.T, idx search.Index) {
	now := load(t, idx)

	day := func(n int) time.Time { return now.Add(time.Duration(n) * 24 * time.Hour) }
	tests := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"window", day(30), day(70), []string{idDurham, idAycliffe, idVirtual}},
		{"from only", day(50), time.Time{}, []string{idAycliffe}},
		{"to only", time.Time{}, day(7), []string{idBowburn}},
		{"one start must fall inside, not starts on both sides", day(11), day(19), []string{idVirtual}},
		{"bounds are inclusive", day(20), day(20), []string{idConsett}},
		{"nothing in range", day(100), day(120), nil},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantIDs(t, mustSearch(t, idx, search.Query{From: tt.from, To: tt.to, PerPage: 10}), tt.want...)
		})
	}
}

func testDistance(t *testing.T, idx search.Index) {
	load(t, idx)

	tests := []struct {
		name   string
		q      search.Query
		want   []string
		wantKm map[string]float64
	}{
		{"within 10 km of Durham, and offers with no place", search.Query{Near: &Durham, WithinKm: 10},
			[]string{idDurham, idBowburn, idVirtual},
			map[string]float64{idDurham: 0, idBowburn: 5.96}},
		{"within 20 km of Durham, and offers with no place", search.Query{Near: &Durham, WithinKm: 20},
			[]string{idDurham, idBowburn, idAycliffe, idConsett, idVirtual},
			map[string]float64{idAycliffe: 18.29, idConsett: 18.09}},
		{"no limit keeps every offer", search.Query{Near: &Durham},
			[]string{idDurham, idBowburn, idAycliffe, idConsett, idBarnard, idVirtual},
			map[string]float64{idBarnard: 33.64}},
		{"an offer with no place is available anywhere", search.Query{
			Near: &BarnardCastle, WithinKm: 1, Filters: map[string][]string{search.FacetSector: {"digital"}}},
			[]string{idVirtual}, nil},
		{"in person leaves out offers with no place", search.Query{
			Near: &Durham, WithinKm: 10, Filters: map[string][]string{search.FacetDelivery: {"in_person"}}},
			[]string{idDurham, idBowburn}, nil},
		{"other filters still apply to offers with no place", search.Query{
			Near: &Durham, WithinKm: 10, Filters: map[string][]string{search.FacetAudience: {"ks3"}}},
			[]string{idDurham}, nil},
		{"with keyword", search.Query{Text: "engineering", Near: &NewtonAycliffe, WithinKm: 5},
			[]string{idAycliffe}, map[string]float64{idAycliffe: 0}},
		{"keyword matching an offer with no place", search.Query{Text: "mentoring", Near: &Consett, WithinKm: 5},
			[]string{idVirtual}, nil},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.PerPage = 10
			res := mustSearch(t, idx, tt.q)
			wantIDs(t, res, tt.want...)
			checkDistances(t, res, tt.wantKm)
		})
	}
}

// placeless are the fixture offers with no place.
var placeless = map[string]bool{idVirtual: true, idVirtualSoon: true, idVirtualNone: true}

// checkDistances compares hit distances with want and checks that only
// offers with no place lack one.
func checkDistances(t *testing.T, res search.Result, want map[string]float64) {
	t.Helper()
	for _, h := range res.Hits {
		if placeless[h.ID] {
			if h.DistanceKm != nil {
				t.Errorf("%s has no place but distance %v", h.ID, *h.DistanceKm)
			}
			continue
		}
		if h.DistanceKm == nil {
			t.Errorf("%s has no distance", h.ID)
			continue
		}
		if km, ok := want[h.ID]; ok && !near(*h.DistanceKm, km) {
			t.Errorf("%s is %.2f km away, want %.2f", h.ID, *h.DistanceKm, km)
		}
	}
}

// virtualFixtures are two more offers with no place: one whose session is
// sooner than any other virtual offer's, and one with no sessions.
func virtualFixtures(now time.Time) []search.Document {
	return []search.Document{
		{
			ID: idVirtualSoon, OrgID: "org_pixel", OrgName: "Pixel Foundry",
			Title:       "Games design live stream",
			Description: "Watch our artists build a level and ask them questions.",
			Sector:      "digital", SectorLabel: "Digital and technology",
			Type: "careers_talk", Audience: []string{"ks3", "ks4"}, Delivery: "virtual",
			SessionStarts: []time.Time{now.Add(3 * 24 * time.Hour)},
		},
		{
			ID: idVirtualNone, OrgID: "org_pixel", OrgName: "Pixel Foundry",
			Title:       "Ask a software tester",
			Description: "Send your questions about testing software for a living.",
			Sector:      "digital", SectorLabel: "Digital and technology",
			Type: "mentoring", Audience: []string{"ks5"}, Delivery: "virtual",
		},
	}
}

func testDistanceSort(t *testing.T, idx search.Index) {
	now := load(t, idx)

	res := mustSearch(t, idx, search.Query{Near: &Bowburn, Sort: search.SortDistance, PerPage: 10})
	wantOrder(t, res, idBowburn, idDurham, idAycliffe, idConsett, idBarnard, idVirtual)
	checkDistances(t, res, map[string]float64{idBowburn: 0, idDurham: 5.96})

	res = mustSearch(t, idx, search.Query{
		Near: &Consett, WithinKm: 25, Sort: search.SortDistance,
		Filters: map[string][]string{search.FacetDelivery: {"in_person", "hybrid"}},
	})
	wantOrder(t, res, idConsett, idDurham, idBowburn)

	if err := idx.Upsert(t.Context(), virtualFixtures(now)...); err != nil {
		t.Fatalf("upsert virtual fixtures: %v", err)
	}
	tests := []struct {
		name  string
		q     search.Query
		want  []string
		total int
	}{
		{"offers with no place come last, soonest first", search.Query{Near: &Consett, WithinKm: 25},
			[]string{idConsett, idDurham, idBowburn, idVirtualSoon, idVirtual, idVirtualNone}, 6},
		{"a page across the last located offer", search.Query{Near: &Consett, WithinKm: 25, Page: 2, PerPage: 2},
			[]string{idBowburn, idVirtualSoon}, 6},
		{"a page of offers with no place only", search.Query{Near: &Consett, WithinKm: 25, Page: 3, PerPage: 2},
			[]string{idVirtual, idVirtualNone}, 6},
		{"with keyword", search.Query{Text: "software", Near: &Durham, WithinKm: 5},
			[]string{idVirtual, idVirtualNone}, 2},
		{"in person leaves them out", search.Query{Near: &Consett, WithinKm: 25,
			Filters: map[string][]string{search.FacetDelivery: {"in_person"}}},
			[]string{idDurham, idBowburn}, 2},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Sort = search.SortDistance
			res := mustSearch(t, idx, tt.q)
			wantOrder(t, res, tt.want...)
			checkDistances(t, res, nil)
			if res.Total != tt.total {
				t.Errorf("total = %d, want %d", res.Total, tt.total)
			}
		})
	}
}

func testDateSort(t *testing.T, idx search.Index) {
	load(t, idx)

	res := mustSearch(t, idx, search.Query{Sort: search.SortDate, PerPage: 10})
	wantOrder(t, res, idBowburn, idDurham, idVirtual, idConsett, idAycliffe, idBarnard)

	res = mustSearch(t, idx, search.Query{Text: "engineering", Sort: search.SortDate})
	wantOrder(t, res, idDurham, idAycliffe)
}

func testPaging(t *testing.T, idx search.Index) {
	load(t, idx)

	pages := [][]string{
		{idBowburn, idDurham},
		{idVirtual, idConsett},
		{idAycliffe, idBarnard},
		{},
	}

	for n, want := range pages {
		res := mustSearch(t, idx, search.Query{Sort: search.SortDate, Page: n + 1, PerPage: 2})
		wantOrder(t, res, want...)
		if res.Total != 6 {
			t.Errorf("page %d: total = %d, want 6", n+1, res.Total)
		}
	}
}

func testBadQueries(t *testing.T, idx search.Index) {
	load(t, idx)

	tests := []struct {
		name string
		q    search.Query
	}{
		{"distance sort without a point", search.Query{Sort: search.SortDistance}},
		{"unknown sort", search.Query{Sort: "price"}},
		{"unknown facet", search.Query{Filters: map[string][]string{"org_id": {"org_kromek"}}}},
		{"negative distance", search.Query{Near: &Durham, WithinKm: -1}},
		{"latitude off the globe", search.Query{Near: &search.Point{Lat: 91, Lon: 0}, WithinKm: 5}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := idx.Search(t.Context(), tt.q); err == nil {
				t.Errorf("search %+v succeeded, want an error", tt.q)
			}
		})
	}
}
