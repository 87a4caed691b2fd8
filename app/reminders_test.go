package app_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// sweep runs the sweep at the given time and fails the test on an error.
func (e *env) sweep(t *testing.T, at time.Time) {
	t.Helper()
	e.now = at
	if err := e.svc.SweepBookings(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestSweepSendsRemindersAndFeedbackOnce(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "117001")
	o := e.publish(t, employer, nil)
	b := e.confirm(t, employer, e.mustBook(t, school, o.Sessions[0].ID, pupils(30, 9)))
	prefix := "booking/" + b.ID + "/"

	e.sweep(t, testStart.Add(-8*24*time.Hour))
	if got := e.jobs(t, prefix+"reminder"); len(got) != 0 {
		t.Fatalf("reminders eight days before: %v", got)
	}

	steps := []struct {
		name string
		at   time.Time
		kind string
	}{
		{"a week before", testStart.Add(-7*24*time.Hour + time.Hour), app.LetterReminder7d},
		{"a week before, a minute later", testStart.Add(-7*24*time.Hour + time.Hour + time.Minute), app.LetterReminder7d},
		{"the day before", testStart.Add(-12 * time.Hour), app.LetterReminder1d},
		{"the morning of", testStart.Add(-time.Hour), app.LetterReminder1d},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			e.sweep(t, st.at)
			at := prefix + st.kind + "/" + b.Start.UTC().Format("20060102T1504Z") + "/"
			want := []string{at + employer.UserID, at + school.UserID}
			if got := e.jobs(t, prefix+st.kind+"/"); fmt.Sprint(got) != fmt.Sprint(slices.Sorted(slices.Values(want))) {
				t.Fatalf("jobs %v, want %v", got, want)
			}
			m := e.job(t, want[1]).Message
			u, err := e.store.GetUser(ctx, school.UserID)
			if err != nil || u.MailSecret == "" {
				t.Fatalf("no mail secret made: %v", err)
			}
			unsub := testBaseURL + "/unsubscribe/" + u.ID + "/" + u.MailSecret + "/" + app.MailReminders
			if m.Kind != st.kind || m.Unsubscribe != unsub || m.CalendarMethod != "REQUEST" ||
				!strings.Contains(m.Calendar, "UID:booking-"+b.ID+"@encounters") {
				t.Fatalf("reminder %+v", m)
			}
		})
	}

	if err := e.svc.SetMailPrefs(ctx, employer, []string{app.MailFeedback}); err != nil {
		t.Fatal(err)
	}
	e.sweep(t, testEnd.Add(time.Minute))
	e.sweep(t, testEnd.Add(2*time.Minute))
	if got := e.jobs(t, prefix+app.LetterFeedbackRequest+"/"); len(got) != 1 || !strings.HasSuffix(got[0], school.UserID) {
		t.Fatalf("feedback jobs %v, want the school's only", got)
	}
	if m := e.job(t, prefix+app.LetterFeedbackRequest+"/"+school.UserID).Message; !strings.HasSuffix(m.Unsubscribe, "/feedback") {
		t.Fatalf("feedback unsubscribe %q", m.Unsubscribe)
	}
}

func TestSweepChasesMissingChecklistItemsDaily(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "117010")
	o := e.publish(t, employer, func(in *app.OfferInput) { in.Type = app.TypeWorkplaceVisit })
	b := e.mustBook(t, school, o.Sessions[0].ID, pupils(30, 9))
	prefix := "booking/" + b.ID + "/" + app.LetterChecklistMissing + "/"

	e.sweep(t, testNow.Add(23*time.Hour))
	if got := e.jobs(t, prefix); len(got) != 0 {
		t.Fatalf("chased within a day: %v", got)
	}
	e.sweep(t, testNow.Add(25*time.Hour)) // Tuesday 13 January
	e.sweep(t, testNow.Add(26*time.Hour))
	want := []string{prefix + "2026-01-13/" + employer.UserID, prefix + "2026-01-13/" + school.UserID}
	if got := e.jobs(t, prefix); fmt.Sprint(got) != fmt.Sprint(slices.Sorted(slices.Values(want))) {
		t.Fatalf("chasers %v, want %v", got, want)
	}
	m := e.job(t, want[0]).Message
	if m.Kind != app.LetterChecklistMissing || !strings.Contains(m.Text, "Risk assessment") ||
		strings.Contains(m.Text, "Parental consent") || !strings.Contains(m.Unsubscribe, "/reminders") {
		t.Fatalf("employer's chaser:\n%s", m.Text)
	}

	n := 30
	if _, err := e.svc.UpdateChecklist(ctx, school, b.ID, app.ChecklistInput{ConsentCount: &n}); err != nil {
		t.Fatal(err)
	}
	e.sweep(t, testNow.Add(49*time.Hour))
	if got := e.jobs(t, prefix+"2026-01-14/"); len(got) != 1 || !strings.HasSuffix(got[0], employer.UserID) {
		t.Fatalf("second day's chasers %v, want the employer's only", got)
	}
}

func TestSweepRepairsWhatACrashLeft(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "117020")
	o := e.publish(t, employer, nil)
	ses := o.Sessions[0]
	b := e.mustBook(t, school, ses.ID, pupils(10, 9))
	other := e.bookerSchool(t, "117021")
	gone := e.mustBook(t, other, ses.ID, pupils(5, 9))

	// A confirmation stored just before the process stopped: its emails
	// were never queued.
	stored := e.stored(t, b.ID)
	stored.State, stored.Checklist.AssuranceOn = app.BookingConfirmed, e.now.UTC()
	stored.History = append(stored.History, app.BookingEvent{At: e.now.UTC(), UserID: employer.UserID,
		OrgID: employer.OrgID, Side: app.SideEmployer, Move: app.MoveConfirm, From: app.BookingRequested,
		To: app.BookingConfirmed})
	if err := e.store.UpdateBooking(ctx, stored); err != nil {
		t.Fatal(err)
	}

	// A cancellation stored before its places were given back or its
	// emails queued: the booking is no longer active, yet the sweep finds it.
	cancelled := e.stored(t, gone.ID)
	cancelled.State = app.BookingCancelled
	cancelled.History = append(cancelled.History, app.BookingEvent{At: e.now.UTC(), UserID: other.UserID,
		OrgID: other.OrgID, Side: app.SideBooker, Move: app.MoveCancel, From: app.BookingRequested,
		To: app.BookingCancelled, Reason: "The coach fell through."})
	if err := e.store.UpdateBooking(ctx, cancelled); err != nil {
		t.Fatal(err)
	}

	// Places claimed by attempts that never stored a booking: one long ago,
	// one just now (still under way, perhaps).
	old := fmt.Sprintf("bkg_%08x%020x", e.now.Add(-time.Hour).Unix(), 1)
	fresh := fmt.Sprintf("bkg_%08x%020x", e.now.Unix(), 2)
	for place, owner := range map[int]string{60: old, 59: fresh} {
		if err := e.store.ClaimPlace(ctx, ses.ID, place, owner); err != nil {
			t.Fatal(err)
		}
	}

	e.sweep(t, e.now)
	owners, taken := e.placesTaken(t, o.ID, ses.ID, ses.Places)
	if len(owners) != 11 || taken != 11 || owners[59] != fresh || owners[60] != "" {
		t.Fatalf("after the sweep: %d claims, %d taken, owners %v", len(owners), taken, owners)
	}
	for _, who := range []*app.Actor{school, employer} {
		if m := e.job(t, "booking/"+b.ID+"/2/"+who.UserID).Message; m.Kind != app.LetterBookingConfirmed {
			t.Fatalf("lost confirmation re-sent as %q", m.Kind)
		}
	}
	if got := e.stored(t, b.ID); got.Announced != 2 {
		t.Fatalf("announced %d of 2", got.Announced)
	}
	for _, who := range []*app.Actor{other, employer} {
		if m := e.job(t, "booking/"+gone.ID+"/2/"+who.UserID).Message; m.Kind != app.LetterBookingCancelled {
			t.Fatalf("lost cancellation re-sent as %q", m.Kind)
		}
	}
	if got := e.stored(t, gone.ID); got.Announced != 2 {
		t.Fatalf("cancellation announced %d of 2", got.Announced)
	}
}

func TestSweepLapsesARequestLeftUnansweredAtTheStart(t *testing.T) {
	e := newBookingEnv(t)
	employer := e.employer(t)
	school := e.bookerSchool(t, "117040")
	o := e.publish(t, employer, nil)
	ses := o.Sessions[0]
	b := e.mustBook(t, school, ses.ID, pupils(10, 9))

	e.sweep(t, testStart.Add(-time.Minute))
	if got := e.stored(t, b.ID); got.State != app.BookingRequested {
		t.Fatalf("a minute before the start the request is %s", got.State)
	}

	e.sweep(t, testStart.Add(time.Minute))
	got := e.stored(t, b.ID)
	last := got.History[len(got.History)-1]
	if got.State != app.BookingCancelled || last.Side != app.SideSystem || last.Reason == "" {
		t.Fatalf("after the start: state %s, last entry %+v", got.State, last)
	}
	if owners, taken := e.placesTaken(t, o.ID, ses.ID, ses.Places); len(owners) != 0 || taken != 0 {
		t.Fatalf("the lapsed request still holds %d places (%d counted)", len(owners), taken)
	}
	for _, who := range []*app.Actor{school, employer} {
		if m := e.job(t, "booking/"+b.ID+"/2/"+who.UserID).Message; m.Kind != app.LetterBookingCancelled {
			t.Fatalf("lapse told as %q", m.Kind)
		}
	}
}
