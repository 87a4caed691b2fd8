package web

// Fixtures shared by the marketplace tests: a small slice of County Durham
// with real postcodes, built through the real service.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// marketNow is the fixed "now" of the marketplace tests: Monday 2 November
// 2026, 9am in Durham.
var marketTestNow = time.Date(2026, time.November, 2, 9, 0, 0, 0, app.London)

// withClock fixes the service's clock.
func withClock(now time.Time) testOption {
	return func(svc *app.Service, _ *Config) { svc.Now = func() time.Time { return now } }
}

// market is a small marketplace: two verified employers, two schools, and
// their offers and requests.
//
//   - Bowburn (DH6 5AA, 4.6 km from DH1 3LE): a public careers talk in
//     engineering for Years 9 to 11, a demo listing.
//   - Consett (DH8 5AA, 19 km): a public workplace visit for Years 10 and
//     11 with step-free access, from the rival employer.
//   - Barnard Castle (DL12 8AA, 35 km): public mentoring for adults.
//   - Draft: the employer's unpublished careers talk.
//   - Request: the school's open request for a careers talk for 30 Year 9s,
//     which the Bowburn talk serves; Closed: the school's closed request.
type market struct {
	ts *testServer

	employer, rival, school, otherSchool *app.Organisation
	employerEmail, rivalEmail            string
	schoolEmail, otherSchoolEmail        string
	employerActor, schoolActor           *app.Actor

	bowburn, consett, barnard, draft *app.Offer
	request, closed                  *app.Request
}

func newMarket(t *testing.T) *market {
	t.Helper()
	m := &market{ts: newTestServer(t, withClock(marketTestNow))}
	m.employer = m.mustEmployer(t, "Kromek Demo Ltd", "DH6 5AA")
	m.rival = m.mustEmployer(t, "Aycliffe Fabrications", "DL5 6AA")
	m.school = m.mustSchool(t, "114000", "Durham Johnston Comprehensive", "DH1 3LE")
	m.otherSchool = m.mustSchool(t, "114001", "Belmont Community School", "DH1 2QP")

	m.employerEmail, m.rivalEmail = "pat@kromek.test", "sam@aycliffe.test"
	m.schoolEmail, m.otherSchoolEmail = "jo@johnston.test", "lee@belmont.test"
	m.employerActor = m.mustMember(t, m.employerEmail, m.employer)
	rivalActor := m.mustMember(t, m.rivalEmail, m.rival)
	m.schoolActor = m.mustMember(t, m.schoolEmail, m.school)
	m.mustMember(t, m.otherSchoolEmail, m.otherSchool)

	m.bowburn = m.mustOffer(t, m.employerActor, bowburnTalk(), true)
	m.consett = m.mustOffer(t, rivalActor, app.OfferInput{
		Title: "Visit a steel fabrication shop", Description: "A tour of the shop floor.",
		Type: app.TypeWorkplaceVisit, Sector: "construction", Audience: []string{"y10", "y11"},
		Delivery: app.DeliveryInPerson, Postcode: "DH8 5AA", Access: []string{app.AccessStepFree},
		Sessions: []app.SessionInput{{Start: "2026-12-03T13:00", End: "2026-12-03T15:00", Places: 15}},
	}, true)
	m.barnard = m.mustOffer(t, m.employerActor, app.OfferInput{
		Title: "Mentoring for career changers", Description: "Six weekly conversations.",
		Type: app.TypeMentoring, Sector: "health", Audience: []string{"adults"},
		Delivery: app.DeliveryInPerson, Postcode: "DL12 8AA",
		Sessions: []app.SessionInput{{Start: "2027-01-12T18:00", End: "2027-01-12T19:00", Places: 8}},
	}, true)
	draft := bowburnTalk()
	draft.Title = "Unpublished robotics talk"
	m.draft = m.mustOffer(t, m.employerActor, draft, false)
	m.markDemo(t, m.bowburn)

	m.request = m.mustRequest(t, app.RequestInput{Type: app.TypeCareersTalk, Sector: "engineering",
		Topic: "robotics", Audience: []string{"y9"}, GroupSize: 30, From: "2026-11-16",
		To: "2027-02-26", Postcode: "DH1 3LE", TravelKm: 30, Notes: "Ask for Mrs Example on 0191 000 0000"})
	m.closed = m.mustRequest(t, app.RequestInput{Type: app.TypeWorkplaceVisit,
		Audience: []string{"y10"}, GroupSize: 12, From: "2026-12-01", To: "2027-01-31",
		Postcode: "DH1 3LE", TravelKm: 20})
	if _, err := m.ts.Svc.CloseRequest(context.Background(), m.schoolActor, m.closed.ID); err != nil {
		t.Fatalf("close request: %v", err)
	}
	return m
}

// bowburnTalk is the employer's careers talk at Bowburn.
func bowburnTalk() app.OfferInput {
	return app.OfferInput{
		Title: "Meet a robotics engineer", Description: "How robots are designed and built.",
		Type: app.TypeCareersTalk, Sector: "engineering", Audience: []string{"y9", "y10", "y11"},
		Delivery: app.DeliveryInPerson, Postcode: "DH6 5AA", Safeguarding: "Visitors are DBS checked.",
		Sessions: []app.SessionInput{
			{Start: "2026-12-01T10:00", End: "2026-12-01T12:00", Places: 60},
			{Start: "2027-01-19T10:00", End: "2027-01-19T12:00", Places: 40},
		},
	}
}

func (m *market) mustEmployer(t *testing.T, name, postcode string) *app.Organisation {
	t.Helper()
	return m.ts.mustOrg(t, &app.Organisation{ID: app.NewID("org"), Kind: app.KindEmployer,
		Name: name, Postcode: postcode, Verified: true})
}

// mustSchool saves an imported school placed at its postcode.
func (m *market) mustSchool(t *testing.T, urn, name, postcode string) *app.Organisation {
	t.Helper()
	pc, loc, err := m.ts.Svc.Places.Postcode(context.Background(), postcode)
	if err != nil {
		t.Fatalf("place %s: %v", postcode, err)
	}
	return m.ts.mustOrg(t, &app.Organisation{ID: app.SchoolID(urn), Kind: app.KindSchool,
		Name: name, URN: urn, Town: "Durham", Postcode: pc, Location: loc, Source: "gias"})
}

// mustMember creates an owner of org and returns them as an actor.
func (m *market) mustMember(t *testing.T, email string, org *app.Organisation) *app.Actor {
	t.Helper()
	u := m.ts.mustUser(t, email, "Test Member", org.ID, app.RoleOwner)
	a, err := m.ts.Svc.ActorFor(context.Background(), u.ID)
	if err != nil {
		t.Fatalf("actor for %s: %v", email, err)
	}
	return a
}

// mustOffer creates an offer through the service, published when publish.
func (m *market) mustOffer(t *testing.T, a *app.Actor, in app.OfferInput, publish bool) *app.Offer {
	t.Helper()
	ctx := context.Background()
	o, err := m.ts.Svc.CreateOffer(ctx, a, in)
	if err != nil {
		t.Fatalf("create offer %q: %v", in.Title, err)
	}
	if publish {
		if o, err = m.ts.Svc.SetOfferStatus(ctx, a, o.ID, app.OfferPublished); err != nil {
			t.Fatalf("publish offer %q: %v", in.Title, err)
		}
	}
	return o
}

// markDemo labels an offer as a demo listing, as the demo seed does.
func (m *market) markDemo(t *testing.T, o *app.Offer) {
	t.Helper()
	o.Demo = true
	if err := m.ts.Store.UpdateOffer(context.Background(), o); err != nil {
		t.Fatalf("mark demo: %v", err)
	}
}

func (m *market) mustRequest(t *testing.T, in app.RequestInput) *app.Request {
	t.Helper()
	r, err := m.ts.Svc.CreateRequest(context.Background(), m.schoolActor, in)
	if err != nil {
		t.Fatalf("create request: %v", err)
	}
	return r
}

// as returns a browser signed in as email, or an anonymous one for "".
func (m *market) as(t *testing.T, email string) *client {
	t.Helper()
	c := m.ts.client(t)
	if email != "" {
		c.signIn(email)
	}
	return c
}

// apiClient returns a client that calls the API with a bearer token of
// email, or anonymously for "".
func (m *market) apiClient(t *testing.T, email string) *client {
	t.Helper()
	c := m.ts.client(t)
	if email == "" {
		return c
	}
	secret, err := m.ts.Svc.IssueAPIToken(context.Background(), email)
	if err != nil {
		t.Fatalf("issue token: %v", err)
	}
	c.header.Set("Authorization", "Bearer "+secret)
	return c
}

// send makes a request with a body and content type, with the client's
// CSRF token when it has one.
func (c *client) send(method, path, contentType, body string) *response {
	c.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	return c.do(req)
}

// wantLacks fails the test when the body holds any of the texts.
func wantLacks(t testing.TB, res *response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(res.Body, s) {
			t.Errorf("body holds %q\n%.3000s", s, res.Body)
		}
	}
}

// wantOrder fails the test unless the texts appear in the body in order.
func wantOrder(t testing.TB, res *response, texts ...string) {
	t.Helper()
	at := -1
	for _, s := range texts {
		i := strings.Index(res.Body, s)
		if i < 0 || i < at {
			t.Fatalf("want %q in order, %q at %d after %d\n%.3000s", texts, s, i, at, res.Body)
		}
		at = i
	}
}

// decodeJSON reads a JSON answer into v, failing on anything else.
func decodeJSON(t testing.TB, res *response, v any) {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("content type %q, want JSON\n%.1000s", ct, res.Body)
	}
	if err := json.Unmarshal([]byte(res.Body), v); err != nil {
		t.Fatalf("decode %s: %v", res.Body, err)
	}
}

// apiErr is the error body of every refused API call.
type apiErr struct {
	Error struct {
		Code    string           `json:"code"`
		Message string           `json:"message"`
		Fields  []app.FieldError `json:"fields"`
	} `json:"error"`
}

// TestMarketRoutesNeedSignIn checks that every members' page sends an
// anonymous visitor to sign in, and every write of the API answers 401.
func TestMarketRoutesNeedSignIn(t *testing.T) {
	m := newMarket(t)
	pages := []string{"/offers/new", "/account/offers", "/offers/" + m.draft.ID + "/edit",
		"/requests/new", "/account/requests", "/requests/" + m.request.ID + "/edit"}
	for _, path := range pages {
		t.Run("GET "+path, func(t *testing.T) {
			res := m.as(t, "").get(path)
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
				t.Fatalf("got %d to %q, want 303 to sign in", res.StatusCode, res.Header.Get("Location"))
			}
		})
	}

	writes := []struct{ method, path string }{
		{"POST", "/api/v1/offers"},
		{"PUT", "/api/v1/offers/" + m.bowburn.ID},
		{"POST", "/api/v1/offers/" + m.bowburn.ID + "/status"},
		{"POST", "/api/v1/requests"},
		{"PUT", "/api/v1/requests/" + m.request.ID},
		{"POST", "/api/v1/requests/" + m.request.ID + "/close"},
	}
	for _, w := range writes {
		t.Run(w.method+" "+w.path, func(t *testing.T) {
			c := m.as(t, "")
			c.get("/sign-in") // an anonymous session with a CSRF token
			res := c.send(w.method, w.path, "application/json", `{}`)
			wantStatus(t, res, http.StatusUnauthorized)
		})
	}
}
