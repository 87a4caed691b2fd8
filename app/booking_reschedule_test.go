package app_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// threeSessions adds two later Tuesdays to validOffer's session.
func threeSessions(in *app.OfferInput) {
	in.Sessions = append(in.Sessions,
		app.SessionInput{Start: "2026-03-17T09:30", End: "2026-03-17T11:00", Places: 60},
		app.SessionInput{Start: "2026-03-24T09:30", End: "2026-03-24T11:00", Places: 60})
}

func TestRescheduledSessionMovesItsBookings(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o := e.publish(t, employer, threeSessions)
	moved, longer, kept := o.Sessions[0].ID, o.Sessions[1].ID, o.Sessions[2].ID

	confirmedSchool, requestedSchool := e.bookerSchool(t, "116001"), e.bookerSchool(t, "116002")
	confirmed := e.confirm(t, employer, e.mustBook(t, confirmedSchool, moved, pupils(30, 9)))
	declined := e.bookingIn(t, app.BookingDeclined, e.bookerSchool(t, "116003"), employer, moved)
	requested := e.mustBook(t, requestedSchool, longer, pupils(10, 10))
	untouched := e.confirm(t, employer, e.mustBook(t, e.bookerSchool(t, "116004"), kept, pupils(5, 9)))
	jobsBefore := e.jobs(t, "booking/")

	// The first session moves a day and half an hour, the second ends an
	// hour later, the third only loses places; the title changes too.
	in := app.OfferInputOf(o)
	in.Title = "Engineering careers talk at NETpark, with a lab tour"
	in.Sessions[0].Start, in.Sessions[0].End = "2026-03-11T10:00", "2026-03-11T11:30"
	in.Sessions[1].End = "2026-03-17T12:00"
	in.Sessions[2].Places = 50
	if _, err := e.svc.UpdateOffer(ctx, employer, o.ID, in); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		booking    *app.Booking
		recipients []*app.Actor
		start, end time.Time
		reason     string // of the new history entry; "" when none is wanted
		method     string
		dtstart    string
	}{
		{"confirmed booking moves with a new invite", confirmed, []*app.Actor{confirmedSchool, employer},
			time.Date(2026, time.March, 11, 10, 0, 0, 0, app.London),
			time.Date(2026, time.March, 11, 11, 30, 0, 0, app.London),
			"Moved from Tuesday 10 March 2026, 09:30 to Wednesday 11 March 2026, 10:00.",
			"REQUEST", "DTSTART;TZID=Europe/London:20260311T100000"},
		{"requested booking is told without an invite", requested, []*app.Actor{requestedSchool, employer},
			time.Date(2026, time.March, 17, 9, 30, 0, 0, app.London),
			time.Date(2026, time.March, 17, 12, 0, 0, 0, app.London),
			"The end time moved from Tuesday 17 March 2026, 11:00 to Tuesday 17 March 2026, 12:00.", "", ""},
		{"declined booking keeps its times", declined, nil, testStart, testEnd, "", "", ""},
		{"booking of an unmoved session is left alone", untouched, nil,
			time.Date(2026, time.March, 24, 9, 30, 0, 0, app.London),
			time.Date(2026, time.March, 24, 11, 0, 0, 0, app.London), "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := e.stored(t, tc.booking.ID)
			if !got.Start.Equal(tc.start) || !got.End.Equal(tc.end) {
				t.Fatalf("booking times %v to %v, want %v to %v", got.Start, got.End, tc.start, tc.end)
			}
			if tc.reason == "" {
				wantUnchanged(t, tc.booking, got)
				return
			}
			wantRescheduled(t, tc.booking, got, employer, tc.reason)

			prefix := "booking/" + got.ID + "/" + strconv.Itoa(len(got.History)) + "/"
			var want []string
			for _, who := range tc.recipients {
				want = append(want, prefix+who.UserID)
			}
			slices.Sort(want)
			if ids := e.jobs(t, prefix); !slices.Equal(ids, want) {
				t.Fatalf("jobs %v, want %v", ids, want)
			}
			for _, id := range want {
				wantRescheduledLetter(t, e.job(t, id).Message, tc.reason, tc.method, tc.dtstart, got.Sequence)
			}
		})
	}

	t.Run("only the moved bookings queued emails", func(t *testing.T) {
		if n := len(e.jobs(t, "booking/")) - len(jobsBefore); n != 4 {
			t.Fatalf("%d new jobs, want 4 (two for each moved booking)", n)
		}
	})
}

func TestRescheduleIgnoresEditsThatKeepTheTimes(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o := e.publish(t, employer, threeSessions)
	bookings := []*app.Booking{
		e.confirm(t, employer, e.mustBook(t, e.bookerSchool(t, "116011"), o.Sessions[0].ID, pupils(30, 9))),
		e.mustBook(t, e.bookerSchool(t, "116012"), o.Sessions[1].ID, pupils(10, 10)),
	}
	jobsBefore := e.jobs(t, "booking/")

	edits := []struct {
		name string
		edit func(*app.OfferInput)
	}{
		{"places", func(in *app.OfferInput) { in.Sessions[0].Places, in.Sessions[1].Places = 45, 40 }},
		{"title and description", func(in *app.OfferInput) {
			in.Title, in.Description = "Radiation detectors: a careers talk", "Meet the engineers."
		}},
		{"times typed as RFC 3339", func(in *app.OfferInput) {
			in.Sessions[0].Start, in.Sessions[0].End = "2026-03-10T09:30:00Z", "2026-03-10T11:00:00Z"
		}},
		{"a new session", func(in *app.OfferInput) {
			in.Sessions = append(in.Sessions, app.SessionInput{Start: "2026-04-14T09:30", End: "2026-04-14T11:00", Places: 20})
		}},
	}
	for _, ed := range edits {
		t.Run(ed.name, func(t *testing.T) {
			current, err := e.store.GetOffer(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			in := app.OfferInputOf(current)
			ed.edit(&in)
			if _, err := e.svc.UpdateOffer(ctx, employer, o.ID, in); err != nil {
				t.Fatal(err)
			}

			for _, b := range bookings {
				wantUnchanged(t, b, e.stored(t, b.ID))
			}
			if got := e.jobs(t, "booking/"); !slices.Equal(got, jobsBefore) {
				t.Fatalf("jobs queued: %v", got[len(jobsBefore):])
			}
		})
	}
}

// wantUnchanged fails the test when the stored booking moved on from
// before.
func wantUnchanged(t *testing.T, before, got *app.Booking) {
	t.Helper()
	if !got.Start.Equal(before.Start) || !got.End.Equal(before.End) || got.Sequence != before.Sequence ||
		len(got.History) != len(before.History) {
		t.Fatalf("booking changed: %v to %v, sequence %d, %d entries; was %v to %v, sequence %d, %d entries",
			got.Start, got.End, got.Sequence, len(got.History), before.Start, before.End, before.Sequence,
			len(before.History))
	}
}

// wantRescheduled checks the stored booking's new history entry and
// sequence, and that every email of it is queued.
func wantRescheduled(t *testing.T, before, got *app.Booking, employer *app.Actor, reason string) {
	t.Helper()
	if got.State != before.State || got.Sequence != before.Sequence+1 || len(got.History) != len(before.History)+1 ||
		got.Announced != len(got.History) {
		t.Fatalf("booking %s, sequence %d (was %d), %d entries (was %d), %d announced", got.State, got.Sequence,
			before.Sequence, len(got.History), len(before.History), got.Announced)
	}
	last := got.History[len(got.History)-1]
	want := app.BookingEvent{At: testNow.UTC(), UserID: employer.UserID, OrgID: employer.OrgID,
		Side: app.SideEmployer, Move: app.MoveRescheduled, From: before.State, To: before.State, Reason: reason}
	if !last.At.Equal(want.At) || last.UserID != want.UserID || last.OrgID != want.OrgID || last.Side != want.Side ||
		last.Move != want.Move || last.From != want.From || last.To != want.To || last.Reason != want.Reason {
		t.Fatalf("history entry %+v, want %+v", last, want)
	}
}

// wantRescheduledLetter checks one queued email about a rescheduling: an
// invite with the new start and sequence when method is set, none
// otherwise.
func wantRescheduledLetter(t *testing.T, m app.Message, reason, method, dtstart string, sequence int) {
	t.Helper()
	if m.Kind != app.LetterBookingRescheduled || !strings.Contains(m.Text, reason) ||
		m.CalendarMethod != method {
		t.Fatalf("email %s (%s) to %s:\n%s", m.Kind, m.CalendarMethod, m.To, m.Text)
	}
	if method == "" {
		if m.Calendar != "" || len(m.Attachments) != 0 {
			t.Fatalf("a letter without an invite carries one:\n%s", m.Calendar)
		}
		return
	}
	if !strings.Contains(m.Calendar, dtstart+"\r\n") || !strings.Contains(m.Calendar, "SEQUENCE:"+strconv.Itoa(sequence)+"\r\n") {
		t.Fatalf("invite lacks %s and SEQUENCE:%d:\n%s", dtstart, sequence, m.Calendar)
	}
}
