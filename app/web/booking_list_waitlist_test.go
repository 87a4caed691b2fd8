package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// waitingLists returns the "Waiting lists" section of a bookings page.
func waitingLists(t *testing.T, res *response) string {
	t.Helper()
	start := strings.Index(res.Body, `id="waitlist"`)
	end := strings.Index(res.Body, `id="past"`)
	if start < 0 || end < start {
		t.Fatalf("no waiting lists section\n%.3000s", res.Body)
	}
	return res.Body[start:end]
}

// TestBookingsPageWaitingLists checks that a careers leader can tell from
// the bookings page which session each waiting-list entry is for, and
// where it stands: waiting and how far along, or held and until when.
func TestBookingsPageWaitingLists(t *testing.T) {
	m := newBookingMarket(t)
	ctx := context.Background()
	sid := m.consett.Sessions[0].ID
	full := m.mustBook(t, m.schoolActor, sid, 15, 10)
	third := m.mustMember(t, "ash@framwellgate.test",
		m.mustSchool(t, "114002", "Framwellgate School Durham", "DH1 5BQ"))
	for i, a := range []*app.Actor{m.mustActor(t, m.otherSchoolEmail), third} {
		joined := marketTestNow.Add(time.Duration(i) * time.Minute)
		m.ts.Svc.Now = func() time.Time { return joined }
		in := app.BookingInput{Places: 5, Group: app.GroupPupils, YearGroups: []int{10}, Waitlist: true}
		if _, w, err := m.ts.Svc.Book(ctx, a, sid, in); err != nil || w == nil {
			t.Fatalf("join waitlist: %v, %v", w, err)
		}
	}

	const when = "Thu 3 December 2026, 1pm to 3pm"
	tests := []struct {
		name, email string
		want        []string
	}{
		{"first to join", m.otherSchoolEmail, []string{when, "Waiting", "Next in the queue", "Leave the waiting list"}},
		{"second to join", "ash@framwellgate.test", []string{when, "1 organisation ahead of you"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			section := waitingLists(t, m.as(t, tt.email).get("/bookings"))
			for _, want := range tt.want {
				if !strings.Contains(section, want) {
					t.Errorf("waiting lists lack %q\n%s", want, section)
				}
			}
		})
	}

	if _, err := m.ts.Svc.MoveBooking(ctx, m.schoolActor, full.ID, app.MoveCancel,
		app.MoveInput{Reason: "The coach fell through."}); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	res := m.as(t, m.otherSchoolEmail).get("/bookings")
	section := waitingLists(t, res)
	for _, want := range []string{when, "Places held", "Held for you until ", `href="#to-act-on"`} {
		if !strings.Contains(section, want) {
			t.Errorf("waiting lists lack %q once places are held\n%s", want, section)
		}
	}
	wantContains(t, res, "Waiting lists (1)", "Take the places")
	toAct := res.Body[strings.Index(res.Body, `id="to-act-on"`):strings.Index(res.Body, `id="upcoming"`)]
	if !strings.Contains(toAct, when) {
		t.Errorf("the places held to act on do not say when the session is (%q)\n%s", when, toAct)
	}

	// Past its time, before the sweep passes it on, the hold is shown as
	// run out and offers nothing to take.
	later := m.ts.Svc.Now().Add(app.DefaultHold + time.Minute)
	m.ts.Svc.Now = func() time.Time { return later }
	res = m.as(t, m.otherSchoolEmail).get("/bookings")
	wantContains(t, res, "Hold ran out", "the places pass to the next organisation waiting")
	wantLacks(t, res, "Take the places", `href="#to-act-on">Take or give up`)
}
