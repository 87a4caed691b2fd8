package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/emails"
)

// newBookingMarket is the marketplace of newMarket with the email
// templates wired in, as serve wires them, so that booking moves queue
// real emails in the outbox.
func newBookingMarket(t *testing.T) *market {
	t.Helper()
	m := newMarket(t)
	tpl, err := emails.NewTemplates()
	if err != nil {
		t.Fatalf("email templates: %v", err)
	}
	m.ts.Svc.Compose = tpl
	return m
}

// mustBook books places for pupils of the given years through the
// service, as a member of a's organisation.
func (m *market) mustBook(t *testing.T, a *app.Actor, sessionID string, places int, years ...int) *app.Booking {
	t.Helper()
	b, _, err := m.ts.Svc.Book(context.Background(), a, sessionID,
		app.BookingInput{Places: places, Group: app.GroupPupils, YearGroups: years})
	if err != nil {
		t.Fatalf("book %d places: %v", places, err)
	}
	return b
}

// mustActor returns the member with email as an actor.
func (m *market) mustActor(t *testing.T, email string) *app.Actor {
	t.Helper()
	u, err := m.ts.Store.GetUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("find %s: %v", email, err)
	}
	a, err := m.ts.Svc.ActorFor(context.Background(), u.ID)
	if err != nil {
		t.Fatalf("actor for %s: %v", email, err)
	}
	return a
}

// orgBookings counts an organisation's stored bookings.
func (m *market) orgBookings(t *testing.T, orgID string) int {
	t.Helper()
	_, total, err := m.ts.Store.ListOrgBookings(context.Background(), orgID, app.BookingFilter{Limit: 100})
	if err != nil {
		t.Fatalf("list bookings: %v", err)
	}
	return total
}

// bookingKey finds the idempotency key of a session's booking form.
func bookingKey(t *testing.T, res *response, sessionID string) string {
	t.Helper()
	pattern := regexp.MustCompile(`action="/sessions/` + regexp.QuoteMeta(sessionID) +
		`/book"[\s\S]*?name="idempotency_key" value="([^"]+)"`)
	m := pattern.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no booking form for session %s\n%.3000s", sessionID, res.Body)
	}
	return m[1]
}

func TestOfferPageBookingForms(t *testing.T) {
	m := newBookingMarket(t)
	offer, sid := "/offers/"+m.bowburn.ID, m.bowburn.Sessions[0].ID
	tests := []struct {
		name  string
		as    string
		want  []string
		lacks []string
	}{
		{"a school gets a form per session", "school",
			[]string{"Book places", `action="/sessions/` + sid + `/book"`,
				`action="/sessions/` + m.bowburn.Sessions[1].ID + `/book"`, `name="idempotency_key"`,
				`id="book-` + sid + `-year_groups-9"`, `id="book-` + sid + `-year_groups-11"`,
				"put us on the waiting list", `href="/requests/new">Post a request</a>`},
			[]string{`-year_groups-8"`, `-year_groups-12"`, "Sign in to book"}},
		{"anyone is asked to sign in", "",
			[]string{"Sign in to book", `href="/sign-in?next=%2Foffers%2F` + m.bowburn.ID + `"`},
			[]string{`name="idempotency_key"`}},
		{"the employer gets no form", "employer", nil, []string{`name="idempotency_key"`, "Sign in to book"}},
		{"another employer gets no form", "rival", nil, []string{`name="idempotency_key"`, "Sign in to book"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := m.as(t, m.email(tt.as)).get(offer)
			wantStatus(t, res, http.StatusOK)
			wantContains(t, res, tt.want...)
			wantLacks(t, res, tt.lacks...)
		})
	}
}

func TestBookFromOfferPage(t *testing.T) {
	m := newBookingMarket(t)
	offer, sid := "/offers/"+m.bowburn.ID, m.bowburn.Sessions[0].ID
	c := m.as(t, m.schoolEmail)
	key := bookingKey(t, c.get(offer), sid)
	form := url.Values{"places": {"30"}, "group": {"pupils"}, "year_groups": {"9", "10"},
		"details": {"Two pupils use wheelchairs."}, "idempotency_key": {key}}

	first := c.postForm("/sessions/"+sid+"/book", form)
	if first.StatusCode != http.StatusSeeOther || !strings.HasPrefix(first.Header.Get("Location"), "/bookings/") {
		t.Fatalf("got %d to %q, want 303 to the booking", first.StatusCode, first.Header.Get("Location"))
	}
	again := c.postForm("/sessions/"+sid+"/book", form)
	wantRedirect(t, again, first.Header.Get("Location"))
	if n := m.orgBookings(t, m.school.ID); n != 1 {
		t.Fatalf("the same form sent twice made %d bookings, want 1", n)
	}

	page := c.get(first.Header.Get("Location"))
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, "Your booking request has been sent to Kromek Demo Ltd", "Requested",
		"Meet a robotics engineer", "30 pupils in Years 9 and 10", "Two pupils use wheelchairs.",
		"Asked for places", "Durham Johnston Comprehensive (booker)", "Cancel booking")
	wantLacks(t, page, m.schoolEmail, `value="confirm"`)
	wantContains(t, c.get(offer), "30 places left")

	fresh := bookingKey(t, c.get(offer), sid)
	form.Set("idempotency_key", fresh)
	form.Set("places", "5")
	wantStatus(t, c.postForm("/sessions/"+sid+"/book", form), http.StatusSeeOther)
	if n := m.orgBookings(t, m.school.ID); n != 2 {
		t.Fatalf("a new form made %d bookings in all, want 2", n)
	}
}

func TestBookingFormProblems(t *testing.T) {
	m := newBookingMarket(t)
	sid := m.bowburn.Sessions[0].ID
	m.mustBook(t, m.mustActor(t, m.otherSchoolEmail), sid, 50, 9)
	field := func(name string) string { return `href="#book-` + sid + `-` + name + `"` }
	tests := []struct {
		name   string
		path   string
		change url.Values
		status int
		want   []string
	}{
		{"no places", "", url.Values{"places": {""}}, 422,
			[]string{"There is a problem", field("places"), "Enter how many places you need"}},
		{"places not a number", "", url.Values{"places": {"lots"}}, 422,
			[]string{field("places"), "Places must be a whole number"}},
		{"negative places", "", url.Values{"places": {"-5"}}, 422, []string{field("places"), "1 or more"}},
		{"more than the session has", "", url.Values{"places": {"61"}}, 422,
			[]string{field("places"), "60 places in all"}},
		{"a year the offer is not for", "", url.Values{"year_groups": {"12"}}, 422,
			[]string{field("year_groups"), "not Year 12"}},
		{"no year groups", "", url.Values{"year_groups": nil}, 422, []string{field("year_groups")}},
		{"too few places left", "", url.Values{"places": {"20"}}, 409,
			[]string{`href="#book-` + sid + `"`, "Only 10 places are left", `value="20"`}},
		{"no CSRF token", "", url.Values{"_csrf": {""}}, 403, []string{"This form has expired"}},
		{"unknown session", "/sessions/ses_00000000000000000000/book", nil, 404, nil},
		{"malformed session", "/sessions/%24ne/book", nil, 404, nil},
	}
	c := m.as(t, m.schoolEmail)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.get("/offers/" + m.bowburn.ID)
			form := url.Values{"places": {"30"}, "group": {"pupils"}, "year_groups": {"9"},
				"idempotency_key": {app.NewID("idem")}}
			for k, v := range tt.change {
				form[k] = v
			}
			path := tt.path
			if path == "" {
				path = "/sessions/" + sid + "/book"
			}

			res := c.postForm(path, form)
			wantStatus(t, res, tt.status)
			wantContains(t, res, tt.want...)
			if n := m.orgBookings(t, m.school.ID); n != 0 {
				t.Fatalf("a refused form left %d bookings", n)
			}
		})
	}
}

func TestBookingPagesAndMoves(t *testing.T) {
	m := newBookingMarket(t)
	b := m.mustBook(t, m.schoolActor, m.bowburn.Sessions[0].ID, 30, 9)
	page := "/bookings/" + b.ID
	employer, school := m.as(t, m.employerEmail), m.as(t, m.schoolEmail)

	wantContains(t, employer.get("/bookings"), "To act on", "Confirm or decline this request",
		"Booked by Durham Johnston Comprehensive", "Safeguarding checklist: 1 item for you to give")
	schoolList := school.get("/bookings")
	wantContains(t, schoolList, "Waiting for the employer to answer", "With Kromek Demo Ltd",
		"Nothing needs your attention just now.") // waiting is not acting
	wantStatus(t, m.as(t, m.otherSchoolEmail).get(page), http.StatusNotFound)
	wantStatus(t, m.as(t, m.rivalEmail).get(page), http.StatusNotFound)

	res := employer.get(page)
	wantContains(t, res, `id="move-confirm"`, `value="decline"`, `value="cancel"`, "For you to give",
		`name="assurance"`)
	wantLacks(t, res, `name="consent_count"`, `value="confirm"`)

	steps := []struct {
		name   string
		c      *client
		path   string
		form   url.Values
		status int
		want   []string
	}{
		{"decline needs a reason", employer, page + "/move", url.Values{"move": {"decline"}}, 422,
			[]string{`href="#reason-decline"`, "govuk-textarea--error"}},
		{"confirm needs the checklist", employer, page + "/move", url.Values{"move": {"confirm"}}, 409,
			[]string{"There is a problem"}},
		{"the school cannot confirm", school, page + "/move", url.Values{"move": {"confirm"}}, 403, nil},
		{"an unknown move", employer, page + "/move", url.Values{"move": {"approve"}}, 422, nil},
		{"assurance", employer, page + "/checklist", url.Values{"assurance": {"yes"}}, 303, nil},
		{"a consent count that is not a number", school, page + "/checklist",
			url.Values{"consent_count": {"abc"}}, 422, []string{`href="#consent_count"`}},
		{"confirm", employer, page + "/move", url.Values{"move": {"confirm"}}, 303, nil},
		{"confirm again", employer, page + "/move", url.Values{"move": {"confirm"}}, 409,
			[]string{"is confirmed"}},
		{"attendance before the session", school, page + "/move",
			url.Values{"move": {"attendance"}, "attendance_y9": {"28"}}, 409, nil},
		{"cancel", school, page + "/move",
			url.Values{"move": {"cancel"}, "reason": {"Snow has closed the school."}}, 303, nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.c.get(page)
			res := st.c.postForm(st.path, st.form)
			wantStatus(t, res, st.status)
			wantContains(t, res, st.want...)
		})
	}

	res = employer.get(page)
	wantContains(t, res, "Cancelled", "Confirmed the booking", "Kromek Demo Ltd (employer)",
		"Cancelled the booking", "Durham Johnston Comprehensive (booker)", "Snow has closed the school.")
	wantLacks(t, res, m.schoolEmail, m.employerEmail, `value="cancel"`)
	wantContains(t, school.get("/bookings"), "No upcoming bookings", "Declined or cancelled (1)",
		`href="/bookings/`+b.ID+`"`)
}

// TestAttendanceMessages checks what a side is told after recording
// attendance: recorded, corrected, or unchanged when the figures are the
// same as before.
func TestAttendanceMessages(t *testing.T) {
	delivered := &app.Booking{State: app.BookingDelivered, History: make([]app.BookingEvent, 3)}
	confirmed := &app.Booking{State: app.BookingConfirmed, History: make([]app.BookingEvent, 2)}
	corrected := &app.Booking{State: app.BookingDelivered, History: make([]app.BookingEvent, 4)}
	cases := []struct {
		name          string
		before, after *app.Booking
		move, want    string
	}{
		{"first record", confirmed, delivered, app.MoveAttendance, "Attendance is recorded. Thank you."},
		{"a correction", delivered, corrected, app.MoveAttendance, "The attendance is corrected."},
		{"the same figures", delivered, delivered, app.MoveAttendance, "nothing has changed"},
		{"another move", nil, confirmed, app.MoveConfirm, "The booking is confirmed."},
	}
	for _, tc := range cases {
		if got := moveMessage(tc.before, tc.after, tc.move); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestWaitlistFromOfferPage(t *testing.T) {
	m := newBookingMarket(t)
	sid := m.consett.Sessions[0].ID
	b := m.mustBook(t, m.schoolActor, sid, 15, 10)
	other := m.as(t, m.otherSchoolEmail)

	res := other.get("/offers/" + m.consett.ID)
	wantContains(t, res, "Fully booked", "Join the waiting list", `name="waitlist" type="checkbox" value="yes" checked`)
	form := url.Values{"places": {"5"}, "group": {"pupils"}, "year_groups": {"10"}, "waitlist": {"yes"},
		"idempotency_key": {bookingKey(t, res, sid)}}
	wantRedirect(t, other.postForm("/sessions/"+sid+"/book", form), "/bookings#waitlist")
	wantContains(t, other.get("/bookings"), "Waiting lists (1)", "Visit a steel fabrication shop",
		"Leave the waiting list")

	ctx := context.Background()
	if _, err := m.ts.Svc.MoveBooking(ctx, m.schoolActor, b.ID, app.MoveCancel,
		app.MoveInput{Reason: "The coach fell through."}); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	if err := m.ts.Svc.SweepBookings(ctx); err != nil {
		t.Fatalf("sweep: %v", err)
	}
	res = other.get("/bookings")
	wantContains(t, res, "Places held for you", "Take the places")
	take := regexp.MustCompile(`action="(/waitlist/[^/"]+/take)"`).FindStringSubmatch(res.Body)
	if take == nil {
		t.Fatalf("no take form\n%.3000s", res.Body)
	}
	res = other.postForm(take[1], url.Values{})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/bookings/") {
		t.Fatalf("take: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	wantContains(t, other.get(res.Header.Get("Location")), "5 pupils in Year 10")
}

func TestLeaveWaitlist(t *testing.T) {
	m := newBookingMarket(t)
	sid := m.consett.Sessions[0].ID
	m.mustBook(t, m.schoolActor, sid, 15, 10)
	_, entry, err := m.ts.Svc.Book(context.Background(), m.mustActor(t, m.otherSchoolEmail), sid,
		app.BookingInput{Places: 5, Group: app.GroupPupils, YearGroups: []int{11}, Waitlist: true})
	if err != nil || entry == nil {
		t.Fatalf("join waitlist: %v, %v", entry, err)
	}

	school := m.as(t, m.schoolEmail)
	school.get("/bookings")
	wantStatus(t, school.postForm("/waitlist/"+entry.ID+"/leave", url.Values{}), http.StatusNotFound)

	other := m.as(t, m.otherSchoolEmail)
	other.get("/bookings")
	wantRedirect(t, other.postForm("/waitlist/"+entry.ID+"/leave", url.Values{}), "/bookings")
	wantContains(t, other.get("/bookings"), "You have left the waiting list", "You are not on any waiting list")
}

// TestOfferPageSaysWhoCannotBook checks that a school is told it cannot
// book an adult work trial, and an unverified provider that it cannot book
// yet, each given no form it could only be refused on; and that a school
// is not offered places for adults.
func TestOfferPageSaysWhoCannotBook(t *testing.T) {
	m := newBookingMarket(t)
	in := bowburnTalk()
	in.Title, in.Type, in.Audience = "Warehouse work trial", app.TypeAdultWorkTrial, []string{app.AudienceAdults}
	trial := m.mustOffer(t, m.employerActor, in, true)

	res := m.as(t, m.schoolEmail).get("/offers/" + trial.ID)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Adult work trials are for colleges and adult-learning and employability providers,",
		`href="/find">Find other opportunities</a>`)
	wantLacks(t, res, `name="idempotency_key"`, "Sign in to book")

	// A provider the coordinator has not verified is told so, with no form.
	provider := m.ts.client(t)
	provider.signUp(url.Values{"name": {"Pat Provider"}, "email": {"pat@learning.test"},
		"org_kind": {"provider"}, "org_name": {"Wear Valley Learning"}, "postcode": {"DL14 7RA"}})
	res = provider.get("/offers/" + trial.ID)
	wantContains(t, res, "The county coordinator has not verified Wear Valley Learning yet")
	wantLacks(t, res, `name="idempotency_key"`)

	// A school is not offered places for adults on an offer open to them.
	in = bowburnTalk()
	in.Title, in.Audience = "Open evening at the warehouse", []string{"y10", "y11", app.AudienceAdults}
	open := m.mustOffer(t, m.employerActor, in, true)
	res = m.as(t, m.schoolEmail).get("/offers/" + open.ID)
	wantContains(t, res, `name="idempotency_key"`)
	wantLacks(t, res, `value="adults"`)
}

// TestFormsOfferOnlyWhatASchoolTeaches checks that an 11 to 16 school's
// booking and request forms offer Years 7 to 11 and no adults, as the
// service would refuse the rest.
func TestFormsOfferOnlyWhatASchoolTeaches(t *testing.T) {
	m := newBookingMarket(t)
	m.school.LowAge, m.school.HighAge = 11, 16
	m.ts.mustOrg(t, m.school)
	in := bowburnTalk()
	in.Title, in.Audience = "Post-16 options evening", []string{"y10", "y11", "y12", "y13", app.AudienceAdults}
	o := m.mustOffer(t, m.employerActor, in, true)
	school := m.as(t, m.schoolEmail)

	offer := school.get("/offers/" + o.ID)
	wantContains(t, offer, `name="year_groups" type="checkbox" value="11"`)
	wantLacks(t, offer, `name="year_groups" type="checkbox" value="12"`, `value="adults"`)

	request := school.get("/requests/new")
	wantContains(t, request, `name="audience" type="checkbox" value="y7"`, `name="audience" type="checkbox" value="y11"`)
	wantLacks(t, request, `name="audience" type="checkbox" value="y12"`, `name="audience" type="checkbox" value="adults"`,
		`name="audience" type="checkbox" value="y6"`)

	// An offer for no one the school teaches says so instead of a form.
	in = bowburnTalk()
	in.Title, in.Audience = "Sixth-form options", []string{"y12", "y13"}
	sixthOnly := m.mustOffer(t, m.employerActor, in, true)
	res := school.get("/offers/" + sixthOnly.ID)
	wantContains(t, res, "so it cannot book places on it.")
	wantLacks(t, res, `name="idempotency_key"`)
}

// TestArchivingABookedOfferSaysWhyOnItsPage: an offer with bookings to
// come is not archived, and its employer is back on its page told why.
func TestArchivingABookedOfferSaysWhyOnItsPage(t *testing.T) {
	m := newBookingMarket(t)
	m.mustBook(t, m.schoolActor, m.bowburn.Sessions[1].ID, 10, 9)
	employer := m.as(t, m.employerEmail)
	path := "/offers/" + m.bowburn.ID
	employer.get(path)

	res := employer.postForm(path+"/status", url.Values{"status": {app.OfferArchived}})
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, res, "There is a problem", "still to come", m.bowburn.Title, "Manage this offer")
	wantLacks(t, res, "Go to the Encounters home page")
	if o := m.storedOffer(t, m.bowburn.ID); o.Status == app.OfferArchived {
		t.Fatal("the offer was archived with bookings to come")
	}
}
