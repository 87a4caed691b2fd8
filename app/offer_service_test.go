package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/search"
)

// validOffer is a careers talk for Years 9 and 10 at NETpark in March.
func validOffer() app.OfferInput {
	return app.OfferInput{
		Title:       "Engineering careers talk at NETpark",
		Description: "Meet engineers who design radiation detectors and hear how they started.",
		Type:        app.TypeCareersTalk, Sector: "engineering",
		Audience: []string{"y9", "Year 10"}, Delivery: app.DeliveryInPerson, Postcode: pcNetpark,
		Access:   []string{app.AccessStepFree},
		Sessions: []app.SessionInput{{Start: "2026-03-10T09:30", End: "2026-03-10T11:00", Places: 60}},
	}
}

func TestOfferValidation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	employer := e.org(t, app.KindEmployer, "Kromek Group", pcNetpark, true)

	tests := []struct {
		name      string
		edit      func(*app.OfferInput)
		wantField string
		wantPart  string
	}{
		{"no title", func(o *app.OfferInput) { o.Title = "   " }, "title", "Enter a title"},
		{"short title", func(o *app.OfferInput) { o.Title = "Talk" }, "title", "at least 5"},
		{"long title", func(o *app.OfferInput) { o.Title = strings.Repeat("a", 121) }, "title", "120 characters"},
		{"title over two lines", func(o *app.OfferInput) { o.Title = "Talk\r\nBcc: someone@example.org" }, "title",
			"Title must be on one line"},
		{"title with a NUL", func(o *app.OfferInput) { o.Title = "Zero\x00width talk" }, "title", "does not show"},
		{"title with a tab", func(o *app.OfferInput) { o.Title = "Tab\there talk" }, "title", "does not show"},
		{"title turning the text", func(o *app.OfferInput) { o.Title = "Right\u202eleft talk" }, "title",
			"text-direction mark"},
		{"no description", func(o *app.OfferInput) { o.Description = "" }, "description", "Enter a description"},
		{"long description", func(o *app.OfferInput) { o.Description = strings.Repeat("ü", 4001) }, "description", "4000 characters"},
		{"unknown type", func(o *app.OfferInput) { o.Type = "lecture" }, "type", "type of offer"},
		{"unknown sector", func(o *app.OfferInput) { o.Sector = "mining" }, "sector", "sector"},
		{"no audience", func(o *app.OfferInput) { o.Audience = []string{} }, "audience", "at least one"},
		{"unknown audience", func(o *app.OfferInput) { o.Audience = []string{"toddlers"} }, "audience", "toddlers"},
		{"work experience for Year 8", func(o *app.OfferInput) {
			o.Type, o.Audience = app.TypeWorkExperience, []string{"y8", "y10", "y11"}
		}, "audience", "Years 10 and 11 only (Education Act 1996, section 560)"},
		{"teacher placement for pupils", func(o *app.OfferInput) {
			o.Type, o.Audience = app.TypeTeacherPlacement, []string{"teachers", "y12"}
		}, "audience", "Teachers as the only audience"},
		{"adult work trial for teachers", func(o *app.OfferInput) {
			o.Type, o.Audience = app.TypeAdultWorkTrial, []string{"teachers"}
		}, "audience", "Adults as the only audience"},
		{"unknown delivery", func(o *app.OfferInput) { o.Delivery = "carrier pigeon" }, "delivery", "in person, virtual or hybrid"},
		{"in person without postcode", func(o *app.OfferInput) { o.Postcode = "" }, "postcode", "Enter the postcode"},
		{"unknown postcode area", func(o *app.OfferInput) { o.Postcode = "ZZ9 9ZZ" }, "postcode", "ZZ9 9ZZ"},
		{"at school but virtual", func(o *app.OfferInput) {
			o.Delivery, o.AtSchool, o.AtSchoolKm = app.DeliveryVirtual, true, 20
		}, "at_school", "in person or hybrid"},
		{"at school without distance", func(o *app.OfferInput) { o.AtSchool = true }, "at_school_km", "1 to 100 km"},
		{"at school too far", func(o *app.OfferInput) { o.AtSchool, o.AtSchoolKm = true, 101 }, "at_school_km", "1 to 100 km"},
		{"unknown access", func(o *app.OfferInput) { o.Access = []string{"step_free", "ramp"} }, "access", "from the list"},
		{"long safeguarding", func(o *app.OfferInput) { o.Safeguarding = strings.Repeat("s", 2001) }, "safeguarding", "2000 characters"},
		{"no sessions", func(o *app.OfferInput) { o.Sessions = nil }, "sessions", "at least one session"},
		{"too many sessions", func(o *app.OfferInput) {
			o.Sessions = make([]app.SessionInput, 51)
		}, "sessions", "at most 50"},
		{"no start", func(o *app.OfferInput) { o.Sessions[0].Start = "" }, "sessions[0].start", "Enter when session 1 starts"},
		{"bad start", func(o *app.OfferInput) { o.Sessions[0].Start = "10/03/2026 09:30" }, "sessions[0].start", "like 2026-03-14T09:30"},
		{"bad end", func(o *app.OfferInput) { o.Sessions[0].End = "2026-03-10T25:00" }, "sessions[0].end", "date and time"},
		{"end before start", func(o *app.OfferInput) { o.Sessions[0].End = "2026-03-10T09:00" }, "sessions[0].end", "end after it starts"},
		{"end at start", func(o *app.OfferInput) { o.Sessions[0].End = o.Sessions[0].Start }, "sessions[0].end", "end after it starts"},
		{"session of years", func(o *app.OfferInput) { o.Sessions[0].End = "2036-03-10T12:00" }, "sessions[0].end", "more than 28 days"},
		{"time the clocks skip", func(o *app.OfferInput) { o.Sessions[0].Start = "2027-03-28T01:30" }, "sessions[0].start", "does not exist in the UK"},
		{"start in the past", func(o *app.OfferInput) {
			o.Sessions[0].Start, o.Sessions[0].End = "2026-01-12T08:59", "2026-01-12T10:00"
		}, "sessions[0].start", "in the past"},
		{"no places", func(o *app.OfferInput) { o.Sessions[0].Places = 0 }, "sessions[0].places", "from 1 to 500"},
		{"too many places", func(o *app.OfferInput) { o.Sessions[0].Places = 501 }, "sessions[0].places", "from 1 to 500"},
		{"second session is named by its index", func(o *app.OfferInput) {
			o.Sessions = append(o.Sessions, app.SessionInput{Start: "2026-03-11T09:30", End: "2026-03-11T11:00", Places: -3})
		}, "sessions[1].places", "Session 2"},
		{"unknown session id on create", func(o *app.OfferInput) { o.Sessions[0].ID = "ses_nothere" }, "sessions[0].id", "not one of this offer's"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validOffer()
			tc.edit(&in)
			_, err := e.svc.CreateOffer(ctx, employer, in)
			wantField(t, err, tc.wantField, tc.wantPart)
		})
	}

	t.Run("every problem at once", func(t *testing.T) {
		_, err := e.svc.CreateOffer(ctx, employer, app.OfferInput{AtSchool: true})
		want := []string{"title", "description", "type", "sector", "audience", "delivery", "at_school_km", "sessions"}
		for _, field := range want {
			wantField(t, err, field, "")
		}
	})

	_, total, err := e.svc.ListMyOffers(ctx, employer, 1)
	if err != nil || total != 0 {
		t.Fatalf("%d offers saved by bad input (%v), want none", total, err)
	}

	valid := []struct {
		name string
		edit func(*app.OfferInput)
	}{
		{"virtual without postcode", func(o *app.OfferInput) { o.Delivery, o.Postcode = app.DeliveryVirtual, "" }},
		{"work experience for Years 10 to 13", func(o *app.OfferInput) {
			o.Type, o.Audience = app.TypeWorkExperience, []string{"y10", "y11", "y12", "y13"}
		}},
		{"teacher placement", func(o *app.OfferInput) { o.Type, o.Audience = app.TypeTeacherPlacement, []string{"teachers"} }},
		{"adult work trial", func(o *app.OfferInput) { o.Type, o.Audience = app.TypeAdultWorkTrial, []string{"Adults"} }},
		{"at school, hybrid", func(o *app.OfferInput) { o.Delivery, o.AtSchool, o.AtSchoolKm = app.DeliveryHybrid, true, 40 }},
		{"RFC 3339 times", func(o *app.OfferInput) {
			o.Sessions[0].Start, o.Sessions[0].End = "2026-03-10T09:30:00Z", "2026-03-10T11:00:00+00:00"
		}},
		{"fifty sessions", func(o *app.OfferInput) {
			o.Sessions = nil
			for d := range 50 {
				day := testNow.AddDate(0, 0, d+1).Format("2006-01-02")
				o.Sessions = append(o.Sessions, app.SessionInput{Start: day + "T13:00", End: day + "T15:00", Places: 500})
			}
		}},
	}
	for _, tc := range valid {
		t.Run(tc.name, func(t *testing.T) {
			in := validOffer()
			tc.edit(&in)
			_, err := e.svc.CreateOffer(ctx, employer, in)
			wantCode(t, err, "")
		})
	}
}

func TestSessionTimes(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-03-10T09:30", time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC), true},          // GMT
		{"2026-06-16T09:30", time.Date(2026, 6, 16, 8, 30, 0, 0, time.UTC), true},          // BST
		{"2026-06-16 09:30", time.Date(2026, 6, 16, 8, 30, 0, 0, time.UTC), true},          // a space
		{"2026-06-16T09:30:00+02:00", time.Date(2026, 6, 16, 7, 30, 0, 0, time.UTC), true}, // RFC 3339
		{"2027-03-28T01:30", time.Time{}, false},                                           // skipped when the clocks go forward
		{"2027-10-31T01:30", time.Date(2027, 10, 31, 1, 30, 0, 0, time.UTC), true},         // twice when they go back: the GMT one
		{"16/06/2026 09:30", time.Time{}, false},
		{"2026-06-16", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := app.ParseSessionTime(tc.in)
			if ok != tc.ok || !got.Equal(tc.want) || (ok && got.Location() != time.UTC) {
				t.Fatalf("ParseSessionTime(%q) = %v, %v; want %v, %v in UTC", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// indexed reports whether the search index holds the offer.
func indexed(t *testing.T, e *env, id string) bool {
	t.Helper()
	res, err := e.index.Search(context.Background(), search.Query{PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.ID == id {
			return true
		}
	}
	return false
}

func TestOfferLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	employer := e.org(t, app.KindEmployer, "Kromek Group", pcNetpark, true)

	in := validOffer()
	in.Sessions = append(in.Sessions, app.SessionInput{Start: "2026-06-16T09:30", End: "2026-06-16T12:00", Places: 30})
	o, err := e.svc.CreateOffer(ctx, employer, in)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != app.OfferDraft || o.Public || o.OrgName != "Kromek Group" || o.Postcode != pcNetpark ||
		strings.Join(o.Audience, ",") != "y9,y10" || len(o.Sessions) != 2 {
		t.Fatalf("created offer %+v: want a private draft for y9,y10 with 2 sessions", o)
	}
	if want := time.Date(2026, 6, 16, 8, 30, 0, 0, time.UTC); !o.Sessions[1].Start.Equal(want) {
		t.Fatalf("June session starts %v, want %v (09:30 BST)", o.Sessions[1].Start, want)
	}

	steps := []struct {
		name       string
		status     string
		wantCode   string
		wantPublic bool
	}{
		{"unknown status", "live", app.EInvalid, false},
		{"publish", app.OfferPublished, "", true},
		{"publish again changes nothing", app.OfferPublished, "", true},
		{"pause", app.OfferPaused, "", false},
		{"publish after pause", app.OfferPublished, "", true},
		{"back to draft", app.OfferDraft, "", false},
		{"archive", app.OfferArchived, "", false},
		{"archived is final", app.OfferPublished, app.EConflict, false},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			got, err := e.svc.SetOfferStatus(ctx, employer, o.ID, st.status)
			wantCode(t, err, st.wantCode)
			stored, _ := e.store.GetOffer(ctx, o.ID)
			if stored.Public != st.wantPublic || indexed(t, e, o.ID) != st.wantPublic {
				t.Fatalf("stored public %v, indexed %v; want %v", stored.Public, indexed(t, e, o.ID), st.wantPublic)
			}
			if err == nil && got.Status != st.status {
				t.Fatalf("status %q, want %q", got.Status, st.status)
			}
		})
	}
	t.Run("archived cannot be edited", func(t *testing.T) {
		_, err := e.svc.UpdateOffer(ctx, employer, o.ID, validOffer())
		wantCode(t, err, app.EConflict)
	})
}

func TestUpdateOffer(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	employer := e.org(t, app.KindEmployer, "BTS Facades", pcNetpark, true)
	o, err := e.svc.CreateOffer(ctx, employer, validOffer())
	if err != nil {
		t.Fatal(err)
	}
	if o, err = e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferPublished); err != nil {
		t.Fatal(err)
	}
	// A booking has taken 25 of the first session's places.
	booked := o.Sessions[0].ID
	o.Sessions[0].PlacesTaken = 25
	if err := e.store.UpdateOffer(ctx, o); err != nil {
		t.Fatal(err)
	}

	keep := func(places int) app.SessionInput {
		return app.SessionInput{ID: booked, Start: "2026-03-10T09:30", End: "2026-03-10T11:00", Places: places}
	}
	tests := []struct {
		name      string
		edit      func(*app.OfferInput)
		wantField string
	}{
		{"places below bookings", func(in *app.OfferInput) { in.Sessions = []app.SessionInput{keep(20)} }, "sessions[0].places"},
		{"booked session removed", func(in *app.OfferInput) {
			in.Sessions = []app.SessionInput{{Start: "2026-04-01T10:00", End: "2026-04-01T11:00", Places: 10}}
		}, "sessions"},
		{"session named twice", func(in *app.OfferInput) { in.Sessions = []app.SessionInput{keep(30), keep(30)} }, "sessions[1].id"},
		{"bad title", func(in *app.OfferInput) { in.Title = "Hi" }, "title"},
		{"new title and a new session", func(in *app.OfferInput) {
			in.Title = "Facade engineering: a morning on site"
			in.Sessions = []app.SessionInput{keep(25), {Start: "2026-02-03T09:00", End: "2026-02-03T12:00", Places: 12}}
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validOffer()
			tc.edit(&in)
			got, err := e.svc.UpdateOffer(ctx, employer, o.ID, in)
			if tc.wantField != "" {
				wantField(t, err, tc.wantField, "")
				return
			}
			wantCode(t, err, "")
			if len(got.Sessions) != 2 || got.Sessions[1].ID != booked || got.Sessions[1].PlacesTaken != 25 {
				t.Fatalf("sessions %+v: want the new one first and the booked one kept", got.Sessions)
			}
		})
	}

	t.Run("a past session may stay as it is", func(t *testing.T) {
		e.now = time.Date(2026, 3, 11, 9, 0, 0, 0, app.London)
		defer func() { e.now = testNow }()
		in := validOffer()
		in.Title = "Facade engineering: a morning on site"
		in.Sessions = []app.SessionInput{keep(25), {Start: "2026-05-05T09:00", End: "2026-05-05T12:00", Places: 12}}
		_, err := e.svc.UpdateOffer(ctx, employer, o.ID, in)
		wantCode(t, err, "")
	})

	t.Run("the index follows the title", func(t *testing.T) {
		res, err := e.svc.FindOffers(ctx, app.FindInput{Text: "morning on site"})
		if err != nil || res.Total != 1 || res.Results[0].Offer.ID != o.ID {
			t.Fatalf("search for the new title: %+v, %v", res, err)
		}
	})

	t.Run("publishing needs a session to come", func(t *testing.T) {
		if _, err := e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferPaused); err != nil {
			t.Fatal(err)
		}
		e.now = time.Date(2026, 6, 1, 9, 0, 0, 0, app.London)
		defer func() { e.now = testNow }()
		_, err := e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferPublished)
		wantCode(t, err, app.EConflict)
	})
}

func TestOfferScoping(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	owner := e.org(t, app.KindEmployer, "Kromek Group", pcNetpark, true)
	other := e.org(t, app.KindEmployer, "Kratos", pcNetpark, true)
	school := e.schoolActor(t, "114200", pcStanley)
	coord := e.coordinator(t)

	draft, err := e.svc.CreateOffer(ctx, owner, validOffer())
	if err != nil {
		t.Fatal(err)
	}
	public, err := e.svc.CreateOffer(ctx, owner, validOffer())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetOfferStatus(ctx, owner, public.ID, app.OfferPublished); err != nil {
		t.Fatal(err)
	}

	t.Run("who may create", func(t *testing.T) {
		for _, tc := range []struct {
			actor *app.Actor
			code  string
		}{{nil, app.EUnauthorized}, {school, app.EForbidden}, {coord, app.EForbidden}, {&app.Actor{UserID: "usr_claimant"}, app.EForbidden}} {
			_, err := e.svc.CreateOffer(ctx, tc.actor, validOffer())
			wantCode(t, err, tc.code)
		}
	})

	tests := []struct {
		name   string
		actor  *app.Actor
		offer  *app.Offer
		read   string // code of GetOffer
		change string // code of UpdateOffer and SetOfferStatus
	}{
		{"owner, draft", owner, draft, "", ""},
		{"other employer, draft", other, draft, app.ENotFound, app.ENotFound},
		{"school, draft", school, draft, app.ENotFound, app.ENotFound},
		{"anonymous, draft", nil, draft, app.ENotFound, app.EUnauthorized},
		{"coordinator, draft", coord, draft, "", app.EForbidden},
		{"other employer, public", other, public, "", app.ENotFound},
		{"school, public", school, public, "", app.ENotFound},
		{"anonymous, public", nil, public, "", app.EUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.GetOffer(ctx, tc.actor, tc.offer.ID)
			wantCode(t, err, tc.read)
			_, err = e.svc.UpdateOffer(ctx, tc.actor, tc.offer.ID, validOffer())
			wantCode(t, err, tc.change)
			_, err = e.svc.SetOfferStatus(ctx, tc.actor, tc.offer.ID, app.OfferPaused)
			wantCode(t, err, tc.change)
		})
	}

	t.Run("lists are per organisation", func(t *testing.T) {
		mine, total, err := e.svc.ListMyOffers(ctx, owner, 1)
		if err != nil || total != 2 || len(mine) != 2 {
			t.Fatalf("owner lists %d of %d, %v; want 2", len(mine), total, err)
		}
		theirs, total, err := e.svc.ListMyOffers(ctx, other, 1)
		if err != nil || total != 0 || len(theirs) != 0 {
			t.Fatalf("another employer lists %d offers", total)
		}
		_, _, err = e.svc.ListMyOffers(ctx, nil, 1)
		wantCode(t, err, app.EUnauthorized)
	})

	t.Run("unknown and malformed ids", func(t *testing.T) {
		for _, id := range []string{app.NewID("off"), "", "A B", strings.Repeat("x", 65)} {
			_, err := e.svc.GetOffer(ctx, owner, id)
			wantCode(t, err, app.ENotFound)
		}
	})
}

func TestReindex(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	verified := e.org(t, app.KindEmployer, "Amazon", pcNetpark, true)
	unverified := e.org(t, app.KindEmployer, "New Firm", pcConsett, false)

	publish := func(a *app.Actor, n int) {
		for range n {
			o, err := e.svc.CreateOffer(ctx, a, validOffer())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.SetOfferStatus(ctx, a, o.ID, app.OfferPublished); err != nil {
				t.Fatal(err)
			}
		}
	}
	publish(verified, 3)
	publish(unverified, 2)
	if _, err := e.svc.CreateOffer(ctx, verified, validOffer()); err != nil { // a draft
		t.Fatal(err)
	}
	// A stray document the store knows nothing about.
	if err := e.index.Upsert(ctx, search.Document{ID: "off_stray", Title: "Stray"}); err != nil {
		t.Fatal(err)
	}

	var calls [][2]int
	n, err := e.svc.Reindex(ctx, func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil || n != 3 {
		t.Fatalf("Reindex = %d, %v; want 3 documents", n, err)
	}
	count, err := e.index.Count(ctx)
	if err != nil || count != 3 {
		t.Fatalf("index holds %d, %v; want 3", count, err)
	}
	if len(calls) != 1 || calls[0] != [2]int{5, 5} {
		t.Fatalf("progress calls %v, want one of 5 published offers done", calls)
	}
}

// A scheduled refresh drops sessions that have started from what search
// filters by date, without emptying the index meanwhile.
func TestRefreshIndexDropsStartedSessions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	employer := e.org(t, app.KindEmployer, "Amazon", pcNetpark, true)
	in := validOffer()
	in.Sessions = []app.SessionInput{
		{Start: "2026-03-10T09:30", End: "2026-03-10T11:00", Places: 60},
		{Start: "2026-04-14T09:30", End: "2026-04-14T11:00", Places: 60},
	}
	o, err := e.svc.CreateOffer(ctx, employer, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferPublished); err != nil {
		t.Fatal(err)
	}
	march := search.Query{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)}
	found := func() int {
		res, err := e.index.Search(ctx, march)
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	if found() != 1 {
		t.Fatal("setup: the offer is not found by its March session")
	}

	e.now = time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC) // the March session is over
	n, err := e.svc.RefreshIndex(ctx, nil)
	if err != nil || n != 1 {
		t.Fatalf("RefreshIndex = %d, %v; want 1 document", n, err)
	}
	if got := found(); got != 0 {
		t.Errorf("after the refresh a search for March still finds %d offers", got)
	}
}
