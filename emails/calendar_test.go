package emails

import (
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/encounters/encounters/app"
)

// parseCalendar reads iCalendar text back with golang-ical.
func parseCalendar(t *testing.T, text string) *ics.Calendar {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse calendar: %v\n%s", err, text)
	}
	return cal
}

func calendarProperty(cal *ics.Calendar, name string) string {
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == name {
			return p.Value
		}
	}
	return ""
}

func eventValue(ev *ics.VEvent, prop ics.ComponentProperty) string {
	if p := ev.GetProperty(prop); p != nil {
		return p.Value
	}
	return ""
}

func TestInviteTimesAreRightInLondonAndUTC(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name                   string
		start, end             time.Time
		wantStartUTC, wantEndU string
		wantDTStart, wantDTEnd string // as written
	}{
		{"clocks go back, 2026: 00:30 BST to 02:30 GMT is three hours",
			at(2026, time.October, 25, 0, 30), at(2026, time.October, 25, 2, 30),
			"2026-10-24T23:30:00Z", "2026-10-25T02:30:00Z",
			"DTSTART;TZID=Europe/London:20261025T003000", "DTEND;TZID=Europe/London:20261025T023000"},
		{"clocks go back, 2027",
			at(2027, time.October, 31, 0, 30), at(2027, time.October, 31, 2, 30),
			"2027-10-30T23:30:00Z", "2027-10-31T02:30:00Z",
			"DTSTART;TZID=Europe/London:20271031T003000", "DTEND;TZID=Europe/London:20271031T023000"},
		{"starts in the repeated hour, second time round: written in UTC",
			utc("2026-10-25T01:30:00Z"), utc("2026-10-25T03:00:00Z"),
			"2026-10-25T01:30:00Z", "2026-10-25T03:00:00Z",
			"DTSTART:20261025T013000Z", "DTEND;TZID=Europe/London:20261025T030000"},
		{"starts in the repeated hour, first time round: written in UTC",
			utc("2026-10-25T00:15:00Z"), utc("2026-10-25T02:15:00Z"),
			"2026-10-25T00:15:00Z", "2026-10-25T02:15:00Z",
			"DTSTART:20261025T001500Z", "DTEND;TZID=Europe/London:20261025T021500"},
		{"clocks go forward: 00:30 GMT to 03:00 BST is ninety minutes",
			at(2027, time.March, 28, 0, 30), at(2027, time.March, 28, 3, 0),
			"2027-03-28T00:30:00Z", "2027-03-28T02:00:00Z",
			"DTSTART;TZID=Europe/London:20270328T003000", "DTEND;TZID=Europe/London:20270328T030000"},
		{"spans midnight in winter",
			at(2027, time.January, 15, 22, 0), at(2027, time.January, 16, 1, 0),
			"2027-01-15T22:00:00Z", "2027-01-16T01:00:00Z",
			"DTSTART;TZID=Europe/London:20270115T220000", "DTEND;TZID=Europe/London:20270116T010000"},
		{"spans midnight in summer",
			at(2027, time.July, 9, 23, 0), at(2027, time.July, 10, 2, 0),
			"2027-07-09T22:00:00Z", "2027-07-10T01:00:00Z",
			"DTSTART;TZID=Europe/London:20270709T230000", "DTEND;TZID=Europe/London:20270710T020000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := sampleBooking()
			b.Start, b.End = c.start, c.end
			text, method, err := inviteCalendar(*sampleInvite(b, "REQUEST"))
			if err != nil || method != "REQUEST" {
				t.Fatalf("inviteCalendar: %v, method %q", err, method)
			}
			for _, line := range []string{c.wantDTStart, c.wantDTEnd} {
				if !strings.Contains(text, "\r\n"+line+"\r\n") {
					t.Errorf("calendar lacks %q:\n%s", line, text)
				}
			}

			ev := parseCalendar(t, text).Events()[0]
			start, err1 := ev.GetStartAt()
			end, err2 := ev.GetEndAt()
			if err1 != nil || err2 != nil {
				t.Fatalf("read times: %v, %v", err1, err2)
			}
			if got := start.UTC().Format(time.RFC3339); got != c.wantStartUTC {
				t.Errorf("start = %s, want %s", got, c.wantStartUTC)
			}
			if got := end.UTC().Format(time.RFC3339); got != c.wantEndU {
				t.Errorf("end = %s, want %s", got, c.wantEndU)
			}
			if !start.Equal(c.start) || !end.Equal(c.end) {
				t.Errorf("read back %s to %s, want %s to %s", start, end, c.start, c.end)
			}
			if got, want := start.In(app.London).Format("15:04"), c.start.In(app.London).Format("15:04"); got != want {
				t.Errorf("London start = %s, want %s", got, want)
			}
		})
	}
}

func TestInviteCarriesWhatCalendarsNeed(t *testing.T) {
	b := sampleBooking()
	cases := []struct {
		method, status string
	}{
		{"REQUEST", "CONFIRMED"},
		{"CANCEL", "CANCELLED"},
	}
	for _, c := range cases {
		t.Run(c.method, func(t *testing.T) {
			inv := sampleInvite(b, c.method)
			inv.Sequence = 3
			text, _, err := inviteCalendar(*inv)
			if err != nil {
				t.Fatal(err)
			}
			cal := parseCalendar(t, text)
			if calendarProperty(cal, "METHOD") != c.method || calendarProperty(cal, "VERSION") != "2.0" {
				t.Errorf("METHOD %q VERSION %q", calendarProperty(cal, "METHOD"), calendarProperty(cal, "VERSION"))
			}
			ev := cal.Events()[0]
			checks := map[ics.ComponentProperty]string{
				ics.ComponentPropertyUniqueId:  "bkg_1@encounters.test",
				ics.ComponentPropertySequence:  "3",
				ics.ComponentPropertyStatus:    c.status,
				ics.ComponentPropertyDtstamp:   "20270110T120000Z",
				ics.ComponentPropertyLocation:  "Kromek Group, NETpark, Sedgefield TS21 3FD",
				ics.ComponentPropertyUrl:       "https://encounters.test/bookings/bkg_1",
				ics.ComponentPropertyOrganizer: "mailto:no-reply@encounters.test",
			}
			for prop, want := range checks {
				if got := eventValue(ev, prop); got != want {
					t.Errorf("%s = %q, want %q", prop, got, want)
				}
			}
			var emails []string
			for _, a := range ev.Attendees() {
				emails = append(emails, a.Email())
			}
			if strings.Join(emails, " ") != "ann@school.test hr@kromek.test" {
				t.Errorf("attendees = %v", emails)
			}
			if tz := cal.Timezones(); len(tz) != 1 || eventTZID(tz[0]) != "Europe/London" {
				t.Errorf("time zones = %d", len(tz))
			}
		})
	}
}

func eventTZID(tz *ics.VTimezone) string {
	if p := tz.GetProperty(ics.ComponentPropertyTzid); p != nil {
		return p.Value
	}
	return ""
}

func TestTextInAnInviteCannotAddProperties(t *testing.T) {
	inv := sampleInvite(sampleBooking(), "REQUEST")
	inv.Summary = "Talk\r\nATTENDEE:mailto:evil@example.com\r\nX: y; z, w"
	inv.Attendees = []string{"\"Ann, O'Neill; Head: Careers\" <ann@school.test>"}

	text, _, err := inviteCalendar(*inv)
	if err != nil {
		t.Fatal(err)
	}
	ev := parseCalendar(t, text).Events()[0]
	if n := len(ev.Attendees()); n != 1 {
		t.Fatalf("%d attendees, want 1:\n%s", n, text)
	}
	if got := eventValue(ev, ics.ComponentPropertySummary); got != "Talk\nATTENDEE:mailto:evil@example.com\nX: y; z, w" {
		t.Errorf("summary read back as %q", got)
	}
	if cn := ev.Attendees()[0].ICalParameters["CN"]; len(cn) != 1 || cn[0] != "Ann O’Neill Head Careers" {
		t.Errorf("CN = %q", cn)
	}
}

func TestBadInvitesAreRefused(t *testing.T) {
	cases := map[string]func(*app.Invite){
		"no UID":            func(i *app.Invite) { i.UID = "" },
		"ends before start": func(i *app.Invite) { i.End = i.Start.Add(-time.Minute) },
		"no start":          func(i *app.Invite) { i.Start = time.Time{} },
		"unknown method":    func(i *app.Invite) { i.Method = "REPLY" },
		"script URL":        func(i *app.Invite) { i.URL = "javascript:alert(1)" },
		"URL with a break":  func(i *app.Invite) { i.URL = "https://a.test/\r\nATTENDEE:x" },
		"attendee is text":  func(i *app.Invite) { i.Attendees = []string{"not an address"} },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			inv := sampleInvite(sampleBooking(), "REQUEST")
			spoil(inv)
			if _, _, err := inviteCalendar(*inv); err == nil {
				t.Error("a bad invite was written")
			}
		})
	}
}

func TestFeedListsBookingsAndDropsCancelledOnes(t *testing.T) {
	tm := mustTemplates(t)
	live := sampleInvite(sampleBooking(), "REQUEST")
	gone := sampleInvite(sampleBooking(), "REQUEST")
	gone.UID, gone.Cancelled, gone.Sequence = "bkg_2@encounters.test", true, 4

	feed, err := tm.Calendar("Durham Johnston School\r\nbookings", []app.Invite{*live, *gone})
	if err != nil {
		t.Fatal(err)
	}
	cal := parseCalendar(t, string(feed))
	if calendarProperty(cal, "METHOD") != "PUBLISH" || calendarProperty(cal, "X-WR-CALNAME") != "Durham Johnston School bookings" {
		t.Errorf("METHOD %q, name %q", calendarProperty(cal, "METHOD"), calendarProperty(cal, "X-WR-CALNAME"))
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	if eventValue(evs[0], ics.ComponentPropertyStatus) != "CONFIRMED" || eventValue(evs[1], ics.ComponentPropertyStatus) != "CANCELLED" {
		t.Errorf("statuses %q, %q", eventValue(evs[0], ics.ComponentPropertyStatus), eventValue(evs[1], ics.ComponentPropertyStatus))
	}
	if strings.Contains(string(feed), "ATTENDEE") {
		t.Error("the feed names attendees")
	}

	empty, err := tm.Calendar("Nothing yet", nil)
	if err != nil || len(parseCalendar(t, string(empty)).Events()) != 0 {
		t.Errorf("empty feed: %v", err)
	}
}

// TestLondonZoneMatchesTheTimeZoneDatabase checks the VTIMEZONE's rules
// against Go's copy of the tz database: for every year, the change falls
// at the instant the rule gives, with the offsets it gives.
func TestLondonZoneMatchesTheTimeZoneDatabase(t *testing.T) {
	cal := parseCalendar(t, newCalendar(ics.MethodPublish).Serialize())
	tz := cal.Timezones()[0]
	if len(tz.Components) != 2 {
		t.Fatalf("VTIMEZONE has %d parts, want DAYLIGHT and STANDARD", len(tz.Components))
	}
	for _, part := range tz.Components {
		var base *ics.ComponentBase
		switch p := part.(type) {
		case *ics.Daylight:
			base = &p.ComponentBase
		case *ics.Standard:
			base = &p.ComponentBase
		default:
			t.Fatalf("unexpected part %T", part)
		}
		checkZoneRule(t, base)
	}
}

func checkZoneRule(t *testing.T, c *ics.ComponentBase) {
	t.Helper()
	get := func(p ics.Property) string { return c.GetProperty(ics.ComponentProperty(p)).Value }
	from, to := offsetOf(t, get(ics.PropertyTzoffsetfrom)), offsetOf(t, get(ics.PropertyTzoffsetto))
	start, err := time.Parse("20060102T150405", get(ics.PropertyDtstart))
	if err != nil {
		t.Fatal(err)
	}
	var month time.Month
	for _, f := range strings.Split(get(ics.PropertyRrule), ";") {
		if v, ok := strings.CutPrefix(f, "BYMONTH="); ok {
			n, _ := strconv.Atoi(v)
			month = time.Month(n)
		}
	}

	for year := start.Year(); year <= 2040; year++ {
		last := time.Date(year, month+1, 0, start.Hour(), start.Minute(), 0, 0, time.UTC)
		for last.Weekday() != time.Sunday {
			last = last.AddDate(0, 0, -1)
		}
		change := last.Add(-from) // the local time is in the offset before the change
		_, before := change.Add(-time.Second).In(app.London).Zone()
		_, after := change.In(app.London).Zone()
		if time.Duration(before)*time.Second != from || time.Duration(after)*time.Second != to {
			t.Errorf("%d %s: offset %ds then %ds at %s, rule says %s then %s",
				year, month, before, after, change, from, to)
		}
	}
}

func offsetOf(t *testing.T, s string) time.Duration {
	t.Helper()
	h, err1 := strconv.Atoi(s[1:3])
	m, err2 := strconv.Atoi(s[3:5])
	if err1 != nil || err2 != nil {
		t.Fatalf("offset %q", s)
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if s[0] == '-' {
		d = -d
	}
	return d
}
