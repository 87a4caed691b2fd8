package web

import (
	"net/http"
	"strings"
	"testing"
)

// apiBookingBody is the part of a booking the API tests read.
type apiBookingBody struct {
	ID         string `json:"id"`
	State      string `json:"state"`
	Places     int    `json:"places"`
	YearGroups []int  `json:"year_groups"`
	Moves      []string
	Items      []struct {
		Key  string `json:"key"`
		Done bool   `json:"done"`
	} `json:"checklist_items"`
}

// sessionBody is GET /api/v1/sessions/:id.
type sessionBody struct {
	ID         string `json:"id"`
	OfferID    string `json:"offer_id"`
	Places     int    `json:"places"`
	PlacesLeft int    `json:"places_left"`
}

// postKeyed posts JSON with an Idempotency-Key header.
func (c *client) postKeyed(path, key, body string) *response {
	c.t.Helper()
	c.header.Set("Idempotency-Key", key)
	defer c.header.Del("Idempotency-Key")
	return c.postJSON(path, body)
}

func TestAPIBookingFlow(t *testing.T) {
	m := newBookingMarket(t)
	sid := m.bowburn.Sessions[0].ID
	school, other := m.apiClient(t, m.schoolEmail), m.apiClient(t, m.otherSchoolEmail)
	employer, rival := m.apiClient(t, m.employerEmail), m.apiClient(t, m.rivalEmail)
	bookings := "/api/v1/sessions/" + sid + "/bookings"
	body := `{"places": 30, "year_groups": [9, 10], "group": "pupils", "details": "Mixed ability."}`

	var ses sessionBody
	decodeJSON(t, m.apiClient(t, "").get("/api/v1/sessions/"+sid), &ses)
	if ses.ID != sid || ses.OfferID != m.bowburn.ID || ses.Places != 60 || ses.PlacesLeft != 60 {
		t.Fatalf("session %+v, want 60 of 60 places left", ses)
	}

	res := school.postKeyed(bookings, "retry-1", body)
	wantStatus(t, res, http.StatusCreated)
	var b apiBookingBody
	decodeJSON(t, res, &b)
	if b.ID == "" || b.State != "requested" || b.Places != 30 || len(b.YearGroups) != 2 {
		t.Fatalf("booking %+v, want 30 places requested", b)
	}
	if res.Header.Get("Location") != "/api/v1/bookings/"+b.ID {
		t.Errorf("Location %q", res.Header.Get("Location"))
	}
	var again apiBookingBody
	res = school.postKeyed(bookings, "retry-1", body)
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusCreated {
		t.Fatalf("retry: status %d\n%s", res.StatusCode, res.Body)
	}
	if decodeJSON(t, res, &again); again.ID != b.ID {
		t.Fatalf("retry made booking %s, want %s again", again.ID, b.ID)
	}
	decodeJSON(t, m.apiClient(t, "").get("/api/v1/sessions/"+sid), &ses)
	if ses.PlacesLeft != 30 {
		t.Fatalf("places left %d, want 30", ses.PlacesLeft)
	}

	wantAPIError(t, other.postJSON(bookings, `{"places": 40, "year_groups": [9]}`),
		http.StatusConflict, "", "Only 30 places are left on this session; you asked for 40.")
	res = other.postJSON(bookings, `{"places": 40, "year_groups": [9], "waitlist": true}`)
	wantStatus(t, res, http.StatusAccepted)
	var entry struct{ ID, State string }
	if decodeJSON(t, res, &entry); entry.ID == "" || entry.State != "waiting" {
		t.Fatalf("waitlist entry %+v, want waiting", entry)
	}

	path := "/api/v1/bookings/" + b.ID
	steps := []struct {
		name   string
		c      *client
		move   string
		body   string
		status int
		state  string
		field  string
	}{
		{"the school cannot confirm", school, "confirm", "", 403, "", ""},
		{"another employer cannot see it", rival, "confirm", "", 404, "", ""},
		{"another school cannot see it", other, "cancel", `{"reason": "x"}`, 404, "", ""},
		{"confirm needs the assurance", employer, "confirm", "", 409, "", ""},
		{"the school cannot give assurance", school, "checklist", `{"assurance": true}`, 422, "", ""},
		{"assurance", employer, "checklist", `{"assurance": true}`, 200, "requested", ""},
		{"confirm", employer, "confirm", "", 200, "confirmed", ""},
		{"confirm twice", employer, "confirm", `{}`, 409, "", ""},
		{"cancel needs a reason", school, "cancel", `{}`, 422, "", "reason"},
		{"attendance before the session", school, "attendance",
			`{"attendance": [{"audience": "y9", "count": 28}]}`, 409, "", ""},
		{"cancel", school, "cancel", `{"reason": "The coach fell through."}`, 200, "cancelled", ""},
		{"decline a cancelled booking", employer, "decline", `{"reason": "Too late."}`, 409, "", ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			var res *response
			if st.body == "" {
				res = st.c.send(http.MethodPost, path+"/"+st.move, "", "")
			} else {
				res = st.c.postJSON(path+"/"+st.move, st.body)
			}
			if st.status != http.StatusOK {
				wantAPIError(t, res, st.status, st.field, "")
				return
			}
			wantStatus(t, res, st.status)
			var got apiBookingBody
			if decodeJSON(t, res, &got); got.State != st.state {
				t.Fatalf("state %q, want %q", got.State, st.state)
			}
		})
	}

	var list struct {
		Total   int              `json:"total"`
		Results []apiBookingBody `json:"results"`
	}
	decodeJSON(t, employer.get("/api/v1/bookings"), &list)
	if list.Total != 1 || len(list.Results) != 1 || list.Results[0].ID != b.ID {
		t.Fatalf("employer's bookings %+v, want the one booking", list)
	}
	decodeJSON(t, other.get("/api/v1/bookings?show=active"), &list)
	if list.Total != 0 {
		t.Fatalf("the other school has %d bookings, want none", list.Total)
	}
	wantStatus(t, rival.get(path), http.StatusNotFound)
	wantStatus(t, school.get(path), http.StatusOK)
}

// TestBookingHandlersRefuseBadInput sends every booking handler input it
// cannot use: each answers 4xx with a message, never 500, and nothing is
// stored.
func TestBookingHandlersRefuseBadInput(t *testing.T) {
	m := newBookingMarket(t)
	sid := m.bowburn.Sessions[0].ID
	b := m.mustBook(t, m.schoolActor, sid, 10, 9)
	bookings := "/api/v1/sessions/" + sid + "/bookings"
	booking := "/api/v1/bookings/" + b.ID
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		status      int
		field       string
	}{
		{"bad JSON", "POST", bookings, "application/json", `{"places": `, 400, ""},
		{"not JSON", "POST", bookings, "text/plain", `places=3`, 415, ""},
		{"an unknown field", "POST", bookings, "application/json", `{"places": 3, "pupils": 3}`, 400, "pupils"},
		{"places as text", "POST", bookings, "application/json", `{"places": "thirty"}`, 400, "places"},
		{"negative places", "POST", bookings, "application/json", `{"places": -3, "year_groups": [9]}`, 422, "places"},
		{"no places", "POST", bookings, "application/json", `{"year_groups": [9]}`, 422, "places"},
		{"year groups as text", "POST", bookings, "application/json", `{"places": 3, "year_groups": "9"}`, 400, "year_groups"},
		{"a year of no school", "POST", bookings, "application/json", `{"places": 3, "year_groups": [14]}`, 422, "year_groups"},
		{"teachers on an offer for pupils", "POST", bookings, "application/json", `{"places": 3, "group": "teachers"}`, 422, "group"},
		{"two objects", "POST", bookings, "application/json", `{"places": 3} {}`, 400, ""},
		{"an unknown session", "POST", "/api/v1/sessions/ses_00000000000000000000/bookings",
			"application/json", `{"places": 3, "year_groups": [9]}`, 404, ""},
		{"a malformed session", "POST", "/api/v1/sessions/%24ne/bookings", "application/json", `{"places": 3}`, 404, ""},
		{"read an unknown session", "GET", "/api/v1/sessions/ses_00000000000000000000", "", "", 404, ""},
		{"an unknown booking", "POST", "/api/v1/bookings/bkg_00000000000000000000/cancel",
			"application/json", `{"reason": "x"}`, 404, ""},
		{"a move with bad JSON", "POST", booking + "/cancel", "application/json", `{"reason": 3}`, 400, "reason"},
		{"attendance as text", "POST", booking + "/attendance", "application/json",
			`{"attendance": [{"audience": "y9", "count": "lots"}]}`, 400, ""},
		{"a checklist date that is not a date", "POST", booking + "/checklist", "application/json",
			`{"risk_assessment_on": "soon"}`, 422, ""},
		{"a bad list filter", "GET", "/api/v1/bookings?show=everything", "", "", 400, "show"},
		{"too many per page", "GET", "/api/v1/bookings?per_page=1000", "", "", 400, "per_page"},
		{"a page that is not a number", "GET", "/api/v1/bookings?page=two", "", "", 400, "page"},
		{"take an unknown hold", "POST", "/api/v1/waitlist/wl_00000000000000000000/take", "", "", 404, ""},
		{"leave an unknown waitlist", "POST", "/api/v1/waitlist/wl_00000000000000000000/leave", "", "", 404, ""},
	}
	c := m.apiClient(t, m.schoolEmail)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.send(tt.method, tt.path, tt.contentType, tt.body)
			wantAPIError(t, res, tt.status, tt.field, "")
		})
	}
	if n := m.orgBookings(t, m.school.ID); n != 1 {
		t.Fatalf("the school has %d bookings after bad input, want 1", n)
	}

	t.Run("an over-long Idempotency-Key", func(t *testing.T) {
		res := c.postKeyed(bookings, strings.Repeat("k", 201), `{"places": 3, "year_groups": [9]}`)
		wantAPIError(t, res, http.StatusBadRequest, "Idempotency-Key", "")
	})
	t.Run("anonymous", func(t *testing.T) {
		wantStatus(t, m.apiClient(t, "").postJSON(bookings, `{"places": 3}`), http.StatusUnauthorized)
	})
}

func TestBookingPagesRefuseBadInput(t *testing.T) {
	m := newBookingMarket(t)
	b := m.mustBook(t, m.schoolActor, m.bowburn.Sessions[0].ID, 10, 9)
	page := "/bookings/" + b.ID
	tests := []struct {
		name   string
		path   string
		form   string
		status int
	}{
		{"an unknown move", page + "/move", "move=approve", 422},
		{"no move", page + "/move", "", 422},
		{"attendance that is not a number", page + "/move", "move=attendance&attendance_y9=lots", 422},
		{"negative attendance", page + "/move", "move=attendance&attendance_y9=-1", 422},
		{"a consent count that is not a number", page + "/checklist", "consent_count=many", 422},
		{"a malformed booking", "/bookings/%24ne/move", "move=cancel&reason=x", 404},
		{"an unknown booking", "/bookings/bkg_00000000000000000000/move", "move=cancel&reason=x", 404},
		{"an unknown booking's checklist", "/bookings/bkg_00000000000000000000/checklist", "consent_count=3", 404},
		{"an unknown hold", "/waitlist/wl_00000000000000000000/take", "", 404},
		{"a malformed hold", "/waitlist/%24ne/leave", "", 404},
	}
	c := m.as(t, m.schoolEmail)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.get("/bookings")
			body := tt.form + "&_csrf=" + c.csrf
			res := c.send(http.MethodPost, tt.path, "application/x-www-form-urlencoded", body)
			wantStatus(t, res, tt.status)
		})
	}
}

func TestBookingWritesAreRateLimited(t *testing.T) {
	m := newBookingMarket(t)
	c := m.apiClient(t, m.schoolEmail)
	path := "/api/v1/sessions/" + m.bowburn.Sessions[0].ID + "/bookings"
	for i := 0; i < bookingPostsPerMinute; i++ {
		wantStatus(t, c.postJSON(path, `{`), http.StatusBadRequest)
	}
	wantAPIError(t, c.postJSON(path, `{`), http.StatusTooManyRequests, "", "too many booking changes")

	other := m.apiClient(t, m.otherSchoolEmail)
	wantStatus(t, other.postJSON(path, `{`), http.StatusBadRequest)
}
