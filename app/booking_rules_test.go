package app_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// allStates and allSides are every state and every side a move can come
// from ("" is someone on neither side, such as the coordinator).
var (
	allStates = []string{app.BookingRequested, app.BookingConfirmed, app.BookingDelivered,
		app.BookingDeclined, app.BookingCancelled, app.BookingNoShow}
	allSides = []string{app.SideBooker, app.SideEmployer, ""}
	allWhens = []string{app.BeforeStart, app.AfterStart}
)

// allowedMoves is the state table as DESIGN.md and the issue describe it,
// written out here rather than read from app.Transitions: state, move,
// side and when, to the state it leads to.
var allowedMoves = map[string]string{
	"requested confirm employer before_start":   app.BookingConfirmed,
	"requested decline employer before_start":   app.BookingDeclined,
	"requested cancel booker before_start":      app.BookingCancelled,
	"requested cancel employer before_start":    app.BookingCancelled,
	"confirmed cancel booker before_start":      app.BookingCancelled,
	"confirmed cancel employer before_start":    app.BookingCancelled,
	"confirmed attendance booker after_start":   app.BookingDelivered,
	"confirmed attendance employer after_start": app.BookingDelivered,
	"confirmed no_show booker after_start":      app.BookingNoShow,
	"confirmed no_show employer after_start":    app.BookingNoShow,
	"delivered attendance booker after_start":   app.BookingDelivered,
	"delivered attendance employer after_start": app.BookingDelivered,
}

// movers are the sides that may ever make each move.
var movers = map[string][]string{
	app.MoveConfirm:    {app.SideEmployer},
	app.MoveDecline:    {app.SideEmployer},
	app.MoveCancel:     {app.SideBooker, app.SideEmployer},
	app.MoveAttendance: {app.SideBooker, app.SideEmployer},
	app.MoveNoShow:     {app.SideBooker, app.SideEmployer},
}

// moveCase is one cell of states × moves × sides × when, with what the
// table says of it: the state it leads to, or the error code.
type moveCase struct {
	state, move, side, when string
	to                      string
	code                    string
}

func (c moveCase) String() string {
	side := c.side
	if side == "" {
		side = "neither_side"
	}
	return fmt.Sprintf("%s %s by %s %s", c.state, c.move, side, c.when)
}

// moveCases lists every cell of the table.
func moveCases() []moveCase {
	var cases []moveCase
	for _, state := range allStates {
		for _, move := range app.Moves {
			for _, side := range allSides {
				for _, when := range allWhens {
					c := moveCase{state: state, move: move, side: side, when: when}
					c.to = allowedMoves[strings.Join([]string{state, move, side, when}, " ")]
					switch {
					case c.to != "":
					case !slices.Contains(movers[move], side):
						c.code = app.EForbidden
					default:
						c.code = app.EConflict
					}
					cases = append(cases, c)
				}
			}
		}
	}
	return cases
}

func TestNextMoveCoversTheWholeTable(t *testing.T) {
	start := testStart.UTC()
	at := map[string]time.Time{app.BeforeStart: start.Add(-time.Minute), app.AfterStart: start}
	for _, c := range moveCases() {
		t.Run(c.String(), func(t *testing.T) {
			b := &app.Booking{State: c.state, Start: start, End: start.Add(90 * time.Minute)}
			tr, err := app.NextMove(b, c.side, c.move, at[c.when])
			wantCode(t, err, c.code)
			if c.code != "" {
				if msg := app.ErrorMessage(err); !strings.HasSuffix(msg, ".") || len(msg) < 20 {
					t.Fatalf("refusal %q is not a sentence", msg)
				}
				return
			}
			if tr.To != c.to || tr.Move != c.move {
				t.Fatalf("move leads to %q, want %q", tr.To, c.to)
			}
			allowed := app.AllowedMoves(b, c.side, at[c.when])
			if !slices.ContainsFunc(allowed, func(a app.Transition) bool { return a.Move == c.move }) {
				t.Fatalf("AllowedMoves %v leaves out %s", allowed, c.move)
			}
		})
	}
}

func TestNextMoveRefusals(t *testing.T) {
	start := testStart.UTC()
	b := &app.Booking{State: app.BookingConfirmed, Start: start}
	tests := []struct {
		name, side, move string
		now              time.Time
		code, part       string
	}{
		{"unknown move", app.SideEmployer, "approve", start, app.EInvalid, "Choose a move"},
		{"booker confirms", app.SideBooker, app.MoveConfirm, start, app.EForbidden, "Only the employer can confirm"},
		{"stranger cancels", "", app.MoveCancel, start, app.EForbidden, "Only the employer and the organisation"},
		{"cancel after start", app.SideBooker, app.MoveCancel, start, app.EConflict,
			"started on Tuesday 10 March 2026 at 09:30, so this booking can no longer be cancelled"},
		{"attendance before start", app.SideBooker, app.MoveAttendance, start.Add(-time.Second), app.EConflict,
			"once the session starts, on Tuesday 10 March 2026 at 09:30"},
		{"confirm twice", app.SideEmployer, app.MoveConfirm, start.Add(-time.Hour), app.EConflict,
			"This booking is confirmed, so it cannot be confirmed."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := app.NextMove(b, tc.side, tc.move, tc.now)
			wantCode(t, err, tc.code)
			if tc.code == app.EInvalid {
				wantField(t, err, "move", tc.part)
				return
			}
			if !strings.Contains(app.ErrorMessage(err), tc.part) {
				t.Fatalf("message %q does not say %q", app.ErrorMessage(err), tc.part)
			}
		})
	}
}

func TestBookingChecklistByType(t *testing.T) {
	now := testNow
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation(app.DateLayout, s, app.London)
		return d.UTC()
	}
	base := app.Booking{Start: testStart.UTC(), End: testEnd.UTC(), Places: 30, Group: app.GroupPupils,
		Delivery: app.DeliveryInPerson}

	tests := []struct {
		name      string
		edit      func(*app.Booking)
		wantKeys  string // the items needed, in order
		wantOpen  string // those not done
		wantIssue string // part of a Problem
	}{
		{"careers talk for pupils needs assurance only", func(b *app.Booking) { b.OfferType = app.TypeCareersTalk },
			"assurance", "assurance", ""},
		{"careers talk for adults needs nothing", func(b *app.Booking) {
			b.OfferType, b.Group = app.TypeCareersTalk, app.GroupAdults
		}, "", "", ""},
		{"workplace visit needs everything", func(b *app.Booking) { b.OfferType = app.TypeWorkplaceVisit },
			"assurance risk_assessment insurance parental_consent", "assurance risk_assessment insurance parental_consent", ""},
		{"virtual visit needs no risk assessment or insurance", func(b *app.Booking) {
			b.OfferType, b.Delivery = app.TypeWorkplaceVisit, app.DeliveryVirtual
		}, "assurance parental_consent", "assurance parental_consent", ""},
		{"teacher placement", func(b *app.Booking) {
			b.OfferType, b.Group = app.TypeTeacherPlacement, app.GroupTeachers
		}, "risk_assessment insurance", "risk_assessment insurance", ""},
		{"adult work trial", func(b *app.Booking) {
			b.OfferType, b.Group = app.TypeAdultWorkTrial, app.GroupAdults
		}, "risk_assessment insurance", "risk_assessment insurance", ""},
		{"mentoring needs consent", func(b *app.Booking) { b.OfferType = app.TypeMentoring },
			"assurance parental_consent", "assurance parental_consent", ""},
		{"work experience all done", func(b *app.Booking) {
			b.OfferType = app.TypeWorkExperience
			b.Checklist = app.Checklist{AssuranceOn: day("2026-01-05"), RiskAssessmentOn: day("2026-01-05"),
				InsuranceExpires: day("2026-03-10"), ConsentCount: 30, ConsentGiven: true}
		}, "assurance risk_assessment insurance parental_consent", "", ""},
		{"too few consents", func(b *app.Booking) {
			b.OfferType = app.TypeWorkExperience
			b.Checklist = app.Checklist{AssuranceOn: day("2026-01-05"), RiskAssessmentOn: day("2026-01-05"),
				InsuranceExpires: day("2027-01-01"), ConsentCount: 29, ConsentGiven: true}
		}, "assurance risk_assessment insurance parental_consent", "parental_consent", "29 of 30"},
		{"insurance ends before the session", func(b *app.Booking) {
			b.OfferType = app.TypeWorkplaceVisit
			b.Checklist.InsuranceExpires = day("2026-03-09")
		}, "assurance risk_assessment insurance parental_consent",
			"assurance risk_assessment insurance parental_consent", "expires on 9 March 2026"},
		{"old risk assessment", func(b *app.Booking) {
			b.OfferType = app.TypeWorkplaceVisit
			b.Checklist.RiskAssessmentOn = day("2025-03-01")
		}, "assurance risk_assessment insurance parental_consent",
			"assurance risk_assessment insurance parental_consent", "more than a year before"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := base
			tc.edit(&b)
			items := app.BookingChecklist(&b, now)
			var keys, open, issues []string
			for _, it := range items {
				keys = append(keys, it.Key)
				if !it.Done {
					open = append(open, it.Key)
				}
				issues = append(issues, it.Problem+it.Label)
				if it.Owner != app.SideBooker && it.Key == app.ItemConsent || it.Owner == "" {
					t.Fatalf("item %s owed by %q", it.Key, it.Owner)
				}
			}
			if got := strings.Join(keys, " "); got != tc.wantKeys {
				t.Fatalf("items %q, want %q", got, tc.wantKeys)
			}
			if got := strings.Join(open, " "); got != tc.wantOpen {
				t.Fatalf("items not done %q, want %q", got, tc.wantOpen)
			}
			if tc.wantIssue != "" && !strings.Contains(strings.Join(issues, "|"), tc.wantIssue) {
				t.Fatalf("no item says %q: %v", tc.wantIssue, issues)
			}
		})
	}
}
