package web

import (
	"context"
	"net/http"
	"net/url"
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
	wantAPIError(t, res, http.StatusUnprocessableEntity, "insurance_expires", "")
	var refused apiErr
	decodeJSON(t, res, &refused)
	const sentence = "Only the employer records its assurance, risk assessment and insurance."
	if refused.Error.Message != sentence {
		t.Errorf("message %q, want the sentence once", refused.Error.Message)
	}
	if n := len(refused.Error.Fields); n != 4 {
		t.Errorf("fields %+v, want each of the four named", refused.Error.Fields)
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
