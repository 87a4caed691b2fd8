package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// bookingIn makes a booking and moves it into state, through the service,
// with the clock before the session for the moves that need it and after
// for the rest. It leaves the clock at testNow.
func (e *env) bookingIn(t *testing.T, state string, school, employer *app.Actor, sessionID string) *app.Booking {
	t.Helper()
	ctx := context.Background()
	e.now = testNow
	defer func() { e.now = testNow }()
	b := e.mustBook(t, school, sessionID, pupils(2, 9))
	b, err := e.svc.UpdateChecklist(ctx, employer, b.ID, app.ChecklistInput{Assurance: true})
	if err != nil {
		t.Fatal(err)
	}

	switch state {
	case app.BookingDeclined:
		b, err = e.svc.MoveBooking(ctx, employer, b.ID, app.MoveDecline, app.MoveInput{Reason: "No staff that day"})
	case app.BookingCancelled:
		b, err = e.svc.MoveBooking(ctx, school, b.ID, app.MoveCancel, app.MoveInput{Reason: "Snow"})
	case app.BookingConfirmed, app.BookingDelivered, app.BookingNoShow:
		b = e.confirm(t, employer, b)
		e.now = testStart.Add(time.Hour)
		switch state {
		case app.BookingDelivered:
			b, err = e.svc.MoveBooking(ctx, school, b.ID, app.MoveAttendance,
				app.MoveInput{Attendance: []app.Attendance{{Audience: "y9", Count: 2}}})
		case app.BookingNoShow:
			b, err = e.svc.MoveBooking(ctx, employer, b.ID, app.MoveNoShow, app.MoveInput{Reason: "Coach broke down"})
		}
	}
	if err != nil || b.State != state {
		t.Fatalf("making a %s booking: %+v, %v", state, b, err)
	}
	return b
}

// moveInput is a valid input for each move.
func moveInput(move string) app.MoveInput {
	switch move {
	case app.MoveAttendance:
		return app.MoveInput{Attendance: []app.Attendance{{Audience: "Year 9", Count: 1}}}
	case app.MoveConfirm:
		return app.MoveInput{}
	}
	return app.MoveInput{Reason: "We have to change our plans"}
}

func TestMoveBookingWholeTableOnRealEngines(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "115001")
	coordinator := e.coordinator(t)
	o := e.publish(t, employer, nil)
	sessionID := o.Sessions[0].ID
	actors := map[string]*app.Actor{app.SideBooker: school, app.SideEmployer: employer, "": coordinator}
	clock := map[string]time.Time{app.BeforeStart: testNow, app.AfterStart: testStart}

	// Refused moves change nothing, so one booking per state serves them.
	shared := map[string]*app.Booking{}
	for _, state := range allStates {
		shared[state] = e.bookingIn(t, state, school, employer, sessionID)
	}

	for _, c := range moveCases() {
		t.Run(c.String(), func(t *testing.T) {
			b := shared[c.state]
			if c.code == "" {
				b = e.bookingIn(t, c.state, school, employer, sessionID)
			}
			before := e.stored(t, b.ID)
			e.now = clock[c.when]
			defer func() { e.now = testNow }()

			got, err := e.svc.MoveBooking(ctx, actors[c.side], b.ID, c.move, moveInput(c.move))
			wantCode(t, err, c.code)
			after := e.stored(t, b.ID)
			if c.code != "" {
				if after.State != before.State || len(after.History) != len(before.History) {
					t.Fatalf("a refused move changed the booking: %s with %d entries", after.State, len(after.History))
				}
				return
			}

			last := after.History[len(after.History)-1]
			entry := c.move
			if c.state == app.BookingDelivered && c.move == app.MoveAttendance {
				entry = app.MoveAttendanceCorrected
			}
			if got.State != c.to || after.State != c.to || last.Move != entry || last.From != c.state ||
				last.UserID != actors[c.side].UserID || last.Side != c.side || !last.At.Equal(e.now.UTC()) {
				t.Fatalf("after the move: %s, history %+v", after.State, last)
			}
			if after.Announced != len(after.History) {
				t.Fatalf("announced %d of %d entries", after.Announced, len(after.History))
			}
		})
	}
}

func TestMoveNeedsAReason(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "115010")
	o := e.publish(t, employer, nil)
	b := e.mustBook(t, school, o.Sessions[0].ID, pupils(5, 9))

	tests := []struct {
		name, move, reason string
		part               string
	}{
		{"decline without a reason", app.MoveDecline, "   ", "Enter a reason"},
		{"cancel without a reason", app.MoveCancel, "", "Enter a reason"},
		{"reason too long", app.MoveCancel, strings.Repeat("x", 1001), "1000 characters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			actor := employer
			_, err := e.svc.MoveBooking(ctx, actor, b.ID, tc.move, app.MoveInput{Reason: tc.reason})
			wantField(t, err, "reason", tc.part)
			if got := e.stored(t, b.ID); got.State != app.BookingRequested || len(got.History) != 1 {
				t.Fatalf("booking changed: %s", got.State)
			}
		})
	}
}

func TestChecklistBlocksConfirmUntilDone(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "115020")
	o := e.publish(t, employer, func(in *app.OfferInput) { in.Type = app.TypeWorkplaceVisit })
	b := e.mustBook(t, school, o.Sessions[0].ID, pupils(30, 9, 10))

	_, err := e.svc.MoveBooking(ctx, employer, b.ID, app.MoveConfirm, app.MoveInput{})
	wantCode(t, err, app.EConflict)
	for _, part := range []string{"assurance", "risk assessment", "insurance", "parental consent for each pupil (0 of 30"} {
		if !strings.Contains(app.ErrorMessage(err), part) {
			t.Fatalf("refusal %q does not name %q", app.ErrorMessage(err), part)
		}
	}

	consent := func(n int) *int { return &n }
	steps := []struct {
		name  string
		actor *app.Actor
		in    app.ChecklistInput
		field string
		part  string
	}{
		{"school cannot give the employer's items", school, app.ChecklistInput{Assurance: true, InsuranceExpires: "2027-01-31"},
			"assurance", "Only the employer"},
		{"employer cannot give consent", employer, app.ChecklistInput{ConsentCount: consent(30)}, "consent_count",
			"Only the organisation that booked"},
		{"bad date", employer, app.ChecklistInput{RiskAssessmentOn: "12/01/2026"}, "risk_assessment_on", "like 2026-03-14"},
		{"risk assessment in the future", employer, app.ChecklistInput{RiskAssessmentOn: "2026-02-01"},
			"risk_assessment_on", "in the future"},
		{"expired insurance", employer, app.ChecklistInput{InsuranceExpires: "2025-12-31"}, "insurance_expires", "has expired"},
		{"more consents than pupils", school, app.ChecklistInput{ConsentCount: consent(31)}, "consent_count", "from 0 to 30"},
		{"employer's items", employer, app.ChecklistInput{Assurance: true, RiskAssessmentOn: "2026-01-09",
			InsuranceExpires: "2027-01-31"}, "", ""},
		{"some consents", school, app.ChecklistInput{ConsentCount: consent(29)}, "", ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			_, err := e.svc.UpdateChecklist(ctx, st.actor, b.ID, st.in)
			if st.field != "" {
				wantField(t, err, st.field, st.part)
				return
			}
			wantCode(t, err, "")
		})
	}

	_, err = e.svc.MoveBooking(ctx, employer, b.ID, app.MoveConfirm, app.MoveInput{})
	if app.ErrorCode(err) != app.EConflict || !strings.Contains(app.ErrorMessage(err), "29 of 30") ||
		strings.Contains(app.ErrorMessage(err), "insurance") {
		t.Fatalf("with one consent missing: %v", err)
	}
	if _, err := e.svc.UpdateChecklist(ctx, school, b.ID, app.ChecklistInput{ConsentCount: consent(30)}); err != nil {
		t.Fatal(err)
	}
	b, err = e.svc.MoveBooking(ctx, employer, b.ID, app.MoveConfirm, app.MoveInput{})
	if err != nil || b.State != app.BookingConfirmed {
		t.Fatalf("confirm with the checklist done: %v", err)
	}
	stored := e.stored(t, b.ID)
	c := stored.Checklist
	if !c.AssuranceOn.Equal(time.Date(2026, 1, 12, 0, 0, 0, 0, app.London)) || c.ConsentCount != 30 ||
		!c.InsuranceExpires.Equal(time.Date(2027, 1, 31, 0, 0, 0, 0, app.London)) {
		t.Fatalf("checklist stored as %+v", c)
	}
	if n := len(stored.History); n != 5 || stored.History[1].Move != app.MoveChecklist {
		t.Fatalf("history %+v", stored.History)
	}
}

func TestConfirmAndCancelSendInvites(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "115030")
	o := e.publish(t, employer, nil)
	b := e.confirm(t, employer, e.mustBook(t, school, o.Sessions[0].ID, pupils(30, 9)))

	// Entries: 1 booked, 2 checklist, 3 confirmed, 4 cancelled.
	confirmed := e.job(t, "booking/"+b.ID+"/3/"+school.UserID).Message
	if confirmed.Kind != app.LetterBookingConfirmed || confirmed.CalendarMethod != "REQUEST" ||
		!strings.Contains(confirmed.Calendar, "UID:booking-"+b.ID+"@encounters") ||
		!strings.Contains(confirmed.Calendar, "SEQUENCE:0") ||
		!strings.Contains(confirmed.Calendar, "DTSTART;TZID=Europe/London:20260310T093000") {
		t.Fatalf("confirmation %+v\n%s", confirmed, confirmed.Calendar)
	}
	if got := e.jobs(t, "booking/"+b.ID+"/2/"); len(got) != 0 {
		t.Fatalf("checklist entries sent email: %v", got)
	}

	if _, err := e.svc.MoveBooking(ctx, school, b.ID, app.MoveCancel, app.MoveInput{Reason: "Exams moved"}); err != nil {
		t.Fatal(err)
	}
	for _, who := range []*app.Actor{school, employer} {
		m := e.job(t, "booking/"+b.ID+"/4/"+who.UserID).Message
		if m.Kind != app.LetterBookingCancelled || m.CalendarMethod != "CANCEL" ||
			!strings.Contains(m.Calendar, "SEQUENCE:1") || !strings.Contains(m.Text, "Exams moved") {
			t.Fatalf("cancellation to %s: %+v\n%s", who.OrgID, m, m.Calendar)
		}
	}
	if owners, taken := e.placesTaken(t, o.ID, o.Sessions[0].ID, 60); len(owners) != 0 || taken != 0 {
		t.Fatalf("after cancelling: %d claims, %d taken", len(owners), taken)
	}
}

func TestAttendanceCountsTheEncounterOnce(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "115040")
	o := e.publish(t, employer, nil)
	b := e.confirm(t, employer, e.mustBook(t, school, o.Sessions[0].ID, pupils(30, 9, 10)))
	e.now = testStart.Add(2 * time.Hour)

	bad := []struct {
		name string
		att  []app.Attendance
		part string
	}{
		{"nothing", nil, "If nobody came, record a no-show"},
		{"year outside the booking", []app.Attendance{{Audience: "y11", Count: 3}}, "which was for Year 9 and Year 10"},
		{"not an audience", []app.Attendance{{Audience: "governors", Count: 3}}, "not part of this booking"},
		{"twice", []app.Attendance{{Audience: "y9", Count: 3}, {Audience: "Year 9", Count: 2}}, "given twice"},
		{"negative", []app.Attendance{{Audience: "y9", Count: -1}}, "0 or more"},
		{"more than booked", []app.Attendance{{Audience: "y9", Count: 20}, {Audience: "y10", Count: 11}},
			"31 people, but the booking was for 30 places"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.MoveBooking(ctx, employer, b.ID, app.MoveAttendance, app.MoveInput{Attendance: tc.att})
			wantField(t, err, "attendance", tc.part)
		})
	}

	for _, att := range [][]app.Attendance{
		{{Audience: "Year 10", Count: 12}, {Audience: "y9", Count: 14}},
		{{Audience: "y9", Count: 15}, {Audience: "y10", Count: 12}},     // a correction
		{{Audience: "y10", Count: 12}, {Audience: "Year 9", Count: 15}}, // the same again
	} {
		if b, err := e.svc.MoveBooking(ctx, employer, b.ID, app.MoveAttendance, app.MoveInput{Attendance: att}); err != nil ||
			b.State != app.BookingDelivered {
			t.Fatalf("attendance %v: %v", att, err)
		}
	}
	stored := e.stored(t, b.ID)
	if len(stored.Attendance) != 2 || stored.Attendance[0] != (app.Attendance{Audience: "y9", Count: 15}) {
		t.Fatalf("attendance stored as %+v", stored.Attendance)
	}
	org, err := e.store.GetOrg(ctx, school.OrgID)
	if err != nil || org.EncountersThisYear != 1 {
		t.Fatalf("encounters this year %d, want 1 (%v)", org.EncountersThisYear, err)
	}

	// Entries: 1 booked, 2 checklist, 3 confirmed, 4 attendance, 5 its
	// correction; the same figures again add nothing.
	if n := len(stored.History); n != 5 || stored.History[3].Move != app.MoveAttendance ||
		stored.History[4].Move != app.MoveAttendanceCorrected {
		t.Fatalf("history %+v", stored.History)
	}
	if got := e.job(t, "booking/"+b.ID+"/4/"+school.UserID).Message.Kind; got != app.LetterBookingDelivered {
		t.Fatalf("delivery email kind %q", got)
	}
	for _, who := range []*app.Actor{school, employer} {
		m := e.job(t, "booking/"+b.ID+"/5/"+who.UserID).Message
		if m.Kind != app.LetterAttendanceCorrected || !strings.HasPrefix(m.Subject, "Attendance corrected: ") ||
			!strings.Contains(m.Text, "Kromek Group has corrected the attendance") ||
			!strings.Contains(m.Text, "Year 9: 15\n- Year 10: 12") || strings.Contains(m.Text, "Year 9: 14") ||
			!strings.Contains(m.HTML, "<li>Year 9: 15</li>") {
			t.Fatalf("correction email to %s: %q\n%s", who.OrgID, m.Subject, m.Text)
		}
	}
	if got := e.jobs(t, "booking/"+b.ID+"/6/"); len(got) != 0 {
		t.Fatalf("the same figures again sent %v", got)
	}
}
