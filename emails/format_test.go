package emails

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

func TestPenceAreShownAsPoundsWithoutRounding(t *testing.T) {
	cases := []struct {
		pence int64
		want  string
	}{
		{0, "£0.00"},
		{1, "£0.01"},
		{1999, "£19.99"},
		{100010, "£1,000.10"},
		{123456789, "£1,234,567.89"},
		{-500, "-£5.00"},
		{math.MaxInt64, "£92,233,720,368,547,758.07"},
		{math.MinInt64, "-£92,233,720,368,547,758.08"},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			if got := pence(c.pence); got != c.want {
				t.Errorf("pence(%d) = %q, want %q", c.pence, got, c.want)
			}
		})
	}
}

func TestTimesAreShownInLondon(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	cases := []struct {
		name       string
		start, end time.Time
		want       string
	}{
		{"winter morning", utc(2027, time.March, 2, 9, 30), utc(2027, time.March, 2, 11, 0),
			"Tuesday 2 March 2027, 09:30 to 11:00"},
		{"summer time shifts the clock", utc(2027, time.June, 8, 8, 30), utc(2027, time.June, 8, 10, 0),
			"Tuesday 8 June 2027, 09:30 to 11:00"},
		{"across midnight", utc(2027, time.March, 5, 22, 0), utc(2027, time.March, 6, 1, 0),
			"Friday 5 March 2027, 22:00 to Saturday 6 March 2027, 01:00"},
		{"across the repeated hour", utc(2026, time.October, 24, 23, 30), utc(2026, time.October, 25, 2, 30),
			"Sunday 25 October 2026, 00:30 to 02:30"},
		{"inside the repeated hour, first time", utc(2026, time.October, 25, 0, 30), utc(2026, time.October, 25, 1, 30),
			"Sunday 25 October 2026, 01:30 BST to 01:30 GMT"},
		{"no end", utc(2027, time.March, 2, 9, 30), time.Time{}, "Tuesday 2 March 2027, 09:30"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := span(c.start, c.end); got != c.want {
				t.Errorf("span = %q, want %q", got, c.want)
			}
		})
	}
}

func TestGroupsAndYearsInWords(t *testing.T) {
	cases := []struct {
		name string
		b    app.Booking
		want string
	}{
		{"one year", app.Booking{Places: 30, Group: app.GroupPupils, YearGroups: []int{9}}, "30 pupils in Year 9"},
		{"two years", app.Booking{Places: 30, Group: app.GroupPupils, YearGroups: []int{9, 10}}, "30 pupils in Years 9 and 10"},
		{"three years", app.Booking{Places: 60, Group: app.GroupPupils, YearGroups: []int{7, 8, 9}}, "60 pupils in Years 7, 8 and 9"},
		{"one teacher", app.Booking{Places: 1, Group: app.GroupTeachers}, "1 teacher"},
		{"adults", app.Booking{Places: 12, Group: app.GroupAdults}, "12 adults"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := group(&c.b); got != c.want {
				t.Errorf("group = %q, want %q", got, c.want)
			}
		})
	}
}

func TestSubjectsStayOnOneLine(t *testing.T) {
	cases := map[string]string{
		"Talk\r\nBcc: victim@example.com": "Talk Bcc: victim@example.com",
		"  Talk \t for\u2028Year 9 ":      "Talk for Year 9",
	}
	for in, want := range cases {
		if got := oneLine(in); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", in, got, want)
		}
	}
	long := oneLine(strings.Repeat("é", 500))
	if n := len([]rune(long)); n != 200 {
		t.Errorf("a long subject kept %d characters, want 200", n)
	}
}
