package app_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo/mongotest"
	"github.com/encounters/encounters/app/places"
	bleveindex "github.com/encounters/encounters/search/bleve"
)

// matchMarket is a Service on real engines: a fresh FerretDB database, a
// Bleve index in a temporary folder and the shipped gazetteer, with the
// clock fixed at matchNow.
func matchMarket(t testing.TB) *app.Service {
	t.Helper()
	idx, err := bleveindex.Open(t.TempDir())
	if err != nil {
		t.Fatalf("open index: %v", err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	g, err := places.Load()
	if err != nil {
		t.Fatalf("load places: %v", err)
	}
	return &app.Service{
		Store: mongotest.NewStore(t), Index: idx, Places: g,
		Now: func() time.Time { return matchNow },
	}
}

// matchPlace places a postcode through the service's gazetteer.
func matchPlace(t testing.TB, svc *app.Service, postcode string) app.Location {
	t.Helper()
	_, loc, err := svc.Places.Postcode(context.Background(), postcode)
	if err != nil {
		t.Fatalf("place %s: %v", postcode, err)
	}
	return loc
}

// matchSchool stores an open school at a postcode.
func matchSchool(t testing.TB, svc *app.Service, id, postcode string, change func(*app.Organisation)) *app.Organisation {
	t.Helper()
	o := &app.Organisation{
		ID: id, Kind: app.KindSchool, Name: "School " + id, Postcode: postcode,
		Location: matchPlace(t, svc, postcode), Status: app.OrgOpen, IMDDecile: 7, EncountersThisYear: 5,
	}
	if change != nil {
		change(o)
	}
	if err := svc.Store.CreateOrg(context.Background(), o); err != nil {
		t.Fatalf("create school %s: %v", id, err)
	}
	return o
}

// matchOfferAt stores a published engineering visit for Years 9 and 10 by
// employer emp-1 at a postcode, with sessions of 30 places on the given
// days after matchNow at 10:00, and indexes it when public.
func matchOfferAt(t testing.TB, svc *app.Service, id, postcode string, days []int, change func(*app.Offer)) *app.Offer {
	t.Helper()
	o := &app.Offer{
		ID: id, OrgID: "emp-1", OrgName: "Employer One", Title: "Visit " + id,
		Type: app.TypeWorkplaceVisit, Sector: "engineering", Audience: []string{"y9", "y10"},
		Delivery: app.DeliveryInPerson, Postcode: postcode, Location: matchPlace(t, svc, postcode),
		Access: []string{}, Status: app.OfferPublished, Public: true,
	}
	for i, d := range days {
		day := matchNow.AddDate(0, 0, d)
		start := time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, app.London)
		o.Sessions = append(o.Sessions, app.Session{
			ID: fmt.Sprintf("s%d", i+1), Start: start, End: start.Add(2 * time.Hour), Places: 30,
		})
	}
	if change != nil {
		change(o)
	}
	matchStoreOffer(t, svc, o)
	return o
}

func matchStoreOffer(t testing.TB, svc *app.Service, o *app.Offer) {
	t.Helper()
	ctx := context.Background()
	if err := svc.Store.CreateOffer(ctx, o); err != nil {
		t.Fatalf("create offer %s: %v", o.ID, err)
	}
	if o.Public {
		if err := svc.Index.Upsert(ctx, app.OfferDocument(o, "Town", matchNow)); err != nil {
			t.Fatalf("index offer %s: %v", o.ID, err)
		}
	}
}

// matchRequestFor stores an open request by a school for 20 Year 9 pupils,
// within 25 km, over the 60 days after matchNow.
func matchRequestFor(t testing.TB, svc *app.Service, id string, school *app.Organisation, change func(*app.Request)) *app.Request {
	t.Helper()
	r := &app.Request{
		ID: id, OrgID: school.ID, OrgName: school.Name, Type: app.TypeWorkplaceVisit,
		Sector: "engineering", Audience: []string{"y9"}, GroupSize: 20,
		From: matchNow, To: matchNow.AddDate(0, 0, 60),
		Postcode: school.Postcode, Location: school.Location, TravelKm: 25,
		Access: []string{}, Notes: "Ask for Ms Example on 0191 000 0000", Status: app.RequestOpen,
	}
	if change != nil {
		change(r)
	}
	if err := svc.Store.CreateRequest(context.Background(), r); err != nil {
		t.Fatalf("create request %s: %v", id, err)
	}
	return r
}

// matchKeys names matches as "offer/session" for comparing.
func matchKeys(ms []app.Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Offer.ID + "/" + m.Session.ID
	}
	return out
}

func TestMatchRequest(t *testing.T) {
	ctx := context.Background()
	svc := matchMarket(t)
	school := matchSchool(t, svc, "urn-137638", "DH8 6LZ", nil) // Consett Academy

	matchOfferAt(t, svc, "off-stanley", "DH9 0TW", []int{10, 20}, nil) // about 9 km
	matchOfferAt(t, svc, "off-durham", "DH1 3LE", []int{5}, nil)       // about 20 km
	matchOfferAt(t, svc, "off-netpark", "TS21 3FG", []int{5}, nil)     // about 32 km
	matchOfferAt(t, svc, "off-late", "DH9 0TW", []int{90}, nil)        // after the window
	matchOfferAt(t, svc, "off-talk", "DH9 0TW", []int{5}, func(o *app.Offer) { o.Type = app.TypeCareersTalk })
	matchOfferAt(t, svc, "off-full", "DH9 0TW", []int{5}, func(o *app.Offer) { o.Sessions[0].PlacesTaken = 15 })
	matchOfferAt(t, svc, "off-draft", "DH9 0TW", []int{5}, func(o *app.Offer) { o.Public, o.Status = false, app.OfferDraft })
	matchOfferAt(t, svc, "off-online", "DH9 0TW", []int{15}, func(o *app.Offer) {
		o.Delivery, o.Postcode, o.Location = app.DeliveryVirtual, "", app.Location{}
	})
	matchOfferAt(t, svc, "off-hybrid", "TS21 3FG", []int{25}, func(o *app.Offer) { o.Delivery = app.DeliveryHybrid })
	// Indexed while public, then paused: the store is the truth.
	paused := matchOfferAt(t, svc, "off-paused", "DH9 0TW", []int{5}, nil)
	paused.Public, paused.Status = false, app.OfferPaused
	if err := svc.Store.UpdateOffer(ctx, paused); err != nil {
		t.Fatal(err)
	}

	inPerson := matchRequestFor(t, svc, "req-in-person", school, nil)
	virtualOK := matchRequestFor(t, svc, "req-virtual-ok", school, func(r *app.Request) { r.VirtualOK = true })
	passed := matchRequestFor(t, svc, "req-passed", school, func(r *app.Request) {
		r.From, r.To = matchNow.AddDate(0, -2, 0), matchNow.AddDate(0, 0, -1)
	})

	cases := []struct {
		name  string
		reqID string
		limit int
		want  []string
	}{
		{"in person within the travel limit, nearest first", inPerson.ID, 0,
			[]string{"off-stanley/s1", "off-stanley/s2", "off-durham/s1"}},
		{"virtual and hybrid added when accepted", virtualOK.ID, 0,
			[]string{"off-stanley/s1", "off-stanley/s2", "off-online/s1", "off-hybrid/s1", "off-durham/s1"}},
		{"cut to the limit", virtualOK.ID, 2,
			[]string{"off-stanley/s1", "off-stanley/s2"}},
		{"window passed", passed.ID, 0, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := svc.MatchRequest(ctx, &app.Actor{UserID: "u1", OrgID: school.ID, Kind: app.KindSchool}, c.reqID, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(matchKeys(got), " ") != strings.Join(c.want, " ") {
				t.Errorf("matches %v, want %v", matchKeys(got), c.want)
			}
			for i := 1; i < len(got); i++ {
				if got[i].Score > got[i-1].Score {
					t.Errorf("match %d scores %v, above match %d at %v", i, got[i].Score, i-1, got[i-1].Score)
				}
			}
		})
	}
}

func TestMatchRequestScope(t *testing.T) {
	ctx := context.Background()
	svc := matchMarket(t)
	school := matchSchool(t, svc, "urn-137638", "DH8 6LZ", nil)
	matchOfferAt(t, svc, "off-stanley", "DH9 0TW", []int{10}, nil)
	open := matchRequestFor(t, svc, "req-open", school, nil)
	closed := matchRequestFor(t, svc, "req-closed", school, func(r *app.Request) { r.Status = app.RequestClosed })

	own := &app.Actor{UserID: "u1", OrgID: school.ID, Kind: app.KindSchool}
	other := &app.Actor{UserID: "u2", OrgID: "emp-9", Kind: app.KindEmployer}
	coordinator := &app.Actor{UserID: "u3", OrgID: app.CoordinatorOrgID, Kind: app.KindCoordinator}

	cases := []struct {
		name     string
		actor    *app.Actor
		id       string
		wantCode string
		wantFull bool
	}{
		{"open request, anonymous, sees the public view", nil, open.ID, "", false},
		{"open request, another organisation", other, open.ID, "", false},
		{"open request, own organisation, sees it whole", own, open.ID, "", true},
		{"closed request, anonymous", nil, closed.ID, app.ENotFound, false},
		{"closed request, another organisation", other, closed.ID, app.ENotFound, false},
		{"closed request, own organisation", own, closed.ID, "", true},
		{"closed request, coordinator", coordinator, closed.ID, "", true},
		{"no such request", own, "req-missing", app.ENotFound, false},
		{"malformed id", own, "../../etc", app.ENotFound, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := svc.MatchRequest(ctx, c.actor, c.id, 0)
			if app.ErrorCode(err) != c.wantCode {
				t.Fatalf("error %v, want code %q", err, c.wantCode)
			}
			if c.wantCode != "" {
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d matches, want 1", len(got))
			}
			full := got[0].Request.Notes != "" && got[0].Request.Postcode == "DH8 6LZ"
			if full != c.wantFull {
				t.Errorf("request seen whole: %v, want %v (postcode %q)", full, c.wantFull, got[0].Request.Postcode)
			}
		})
	}
}

// TestMatchOfferEquity checks that when one session can take only one of
// two groups, the school in a deprived area with no encounters so far
// comes first, though it is farther away.
func TestMatchOfferEquity(t *testing.T) {
	ctx := context.Background()
	svc := matchMarket(t)
	served := matchSchool(t, svc, "urn-114305", "DL5 7LF", nil) // Newton Aycliffe, near
	needy := matchSchool(t, svc, "urn-147122", "SR8 5RL", func(o *app.Organisation) {
		o.IMDDecile, o.EncountersThisYear = 1, 0 // Peterlee, farther
	})
	offer := matchOfferAt(t, svc, "off-aycliffe", "DL5 6EP", []int{10, 30}, nil)
	matchRequestFor(t, svc, "req-served", served, func(r *app.Request) { r.TravelKm = 40 })
	matchRequestFor(t, svc, "req-needy", needy, func(r *app.Request) { r.TravelKm = 40 })
	matchRequestFor(t, svc, "req-talk", served, func(r *app.Request) { r.Type = app.TypeCareersTalk })

	got, err := svc.MatchOffer(ctx, &app.Actor{UserID: "u1", OrgID: offer.OrgID, Kind: app.KindEmployer}, offer.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d matches %v, want 2: one per matching request", len(got), matchKeys(got))
	}
	if got[0].Request.ID != "req-needy" || got[1].Request.ID != "req-served" {
		t.Errorf("order %s, %s: want req-needy first", got[0].Request.ID, got[1].Request.ID)
	}
	if got[0].Session.ID != "s1" {
		t.Errorf("best session %s, want s1 (the sooner of two equal ones)", got[0].Session.ID)
	}
	if !slices.Contains(got[0].Reasons, "This school serves one of the most deprived areas in England (IMD decile 1)") {
		t.Errorf("reasons %q lack the deprivation sentence", got[0].Reasons)
	}
	if got[0].Request.Notes != "" || got[0].Request.Postcode != "SR8" {
		t.Errorf("employer saw request notes %q and postcode %q, want the public view", got[0].Request.Notes, got[0].Request.Postcode)
	}
}

func TestMatchOfferScope(t *testing.T) {
	ctx := context.Background()
	svc := matchMarket(t)
	school := matchSchool(t, svc, "urn-137638", "DH8 6LZ", nil)
	matchRequestFor(t, svc, "req-open", school, nil)
	matchOfferAt(t, svc, "off-public", "DH9 0TW", []int{10}, nil)
	matchOfferAt(t, svc, "off-draft", "DH9 0TW", []int{10}, func(o *app.Offer) { o.Public, o.Status = false, app.OfferDraft })

	owner := &app.Actor{UserID: "u1", OrgID: "emp-1", Kind: app.KindEmployer}
	other := &app.Actor{UserID: "u2", OrgID: "emp-2", Kind: app.KindEmployer}
	coordinator := &app.Actor{UserID: "u3", OrgID: app.CoordinatorOrgID, Kind: app.KindCoordinator}

	cases := []struct {
		name        string
		actor       *app.Actor
		id          string
		wantCode    string
		wantMatches int
		wantWhole   bool
	}{
		{"public offer, anonymous", nil, "off-public", "", 1, false},
		{"public offer, coordinator sees requests whole", coordinator, "off-public", "", 1, true},
		{"draft offer, owner: visible, but drafts match nothing", owner, "off-draft", "", 0, false},
		{"draft offer, another employer", other, "off-draft", app.ENotFound, 0, false},
		{"draft offer, anonymous", nil, "off-draft", app.ENotFound, 0, false},
		{"no such offer", owner, "off-missing", app.ENotFound, 0, false},
		{"malformed id", owner, "", app.ENotFound, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := svc.MatchOffer(ctx, c.actor, c.id, 0)
			if app.ErrorCode(err) != c.wantCode {
				t.Fatalf("error %v, want code %q", err, c.wantCode)
			}
			if len(got) != c.wantMatches {
				t.Fatalf("%d matches, want %d", len(got), c.wantMatches)
			}
			if len(got) > 0 && (got[0].Request.Notes != "") != c.wantWhole {
				t.Errorf("request notes %q, want whole: %v", got[0].Request.Notes, c.wantWhole)
			}
		})
	}
}
