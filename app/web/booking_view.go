package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/encounters/encounters/app"
)

// bookingState is a booking state in words, with the colour of its tag.
type bookingState struct {
	Label string
	Class string
}

var bookingStates = map[string]bookingState{
	app.BookingRequested: {"Requested", "govuk-tag--yellow"},
	app.BookingConfirmed: {"Confirmed", "govuk-tag--green"},
	app.BookingDelivered: {"Delivered", "govuk-tag--blue"},
	app.BookingDeclined:  {"Declined", "govuk-tag--red"},
	app.BookingCancelled: {"Cancelled", "govuk-tag--grey"},
	app.BookingNoShow:    {"No-show", "govuk-tag--orange"},
}

// stateOf returns a booking state in words.
func stateOf(state string) bookingState {
	if s, ok := bookingStates[state]; ok {
		return s
	}
	return bookingState{Label: state, Class: "govuk-tag--grey"}
}

// bookingRow is a booking as the bookings list shows it, from the
// caller's side.
type bookingRow struct {
	ID    string
	URL   string
	Title string
	// With is the organisation on the other side.
	With   string
	Side   string
	When   string
	Group  string
	State  bookingState
	Action string
}

// newBookingRow describes b for a member of orgID. action says what the
// caller should do next, if anything.
func newBookingRow(b *app.Booking, orgID, action string) bookingRow {
	side := b.SideOf(orgID)
	with := b.EmployerName
	if side == app.SideEmployer {
		with = b.OrgName
	}
	return bookingRow{ID: b.ID, URL: "/bookings/" + b.ID, Title: b.OfferTitle, With: with,
		Side: side, When: sessionWhen(b.Start, b.End), Group: groupText(b.Group, b.Places, b.YearGroups),
		State: stateOf(b.State), Action: action}
}

// groupText says who the places are for: "30 pupils in Years 9 and 10",
// "3 teachers", "8 adults".
func groupText(group string, places int, years []int) string {
	switch group {
	case app.GroupTeachers:
		return plural(places, "teacher", "teachers")
	case app.GroupAdults:
		return plural(places, "adult", "adults")
	}
	text := plural(places, "pupil", "pupils")
	if len(years) > 0 {
		text += " in " + audienceList(yearCodes(years))
	}
	return text
}

// yearCodes turns school years into audience codes, in order.
func yearCodes(years []int) []string {
	codes := make([]string, 0, len(years))
	for _, code := range app.Audiences {
		for _, y := range years {
			if app.YearOf(code) == y {
				codes = append(codes, code)
			}
		}
	}
	return codes
}

// attendanceAudiences are the audiences a booking's attendance is
// recorded for: each of its year groups, or its teachers or adults.
func attendanceAudiences(b *app.Booking) []app.Choice {
	switch b.Group {
	case app.GroupTeachers:
		return []app.Choice{{Value: app.AudienceTeachers, Label: "Teachers"}}
	case app.GroupAdults:
		return []app.Choice{{Value: app.AudienceAdults, Label: "Adults"}}
	}
	codes := yearCodes(b.YearGroups)
	if len(codes) == 0 {
		return []app.Choice{{Value: "pupils", Label: "Pupils"}}
	}
	out := make([]app.Choice, 0, len(codes))
	for _, code := range codes {
		out = append(out, app.Choice{Value: code, Label: app.AudienceLabel(code)})
	}
	return out
}

// historyRow is one entry of a booking's history: who (the person's name
// where it was kept, their organisation and its side, never an email),
// when, what and why.
type historyRow struct {
	When   string
	Who    string
	Side   string
	What   string
	Reason string
}

// moveWords say what each move of the history did.
var moveWords = map[string]string{
	app.MoveBooked:              "Asked for places",
	app.MoveChecklist:           "Updated the safeguarding checklist",
	app.MoveConfirm:             "Confirmed the booking",
	app.MoveDecline:             "Declined the booking",
	app.MoveCancel:              "Cancelled the booking",
	app.MoveAttendance:          "Recorded attendance",
	app.MoveAttendanceCorrected: "Corrected the attendance",
	app.MoveNoShow:              "Recorded a no-show",
	app.MoveRescheduled:         "Moved the session",
}

// sideWords name the sides of a booking for people.
var sideWords = map[string]string{
	app.SideBooker:   "booker",
	app.SideEmployer: "employer",
}

// bookingHistory describes b's history, oldest first.
func bookingHistory(b *app.Booking) []historyRow {
	rows := make([]historyRow, 0, len(b.History))
	for _, e := range b.History {
		what, ok := moveWords[e.Move]
		if !ok {
			what = e.Move
		}
		rows = append(rows, historyRow{When: formatDateTime(e.At), Who: historyWho(b, e),
			Side: sideWords[e.Side], What: what, Reason: e.Reason})
	}
	return rows
}

// historyWho names who made a move: the person and their organisation,
// "Sam Lee, Belmont School", or the organisation alone for entries kept
// without a name.
func historyWho(b *app.Booking, e app.BookingEvent) string {
	org := historyOrg(b, e)
	switch {
	case e.Name == "" || e.OrgID == "":
		return org
	case e.OrgID == app.CoordinatorOrgID:
		return e.Name + ", the county coordinator"
	}
	return e.Name + ", " + org
}

// historyOrg names the organisation that made a move.
func historyOrg(b *app.Booking, e app.BookingEvent) string {
	switch {
	case e.OrgID == b.OrgID:
		return b.OrgName
	case e.OrgID == b.EmployerID:
		return b.EmployerName
	case e.OrgID == app.CoordinatorOrgID:
		return "The county coordinator"
	case e.OrgID == "":
		return "Encounters"
	}
	return "Another organisation"
}

// attendanceText sums up recorded attendance: "Year 9: 28, Year 10: 30".
func attendanceText(list []app.Attendance) string {
	text := ""
	for i, a := range list {
		if i > 0 {
			text += ", "
		}
		text += attendanceLabel(a.Audience) + ": " + strconv.Itoa(a.Count)
	}
	return text
}

func attendanceLabel(audience string) string {
	if audience == "pupils" {
		return "Pupils"
	}
	return app.AudienceLabel(audience)
}

// holdRow is a waiting-list entry as the bookings page shows it.
type holdRow struct {
	ID        string
	Title     string
	OfferURL  string
	Group     string
	State     string
	HoldUntil string
	Held      bool
}

// newHoldRow describes a waiting-list entry.
func newHoldRow(w *app.WaitlistEntry) holdRow {
	row := holdRow{ID: w.ID, Title: w.OfferTitle, OfferURL: "/offers/" + w.OfferID,
		Group: groupText(w.Group, w.Places, w.YearGroups), State: w.State,
		Held: w.State == app.WaitHeld}
	if row.Held {
		row.HoldUntil = formatDateTime(w.HoldUntil)
	}
	return row
}

// started reports whether b's session has begun.
func started(b *app.Booking, now time.Time) bool {
	return !now.Before(b.Start)
}

// ratingWords say what each rating means, for each side's question.
var ratingWords = map[string][]string{
	app.SideBooker:   {"", "Not useful", "A little useful", "Quite useful", "Very useful", "Extremely useful"},
	app.SideEmployer: {"", "Badly", "Not very well", "Fairly well", "Well", "Very well"},
}

// ratingQuestions head each side's rating where anyone may read it.
var ratingQuestions = map[string]string{
	app.SideBooker:   "Useful for learners",
	app.SideEmployer: "How it went",
}

// ratingText is a rating in words: "4 out of 5: very useful".
func ratingText(side string, rating int) string {
	words := ratingWords[side]
	if rating < app.FeedbackRatingMin || rating >= len(words) {
		return strconv.Itoa(rating) + " out of " + strconv.Itoa(app.FeedbackRatingMax)
	}
	return strconv.Itoa(rating) + " out of " + strconv.Itoa(app.FeedbackRatingMax) + ": " +
		strings.ToLower(words[rating])
}

// ratingChoices are the radios of side's rating, best first.
func ratingChoices(side string) []app.Choice {
	words := ratingWords[side]
	out := make([]app.Choice, 0, app.FeedbackRatingMax)
	for r := app.FeedbackRatingMax; r >= app.FeedbackRatingMin; r-- {
		out = append(out, app.Choice{Value: strconv.Itoa(r), Label: strconv.Itoa(r) + ": " + words[r]})
	}
	return out
}

// feedbackRow is one side's feedback as the booking page shows it: the
// organisation, never the person who gave it.
type feedbackRow struct {
	Side      string
	Who       string
	Mine      bool
	Question  string
	Rating    string
	BookAgain string // "Yes", "No" or "" when not said
	Comment   string
	When      string
}

// feedbackRows describes the feedback given on b, the booker's first,
// leaving out skip's (the side whose own form shows it).
func feedbackRows(b *app.Booking, viewer, skip string) []feedbackRow {
	var rows []feedbackRow
	for _, side := range []string{app.SideBooker, app.SideEmployer} {
		fb, ok := b.Feedback[side]
		if !ok || side == skip {
			continue
		}
		row := feedbackRow{Side: sideWords[side], Who: b.OrgName, Mine: side == viewer,
			Question: ratingQuestions[side], Rating: ratingText(side, fb.Rating),
			BookAgain: yesNo(fb.WouldBookAgain), Comment: fb.Comment, When: formatDateTime(fb.At)}
		if side == app.SideEmployer {
			row.Who = b.EmployerName
		}
		rows = append(rows, row)
	}
	return rows
}

// yesNo is an optional answer in words, "" when not given.
func yesNo(v *bool) string {
	switch {
	case v == nil:
		return ""
	case *v:
		return "Yes"
	}
	return "No"
}
