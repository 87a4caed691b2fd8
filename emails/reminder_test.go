package emails

import (
	"strings"
	"testing"
	"time"
)

func TestRemindersSayTheRealTimeToGo(t *testing.T) {
	tm := mustTemplates(t)
	// sampleBooking starts on Tuesday 2 March 2027 at 09:30; the summer
	// one on Wednesday 2 June 2027 at 09:30 BST.
	summer := at(2027, time.June, 2, 9, 30)
	cases := []struct {
		name    string
		kind    string
		start   time.Time
		written time.Time
		subject string
		says    string
	}{
		{"1 day, on the morning", "reminder_1d", time.Time{}, at(2027, time.March, 2, 8, 0),
			"Today at 09:30: Civil engineering", "is today at 09:30."},
		{"1 day, the evening before", "reminder_1d", time.Time{}, at(2027, time.March, 1, 23, 59),
			"Tomorrow at 09:30: Civil engineering", "is tomorrow at 09:30."},
		{"1 day, after midnight in London but not in UTC", "reminder_1d", summer,
			time.Date(2027, time.June, 1, 23, 30, 0, 0, time.UTC),
			"Today at 09:30: Civil engineering", "is today at 09:30."},
		{"7 days, 4 days to go", "reminder_7d", time.Time{}, at(2027, time.February, 26, 12, 0),
			"In 4 days: Civil engineering: building the A1, Tuesday 2 March 2027",
			"is on Tuesday 2 March, in 4 days."},
		{"7 days, a week to go", "reminder_7d", time.Time{}, at(2027, time.February, 23, 10, 0),
			"In one week: Civil engineering: building the A1, Tuesday 2 March 2027",
			"is on Tuesday 2 March, in one week."},
		{"7 days, across the clocks going forward", "reminder_7d", at(2027, time.March, 29, 0, 30),
			at(2027, time.March, 27, 23, 30), "In 2 days: ", "is on Monday 29 March, in 2 days."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := letterFor(c.kind)
			if !c.start.IsZero() {
				l.Booking.Start, l.Booking.End = c.start, c.start.Add(time.Hour)
			}
			l.At = c.written
			m, err := tm.Compose(l)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(m.Subject, c.subject) {
				t.Errorf("subject %q, want it to start %q", m.Subject, c.subject)
			}
			if !strings.Contains(m.Text, c.says) || !strings.Contains(m.HTML, c.says) {
				t.Errorf("text and HTML should say %q:\n%s\n%s", c.says, m.Text, m.HTML)
			}
			for _, stale := range []string{"one week away", "is tomorrow."} {
				if strings.Contains(m.Text, stale) {
					t.Errorf("text still says %q", stale)
				}
			}
		})
	}
}

// TestHoldEmailsCountThePlaces checks the waitlist hold emails speak of
// one place as one, and promise only what happens: places not taken pass
// to the next organisation waiting, or to anyone who books.
func TestHoldEmailsCountThePlaces(t *testing.T) {
	tm := mustTemplates(t)
	cases := []struct {
		kind    string
		places  int
		subject string
		says    []string
	}{
		{"hold_offered", 1, "A place held for you", []string{"a place has come free", "If you do not take it by then, it passes to the next organisation waiting"}},
		{"hold_offered", 3, "Places held for you", []string{"places have come free", "by then, they pass to the next organisation waiting, or to anyone who books"}},
		{"hold_lapsed", 1, "Held place released", []string{"The place we held", "was not taken", "released it"}},
		{"hold_lapsed", 3, "Held places released", []string{"The 3 places we held", "were not taken", "released them"}},
	}
	for _, c := range cases {
		l := letterFor(c.kind)
		l.Waitlist.Places = c.places
		m, err := tm.Compose(l)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(m.Subject, c.subject) {
			t.Errorf("%s for %d: subject %q, want it to start %q", c.kind, c.places, m.Subject, c.subject)
		}
		for _, w := range c.says {
			if !strings.Contains(m.Text, w) || !strings.Contains(m.HTML, w) {
				t.Errorf("%s for %d: text and HTML should say %q:\n%s", c.kind, c.places, w, m.Text)
			}
		}
		if strings.Contains(m.Text, "next on the waiting list") {
			t.Errorf("%s for %d promises the next on the waiting list", c.kind, c.places)
		}
	}
}
