package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
)

func TestCalendarFeed(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "118001")
	o := e.publish(t, employer, func(in *app.OfferInput) {
		in.Sessions = []app.SessionInput{
			{Start: "2026-10-25T09:30", End: "2026-10-25T11:00", Places: 30}, // the clocks go back that night
			{Start: "2026-06-16T09:30", End: "2026-06-16T11:00", Places: 30},
		}
	})
	// Sessions are kept in time order: June, then October.
	confirmed := e.confirm(t, employer, e.mustBook(t, school, o.Sessions[0].ID, pupils(10, 9)))
	requested := e.mustBook(t, school, o.Sessions[1].ID, pupils(10, 9))

	link, err := e.svc.CalendarLink(ctx, school, false)
	prefix := testBaseURL + "/calendar/" + school.OrgID + "/"
	if err != nil || !strings.HasPrefix(link, prefix) || !strings.HasSuffix(link, ".ics") {
		t.Fatalf("calendar link %q, %v", link, err)
	}
	if again, _ := e.svc.CalendarLink(ctx, school, false); again != link {
		t.Fatalf("link changed without a reset: %q", again)
	}
	secret := strings.TrimPrefix(link, prefix)

	for _, a := range []*app.Actor{school, employer} {
		l, err := e.svc.CalendarLink(ctx, a, false)
		if err != nil {
			t.Fatal(err)
		}
		_, s, _ := strings.Cut(strings.TrimPrefix(l, testBaseURL+"/calendar/"), "/")
		cal, err := e.svc.CalendarFeed(ctx, a.OrgID, s)
		text := string(cal)
		if err != nil || !strings.Contains(text, "METHOD:PUBLISH") ||
			!strings.Contains(text, "UID:booking-"+confirmed.ID+"@encounters") ||
			strings.Contains(text, requested.ID) ||
			!strings.Contains(text, "DTSTART;TZID=Europe/London:20260616T093000") {
			t.Fatalf("feed for %s (%v):\n%s", a.OrgID, err, text)
		}
	}

	reset, err := e.svc.CalendarLink(ctx, school, true)
	if err != nil || reset == link {
		t.Fatalf("reset link %q, %v", reset, err)
	}
	tests := []struct {
		name, org, secret string
	}{
		{"old secret", school.OrgID, secret},
		{"wrong organisation", employer.OrgID, strings.TrimPrefix(reset, prefix)},
		{"empty secret", school.OrgID, ""},
		{"bad id", "../etc", "x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.CalendarFeed(ctx, tc.org, tc.secret)
			wantCode(t, err, app.ENotFound)
		})
	}

	// The invite of the session on the day the clocks go back.
	late := e.confirm(t, employer, requested)
	m := e.job(t, "booking/"+late.ID+"/3/"+school.UserID).Message
	if !strings.Contains(m.Calendar, "DTSTART;TZID=Europe/London:20261025T093000") ||
		!late.Start.Equal(late.Start.In(app.London)) || late.Start.UTC().Hour() != 9 {
		t.Fatalf("invite on the day the clocks go back:\n%s", m.Calendar)
	}
}
