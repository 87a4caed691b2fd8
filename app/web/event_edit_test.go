package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// validEventForm is a valid event form a month away with two items, changed by
// the scenario.
func validEventForm(change func(url.Values)) url.Values {
	day := time.Now().In(app.London).AddDate(0, 1, 0).Format("2006-01-02")
	f := url.Values{
		"title": {"Stanley careers evening"}, "description": {"Local employers meet families."},
		"date": {day}, "start_time": {"17:00"}, "end_time": {"19:30"},
		"venue": {"Durham Town Hall"}, "postcode": {"DH1 3NJ"}, "goal": {"£1,000.10"},
		"min_amount": {"5"}, "max_amount": {"250"},
		"items[0].kind": {app.FundVenue}, "items[0].label": {"Hall hire"}, "items[0].goal": {"400"},
		"items[1].kind": {app.FundCoaches}, "items[1].label": {"Coach from Tanfield"}, "items[1].goal": {"19.99"},
		"items[2].kind": {""}, "items[2].label": {""}, "items[2].goal": {""},
		"items[3].kind": {""}, "items[3].label": {""}, "items[3].goal": {""},
	}
	if change != nil {
		change(f)
	}
	return f
}

func TestEventFormRefusals(t *testing.T) {
	ts := newTestServer(t)
	school := ts.memberClient(t, "org-school", app.KindSchool)

	cases := []struct {
		name   string
		change func(url.Values)
		field  string
		want   string
	}{
		{"goal not a number", func(f url.Values) { f.Set("goal", "lots") }, "goal",
			"must be an amount in pounds"},
		{"goal in fractions of a penny", func(f url.Values) { f.Set("goal", "10.001") }, "goal",
			"whole pence"},
		{"largest below smallest", func(f url.Values) { f.Set("max_amount", "4") }, "max_amount",
			"must not be less than"},
		{"item without a label", func(f url.Values) { f.Set("items[1].label", "") }, "items[1].label",
			"Enter what item 2 is"},
		{"date in the past", func(f url.Values) { f.Set("date", "2020-01-01") }, "date",
			"starts in the past"},
		{"more than 20 items", func(f url.Values) {
			for i := range 200 {
				f.Set(fmt.Sprintf("items[%d].kind", i), app.FundOther)
				f.Set(fmt.Sprintf("items[%d].label", i), fmt.Sprintf("Item %d", i))
				f.Set(fmt.Sprintf("items[%d].goal", i), "1")
			}
			f.Set("goal", "1000")
		}, "items", "An event can have at most 20 items."},
		{"an absurd item index", func(f url.Values) {
			f.Set("items[99999999].kind", app.FundVenue)
			f.Set("items[99999999].label", "Hall")
			f.Set("items[99999999].goal", "5")
		}, "items", "An event can have at most 20 items."},
		{"an item index that is no number", func(f url.Values) { f.Set("items[x].label", "Hall") }, "items",
			"An event can have at most 20 items."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			school.get("/events/new")
			res := school.postForm("/events/new", validEventForm(tc.change))
			wantStatus(t, res, http.StatusUnprocessableEntity)
			// Templates escape brackets in links; browsers decode them to
			// find the field.
			href := strings.NewReplacer("[", "%5b", "]", "%5d").Replace(tc.field)
			wantContains(t, res, tc.want, `href="#`+href+`"`, `id="`+tc.field+`-error"`,
				`value="Stanley careers evening"`)
			if _, total, _ := ts.Store.ListEvents(t.Context(), "org-school", 0, 10); total != 0 {
				t.Errorf("%d events saved after a refused form, want 0", total)
			}
		})
	}
}

func TestEventOrganiser(t *testing.T) {
	ts := newTestServer(t)
	school := ts.memberClient(t, "org-school", app.KindSchool)
	other := ts.memberClient(t, "org-other", app.KindCollege)
	employer := ts.memberClient(t, "org-employer", app.KindEmployer)

	t.Run("who may organise", func(t *testing.T) {
		wantStatus(t, ts.client(t).get("/events/new"), http.StatusSeeOther)
		wantStatus(t, employer.get("/events/new"), http.StatusForbidden)
		wantStatus(t, school.get("/events/new"), http.StatusOK)
	})

	school.get("/events/new")
	res := school.postForm("/events/new", validEventForm(nil))
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/events/") {
		t.Fatalf("create: %d to %q\n%.1500s", res.StatusCode, loc, res.Body)
	}
	id := strings.TrimPrefix(loc, "/events/")
	e := ts.storedEvent(t, id)
	if e.GoalPence != 1_000_10 || len(e.Items) != 2 || e.Items[1].GoalPence != 19_99 || e.OrgID != "org-school" {
		t.Fatalf("stored event %+v, want a £1,000.10 goal and two items", e)
	}

	t.Run("listed on the account page", func(t *testing.T) {
		wantContains(t, school.get("/account/events"), "Stanley careers evening", "£1,000.10")
	})
	t.Run("another organisation cannot change it", func(t *testing.T) {
		wantStatus(t, other.get("/events/"+id+"/edit"), http.StatusNotFound)
		other.get("/events")
		wantStatus(t, other.postForm("/events/"+id+"/status", url.Values{"status": {"closed"}}),
			http.StatusForbidden)
	})
	t.Run("the edit form keeps the items", func(t *testing.T) {
		res := school.get("/events/" + id + "/edit")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, `value="1000.10"`, `value="Coach from Tanfield"`, `value="`+e.Items[0].ID+`"`)
	})
	t.Run("changes are saved with item ids kept", func(t *testing.T) {
		form := validEventForm(func(f url.Values) {
			f.Set("title", "Stanley careers evening 2")
			f.Set("items[0].id", e.Items[0].ID)
			f.Set("items[1].id", e.Items[1].ID)
		})
		wantRedirect(t, school.postForm("/events/"+id+"/edit", form), "/events/"+id)
		got := ts.storedEvent(t, id)
		if got.Title != "Stanley careers evening 2" || got.Items[0].ID != e.Items[0].ID {
			t.Errorf("after the change: %q with items %+v", got.Title, got.Items)
		}
	})
	t.Run("closed and opened again", func(t *testing.T) {
		wantRedirect(t, school.postForm("/events/"+id+"/status", url.Values{"status": {"closed"}}), "/events/"+id)
		wantContains(t, school.get("/events/"+id), "This event is closed", "Open to sponsorship")
		wantRedirect(t, school.postForm("/events/"+id+"/status", url.Values{"status": {"open"}}), "/events/"+id)
		if got := ts.storedEvent(t, id); got.Status != app.EventOpen {
			t.Errorf("status %s, want open", got.Status)
		}
	})
}
