package emails

import (
	"strconv"
	"strings"
	"time"

	"github.com/encounters/encounters/app"
)

// Words for times, money and groups in emails. Times are always shown in
// Europe/London, whatever zone they arrive in.

// day is a date in words: "Tuesday 3 March 2027".
func day(t time.Time) string {
	return t.In(app.London).Format("Monday 2 January 2006")
}

// clock is a time of day: "09:30". On the night the clocks go back the
// hour from 01:00 to 02:00 happens twice, so a time in it says which:
// "01:30 BST" or "01:30 GMT".
func clock(t time.Time) string {
	local := t.In(app.London)
	s := local.Format("15:04")
	if repeatedHour(t) {
		s += " " + local.Format("MST")
	}
	return s
}

// repeatedHour reports whether t's wall-clock time in London happens
// twice (the hour after 01:00 on the last Sunday of October). London's
// offsets differ by one hour, so looking an hour either side is enough.
func repeatedHour(t time.Time) bool {
	const layout = "2006-01-02 15:04:05.999999999"
	wall := t.In(app.London).Format(layout)
	return t.Add(-time.Hour).In(app.London).Format(layout) == wall ||
		t.Add(time.Hour).In(app.London).Format(layout) == wall
}

// span is when a session happens: "Tuesday 3 March 2027, 09:30 to 11:00",
// naming the second day too when it ends on another one.
func span(start, end time.Time) string {
	if end.IsZero() || !end.After(start) {
		return day(start) + ", " + clock(start)
	}
	if day(start) == day(end) {
		return day(start) + ", " + clock(start) + " to " + clock(end)
	}
	return day(start) + ", " + clock(start) + " to " + day(end) + ", " + clock(end)
}

// moment is a deadline: "Thursday 5 March 2027 at 14:00".
func moment(t time.Time) string {
	return day(t) + " at " + clock(t)
}

// pence is an amount of money in pounds: "£1,000.10", "-£5.00". It works
// on whole pence only; no floating point is involved.
func pence(p int64) string {
	sign := ""
	mag := uint64(p)
	if p < 0 {
		sign = "-"
		mag = uint64(-(p + 1)) + 1 // the magnitude of math.MinInt64 too
	}

	pounds := strconv.FormatUint(mag/100, 10)
	pp := mag % 100
	return sign + "£" + thousands(pounds) + "." + string(rune('0'+pp/10)) + string(rune('0'+pp%10))
}

// thousands puts commas between groups of three digits.
func thousands(digits string) string {
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

// plural is "1 place" or "30 places".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// years names school years: "Year 9", "Years 9 and 10", "Years 7, 8 and 9".
func years(ys []int) string {
	words := make([]string, len(ys))
	for i, y := range ys {
		words[i] = strconv.Itoa(y)
	}
	switch len(ys) {
	case 0:
		return ""
	case 1:
		return "Year " + words[0]
	}
	return "Years " + strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// group says who a booking's places are for: "30 pupils in Years 9 and
// 10", "4 teachers", "12 adults".
func group(b *app.Booking) string {
	switch b.Group {
	case app.GroupTeachers:
		return plural(b.Places, "teacher", "teachers")
	case app.GroupAdults:
		return plural(b.Places, "adult", "adults")
	}
	s := plural(b.Places, "pupil", "pupils")
	if len(b.YearGroups) > 0 {
		s += " in " + years(b.YearGroups)
	}
	return s
}

// offerType is an offer type in running text: "careers talk".
func offerType(code string) string {
	label := app.LabelOf(app.OfferTypes, code)
	if label == code {
		return strings.ReplaceAll(code, "_", " ")
	}
	return strings.ToLower(label[:1]) + label[1:]
}

// oneLine folds a subject onto one line, however it was typed: every run
// of spaces, tabs and line breaks becomes one space, and a very long
// subject is cut short.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const most = 200
	if r := []rune(s); len(r) > most {
		s = strings.TrimSpace(string(r[:most-1])) + "…"
	}
	return s
}
