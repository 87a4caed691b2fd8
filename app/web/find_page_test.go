package web

import (
	"net/http"
	"testing"
)

func TestFindPage(t *testing.T) {
	m := newMarket(t)
	tests := []struct {
		name   string
		path   string
		status int
		want   []string
		order  []string // results, in this order
		lacks  []string
	}{
		{name: "every public offer", path: "/offers", status: 200,
			want:  []string{"Find opportunities", "3 opportunities"},
			lacks: []string{"Unpublished robotics talk", "There is a problem"}},
		{name: "result details", path: "/offers?q=robotics", status: 200,
			want: []string{"Meet a robotics engineer", "Kromek Demo Ltd", "Demo listing",
				"Careers talk", "Years 9 to 11", "In person", "Tue 1 December 2026, 10am to midday",
				"60 places left"},
			lacks: []string{"Unpublished robotics talk"}},
		{name: "near Durham by distance", path: "/offers?near=DH1+3LE&within_km=30&sort=distance",
			status: 200,
			want:   []string{"2 opportunities", "near DH1 3LE"},
			order: []string{"Meet a robotics engineer", "4.6 km away",
				"Visit a steel fabrication shop", "19 km away"},
			lacks: []string{"Mentoring for career changers"}},
		{name: "further afield", path: "/offers?near=dh13le&within_km=50&sort=distance", status: 200,
			want: []string{"3 opportunities"},
			order: []string{"Meet a robotics engineer", "Visit a steel fabrication shop",
				"Mentoring for career changers", "34 km away"}},
		{name: "by town", path: "/offers?near=Consett&within_km=5", status: 200,
			want:  []string{"1 opportunity", "Visit a steel fabrication shop"},
			lacks: []string{"Meet a robotics engineer"}},
		{name: "facet filter with counts", path: "/offers?type=workplace_visit&access=step_free", status: 200,
			want: []string{"1 opportunity", `value="workplace_visit" checked`, "Workplace visit (1)",
				`for="type-careers_talk">Careers talk</label>`, "Step-free access (1)",
				"Construction and the built environment (1)", "Visit a steel fabrication shop"},
			lacks: []string{"Meet a robotics engineer", "Engineering and manufacturing"}},
		{name: "two values of one facet", path: "/offers?type=workplace_visit&type=mentoring", status: 200,
			want: []string{"2 opportunities"}},
		{name: "key stage", path: "/offers?audience=adults", status: 200,
			want: []string{"1 opportunity", "Mentoring for career changers"}},
		{name: "dates", path: "/offers?from=2027-01-01&to=2027-03-01", status: 200,
			want:  []string{"2 opportunities", "Meet a robotics engineer", "Mentoring for career changers"},
			lacks: []string{"Visit a steel fabrication shop"}},
		{name: "second page", path: "/offers?sort=date&per_page=1&page=2", status: 200,
			want:  []string{"3 opportunities", "Visit a steel fabrication shop", `rel="prev"`, `rel="next"`},
			lacks: []string{"Meet a robotics engineer", "Mentoring for career changers"}},
		{name: "nothing found", path: "/offers?q=zzzyzx", status: 200,
			want: []string{"0 opportunities", "No opportunities match"}},
		{name: "distance not a number", path: "/offers?near=DH1+3LE&within_km=far", status: 400,
			want: []string{"There is a problem", `href="#within_km"`, "Enter a distance in kilometres"}},
		{name: "unknown place", path: "/offers?near=Atlantis", status: 400,
			want: []string{"There is a problem", `href="#near"`, "We could not find", `value="Atlantis"`,
				"<title>Error: Find opportunities - Encounters</title>"},
			lacks: []string{"Error: Error:"}},
		{name: "place with bytes that are not UTF-8", path: "/offers?near=Atl%FF%FEantis", status: 400,
			want: []string{`href="#near"`, "We could not find &#34;Atl\ufffdantis&#34;",
				"value=\"Atl\ufffdantis\""},
			lacks: []string{`\xff`, `\xfe`, "\xff"}},
		{name: "search box before the filters", path: "/offers", status: 200,
			order: []string{`id="q"`, `>Search</button>`, `id="near"`, `id="type-careers_talk"`, `id="results"`,
				`id="sort"`, "3 opportunities"}},
		{name: "unknown sort", path: "/offers?sort=sideways", status: 400,
			want: []string{"Sort by relevance, date or distance"}},
		{name: "distance sort without a place", path: "/offers?sort=distance", status: 400,
			want: []string{`href="#sort"`}},
		{name: "impossible date", path: "/offers?from=2026-13-45", status: 400,
			want: []string{`href="#from"`}},
		{name: "unknown facet value", path: "/offers?type=juggling", status: 400,
			want: []string{`href="#type"`}},
		{name: "page not a number", path: "/offers?page=two", status: 400,
			want: []string{"Page must be a whole number"}},
		{name: "page 0", path: "/offers?page=0", status: 400,
			want: []string{`href="#page"`, "Page must be 1 or more."}, lacks: []string{"whole number"}},
		{name: "negative page", path: "/offers?page=-2", status: 400,
			want: []string{"Page must be 1 or more."}, lacks: []string{"whole number"}},
		{name: "no results per page", path: "/offers?per_page=0", status: 400,
			want: []string{`href="#per_page"`, "Results per page must be 1 or more."}, lacks: []string{"whole number"}},
		{name: "negative distance", path: "/offers?near=DH1+3LE&within_km=-3", status: 400,
			want: []string{`href="#within_km"`, "Choose a distance of up to 200 km."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := m.as(t, "").get(tt.path)
			wantStatus(t, res, tt.status)
			wantContains(t, res, tt.want...)
			wantOrder(t, res, tt.order...)
			wantLacks(t, res, tt.lacks...)
		})
	}

	t.Run("old address", func(t *testing.T) {
		res := m.as(t, "").get("/find?q=robotics")
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/offers?q=robotics" {
			t.Fatalf("got %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
	})
}
