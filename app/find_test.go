package app_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

func TestFindOffersValidation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	tests := []struct {
		name      string
		in        app.FindInput
		wantField string
		wantPart  string
	}{
		{"words too long", app.FindInput{Text: strings.Repeat("engineer ", 30)}, "q", "200 characters"},
		{"unknown facet", app.FindInput{Filters: map[string][]string{"colour": {"red"}}}, "colour", "Filter by type"},
		{"unknown type", app.FindInput{Filters: map[string][]string{"type": {"careers_talk", "lecture"}}}, "type", "from the list"},
		{"year instead of key stage", app.FindInput{Filters: map[string][]string{"audience": {"y9"}}}, "audience", "from the list"},
		{"unknown sector", app.FindInput{Filters: map[string][]string{"sector": {"mining"}}}, "sector", "from the list"},
		{"unknown delivery", app.FindInput{Filters: map[string][]string{"delivery": {"post"}}}, "delivery", "from the list"},
		{"unknown access", app.FindInput{Filters: map[string][]string{"access": {"lift"}}}, "access", "from the list"},
		{"bad from", app.FindInput{From: "tomorrow"}, "from", "real date"},
		{"bad to", app.FindInput{To: "2026-13-01"}, "to", "real date"},
		{"to before from", app.FindInput{From: "2026-03-02", To: "2026-03-01"}, "to", "after the first day"},
		{"unknown place", app.FindInput{Near: "Atlantis"}, "near", "Atlantis"},
		{"unknown postcode area", app.FindInput{Near: "ZZ9 9ZZ"}, "near", "ZZ9"},
		{"place too long", app.FindInput{Near: strings.Repeat("Consett ", 20)}, "near", "town or village"},
		{"negative distance", app.FindInput{Near: "Consett", WithinKm: -5}, "within_km", "up to 200"},
		{"distance too far", app.FindInput{Near: "Consett", WithinKm: 201}, "within_km", "up to 200"},
		{"distance not a number", app.FindInput{Near: "Consett", WithinKm: math.NaN()}, "within_km", "up to 200"},
		{"distance infinite", app.FindInput{Near: "Consett", WithinKm: math.Inf(1)}, "within_km", "up to 200"},
		{"distance without a place", app.FindInput{WithinKm: 10}, "within_km", "near"},
		{"unknown sort", app.FindInput{Sort: "price"}, "sort", "relevance, date or distance"},
		{"distance sort without a place", app.FindInput{Sort: "distance"}, "sort", "near"},
		{"negative page", app.FindInput{Page: -1}, "page", "1 or more"},
		{"page beyond the deepest result", app.FindInput{Page: 1001, PerPage: 10}, "page", "narrow your search"},
		{"negative per page", app.FindInput{PerPage: -1}, "per_page", "1 to 100"},
		{"per page too big", app.FindInput{PerPage: 101}, "per_page", "1 to 100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.FindOffers(ctx, tc.in)
			wantField(t, err, tc.wantField, tc.wantPart)
		})
	}

	t.Run("defaults", func(t *testing.T) {
		res, err := e.svc.FindOffers(ctx, app.FindInput{Filters: map[string][]string{"type": {" "}}})
		if err != nil || res.Page != 1 || res.PerPage != app.DefaultPerPage || res.Total != 0 || res.NearText != "" {
			t.Fatalf("empty search %+v, %v", res, err)
		}
	})
}

// findFixture publishes offers by verified employers in Consett, Stanley and
// at NETpark, a virtual one, and one by an unverified employer.
type findFixture struct {
	netpark, consett, stanley, virtual, unverified *app.Offer
}

func newFindFixture(t *testing.T, e *env) findFixture {
	t.Helper()
	publish := func(a *app.Actor, edit func(*app.OfferInput)) *app.Offer {
		t.Helper()
		in := validOffer()
		edit(&in)
		o, err := e.svc.CreateOffer(context.Background(), a, in)
		if err != nil {
			t.Fatal(err)
		}
		if o, err = e.svc.SetOfferStatus(context.Background(), a, o.ID, app.OfferPublished); err != nil {
			t.Fatal(err)
		}
		return o
	}
	session := func(day string, places int) app.SessionInput {
		return app.SessionInput{Start: day + "T10:00", End: day + "T12:00", Places: places}
	}
	kromek := e.org(t, app.KindEmployer, "Kromek Group", pcNetpark, true)
	fab := e.org(t, app.KindEmployer, "Derwent Fabrications", pcConsett, true)
	code := e.org(t, app.KindEmployer, "Stanley Code Co", pcStanley, true)
	fresh := e.org(t, app.KindEmployer, "Unchecked Ltd", pcConsett, false)

	return findFixture{
		netpark: publish(kromek, func(in *app.OfferInput) {
			in.Sessions = []app.SessionInput{session("2026-01-20", 30), session("2026-03-10", 60)}
		}),
		consett: publish(fab, func(in *app.OfferInput) {
			in.Title, in.Type, in.Sector = "Visit a steel fabrication workshop", app.TypeWorkplaceVisit, "construction"
			in.Postcode, in.Audience, in.Sessions = pcConsett, []string{"y11"}, []app.SessionInput{session("2026-02-05", 15)}
		}),
		stanley: publish(code, func(in *app.OfferInput) {
			in.Title, in.Sector, in.Audience = "Digital apprenticeships explained", "digital", []string{"y12", "y13"}
			in.Description = "Software apprentices talk about their first year."
			in.Postcode, in.Sessions = pcStanley, []app.SessionInput{session("2026-04-20", 90)}
		}),
		virtual: publish(code, func(in *app.OfferInput) {
			in.Title, in.Type, in.Sector = "Online mentoring for sixth formers", app.TypeMentoring, "digital"
			in.Delivery, in.Postcode, in.Audience = app.DeliveryVirtual, "", []string{"y12"}
			in.Sessions = []app.SessionInput{session("2026-02-20", 10)}
		}),
		unverified: publish(fresh, func(in *app.OfferInput) {
			in.Title, in.Postcode = "Unchecked engineering talk", pcConsett
		}),
	}
}

func TestFindOffers(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	f := newFindFixture(t, e)
	label := map[string]string{
		f.netpark.ID: "netpark", f.consett.ID: "consett", f.stanley.ID: "stanley",
		f.virtual.ID: "virtual", f.unverified.ID: "unverified",
	}

	tests := []struct {
		name      string
		in        app.FindInput
		want      string // result labels in order, or sorted when unordered
		ordered   bool
		wantTotal int
	}{
		{"everything public", app.FindInput{}, "consett,netpark,stanley,virtual", false, 4},
		{"by words", app.FindInput{Text: "apprenticeships"}, "stanley", true, 1},
		{"by type", app.FindInput{Filters: map[string][]string{"type": {"careers_talk"}}}, "netpark,stanley", false, 2},
		{"by key stage", app.FindInput{Filters: map[string][]string{"audience": {"ks3"}}}, "netpark", true, 1},
		{"types ORed, facets ANDed", app.FindInput{Filters: map[string][]string{
			"type": {"careers_talk", "mentoring"}, "sector": {"digital"}}}, "stanley,virtual", false, 2},
		{"by dates", app.FindInput{From: "2026-03-01", To: "2026-03-10"}, "netpark", true, 1},
		{"by date order", app.FindInput{Sort: "date"}, "netpark,consett,virtual,stanley", true, 4},
		{"near Consett, default 30 km, and virtual", app.FindInput{Near: "Consett"}, "consett,stanley,virtual", false, 3},
		{"near Consett within 5 km, and virtual", app.FindInput{Near: "consett", WithinKm: 5}, "consett,virtual", false, 2},
		{"nearest first within 40 km, virtual last", app.FindInput{Near: "Consett", WithinKm: 40, Sort: "distance"},
			"consett,stanley,netpark,virtual", true, 4},
		{"near a postcode, and virtual", app.FindInput{Near: "ts213fg", WithinKm: 2}, "netpark,virtual", false, 2},
		{"near Consett in person only", app.FindInput{Near: "Consett", Sort: "distance",
			Filters: map[string][]string{"delivery": {"in_person"}}}, "consett,stanley", true, 2},
		{"virtual near a place by words", app.FindInput{Text: "mentoring", Near: "Consett", WithinKm: 5}, "virtual", true, 1},
		{"second page", app.FindInput{Sort: "date", Page: 2, PerPage: 3}, "stanley", true, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := e.svc.FindOffers(ctx, tc.in)
			wantCode(t, err, "")
			var got []string
			for _, r := range res.Results {
				got = append(got, label[r.Offer.ID])
				located := r.Offer.ID != f.virtual.ID
				if (r.DistanceKm != nil) != (tc.in.Near != "" && located) {
					t.Errorf("%s: distance %v with near %q", label[r.Offer.ID], r.DistanceKm, tc.in.Near)
				}
			}
			if !tc.ordered {
				slices.Sort(got)
			}
			if strings.Join(got, ",") != tc.want || res.Total != tc.wantTotal {
				t.Fatalf("got %v of %d, want %s of %d", got, res.Total, tc.want, tc.wantTotal)
			}
		})
	}

	t.Run("near is understood and measured", func(t *testing.T) {
		res, err := e.svc.FindOffers(ctx, app.FindInput{Near: "Consett", Sort: "distance"})
		if err != nil || res.NearText != "Consett" || !res.NearLoc.Known() {
			t.Fatalf("near %q at %+v, %v", res.NearText, res.NearLoc, err)
		}
		if d := *res.Results[1].DistanceKm; d < 8 || d > 10.5 {
			t.Fatalf("Stanley is %.1f km from Consett, want about 9", d)
		}
	})

	t.Run("only upcoming sessions", func(t *testing.T) {
		e.now = time.Date(2026, 2, 1, 9, 0, 0, 0, app.London)
		defer func() { e.now = testNow }()
		res, err := e.svc.FindOffers(ctx, app.FindInput{Text: "NETpark"})
		if err != nil || len(res.Results) != 1 {
			t.Fatalf("search for NETpark: %+v, %v", res, err)
		}
		up := res.Results[0].Upcoming
		if len(up) != 1 || up[0].Start.In(app.London).Format("2006-01-02") != "2026-03-10" {
			t.Fatalf("upcoming sessions %+v, want only 10 March", up)
		}
	})

	t.Run("an offer no longer public is left out", func(t *testing.T) {
		stale := *f.stanley
		stale.Public, stale.Status = false, app.OfferPaused
		if err := e.store.UpdateOffer(ctx, &stale); err != nil { // the index is not told
			t.Fatal(err)
		}
		res, err := e.svc.FindOffers(ctx, app.FindInput{Text: "apprenticeships"})
		if err != nil || len(res.Results) != 0 || res.Total != 0 {
			t.Fatalf("stale offer found: %+v, %v", res, err)
		}
	})
}

// BenchmarkFindOffers measures one "near, nearest first" search over 500
// public offers, from the query to the stored offers.
func BenchmarkFindOffers(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	places := []string{pcConsett, pcStanley, pcNetpark}
	for i := range 5 {
		a := e.org(b, app.KindEmployer, fmt.Sprintf("Employer %d", i), places[i%3], true)
		for j := range 100 {
			in := validOffer()
			in.Postcode = places[j%3]
			o, err := e.svc.CreateOffer(ctx, a, in)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := e.svc.SetOfferStatus(ctx, a, o.ID, app.OfferPublished); err != nil {
				b.Fatal(err)
			}
		}
	}
	in := app.FindInput{Text: "engineering", Near: "Stanley", WithinKm: 40, Sort: "distance"}

	for b.Loop() {
		res, err := e.svc.FindOffers(ctx, in)
		if err != nil || len(res.Results) != app.DefaultPerPage {
			b.Fatalf("%+v, %v", res, err)
		}
	}
}
