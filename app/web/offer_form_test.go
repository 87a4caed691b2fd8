package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// offerFormValues is a complete, valid offer form with two sessions in
// rows 0 and 2 (row 1 left empty).
func offerFormValues() url.Values {
	return url.Values{
		"title": {"Build a bridge with us"}, "description": {"Design and test a model bridge."},
		"type": {"workplace_visit"}, "sector": {"construction"}, "audience": {"y9", "y10"},
		"delivery": {"in_person"}, "postcode": {"dh6 5aa"}, "access": {"step_free", "quiet_space"},
		"safeguarding":     {"Two supervisors with enhanced checks."},
		"sessions[0].date": {"2027-02-10"}, "sessions[0].start": {"9:30"},
		"sessions[0].end": {"12.00"}, "sessions[0].places": {"25"},
		"sessions[1].date": {""}, "sessions[1].start": {""}, "sessions[1].end": {""}, "sessions[1].places": {""},
		"sessions[2].date": {"2027-03-10"}, "sessions[2].start": {"13:00"},
		"sessions[2].end": {"15:00"}, "sessions[2].places": {"20"},
	}
}

func TestCreateOffer(t *testing.T) {
	m := newMarket(t)
	with := func(changes map[string]string) url.Values {
		v := offerFormValues()
		for k, s := range changes {
			v.Set(k, s)
		}
		return v
	}
	tests := []struct {
		name   string
		as     string
		form   url.Values
		status int
		want   []string
	}{
		{"a school may not", "school", offerFormValues(), 403, []string{"Only employers"}},
		{"no title", "employer", with(map[string]string{"title": ""}), 422,
			[]string{"There is a problem", `href="#title"`, "Enter a title", "Design and test a model bridge."}},
		{"bad session row", "employer", with(map[string]string{"sessions[2].start": "25:00", "sessions[2].places": "lots"}), 422,
			[]string{`href="#sessions%5b1%5d.start"`, "Enter the start time of session 2", `href="#sessions%5b1%5d.places"`,
				`value="Build a bridge with us"`, `value="y10" checked`, `value="25:00"`}},
		{"session in the past", "employer", with(map[string]string{"sessions[0].date": "2026-10-01"}), 422,
			[]string{`href="#sessions%5b0%5d.start"`, "Session 1 starts in the past"}},
		{"session ends before it starts", "employer", with(map[string]string{"sessions[0].end": "08:00"}), 422,
			[]string{`href="#sessions%5b0%5d.end"`, "Session 1 must end after it starts"}},
		{"unknown postcode", "employer", with(map[string]string{"postcode": "ZZ99 9ZZ"}), 422,
			[]string{`href="#postcode"`}},
		{"travel distance not a number", "employer", with(map[string]string{"at_school": "yes", "at_school_km": "far"}), 422,
			[]string{`href="#at_school_km"`, "whole number of kilometres"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := m.as(t, m.email(tt.as))
			c.get("/offers/new")
			res := c.postForm("/offers/new", tt.form)
			wantStatus(t, res, tt.status)
			wantContains(t, res, tt.want...)
			if n := m.offerCount(t, m.employerActor); n != 3 {
				t.Errorf("employer has %d offers, want 3: nothing may be saved", n)
			}
		})
	}

	t.Run("saved as a draft", func(t *testing.T) {
		c := m.as(t, m.employerEmail)
		c.get("/offers/new")
		res := c.postForm("/offers/new", offerFormValues())
		wantStatus(t, res, http.StatusSeeOther)
		path := res.Header.Get("Location")
		page := c.get(path)
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, "Your offer is saved as a draft", "Build a bridge with us", "Draft",
			"Wed 10 February 2027, 9:30am to midday", "Wed 10 March 2027, 1pm to 3pm",
			"Step-free access, Quiet space", "DH6 5AA")

		o, err := m.ts.Store.GetOffer(context.Background(), strings.TrimPrefix(path, "/offers/"))
		if err != nil {
			t.Fatal(err)
		}
		want := time.Date(2027, time.February, 10, 9, 30, 0, 0, app.London)
		if len(o.Sessions) != 2 || !o.Sessions[0].Start.Equal(want) || o.Sessions[1].Places != 20 {
			t.Errorf("sessions %+v", o.Sessions)
		}
	})
}

// TestOfferFormNumbers checks that a number out of range is told its
// range, and only a number that is not one is asked for a whole number.
func TestOfferFormNumbers(t *testing.T) {
	m := newMarket(t)
	tests := []struct {
		name    string
		changes map[string]string
		want    []string
	}{
		{"no places", map[string]string{"sessions[2].places": "0"},
			[]string{`href="#sessions%5b1%5d.places"`, "Session 2 must have from 1 to 500 places."}},
		{"negative places", map[string]string{"sessions[0].places": "-5"},
			[]string{`href="#sessions%5b0%5d.places"`, "Session 1 must have from 1 to 500 places."}},
		{"too many places", map[string]string{"sessions[0].places": "501"},
			[]string{`href="#sessions%5b0%5d.places"`, "Session 1 must have from 1 to 500 places."}},
		{"negative travel distance", map[string]string{"at_school": "yes", "at_school_km": "-3"},
			[]string{`href="#at_school_km"`, "Enter how far you will travel to schools, from 1 to 100 km."}},
		{"no travel distance", map[string]string{"at_school": "yes", "at_school_km": "0"},
			[]string{`href="#at_school_km"`, "from 1 to 100 km"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := offerFormValues()
			for k, v := range tt.changes {
				form.Set(k, v)
			}
			c := m.as(t, m.employerEmail)
			c.get("/offers/new")
			res := c.postForm("/offers/new", form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res, tt.want...)
			wantLacks(t, res, "whole number")
			if n := m.offerCount(t, m.employerActor); n != 3 {
				t.Errorf("employer has %d offers, want 3: nothing may be saved", n)
			}
		})
	}
}

func TestEditOffer(t *testing.T) {
	m := newMarket(t)
	path := "/offers/" + m.bowburn.ID + "/edit"
	keep := m.bowburn.Sessions[1]
	form := url.Values{
		"title": {"Meet two robotics engineers"}, "description": {"Now with two engineers."},
		"type": {"careers_talk"}, "sector": {"engineering"}, "audience": {"y9", "y10", "y11"},
		"delivery": {"in_person"}, "postcode": {"DH6 5AA"},
		// The first session is emptied (removed); the second keeps its id
		// and gains places; a new one is added.
		"sessions[0].id": {m.bowburn.Sessions[0].ID}, "sessions[0].date": {""}, "sessions[0].start": {""},
		"sessions[0].end": {""}, "sessions[0].places": {""},
		"sessions[1].id": {keep.ID}, "sessions[1].date": {"2027-01-19"}, "sessions[1].start": {"10:00"},
		"sessions[1].end": {"12:00"}, "sessions[1].places": {"45"},
		"sessions[2].date": {"2027-02-02"}, "sessions[2].start": {"10:00"}, "sessions[2].end": {"11:00"},
		"sessions[2].places": {"30"},
	}

	t.Run("another employer gets 404", func(t *testing.T) {
		c := m.as(t, m.rivalEmail)
		c.get("/offers/new")
		wantStatus(t, c.postForm(path, cloneValues(form)), http.StatusNotFound)
		if o := m.storedOffer(t, m.bowburn.ID); o.Title != m.bowburn.Title {
			t.Errorf("title changed to %q", o.Title)
		}
	})
	t.Run("bad input keeps the offer", func(t *testing.T) {
		c := m.as(t, m.employerEmail)
		c.get(path)
		bad := cloneValues(form)
		bad.Set("sessions[1].id", "ses_not_of_this_offer")
		res := c.postForm(path, bad)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `href="#sessions%5b0%5d.id"`, "is not one of this offer&#39;s sessions")
		if o := m.storedOffer(t, m.bowburn.ID); o.Title != m.bowburn.Title {
			t.Errorf("title changed to %q", o.Title)
		}
	})
	t.Run("saved, keeping session ids", func(t *testing.T) {
		c := m.as(t, m.employerEmail)
		c.get(path)
		res := c.postForm(path, cloneValues(form))
		wantRedirect(t, res, "/offers/"+m.bowburn.ID)
		wantContains(t, c.get("/offers/"+m.bowburn.ID), "Your changes are saved", "Meet two robotics engineers")

		o := m.storedOffer(t, m.bowburn.ID)
		if len(o.Sessions) != 2 || o.Sessions[0].ID != keep.ID || o.Sessions[0].Places != 45 {
			t.Fatalf("sessions %+v, want %s first with 45 places", o.Sessions, keep.ID)
		}
		if o.Sessions[1].ID == "" || o.Sessions[1].ID == m.bowburn.Sessions[0].ID {
			t.Errorf("new session id %q", o.Sessions[1].ID)
		}
	})
}

func (m *market) offerCount(t *testing.T, a *app.Actor) int {
	t.Helper()
	_, total, err := m.ts.Svc.ListMyOffers(context.Background(), a, 1)
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func (m *market) storedOffer(t *testing.T, id string) *app.Offer {
	t.Helper()
	o, err := m.ts.Store.GetOffer(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
