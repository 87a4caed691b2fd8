package emails

import (
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/encounters/encounters/app"
)

// view is what a template sees: the letter, its finished subject, and a
// few answers worked out from the records it carries.
type view struct {
	app.Letter
	Subject string
	// Category names, for the unsubscribe footer, what the person is
	// turning off.
	Category string
}

// funcs are the words templates may use for times, money and groups.
var funcs = map[string]any{
	"day":       day,
	"clock":     clock,
	"span":      span,
	"moment":    moment,
	"pence":     pence,
	"plural":    plural,
	"years":     years,
	"group":     group,
	"offerType": offerType,
	"capital":   capital,
	"audience":  app.AudienceLabel,
	"method":    payMethod,
	"cond":      cond,
	"pair":      func(a, b string) []string { return []string{a, b} },
	"link":      func(url, label string) button { return button{URL: url, Label: label} },
}

// button is a link drawn as a button in the HTML part.
type button struct {
	URL   string
	Label string
}

// cond is a if test is true in the template sense (non-zero), else b.
func cond(test, a, b any) any {
	if truth, _ := texttemplate.IsTrue(test); truth {
		return a
	}
	return b
}

var (
	textFuncs = texttemplate.FuncMap(funcs)
	htmlFuncs = htmltemplate.FuncMap(funcs)
)

// When is when the letter's session or event happens, in words; empty
// when the letter knows no time.
func (v view) When() string {
	switch {
	case strings.HasPrefix(v.Kind, "sponsorship_") && v.Event != nil && !v.Event.Start.IsZero():
		return span(v.Event.Start, v.Event.End)
	case v.Booking != nil && !v.Booking.Start.IsZero():
		return span(v.Booking.Start, v.Booking.End)
	case v.Invite != nil && !v.Invite.Start.IsZero():
		return span(v.Invite.Start, v.Invite.End)
	case !v.SessionStart.IsZero():
		return span(v.SessionStart, v.SessionEnd)
	case v.Event != nil && !v.Event.Start.IsZero():
		return span(v.Event.Start, v.Event.End)
	}
	return ""
}

// DaysToGo is how many days the booking's session is from when the
// letter is written, counted on London's calendar: 0 on the day itself, 1
// the day before, whatever the hour.
func (v view) DaysToGo() int {
	if v.Booking == nil {
		return 0
	}
	date := func(t time.Time) time.Time {
		y, m, d := t.In(app.London).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return int(date(v.Booking.Start).Sub(date(v.At)) / (24 * time.Hour))
}

// ToGo says how far off the booking's session is: "today", "tomorrow",
// "in 3 days", "in one week".
func (v view) ToGo() string {
	switch n := v.DaysToGo(); {
	case n <= 0:
		return "today"
	case n == 1:
		return "tomorrow"
	case n == 7:
		return "in one week"
	default:
		return "in " + strconv.Itoa(n) + " days"
	}
}

// Due says when the booking's session is, seen from when the letter is
// written: "today at 17:45", "tomorrow at 17:45", or the date and the
// days to go, "on Monday 7 December, in 3 days".
func (v view) Due() string {
	if v.Booking == nil {
		return ""
	}
	start := v.Booking.Start
	switch n := v.DaysToGo(); {
	case n < 0:
		return "on " + day(start)
	case n <= 1:
		return v.ToGo() + " at " + clock(start)
	}
	return "on " + start.In(app.London).Format("Monday 2 January") + ", " + v.ToGo()
}

// capital starts a sentence with a capital letter: "Today at 17:45".
func capital(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// Mover is the organisation that made the booking's latest move, or ""
// when the history does not say.
func (v view) Mover() string {
	b := v.Booking
	if b == nil || len(b.History) == 0 {
		return ""
	}
	switch b.History[len(b.History)-1].Side {
	case app.SideBooker:
		return b.OrgName
	case app.SideEmployer:
		return b.EmployerName
	}
	return ""
}

// Why is the reason given for the move the letter is about: the letter's
// own, or else the one in the booking's latest history entry.
func (v view) Why() string {
	if v.Reason != "" {
		return v.Reason
	}
	if b := v.Booking; b != nil && len(b.History) > 0 {
		return b.History[len(b.History)-1].Reason
	}
	return ""
}

// Missing lists the checklist items still to do.
func (v view) Missing() []app.ChecklistItem {
	var out []app.ChecklistItem
	for _, it := range v.Items {
		if !it.Done {
			out = append(out, it)
		}
	}
	return out
}

// FundedItem is the label of what the sponsorship pays for, or "".
func (v view) FundedItem() string {
	if v.Sponsorship == nil || v.Event == nil || v.Sponsorship.ItemID == "" {
		return ""
	}
	for _, it := range v.Event.Items {
		if it.ID == v.Sponsorship.ItemID {
			return it.Label
		}
	}
	return ""
}

// Sponsor is how the organiser's notice names the sponsor.
func (v view) Sponsor() string {
	sp := v.Sponsorship
	switch {
	case sp == nil:
		return ""
	case sp.Name != "":
		return sp.Name
	case sp.DisplayName != "":
		return sp.DisplayName
	}
	return "A sponsor"
}

// MoneyIn is the money an event has actually received, in pence: card
// payments less refunds, plus offline money received.
func (v view) MoneyIn() int64 {
	if v.Event == nil {
		return 0
	}
	t := v.Event.Totals
	return t.RaisedPence - t.RefundedPence + t.ReceivedPence
}

// FullRefund reports whether the whole sponsorship has gone back.
func (v view) FullRefund() bool {
	sp := v.Sponsorship
	return sp != nil && sp.RefundedPence >= sp.AmountPence
}

// payMethod says how a sponsorship was given: "by card".
func payMethod(m string) string {
	switch m {
	case app.PayCard:
		return "by card"
	case app.PayInvoice:
		return "by invoice"
	case app.PayTransfer:
		return "by bank transfer"
	case app.PayInKind:
		return "in kind"
	}
	return ""
}

// HoldUntil is the end of the letter's waitlist hold; zero when none.
func (v view) HoldUntil() time.Time {
	if v.Waitlist == nil {
		return time.Time{}
	}
	return v.Waitlist.HoldUntil
}
