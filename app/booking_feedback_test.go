package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// yes and no are answers to "would you book this employer again?".
var (
	yes = func() *bool { v := true; return &v }()
	no  = func() *bool { v := false; return &v }()
)

func TestGiveFeedbackOnRealEngines(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "118001")
	other := e.bookerSchool(t, "118002")
	coordinator := e.coordinator(t)
	sessionID := e.publish(t, employer, nil).Sessions[0].ID

	// Refused feedback changes nothing, so one booking per state serves.
	shared := map[string]*app.Booking{}
	for _, state := range allStates {
		shared[state] = e.bookingIn(t, state, school, employer, sessionID)
	}
	good := app.FeedbackInput{Rating: 4, Comment: "  The pupils asked questions for an hour.\n", WouldBookAgain: yes}

	tests := []struct {
		name  string
		state string
		who   *app.Actor
		at    time.Time
		in    app.FeedbackInput
		code  string
		field string
	}{
		{"the booker, on a delivered booking", app.BookingDelivered, school, testEnd, good, "", ""},
		{"the employer, on a confirmed booking", app.BookingConfirmed, employer, testEnd.Add(time.Hour),
			app.FeedbackInput{Rating: 5}, "", ""},
		{"the booker, saying nothing of booking again", app.BookingConfirmed, school, testEnd,
			app.FeedbackInput{Rating: 1, Comment: strings.Repeat("é", app.FeedbackCommentMax)}, "", ""},
		{"no rating", app.BookingDelivered, school, testEnd, app.FeedbackInput{Comment: "Good"}, app.EInvalid, "rating"},
		{"a rating of 6", app.BookingDelivered, employer, testEnd, app.FeedbackInput{Rating: 6}, app.EInvalid, "rating"},
		{"a rating of -1", app.BookingDelivered, school, testEnd, app.FeedbackInput{Rating: -1}, app.EInvalid, "rating"},
		{"a comment too long", app.BookingDelivered, school, testEnd,
			app.FeedbackInput{Rating: 3, Comment: strings.Repeat("a", app.FeedbackCommentMax+1)}, app.EInvalid, "comment"},
		{"the employer saying it would book again", app.BookingDelivered, employer, testEnd,
			app.FeedbackInput{Rating: 3, WouldBookAgain: no}, app.EInvalid, "would_book_again"},
		{"before the session ends", app.BookingDelivered, school, testEnd.Add(-time.Minute), good, app.EConflict, ""},
		{"another school", app.BookingDelivered, other, testEnd, good, app.ENotFound, ""},
		{"the coordinator", app.BookingDelivered, coordinator, testEnd, good, app.EForbidden, ""},
		{"a requested booking", app.BookingRequested, school, testEnd, good, app.EConflict, ""},
		{"a declined booking", app.BookingDeclined, school, testEnd, good, app.EConflict, ""},
		{"a cancelled booking", app.BookingCancelled, employer, testEnd, good, app.EConflict, ""},
		{"a no-show", app.BookingNoShow, school, testEnd, good, app.EConflict, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := shared[tc.state]
			if tc.code == "" {
				b = e.bookingIn(t, tc.state, school, employer, sessionID)
			}
			e.now = tc.at
			defer func() { e.now = testNow }()

			got, err := e.svc.GiveFeedback(ctx, tc.who, b.ID, tc.in)
			stored := e.stored(t, b.ID)
			if tc.code != "" {
				if tc.field != "" {
					wantField(t, err, tc.field, "")
				}
				wantCode(t, err, tc.code)
				if len(stored.Feedback) != 0 {
					t.Fatalf("refused feedback was stored: %+v", stored.Feedback)
				}
				return
			}

			wantCode(t, err, "")
			side := b.SideOf(tc.who.OrgID)
			fb, ok := stored.Feedback[side]
			want := strings.TrimSpace(tc.in.Comment)
			if !ok || fb.Rating != tc.in.Rating || fb.Comment != want || fb.UserID != tc.who.UserID ||
				fb.OrgID != tc.who.OrgID || !fb.At.Equal(tc.at) || len(stored.Feedback) != 1 {
				t.Fatalf("stored feedback %+v, want %s's rating %d by %s at %v", stored.Feedback, side,
					tc.in.Rating, tc.who.UserID, tc.at)
			}
			if (fb.WouldBookAgain == nil) != (tc.in.WouldBookAgain == nil) {
				t.Fatalf("would book again %v, want %v", fb.WouldBookAgain, tc.in.WouldBookAgain)
			}
			if got.Feedback[side].Rating != tc.in.Rating {
				t.Fatalf("returned booking's feedback %+v", got.Feedback)
			}
		})
	}
}

// TestFeedbackSendsNoEmail gives, changes and repeats feedback from both
// sides of a delivered booking: the latest of each side is kept, the
// history and the outbox stay as they were, and the sweep finds nothing
// to announce.
func TestFeedbackSendsNoEmail(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "118010")
	sessionID := e.publish(t, employer, nil).Sessions[0].ID
	b := e.bookingIn(t, app.BookingDelivered, school, employer, sessionID)
	prefix := "booking/" + b.ID + "/"

	e.sweep(t, testEnd.Add(time.Minute))
	before := e.stored(t, b.ID)
	jobs := e.jobs(t, prefix)
	if !before.FeedbackRequested || len(e.jobs(t, prefix+app.LetterFeedbackRequest+"/")) != 2 {
		t.Fatalf("feedback not requested from both sides: %v", jobs)
	}

	steps := []struct {
		who *app.Actor
		in  app.FeedbackInput
	}{
		{school, app.FeedbackInput{Rating: 3, Comment: "Too long for Year 9.", WouldBookAgain: no}},
		{employer, app.FeedbackInput{Rating: 4, Comment: "A lively group."}},
		{school, app.FeedbackInput{Rating: 5, Comment: "On reflection, the best talk this year.", WouldBookAgain: yes}},
	}
	for i, st := range steps {
		e.now = testEnd.Add(time.Duration(i+2) * time.Hour)
		if _, err := e.svc.GiveFeedback(ctx, st.who, b.ID, st.in); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	changed := e.now
	e.now = changed.Add(time.Hour)
	if _, err := e.svc.GiveFeedback(ctx, school, b.ID, steps[2].in); err != nil {
		t.Fatalf("the same feedback again: %v", err)
	}
	e.sweep(t, changed.Add(2*time.Hour))

	after := e.stored(t, b.ID)
	mine, theirs := after.Feedback[app.SideBooker], after.Feedback[app.SideEmployer]
	if mine.Rating != 5 || mine.WouldBookAgain == nil || !*mine.WouldBookAgain || !mine.At.Equal(changed) {
		t.Fatalf("booker's feedback %+v, want the latest, given at %v", mine, changed)
	}
	if theirs.Rating != 4 || theirs.Comment != "A lively group." || theirs.WouldBookAgain != nil {
		t.Fatalf("employer's feedback %+v", theirs)
	}
	if len(after.History) != len(before.History) || after.Announced != before.Announced {
		t.Fatalf("history %d entries (announced %d), want %d (%d) as before", len(after.History),
			after.Announced, len(before.History), before.Announced)
	}
	if got := e.jobs(t, prefix); strings.Join(got, " ") != strings.Join(jobs, " ") {
		t.Fatalf("jobs after feedback %v, want %v", got, jobs)
	}
}
