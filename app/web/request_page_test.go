package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
)

func TestRequestPages(t *testing.T) {
	m := newMarket(t)
	open, closed := "/requests/"+m.request.ID, "/requests/"+m.closed.ID
	tests := []struct {
		name   string
		as     string
		path   string
		status int
		want   []string
		lacks  []string
	}{
		{"open requests to anyone", "", "/requests", 200,
			[]string{"1 open request", "Careers talk on robotics", "Durham Johnston Comprehensive",
				"30 learners, Year 9", "Mon 16 November 2026 to Fri 26 February 2027", "DH1"},
			[]string{"DH1 3LE", "Workplace visit", "Mrs Example"}},
		{"public view to anyone", "", open, 200,
			[]string{"Careers talk on robotics", "Engineering and manufacturing", "Area", "Up to 30 km"},
			[]string{"DH1 3LE", "Mrs Example", "Best matches", "Change this request"}},
		{"public view and matches to an employer", "employer", open, 200,
			[]string{"Careers talk on robotics", "Best matches", "Meet a robotics engineer",
				"Tue 1 December 2026, 10am to midday", "Why it fits (score"},
			[]string{"Mrs Example", "Change this request"}},
		{"whole request to its school", "school", open, 200,
			[]string{"DH1 3LE", "Mrs Example on 0191 000 0000", "Change this request",
				`href="` + open + `?confirm=close">Close this request</a>`, "Best matches",
				"Meet a robotics engineer"},
			[]string{`action="` + open + `/close"`}},
		{"closing asks first", "school", open + "?confirm=close", 200,
			[]string{"<title>Close this request? - Encounters</title>", "Closing is permanent",
				`action="` + open + `/close"`, "Yes, close this request", `href="` + open + `"`},
			[]string{"Best matches", "Change this request"}},
		{"only its school is asked to close it", "other school", open + "?confirm=close", 200,
			[]string{"Careers talk on robotics"}, []string{"Close this request?", `action="` + open + `/close"`}},
		{"another school sees the public view", "other school", open, 200,
			[]string{"Careers talk on robotics"}, []string{"Mrs Example", "Close this request"}},
		{"closed request to its school", "school", closed, 200,
			[]string{"Workplace visit", "Closed", "This request is closed"},
			[]string{"Close this request", "Change this request", closed + "/edit", "Best matches"}},
		{"a closed request is not offered for closing", "school", closed + "?confirm=close", 200,
			[]string{"This request is closed"}, []string{"Close this request?"}},
		{"edit form of a closed request", "school", closed + "/edit", 409,
			[]string{"That cannot be done now", "This request is closed, so it cannot be changed."},
			[]string{`name="group_size"`}},
		{"closed request to another school", "other school", closed, 404, []string{"Page not found"}, nil},
		{"closed request to anyone", "", closed, 404, nil, nil},
		{"malformed id", "", "/requests/..%2f", 404, nil, nil},
		{"edit form", "school", open + "/edit", 200,
			[]string{"Change your request", `value="careers_talk" selected`, `value="robotics"`,
				`value="2026-11-16"`, `value="2027-02-26"`, `value="y9" checked`, "Mrs Example"}, nil},
		{"edit form of another school", "other school", open + "/edit", 404, nil, []string{"Mrs Example"}},
		{"edit form of an employer", "employer", open + "/edit", 404, nil, nil},
		{"new request form", "school", "/requests/new", 200, []string{"Ask for an encounter", "Publish request"}, nil},
		{"new request form for an employer", "employer", "/requests/new", 403,
			[]string{"Only schools, colleges and adult-learning providers"}, nil},
		{"my requests", "school", "/account/requests", 200,
			[]string{"2 requests", "Careers talk on robotics", "Workplace visit", "Closed"}, nil},
		{"my requests of another school", "other school", "/account/requests", 200,
			[]string{"You have not posted any requests yet", `href="/requests/new"`},
			[]string{"Careers talk on robotics"}},
		{"an employer's requests", "employer", "/account/requests", 200,
			[]string{"Schools, colleges and providers post requests here"},
			[]string{`href="/requests/new"`, "You have not posted any requests yet"}},
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

func TestCloseRequest(t *testing.T) {
	m := newMarket(t)
	path := "/requests/" + m.request.ID + "/close"
	tests := []struct {
		name string
		as   string
		code int
		want string
	}{
		{"another school gets 404", "other school", 404, app.RequestOpen},
		{"an employer gets 404", "employer", 404, app.RequestOpen},
		{"its school closes it", "school", 303, app.RequestClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := m.as(t, m.email(tt.as))
			c.get("/account/requests")
			res := c.postForm(path, url.Values{})
			wantStatus(t, res, tt.code)
			r, err := m.ts.Store.GetRequest(context.Background(), m.request.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != tt.want {
				t.Errorf("status %q, want %q", r.Status, tt.want)
			}
		})
	}
	t.Run("closed requests leave the list", func(t *testing.T) {
		wantContains(t, m.as(t, "").get("/requests"), "There are no open requests")
	})
}

func TestRequestForm(t *testing.T) {
	m := newMarket(t)
	valid := func() url.Values {
		return url.Values{"type": {"workplace_visit"}, "sector": {"health"}, "topic": {"nursing"},
			"audience": {"y12", "y13"}, "group_size": {"20"}, "from": {"2027-01-04"}, "to": {"2027-03-31"},
			"postcode": {""}, "travel_km": {"25"}, "virtual_ok": {"yes"}, "access": {"step_free"},
			"notes": {"Minibus booked"}}
	}
	with := func(k, v string) url.Values {
		f := valid()
		f.Set(k, v)
		return f
	}
	tests := []struct {
		name   string
		as     string
		form   url.Values
		status int
		want   []string
	}{
		{"an employer may not", "employer", valid(), 403, []string{"Only schools"}},
		{"group size not a number", "school", with("group_size", "twenty"), 422,
			[]string{"There is a problem", `href="#group_size"`, `value="twenty"`, `value="nursing"`, "Minibus booked"}},
		{"no group size", "school", with("group_size", ""), 422, []string{`href="#group_size"`}},
		{"negative group size", "school", with("group_size", "-3"), 422,
			[]string{`href="#group_size"`, "Enter how many learners will take part, from 1 to 500."}},
		{"negative travel distance", "school", with("travel_km", "-1"), 422,
			[]string{`href="#travel_km"`, "Enter how far your learners can travel, from 0 to 150 km."}},
		{"dates the wrong way round", "school", with("to", "2027-01-01"), 422,
			[]string{`href="#to"`, "The last day must be the same as or after the first day"}},
		{"impossible date", "school", with("from", "2027-02-30"), 422, []string{`href="#from"`}},
		{"unknown postcode", "school", with("postcode", "ZZ99 9ZZ"), 422, []string{`href="#postcode"`}},
		{"no type", "school", with("type", ""), 422, []string{`href="#type"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := m.as(t, m.email(tt.as))
			c.get("/offers")
			c.get("/account/requests")
			res := c.postForm("/requests/new", tt.form)
			wantStatus(t, res, tt.status)
			wantContains(t, res, tt.want...)
			if n := m.requestCount(t); n != 2 {
				t.Errorf("school has %d requests, want 2: nothing may be saved", n)
			}
		})
	}

	t.Run("published", func(t *testing.T) {
		c := m.as(t, m.schoolEmail)
		c.get("/requests/new")
		res := c.postForm("/requests/new", valid())
		wantStatus(t, res, http.StatusSeeOther)
		page := c.get(res.Header.Get("Location"))
		wantContains(t, page, "Your request is published", "Workplace visit on nursing", "20 learners",
			"Years 12 and 13", "Mon 4 January 2027 to Wed 31 March 2027", "DH1 3LE", "Minibus booked",
			"A virtual encounter would suit")
	})
	t.Run("changed", func(t *testing.T) {
		c := m.as(t, m.schoolEmail)
		path := "/requests/" + m.request.ID + "/edit"
		c.get(path)
		res := c.postForm(path, with("group_size", "45"))
		wantRedirect(t, res, "/requests/"+m.request.ID)
		r, err := m.ts.Store.GetRequest(context.Background(), m.request.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.GroupSize != 45 || r.Type != app.TypeWorkplaceVisit || !strings.EqualFold(r.Topic, "nursing") {
			t.Errorf("stored %+v", r)
		}
	})
	t.Run("a closed request cannot be changed", func(t *testing.T) {
		c := m.as(t, m.schoolEmail)
		c.get("/requests/new")
		res := c.postForm("/requests/"+m.closed.ID+"/edit", with("group_size", "99"))
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res, "This request is closed, so it cannot be changed.")
		if r := m.storedRequest(t, m.closed.ID); r.GroupSize == 99 {
			t.Error("the closed request changed")
		}
	})
	t.Run("another school cannot change it", func(t *testing.T) {
		c := m.as(t, m.otherSchoolEmail)
		c.get("/requests/new")
		res := c.postForm("/requests/"+m.request.ID+"/edit", with("group_size", "99"))
		wantStatus(t, res, http.StatusNotFound)
		r, err := m.ts.Store.GetRequest(context.Background(), m.request.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.GroupSize == 99 {
			t.Error("another school changed the request")
		}
	})
}

func (m *market) requestCount(t *testing.T) int {
	t.Helper()
	_, total, err := m.ts.Svc.ListMyRequests(context.Background(), m.schoolActor, 1)
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func (m *market) storedRequest(t *testing.T, id string) *app.Request {
	t.Helper()
	r, err := m.ts.Store.GetRequest(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRequestPageGroupsSessions checks that an offer with two sessions
// that suit the request is listed once, with both dates.
func TestRequestPageGroupsSessions(t *testing.T) {
	m := newMarket(t)
	res := m.as(t, m.schoolEmail).get("/requests/" + m.request.ID)
	wantStatus(t, res, http.StatusOK)

	matches := res.Body[strings.Index(res.Body, "Best matches"):]
	if n := strings.Count(matches, `href="/offers/`+m.bowburn.ID+`"`); n != 1 {
		t.Errorf("the offer is listed %d times among the matches, want once", n)
	}
	wantOrder(t, res, "Best matches", "Meet a robotics engineer", "2 dates fit:",
		"Tue 1 December 2026, 10am to midday: 60 places left",
		"Tue 19 January 2027, 10am to midday: 40 places left", "Why it fits (score")
}
