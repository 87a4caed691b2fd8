package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// validRequest is a request for 60 Year 9s in March, at the school.
func validRequest() app.RequestInput {
	return app.RequestInput{
		Type: app.TypeCareersTalk, Sector: "engineering", Topic: "Civil engineering",
		Audience: []string{"Year 9"}, GroupSize: 60, From: "2026-03-02", To: "2026-03-27",
		TravelKm: 20, VirtualOK: true, Access: []string{app.AccessStepFree},
		Notes: "Ask for Ms Brown at reception on 0191 000 0000.",
	}
}

func TestRequestValidation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	school := e.schoolActor(t, "114100", pcStanley)
	provider := e.org(t, app.KindProvider, "Durham Works", "", false)

	tests := []struct {
		name      string
		actor     *app.Actor
		edit      func(*app.RequestInput)
		wantField string
		wantPart  string
	}{
		{"no type", school, func(r *app.RequestInput) { r.Type = "" }, "type", "Choose the type"},
		{"unknown type", school, func(r *app.RequestInput) { r.Type = "party" }, "type", "Choose the type"},
		{"unknown sector", school, func(r *app.RequestInput) { r.Sector = "piracy" }, "sector", "from the list"},
		{"topic too long", school, func(r *app.RequestInput) { r.Topic = strings.Repeat("x", 201) }, "topic", "200 characters"},
		{"topic over two lines", school, func(r *app.RequestInput) { r.Topic = "Civil\nengineering" }, "topic",
			"Topic must be on one line"},
		{"no audience", school, func(r *app.RequestInput) { r.Audience = nil }, "audience", "at least one"},
		{"unknown audience", school, func(r *app.RequestInput) { r.Audience = []string{"Year 14"} }, "audience", "Year 14"},
		{"work experience for Year 9", school, func(r *app.RequestInput) {
			r.Type, r.Audience = app.TypeWorkExperience, []string{"y9", "y10"}
		}, "audience", "Education Act 1996"},
		{"teacher placement for pupils", school, func(r *app.RequestInput) {
			r.Type = app.TypeTeacherPlacement
		}, "audience", "teachers"},
		{"adult work trial for pupils", school, func(r *app.RequestInput) {
			r.Type, r.Audience = app.TypeAdultWorkTrial, []string{"adults", "y12"}
		}, "audience", "adults"},
		{"adult work trial asked by a school", school, func(r *app.RequestInput) {
			r.Type, r.Audience = app.TypeAdultWorkTrial, []string{"adults"}
		}, "type", "cannot ask for one: choose another type"},
		{"group of none", school, func(r *app.RequestInput) { r.GroupSize = 0 }, "group_size", "from 1 to 500"},
		{"group too big", school, func(r *app.RequestInput) { r.GroupSize = 501 }, "group_size", "from 1 to 500"},
		{"no from", school, func(r *app.RequestInput) { r.From = "" }, "from", "Enter the first day"},
		{"bad from", school, func(r *app.RequestInput) { r.From = "2026-02-30" }, "from", "real date"},
		{"British date order", school, func(r *app.RequestInput) { r.To = "27/03/2026" }, "to", "real date"},
		{"to before from", school, func(r *app.RequestInput) { r.To = "2026-03-01" }, "to", "after the first day"},
		{"window over a year", school, func(r *app.RequestInput) { r.To = "2027-03-03" }, "to", "one year"},
		{"window in the past", school, func(r *app.RequestInput) {
			r.From, r.To = "2025-11-03", "2026-01-11"
		}, "to", "has passed"},
		{"travel negative", school, func(r *app.RequestInput) { r.TravelKm = -1 }, "travel_km", "0 to 150"},
		{"travel too far", school, func(r *app.RequestInput) { r.TravelKm = 151 }, "travel_km", "0 to 150"},
		{"unknown access", school, func(r *app.RequestInput) { r.Access = []string{"lift"} }, "access", "from the list"},
		{"notes too long", school, func(r *app.RequestInput) { r.Notes = strings.Repeat("é", 2001) }, "notes", "2000 characters"},
		{"bad postcode", school, func(r *app.RequestInput) { r.Postcode = "DH1" }, "postcode", "real postcode"},
		{"provider without a postcode of its own", provider, func(r *app.RequestInput) {
			r.Audience = []string{"adults"}
		}, "postcode", "Enter the postcode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validRequest()
			tc.edit(&in)
			_, err := e.svc.CreateRequest(ctx, tc.actor, in)
			wantField(t, err, tc.wantField, tc.wantPart)
		})
	}

	_, total, err := e.svc.ListMyRequests(ctx, school, 1)
	if err != nil || total != 0 {
		t.Fatalf("%d requests saved by bad input (%v), want none", total, err)
	}

	t.Run("last day today is still allowed", func(t *testing.T) {
		in := validRequest()
		in.From, in.To = "2026-01-05", "2026-01-12"
		_, err := e.svc.CreateRequest(ctx, school, in)
		wantCode(t, err, "")
	})
}

func TestRequestLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	school := e.schoolActor(t, "114110", pcStanley)
	employer := e.org(t, app.KindEmployer, "AEL Automation", pcConsett, true)
	otherSchool := e.schoolActor(t, "114111", pcConsett)
	coord := e.coordinator(t)

	t.Run("who may post", func(t *testing.T) {
		_, err := e.svc.CreateRequest(ctx, nil, validRequest())
		wantCode(t, err, app.EUnauthorized)
		_, err = e.svc.CreateRequest(ctx, employer, validRequest())
		wantCode(t, err, app.EForbidden)
	})

	r, err := e.svc.CreateRequest(ctx, school, validRequest())
	if err != nil {
		t.Fatal(err)
	}
	wantFrom := time.Date(2026, time.March, 2, 0, 0, 0, 0, app.London)
	if r.Status != app.RequestOpen || r.Postcode != pcStanley || !r.Location.Known() ||
		r.Audience[0] != "y9" || !r.From.Equal(wantFrom) || r.OrgName != "School 114110" {
		t.Fatalf("created request %+v: want open, at the school's postcode, Year 9 from %v", r, wantFrom)
	}

	views := []struct {
		name      string
		actor     *app.Actor
		wantNotes bool
	}{
		{"own school sees all", school, true},
		{"coordinator sees all", coord, true},
		{"anonymous sees the public view", nil, false},
		{"employer sees the public view", employer, false},
	}
	for _, tc := range views {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.svc.GetRequest(ctx, tc.actor, r.ID)
			wantCode(t, err, "")
			if (got.Notes != "") != tc.wantNotes || (got.Postcode == pcStanley) != tc.wantNotes {
				t.Fatalf("notes %q, postcode %q: full view = %v", got.Notes, got.Postcode, tc.wantNotes)
			}
		})
	}

	t.Run("other organisations cannot change it", func(t *testing.T) {
		_, err := e.svc.UpdateRequest(ctx, otherSchool, r.ID, validRequest())
		wantCode(t, err, app.ENotFound)
		_, err = e.svc.CloseRequest(ctx, employer, r.ID)
		wantCode(t, err, app.ENotFound)
		_, err = e.svc.CloseRequest(ctx, coord, r.ID)
		wantCode(t, err, app.EForbidden)
		_, err = e.svc.UpdateRequest(ctx, nil, r.ID, validRequest())
		wantCode(t, err, app.EUnauthorized)
	})

	t.Run("update with its own postcode", func(t *testing.T) {
		in := validRequest()
		in.GroupSize, in.Postcode = 45, strings.ToLower(pcConsett)
		got, err := e.svc.UpdateRequest(ctx, school, r.ID, in)
		wantCode(t, err, "")
		if got.GroupSize != 45 || got.Postcode != pcConsett || got.ID != r.ID {
			t.Fatalf("updated request %+v", got)
		}
	})

	t.Run("bad update saves nothing", func(t *testing.T) {
		in := validRequest()
		in.GroupSize, in.TravelKm = 30, 999
		_, err := e.svc.UpdateRequest(ctx, school, r.ID, in)
		wantField(t, err, "travel_km", "")
		got, _ := e.svc.GetRequest(ctx, school, r.ID)
		if got.GroupSize != 45 {
			t.Fatalf("group size %d after a rejected update, want 45", got.GroupSize)
		}
	})

	t.Run("listed open, publicly", func(t *testing.T) {
		list, total, err := e.svc.ListOpenRequests(ctx, 1, 10)
		if err != nil || total != 1 || list[0].Notes != "" || list[0].Postcode != "DH8" {
			t.Fatalf("open requests %+v (%d, %v): want one public view", list, total, err)
		}
		mine, total, err := e.svc.ListMyRequests(ctx, school, 1)
		if err != nil || total != 1 || mine[0].Notes == "" {
			t.Fatalf("my requests %+v (%d, %v): want the full request", mine, total, err)
		}
		theirs, total, err := e.svc.ListMyRequests(ctx, otherSchool, 1)
		if err != nil || total != 0 || len(theirs) != 0 {
			t.Fatalf("another school lists %d requests", total)
		}
	})

	t.Run("close", func(t *testing.T) {
		got, err := e.svc.CloseRequest(ctx, school, r.ID)
		if err != nil || got.Status != app.RequestClosed {
			t.Fatalf("closed request %+v, %v", got, err)
		}
		_, err = e.svc.CloseRequest(ctx, school, r.ID)
		wantCode(t, err, "")
		_, err = e.svc.UpdateRequest(ctx, school, r.ID, validRequest())
		wantCode(t, err, app.EConflict)
	})

	t.Run("closed requests are private", func(t *testing.T) {
		for _, a := range []*app.Actor{nil, employer, otherSchool} {
			_, err := e.svc.GetRequest(ctx, a, r.ID)
			wantCode(t, err, app.ENotFound)
		}
		_, err := e.svc.GetRequest(ctx, coord, r.ID)
		wantCode(t, err, "")
		list, total, _ := e.svc.ListOpenRequests(ctx, 1, 10)
		if total != 0 || len(list) != 0 {
			t.Fatalf("%d open requests after closing", total)
		}
	})

	t.Run("unknown and malformed ids", func(t *testing.T) {
		for _, id := range []string{app.NewID("req"), "", "../x", r.ID + "?"} {
			_, err := e.svc.GetRequest(ctx, school, id)
			wantCode(t, err, app.ENotFound)
		}
	})
}
