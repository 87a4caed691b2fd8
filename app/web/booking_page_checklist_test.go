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

// TestAPIChecklistDays checks the checklist through the API: its dates
// come back as the days given, the employer may date its assurance, and
// the school sending the employer's items is told once.
func TestAPIChecklistDays(t *testing.T) {
	m := newBookingMarket(t)
	b := m.mustBook(t, m.schoolActor, m.consett.Sessions[0].ID, 10, 10)
	path := "/api/v1/bookings/" + b.ID + "/checklist"
	employer, school := m.apiClient(t, m.rivalEmail), m.apiClient(t, m.schoolEmail)
	items := `{"assurance": true, "assurance_on": "2026-10-20", "risk_assessment_on": "2026-10-21",
		"insurance_expires": "2027-06-30"}`

	res := school.postJSON(path, items)
	wantAPIError(t, res, http.StatusUnprocessableEntity, "assurance", "")
	var refused apiErr
	decodeJSON(t, res, &refused)
	const sentence = "Only the employer records its assurance, risk assessment and insurance."
	if refused.Error.Message != sentence {
		t.Errorf("message %q, want the sentence once", refused.Error.Message)
	}
	if f := refused.Error.Fields; len(f) != 1 || f[0].Message != sentence {
		t.Errorf("fields %+v, want the sentence once", f)
	}

	wantAPIError(t, employer.postJSON(path, `{"assurance": true, "assurance_on": "2026-12-25"}`),
		http.StatusUnprocessableEntity, "assurance_on", "has not come yet")
	wantAPIError(t, employer.postJSON(path, `{"assurance": true, "assurance_on": "20/10/2026"}`),
		http.StatusUnprocessableEntity, "assurance_on", "like 2026-03-14")

	res = employer.postJSON(path, items)
	wantStatus(t, res, http.StatusOK)
	var got struct {
		Checklist map[string]any `json:"checklist"`
	}
	decodeJSON(t, res, &got)
	want := map[string]any{"assurance_on": "2026-10-20", "risk_assessment_on": "2026-10-21",
		"insurance_expires": "2027-06-30", "consent_count": float64(0), "consent_given": false}
	for k, v := range want {
		if got.Checklist[k] != v {
			t.Errorf("checklist %s = %v, want %v (checklist %v)", k, got.Checklist[k], v, got.Checklist)
		}
	}
}

// TestBookingPageOtherSidesItems checks that a side posting the other
// side's checklist items is told once, in the error summary, linking to
// the checklist rather than to inputs its page does not have.
func TestBookingPageOtherSidesItems(t *testing.T) {
	m := newBookingMarket(t)
	b := m.mustBook(t, m.schoolActor, m.consett.Sessions[0].ID, 10, 10)
	page := "/bookings/" + b.ID

	tests := []struct {
		name     string
		email    string
		form     url.Values
		sentence string
		lacks    []string
	}{
		{"the school posting the employer's items", m.schoolEmail, url.Values{"assurance": {"true"},
			"assurance_on": {"2026-10-01"}, "risk_assessment_on": {"2026-10-01"},
			"insurance_expires": {"2027-12-01"}},
			"Only the employer records its assurance, risk assessment and insurance.",
			[]string{`href="#assurance"`, `href="#assurance_on"`, `href="#risk_assessment_on"`,
				`href="#insurance_expires"`}},
		{"the employer posting the consent count", m.rivalEmail, url.Values{"consent_count": {"10"}},
			"Only the organisation that booked records parental consent.",
			[]string{`href="#consent_count"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := m.as(t, tt.email).postForm(page+"/checklist", tt.form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			if n := strings.Count(res.Body, tt.sentence); n != 1 {
				t.Errorf("the page says %q %d times, want once", tt.sentence, n)
			}
			wantContains(t, res, `<li><a href="#checklist">`+tt.sentence+`</a></li>`)
			wantLacks(t, res, tt.lacks...)
		})
	}
}

// TestChecklistDaysThatCannotCount checks that absurd days, and
// insurance that ends before the session on 3 December 2026, are refused
// at their field with nothing saved, through the API and on the page.
func TestChecklistDaysThatCannotCount(t *testing.T) {
	m := newBookingMarket(t)
	b := m.mustBook(t, m.schoolActor, m.consett.Sessions[0].ID, 10, 10)
	path := "/api/v1/bookings/" + b.ID + "/checklist"
	employer := m.apiClient(t, m.rivalEmail)

	tests := []struct {
		name, body, field, text string
	}{
		{"assurance in year 1", `{"assurance": true, "assurance_on": "0001-01-01"}`, "assurance_on",
			"more than 10 years ago"},
		{"assurance in 1900", `{"assurance": true, "assurance_on": "1900-01-01"}`, "assurance_on",
			"more than 10 years ago"},
		{"risk assessment in year 1", `{"risk_assessment_on": "0001-01-01"}`, "risk_assessment_on",
			"more than a year before the session on 3 December 2026"},
		{"insurance ending before the session", `{"insurance_expires": "2026-12-02"}`, "insurance_expires",
			"expires on 2 December 2026, before the session on 3 December 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantAPIError(t, employer.postJSON(path, tt.body), http.StatusUnprocessableEntity, tt.field, tt.text)
		})
	}
	stored, err := m.ts.Store.GetBooking(context.Background(), b.ID)
	if err != nil || stored.Checklist != (app.Checklist{}) || len(stored.History) != 1 {
		t.Fatalf("checklist %+v, history %d (%v), want nothing saved", stored.Checklist, len(stored.History), err)
	}

	res := m.as(t, m.rivalEmail).postForm("/bookings/"+b.ID+"/checklist",
		url.Values{"insurance_expires": {"2026-12-02"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `href="#insurance_expires"`, "before the session on 3 December 2026",
		`value="2026-12-02"`)
}

// TestBookingPageConfirmAndAssuranceDay checks that the employer is told
// what is missing instead of being offered a confirm button it cannot
// use, and that it can give the day of its assurance on the page.
func TestBookingPageConfirmAndAssuranceDay(t *testing.T) {
	m := newBookingMarket(t)
	b := m.mustBook(t, m.schoolActor, m.bowburn.Sessions[0].ID, 30, 9)
	page := "/bookings/" + b.ID
	employer := m.as(t, m.employerEmail)

	res := employer.get(page)
	wantContains(t, res, "You can confirm this booking once the safeguarding checklist is complete. "+
		"Still needed: assurance that visitors and supervisors are suitably checked.",
		`id="move-confirm"`, `name="assurance_on"`, `value="decline"`)
	wantLacks(t, res, `value="confirm"`)

	res = employer.postForm(page+"/checklist", url.Values{"assurance": {"yes"}, "assurance_on": {"2026-12-25"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `href="#assurance_on"`, "has not come yet", `value="2026-12-25"`)

	res = employer.postForm(page+"/checklist", url.Values{"assurance": {"yes"}, "assurance_on": {"2026-10-20"}})
	wantStatus(t, res, http.StatusSeeOther)
	stored, err := m.ts.Store.GetBooking(context.Background(), b.ID)
	if on := stored.Checklist.AssuranceOn; err != nil || !on.Equal(time.Date(2026, 10, 20, 0, 0, 0, 0, app.London)) {
		t.Fatalf("assurance on %v (%v), want 20 October 2026", on, err)
	}

	res = employer.get(page)
	wantContains(t, res, `value="confirm"`, `value="2026-10-20"`)
	wantLacks(t, res, "You can confirm this booking once")
}

// TestBookingHistoryNamesPeople checks that the history shows who made
// each move, by name beside the organisation, on the page and in the
// API, without their email or user id.
func TestBookingHistoryNamesPeople(t *testing.T) {
	m := newBookingMarket(t)
	sam := m.ts.mustUser(t, "sam.lee@johnston.test", "Sam Lee", m.school.ID, app.RoleMember)
	priya := m.ts.mustUser(t, "priya@kromek.test", "Priya Shah", m.employer.ID, app.RoleMember)
	b := m.mustBook(t, m.mustActor(t, sam.Email), m.bowburn.Sessions[0].ID, 30, 9)
	page := "/bookings/" + b.ID
	wantStatus(t, m.as(t, priya.Email).postForm(page+"/checklist", url.Values{"assurance": {"yes"}}),
		http.StatusSeeOther)

	res := m.as(t, m.schoolEmail).get(page)
	wantContains(t, res, "Sam Lee, Durham Johnston Comprehensive (booker)", "Priya Shah, Kromek Demo Ltd (employer)")
	wantLacks(t, res, sam.Email, priya.Email)

	res = m.apiClient(t, m.employerEmail).get("/api/v1/bookings/" + b.ID)
	var got struct {
		History []map[string]any `json:"history"`
	}
	decodeJSON(t, res, &got)
	if len(got.History) != 2 || got.History[0]["name"] != "Sam Lee" || got.History[1]["name"] != "Priya Shah" {
		t.Fatalf("history %v, want Sam Lee then Priya Shah", got.History)
	}
	wantLacks(t, res, sam.ID, priya.ID, sam.Email, priya.Email)
	wantStatus(t, m.apiClient(t, m.rivalEmail).get("/api/v1/bookings/"+b.ID), http.StatusNotFound)
}

// TestHistoryWho checks how the history names who made a move.
func TestHistoryWho(t *testing.T) {
	b := &app.Booking{OrgID: "urn-1", OrgName: "Belmont School", EmployerID: "org_1", EmployerName: "AEL Automation"}
	tests := []struct {
		name string
		e    app.BookingEvent
		want string
	}{
		{"a named booker", app.BookingEvent{OrgID: "urn-1", Name: "Sam Lee"}, "Sam Lee, Belmont School"},
		{"an entry kept without a name", app.BookingEvent{OrgID: "org_1"}, "AEL Automation"},
		{"the coordinator", app.BookingEvent{OrgID: app.CoordinatorOrgID, Name: "Jo Bell"},
			"Jo Bell, the county coordinator"},
		{"the system", app.BookingEvent{Side: app.SideSystem}, "Encounters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := historyWho(b, tt.e); got != tt.want {
				t.Fatalf("who %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCalledOffSaysWhatItLists checks that the declined or cancelled
// section describes what it lists: a session under way is still there.
func TestCalledOffSaysWhatItLists(t *testing.T) {
	m := newBookingMarket(t)
	b := m.mustBook(t, m.schoolActor, m.bowburn.Sessions[0].ID, 30, 9)
	if _, err := m.ts.Svc.MoveBooking(context.Background(), m.schoolActor, b.ID, app.MoveCancel,
		app.MoveInput{Reason: "Snow has closed the school."}); err != nil {
		t.Fatal(err)
	}
	during := m.bowburn.Sessions[0].Start.Add(time.Hour)
	m.ts.Svc.Now = func() time.Time { return during }

	res := m.as(t, m.schoolEmail).get("/bookings")
	wantContains(t, res, "Declined or cancelled (1)", `href="/bookings/`+b.ID+`"`,
		"Declined or cancelled bookings of sessions that have not ended yet, including any taking place now.")
	wantLacks(t, res, "still to come")
}
