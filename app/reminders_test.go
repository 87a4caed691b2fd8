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

	// The session is on Tuesday 10 March at 09:30.
	steps := []struct {
		name    string
		at      time.Time
		kind    string
		subject string
	}{
		{"a week before", testStart.Add(-7*24*time.Hour + time.Hour), app.LetterReminder7d, "In one week: "},
		{"a week before, a minute later", testStart.Add(-7*24*time.Hour + time.Hour + time.Minute),
			app.LetterReminder7d, "In one week: "},
		{"the day before", testStart.Add(-12 * time.Hour), app.LetterReminder1d, "Tomorrow at 09:30: "},
		{"the morning of: the same email", testStart.Add(-time.Hour), app.LetterReminder1d, "Tomorrow at 09:30: "},
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
			if !strings.HasPrefix(m.Subject, st.subject) {
				t.Fatalf("subject %q, want it to start %q", m.Subject, st.subject)
			}
		})
	}

	if err := e.svc.SetMailPrefs(ctx, employer, []string{app.MailFeedback}); err != nil {
		t.Fatal(err)
	}
	// Nothing was recorded: the request waits a day for attendance or a
	// no-show.
	e.sweep(t, testEnd.Add(time.Minute))
	if got := e.jobs(t, prefix+app.LetterFeedbackRequest+"/"); len(got) != 0 {
		t.Fatalf("feedback asked before anyone said what happened: %v", got)
	}
	e.sweep(t, testEnd.Add(24*time.Hour))
	e.sweep(t, testEnd.Add(24*time.Hour+time.Minute))
	if got := e.jobs(t, prefix+app.LetterFeedbackRequest+"/"); len(got) != 1 || !strings.HasSuffix(got[0], school.UserID) {
		t.Fatalf("feedback jobs %v, want the school's only", got)
	}
	m := e.job(t, prefix+app.LetterFeedbackRequest+"/"+school.UserID).Message
	if !strings.HasSuffix(m.Unsubscribe, "/feedback") {
		t.Fatalf("feedback unsubscribe %q", m.Unsubscribe)
	}
	if !strings.Contains(m.Text, "/bookings/"+b.ID+"#feedback") {
		t.Fatalf("the feedback request does not link to the feedback form:\n%s", m.Text)
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

func TestSweepRemindersSayTheRealTimeToGo(t *testing.T) {
	// The session is on Tuesday 10 March at 09:30; each booking is
	// confirmed at confirmAt and swept at each of sweeps.
	day := 24 * time.Hour
	cases := []struct {
		name      string
		confirmAt time.Time
		sweeps    []time.Duration // before the start
		kind      string          // the only reminder sent
		subject   string          // its subject starts so
		says      string          // its text and HTML say so
	}{
		{"confirmed 4 minutes before", testStart.Add(-4 * time.Minute), []time.Duration{3 * time.Minute},
			app.LetterReminder1d, "Today at 09:30: ", "is today at 09:30."},
		{"confirmed 3 days before: no 7-day reminder on the confirmation's heels",
			testStart.Add(-3*day - time.Minute), []time.Duration{3 * day, 2*day + time.Hour, 20 * time.Hour},
			app.LetterReminder1d, "Tomorrow at 09:30: ", "is tomorrow at 09:30."},
		{"confirmed 5 days before: the 7-day reminder waits a day",
			testStart.Add(-5 * day), []time.Duration{5*day - time.Minute, 4*day + time.Hour, 4*day - time.Hour},
			app.LetterReminder7d, "In 4 days: ", "is on Tuesday 10 March, in 4 days."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newBookingEnv(t)
			employer := e.employer(t)
			school := e.bookerSchool(t, "117050")
			o := e.publish(t, employer, nil)
			b := e.mustBook(t, school, o.Sessions[0].ID, pupils(30, 9))
			e.now = c.confirmAt
			e.confirm(t, employer, b)
			for _, before := range c.sweeps {
				e.sweep(t, testStart.Add(-before))
			}

			prefix := "booking/" + b.ID + "/"
			for _, kind := range []string{app.LetterReminder7d, app.LetterReminder1d} {
				got := e.jobs(t, prefix+kind+"/")
				if want := map[bool]int{true: 2}[kind == c.kind]; len(got) != want {
					t.Fatalf("%s jobs %v, want %d", kind, got, want)
				}
			}
			at := prefix + c.kind + "/" + b.Start.UTC().Format("20060102T1504Z") + "/" + school.UserID
			m := e.job(t, at).Message
			if !strings.HasPrefix(m.Subject, c.subject) || !strings.Contains(m.Text, c.says) ||
				!strings.Contains(m.HTML, c.says) {
				t.Fatalf("subject %q, want it to start %q; text and HTML should say %q:\n%s\n%s",
					m.Subject, c.subject, c.says, m.Text, m.HTML)
			}
			if c.kind == app.LetterReminder7d && !strings.HasSuffix(m.Subject, ", Tuesday 10 March 2026") {
				t.Fatalf("subject %q gives no date", m.Subject)
			}
		})
	}
}

func TestSweepAsksForFeedbackOnceAfterEverySessionThatTookPlace(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o := e.publish(t, employer, nil)
	came := app.MoveInput{Attendance: []app.Attendance{{Audience: "y9", Count: 2}}}
	absent := app.MoveInput{Reason: "Nobody came"}

	// Each booking is confirmed now; steps below move and sweep them in
	// time order.
	names := []string{"delivered during", "delivered after", "unrecorded", "delivered late",
		"no-show during", "no-show after", "cancelled"}
	schools, bookings := map[string]*app.Actor{}, map[string]*app.Booking{}
	for i, name := range names {
		schools[name] = e.bookerSchool(t, fmt.Sprintf("1171%02d", i))
		bookings[name] = e.confirm(t, employer, e.mustBook(t, schools[name], o.Sessions[0].ID, pupils(2, 9)))
	}
	move := func(name, move string, in app.MoveInput, at time.Time) {
		t.Helper()
		e.now = at
		if _, err := e.svc.MoveBooking(ctx, schools[name], bookings[name].ID, move, in); err != nil {
			t.Fatalf("%s: %s: %v", name, move, err)
		}
	}
	asked := func(name string) int {
		return len(e.jobs(t, "booking/"+bookings[name].ID+"/"+app.LetterFeedbackRequest+"/"))
	}

	move("cancelled", app.MoveCancel, app.MoveInput{Reason: "Exams moved"}, testNow)
	move("no-show during", app.MoveNoShow, absent, testStart.Add(10*time.Minute))
	move("delivered during", app.MoveAttendance, came, testStart.Add(30*time.Minute))
	e.sweep(t, testStart.Add(40*time.Minute))
	if n := asked("delivered during"); n != 0 {
		t.Fatalf("feedback asked during the session: %d", n)
	}

	e.sweep(t, testEnd.Add(time.Minute))
	move("delivered after", app.MoveAttendance, came, testEnd.Add(2*time.Hour))
	// The school gives its feedback before the sweep asks: only the
	// employer is asked.
	if _, err := e.svc.GiveFeedback(ctx, schools["delivered after"], bookings["delivered after"].ID,
		app.FeedbackInput{Rating: 5}); err != nil {
		t.Fatal(err)
	}
	e.sweep(t, testEnd.Add(2*time.Hour+time.Minute))
	move("no-show after", app.MoveNoShow, absent, testEnd.Add(3*time.Hour))
	e.sweep(t, testEnd.Add(24*time.Hour))
	move("delivered late", app.MoveAttendance, came, testEnd.Add(25*time.Hour))
	e.sweep(t, testEnd.Add(26*time.Hour))
	e.sweep(t, testEnd.Add(3*24*time.Hour))

	want := map[string]int{"delivered during": 2, "delivered after": 1, "unrecorded": 2, "delivered late": 2}
	for _, name := range names {
		if got := asked(name); got != want[name] {
			t.Errorf("%s: %d feedback requests, want %d", name, got, want[name])
		}
		if b := e.stored(t, bookings[name].ID); b.State == app.BookingDelivered && !b.FeedbackRequested {
			t.Errorf("%s: not marked as asked", name)
		}
	}
	active, err := e.store.ListActiveBookings(ctx, testEnd.Add(365*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range active {
		if b.State == app.BookingDelivered {
			t.Errorf("delivered booking %s still on the sweep's list after its feedback request", b.ID)
		}
	}
}
