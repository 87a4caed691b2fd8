package app_test

import (
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/gias"
	"github.com/encounters/encounters/search"
)

// Sizes of the demo market.
const (
	demoEmployers = 8
	demoOffers    = 17
	demoRequests  = 9
)

// seededMarket is a market with the shipped County Durham schools
// imported and the demo seeded once.
func seededMarket(t *testing.T) (*app.Service, app.SeedReport) {
	t.Helper()
	ctx := context.Background()
	svc := matchMarket(t)
	if _, err := gias.Import(ctx, svc, gias.CountyDurham(), io.Discard); err != nil {
		t.Fatalf("import schools: %v", err)
	}
	rep, err := svc.SeedDemo(ctx)
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return svc, rep
}

// demoSnapshot is every demo record as JSON, by id, to compare runs.
func demoSnapshot(t *testing.T, svc *app.Service) map[string]string {
	t.Helper()
	ctx := context.Background()
	snap := map[string]string{}
	keep := func(id string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		snap[id] = string(b)
	}

	err := svc.Store.EachOffer(ctx, func(o *app.Offer) error {
		keep(o.ID, o)
		org, err := svc.Store.GetOrg(ctx, o.OrgID)
		keep(org.ID, org)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	reqs, _, err := svc.Store.ListOpenRequests(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		keep(r.ID, r)
	}
	return snap
}

func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	svc, first := seededMarket(t)

	want := app.SeedReport{
		Organisations: demoEmployers, Offers: demoOffers, Requests: demoRequests,
		Sessions: first.Sessions, Created: demoEmployers + demoOffers + demoRequests,
	}
	if first.String() != want.String() || first.Sessions < 2*demoOffers {
		t.Fatalf("first run: %s, want %s with at least two sessions an offer", first, want)
	}
	before := demoSnapshot(t, svc)
	if len(before) != demoEmployers+demoOffers+demoRequests {
		t.Fatalf("%d demo records stored, want %d", len(before), demoEmployers+demoOffers+demoRequests)
	}

	second, err := svc.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want.Created = 0
	if second.String() != want.String() {
		t.Errorf("second run: %s, want %s", second, want)
	}
	after := demoSnapshot(t, svc)
	for id, doc := range before {
		if after[id] != doc {
			t.Errorf("second run changed %s:\n%s\nto\n%s", id, doc, after[id])
		}
	}
	if n, err := svc.Index.Count(ctx); err != nil || n != demoOffers {
		t.Errorf("index holds %d documents (%v), want %d", n, err, demoOffers)
	}
	checkDemoMarket(t, svc)
}

// checkDemoMarket checks what the demo shows: every offer type, sessions
// on weekdays in working hours, employers placed where their postcodes
// are, and a match for every request.
func checkDemoMarket(t *testing.T, svc *app.Service) {
	ctx := context.Background()
	t.Run("every offer type is searchable", func(t *testing.T) {
		res, err := svc.Index.Search(ctx, search.Query{PerPage: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range app.OfferTypes {
			if res.Facets[search.FacetType][c.Value] == 0 {
				t.Errorf("no demo offer of type %s in the index", c.Value)
			}
		}
	})

	t.Run("sessions on weekdays in working hours", func(t *testing.T) {
		err := svc.Store.EachOffer(ctx, func(o *app.Offer) error {
			if !o.Demo || !o.Public || o.Status != app.OfferPublished {
				t.Errorf("offer %s: demo %v public %v status %s", o.ID, o.Demo, o.Public, o.Status)
			}
			for _, s := range o.Sessions {
				checkDemoSession(t, o.ID, s)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("employers placed at their postcodes", func(t *testing.T) {
		checkDemoEmployers(t, svc)
	})

	t.Run("every request has a match", func(t *testing.T) {
		reqs, total, err := svc.Store.ListOpenRequests(ctx, 0, 100)
		if err != nil || total != demoRequests {
			t.Fatalf("%d open requests (%v), want %d", total, err, demoRequests)
		}
		for _, r := range reqs {
			ms, err := svc.MatchRequest(ctx, nil, r.ID, 5)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Demo || len(ms) == 0 {
				t.Errorf("request %s (demo %v) has %d matches, want some", r.ID, r.Demo, len(ms))
			}
		}
	})
}

func checkDemoSession(t *testing.T, offerID string, s app.Session) {
	t.Helper()
	start, end := s.Start.In(app.London), s.End.In(app.London)
	switch {
	case !start.After(matchNow):
		t.Errorf("offer %s session %s starts %v, before the seed ran", offerID, s.ID, start)
	case start.Weekday() == time.Saturday || start.Weekday() == time.Sunday:
		t.Errorf("offer %s session %s is on a %v", offerID, s.ID, start.Weekday())
	case start.Hour() < 8 || end.Hour() > 17 || !end.After(start):
		t.Errorf("offer %s session %s runs %v to %v, outside working hours", offerID, s.ID, start, end)
	case s.Places <= 0:
		t.Errorf("offer %s session %s has %d places", offerID, s.ID, s.Places)
	}
}

func checkDemoEmployers(t *testing.T, svc *app.Service) {
	t.Helper()
	ctx := context.Background()
	orgs, _, err := svc.Store.ListOrgs(ctx, app.OrgFilter{Kind: app.KindEmployer, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != demoEmployers {
		t.Fatalf("%d employers, want %d", len(orgs), demoEmployers)
	}
	for _, o := range orgs {
		_, loc, err := svc.Places.Postcode(ctx, o.Postcode)
		if err != nil || loc.Precision != app.PrecisionPostcode {
			t.Errorf("%s: postcode %s not found exactly (%v, %s)", o.ID, o.Postcode, err, loc.Precision)
			continue
		}
		if km := app.DistanceKm(loc, o.Location); km > 0.05 {
			t.Errorf("%s is %.2f km from its postcode %s", o.ID, km, o.Postcode)
		}
		if !o.Demo || !o.Verified {
			t.Errorf("%s: demo %v verified %v, want both", o.ID, o.Demo, o.Verified)
		}
	}
}

// TestSeedDemoRefresh checks that a year later the demo gets new dates
// once, and that a run after that changes nothing.
func TestSeedDemoRefresh(t *testing.T) {
	ctx := context.Background()
	svc, _ := seededMarket(t)
	later := matchNow.AddDate(1, 0, 0)
	svc.Now = func() time.Time { return later }

	cases := []struct {
		name                string
		wantRefreshed       int
		wantSessionsAtLeast int
	}{
		{"a year later, every offer and request is renewed", demoOffers + demoRequests, 4 * demoOffers},
		{"then nothing more", 0, 4 * demoOffers},
	}
	for _, c := range cases {
		rep, err := svc.SeedDemo(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Refreshed != c.wantRefreshed || rep.Created != 0 || rep.Sessions < c.wantSessionsAtLeast {
			t.Errorf("%s: %s, want refreshed=%d created=0 sessions>=%d", c.name, rep, c.wantRefreshed, c.wantSessionsAtLeast)
		}
	}

	ms, err := svc.MatchRequest(ctx, nil, "demo-request-aycliffe-visit", 0)
	if err != nil || len(ms) == 0 {
		t.Errorf("renewed request has %d matches (%v), want some", len(ms), err)
	}
}

func TestSeedDemoWithoutSchools(t *testing.T) {
	ctx := context.Background()
	svc := matchMarket(t)
	matchSchool(t, svc, "urn-137638", "DH8 6LZ", func(o *app.Organisation) { o.Status = app.OrgClosed })

	rep, err := svc.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests != 0 || len(rep.Skipped) != demoRequests || rep.Offers != demoOffers {
		t.Errorf("report %s with skipped %v, want no requests, %d skipped and %d offers",
			rep, rep.Skipped, demoRequests, demoOffers)
	}
	if _, total, err := svc.Store.ListOpenRequests(ctx, 0, 10); err != nil || total != 0 {
		t.Errorf("%d open requests stored (%v), want 0", total, err)
	}
}
