package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/encounters/encounters/app"
)

func TestOfferPages(t *testing.T) {
	m := newMarket(t)
	bowburn, draft := "/offers/"+m.bowburn.ID, "/offers/"+m.draft.ID
	tests := []struct {
		name   string
		as     string
		path   string
		status int
		want   []string
		lacks  []string
	}{
		{"public offer to anyone", "", bowburn, 200,
			[]string{"Meet a robotics engineer", "Kromek Demo Ltd", "Demo listing", "Engineering and manufacturing",
				"Years 9 to 11", "DH6 5AA", "Visitors are DBS checked.", "Upcoming sessions",
				"Tue 1 December 2026, 10am to midday", "60 places left"},
			[]string{"Manage this offer", "Requests this offer could serve"}},
		{"public offer to another employer", "rival", bowburn, 200,
			[]string{"Meet a robotics engineer"}, []string{"Manage this offer", "/edit"}},
		{"own offer with matches", "employer", bowburn, 200,
			[]string{"Manage this offer", "Published", bowburn + "/edit", `value="paused"`,
				`href="` + bowburn + `?confirm=archive"`,
				"Requests this offer could serve", "Careers talk on robotics", "Durham Johnston Comprehensive",
				"/requests/" + m.request.ID, "Why it fits (score"},
			[]string{`value="published"`, `value="archived"`, "Sign in to book", `name="idempotency_key"`}},
		{"own draft", "employer", draft, 200,
			[]string{"Unpublished robotics talk", "Draft", `value="published"`, `href="` + draft + `?confirm=archive"`},
			[]string{`value="archived"`}},
		{"archive asks first", "employer", draft + "?confirm=archive", 200,
			[]string{"<title>Archive this offer? - Encounters</title>", "Archiving is permanent",
				`action="` + draft + `/status"`, `value="archived"`, "Yes, archive this offer", `href="` + draft + `"`},
			[]string{"pause it instead", "Manage this offer"}},
		{"archiving a published offer suggests pausing", "employer", bowburn + "?confirm=archive", 200,
			[]string{"Archive this offer?", "pause it instead"}, nil},
		{"only the employer is asked to archive", "rival", bowburn + "?confirm=archive", 200,
			[]string{"Meet a robotics engineer"}, []string{"Archive this offer?", `value="archived"`}},
		{"a school is told how to take part", "school", bowburn, 200,
			[]string{"Book places", `name="idempotency_key"`, `href="/requests/new">Post a request</a>`},
			[]string{"Manage this offer", "open to book"}},
		{"anyone is told how to take part", "", bowburn, 200,
			[]string{"Sign in to book", `href="/sign-in?next=%2Foffers%2F` + m.bowburn.ID + `"`}, nil},
		{"another employer is not told to post a request", "rival", bowburn, 200,
			nil, []string{"Sign in to book", `name="idempotency_key"`}},
		{"draft to anyone", "", draft, 404, []string{"Page not found"}, []string{"Unpublished robotics talk"}},
		{"draft to another employer", "rival", draft, 404, []string{"Page not found"}, nil},
		{"draft to a school", "school", draft, 404, nil, nil},
		{"no such offer", "", "/offers/off_00000000000000000000", 404, nil, nil},
		{"malformed id", "", "/offers/%24ne", 404, nil, nil},
		{"edit form", "employer", draft + "/edit", 200,
			[]string{"Change your offer", `value="Unpublished robotics talk"`, `name="sessions[0].id"`,
				`name="sessions[1].date" type="date" value="2027-01-19"`, `value="10:00"`,
				`value="engineering" selected`, `value="y9" checked`, `name="sessions[4].date"`}, nil},
		{"edit form of another employer", "rival", draft + "/edit", 404, nil, nil},
		{"edit form of a public offer of another employer", "rival", bowburn + "/edit", 404, nil, nil},
		{"new offer form", "employer", "/offers/new", 200,
			[]string{"List an offer", `name="sessions[0].date"`, `name="sessions[4].places"`, "Save as draft"}, nil},
		{"new offer form for a school", "school", "/offers/new", 403, []string{"Only employers"}, nil},
		{"my offers", "employer", "/account/offers", 200,
			[]string{"3 offers", "Unpublished robotics talk", "Meet a robotics engineer", "Draft",
				`href="/offers/new"`},
			[]string{"Visit a steel fabrication shop"}},
		{"a school's offers", "school", "/account/offers", 200,
			[]string{"Employers list offers here", `href="/requests/new"`},
			[]string{`href="/offers/new"`, "List an offer"}},
		{"my offers of the rival", "rival", "/account/offers", 200,
			[]string{"1 offer", "Visit a steel fabrication shop"}, []string{"Unpublished robotics talk"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := m.as(t, m.email(tt.as)).get(tt.path)
			wantStatus(t, res, tt.status)
			wantContains(t, res, tt.want...)
			wantLacks(t, res, tt.lacks...)
		})
	}
}

// email is the sign-in of a fixture member: "employer", "rival",
// "school", "other school", or "" for anonymous.
func (m *market) email(who string) string {
	return map[string]string{"employer": m.employerEmail, "rival": m.rivalEmail,
		"school": m.schoolEmail, "other school": m.otherSchoolEmail}[who]
}

func TestOfferStatus(t *testing.T) {
	m := newMarket(t)
	draft := "/offers/" + m.draft.ID
	tests := []struct {
		name       string
		as         string
		status     string
		code       int
		wantStored string
	}{
		{"another employer cannot publish", "rival", app.OfferPublished, 404, app.OfferDraft},
		{"a school cannot publish", "school", app.OfferPublished, 404, app.OfferDraft},
		{"unknown status", "employer", "deleted", 422, app.OfferDraft},
		{"publish", "employer", app.OfferPublished, 303, app.OfferPublished},
		{"pause", "employer", app.OfferPaused, 303, app.OfferPaused},
		{"archive", "employer", app.OfferArchived, 303, app.OfferArchived},
		{"archived stays archived", "employer", app.OfferPublished, 409, app.OfferArchived},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := m.as(t, m.email(tt.as))
			res := c.postForm(draft+"/status", url.Values{"status": {tt.status}})
			wantStatus(t, res, tt.code)
			if tt.code == http.StatusSeeOther {
				wantRedirect(t, res, draft)
				wantContains(t, c.get(draft), offerStatusMessages[tt.status])
			}
			o, err := m.ts.Store.GetOffer(context.Background(), m.draft.ID)
			if err != nil {
				t.Fatal(err)
			}
			if o.Status != tt.wantStored {
				t.Errorf("stored status %q, want %q", o.Status, tt.wantStored)
			}
		})
	}
}

// TestArchivedOffer checks that an archived offer, which can never change
// again, offers its employer no way to change it.
func TestArchivedOffer(t *testing.T) {
	m := newMarket(t)
	if _, err := m.ts.Svc.SetOfferStatus(context.Background(), m.employerActor, m.draft.ID,
		app.OfferArchived); err != nil {
		t.Fatal(err)
	}
	path := "/offers/" + m.draft.ID
	c := m.as(t, m.employerEmail)

	t.Run("page", func(t *testing.T) {
		res := c.get(path)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "Archived", "This offer is archived")
		wantLacks(t, res, "Manage this offer", path+"/edit", `action="`+path+`/status"`,
			"Requests this offer could serve", "confirm=archive")
	})
	t.Run("confirming again shows the page", func(t *testing.T) {
		res := c.get(path + "?confirm=archive")
		wantStatus(t, res, http.StatusOK)
		wantLacks(t, res, "Archive this offer?")
	})
	t.Run("edit form", func(t *testing.T) {
		res := c.get(path + "/edit")
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res, "That cannot be done now", "This offer is archived, so it cannot be changed.")
		wantLacks(t, res, `name="sessions[0].date"`)
	})
	t.Run("saving the edit form", func(t *testing.T) {
		form := offerFormValues()
		res := c.postForm(path+"/edit", form)
		wantStatus(t, res, http.StatusConflict)
		if o := m.storedOffer(t, m.draft.ID); o.Title != m.draft.Title {
			t.Errorf("title changed to %q", o.Title)
		}
	})
}
