package emails

import (
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// rescheduledLetter is the letter about sampleBooking moved by its
// employer from Tuesday to Wednesday, with an invite when it is confirmed.
func rescheduledLetter(state string) app.Letter {
	l := letterFor("booking_rescheduled")
	b := l.Booking
	b.State = state
	b.Start = at(2027, time.March, 3, 10, 0)
	b.End = b.Start.Add(90 * time.Minute)
	b.Sequence = 2
	b.History = append(b.History, app.BookingEvent{Move: app.MoveRescheduled, Side: app.SideEmployer,
		OrgID: b.EmployerID, From: state, To: state,
		Reason: "Moved from Tuesday 2 March 2027, 09:30 to Wednesday 3 March 2027, 10:00."})
	l.Reason = b.History[len(b.History)-1].Reason
	if state == app.BookingConfirmed {
		l.Invite = sampleInvite(b, "REQUEST")
	}
	return l
}

func TestRescheduledLetterGivesBothTimes(t *testing.T) {
	tm := mustTemplates(t)
	cases := []struct {
		name, state string
		method      string
		want        []string
		unwanted    []string
	}{
		{"confirmed booking carries the new invite", app.BookingConfirmed, "REQUEST",
			[]string{"Kromek Group has changed the time", "It is now Wednesday 3 March 2027, 10:00 to 11:30.",
				"Moved from Tuesday 2 March 2027, 09:30 to Wednesday 3 March 2027, 10:00.",
				"When: Wednesday 3 March 2027, 10:00 to 11:30", "The attached update moves the session"},
			nil},
		{"requested booking has no invite", app.BookingRequested, "",
			[]string{"Moved from Tuesday 2 March 2027, 09:30", "When: Wednesday 3 March 2027, 10:00 to 11:30"},
			[]string{"attached"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := tm.Compose(rescheduledLetter(c.state))
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != "Session moved: Civil engineering: building the A1, now Wednesday 3 March 2027" {
				t.Errorf("Subject = %q", m.Subject)
			}
			for _, w := range c.want {
				if !strings.Contains(m.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, m.Text)
				}
			}
			for _, w := range c.unwanted {
				if strings.Contains(m.Text, w) {
					t.Errorf("text has %q:\n%s", w, m.Text)
				}
			}
			if !strings.Contains(m.HTML, "Moved from Tuesday 2 March 2027, 09:30") {
				t.Errorf("HTML lacks the old time:\n%s", m.HTML)
			}
			if m.CalendarMethod != c.method {
				t.Errorf("calendar method %q, want %q", m.CalendarMethod, c.method)
			}
			if c.method != "" && (!strings.Contains(m.Calendar, "SEQUENCE:2\r\n") ||
				!strings.Contains(m.Calendar, "DTSTART;TZID=Europe/London:20270303T100000\r\n")) {
				t.Errorf("invite does not carry the new time and sequence:\n%s", m.Calendar)
			}
		})
	}
}
