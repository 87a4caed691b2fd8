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
			[]string{"Manage this offer", "Published", bowburn + "/edit", `value="paused"`, `value="archived"`,
				"Requests this offer could serve", "Careers talk on robotics", "Durham Johnston Comprehensive",
				"/requests/" + m.request.ID, "Why this is a good match"},
			[]string{`value="published"`}},
		{"own draft", "employer", draft, 200,
			[]string{"Unpublished robotics talk", "Draft", `value="published"`, `value="archived"`}, nil},
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
			[]string{"3 offers", "Unpublished robotics talk", "Meet a robotics engineer", "Draft"},
			[]string{"Visit a steel fabrication shop"}},
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
