package web

import (
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// moveForm is one move the caller may make on a booking, drawn as a
// button with a reason box or attendance inputs where the move needs them.
type moveForm struct {
	Move       string
	Label      string
	Class      string
	Hint       string
	Reason     bool
	Attendance []app.Choice
	// Blocked, when not empty, says why the move cannot be made yet: the
	// page shows it instead of the button.
	Blocked string
	// Values and Error hold what was typed into a refused form.
	Values map[string]string
	Errors map[string]string
}

// Field is the id of one of the move form's inputs.
func (m moveForm) Field(name string) string { return name + "-" + m.Move }

// moveLabels are the buttons of the moves, with their colour.
var moveLabels = map[string][2]string{
	app.MoveConfirm:    {"Confirm booking", ""},
	app.MoveDecline:    {"Decline booking", "govuk-button--warning"},
	app.MoveCancel:     {"Cancel booking", "govuk-button--warning"},
	app.MoveAttendance: {"Record attendance", ""},
	app.MoveNoShow:     {"Record a no-show", "govuk-button--secondary"},
}

// moveHints tell the reader what a move's reason is for.
var moveHints = map[string]string{
	app.MoveDecline: "Tell the school why, so that they can look for another date or employer.",
	app.MoveCancel:  "The other side sees this, and it goes in the booking's history.",
	app.MoveNoShow:  "Say what happened. The other side sees this.",
}

// checklistRow is one safeguarding item in words, for the caller.
type checklistRow struct {
	app.ChecklistItem
	OwnerText string
	Mine      bool
}

// moveFailure is a move, checklist or feedback form the service refused,
// shown again on the booking's page.
type moveFailure struct {
	Move string // "" for the checklist form, feedbackMove for feedback
	Form map[string]string
	Err  error
}

// showBookingPage answers GET /bookings/:id for either side of the
// booking (and the coordinator): the booking, its checklist, the moves
// the caller may make, the feedback given and its history.
func (s *Server) showBookingPage(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.pageError(c, app.ErrNotFound("Booking"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	b, err := s.svc.GetBooking(ctx, actor(c), id)
	if err != nil {
		return s.pageError(c, err)
	}
	return s.renderBooking(c, fiber.StatusOK, b, nil)
}

// renderBooking shows b's page with status; failed, when not nil, is a
// refused form to show again with its problems.
func (s *Server) renderBooking(c *fiber.Ctx, status int, b *app.Booking, failed *moveFailure) error {
	a, now := actor(c), s.now()
	side := b.SideOf(a.OrgID)
	data := fiber.Map{
		"Title": b.OfferTitle, "Booking": b, "Side": side, "SideText": sideWords[side],
		"When": sessionWhen(b.Start, b.End), "Group": groupText(b.Group, b.Places, b.YearGroups),
		"State": stateOf(b.State), "Attendance": attendanceText(b.Attendance),
		"Checklist": checklistRows(b, side, now), "History": bookingHistory(b),
		"Moves": moveForms(b, side, now), "Started": started(b, now),
		"Form": checklistValues(b),
	}
	form := newFeedbackForm(b, side, now)
	data["FeedbackForm"], data["Feedback"] = form, feedbackRows(b, side, form.side())
	if failed == nil {
		return s.render(c, status, "bookings/show", data)
	}

	switch failed.Move {
	case "":
		data["Form"] = failed.Form
		data["Errors"], data["ErrorList"] = checklistErrors(side, failed.Err)
		return s.render(c, status, "bookings/show", data)
	case feedbackMove:
		if form != nil {
			form.Values = failed.Form
		}
		return s.showFormErrors(c, status, "bookings/show", data, failed.Err)
	}
	data["ErrorList"] = showMoveErrors(data["Moves"].([]moveForm), failed)
	return s.render(c, status, "bookings/show", data)
}

// checklistRows describes b's checklist for side.
func checklistRows(b *app.Booking, side string, now time.Time) []checklistRow {
	items := app.BookingChecklist(b, now)
	rows := make([]checklistRow, 0, len(items))
	for _, item := range items {
		row := checklistRow{ChecklistItem: item, Mine: item.Owner == side && b.Active()}
		row.OwnerText = b.EmployerName + " (employer)"
		if item.Owner == app.SideBooker {
			row.OwnerText = b.OrgName + " (booker)"
		}
		rows = append(rows, row)
	}
	return rows
}

// checklistOwners say which side's form has each checklist input.
var checklistOwners = map[string]string{
	"assurance": app.SideEmployer, "assurance_on": app.SideEmployer,
	"risk_assessment_on": app.SideEmployer, "insurance_expires": app.SideEmployer,
	"consent_count": app.SideBooker,
}

// checklistErrors puts the problems of err at side's checklist inputs and
// lists them for the error summary, each linking to its input. A problem
// at the other side's input, which side's form lacks, links to the
// checklist instead, and is listed once.
func checklistErrors(side string, err error) (map[string]string, []app.FieldError) {
	list := app.FieldErrors(err)
	if len(list) == 0 {
		list = []app.FieldError{{Message: app.ErrorMessage(err)}}
	}

	byField := map[string]string{}
	summary := make([]app.FieldError, 0, len(list))
	for _, fe := range list {
		if owner, known := checklistOwners[fe.Field]; known && owner != side {
			fe.Field = "checklist"
		} else if _, seen := byField[fe.Field]; !seen && fe.Field != "" {
			byField[fe.Field] = fe.Message
		}
		if !slices.Contains(summary, fe) {
			summary = append(summary, fe)
		}
	}
	return byField, summary
}

// checklistValues fills the checklist form with what is recorded.
func checklistValues(b *app.Booking) map[string]string {
	cl := b.Checklist
	form := map[string]string{
		"assurance_on":       isoDay(cl.AssuranceOn),
		"risk_assessment_on": isoDay(cl.RiskAssessmentOn),
		"insurance_expires":  isoDay(cl.InsuranceExpires),
	}
	if !cl.AssuranceOn.IsZero() {
		form["assurance"] = "yes"
	}
	if cl.ConsentGiven {
		form["consent_count"] = itoa(cl.ConsentCount)
	}
	return form
}

// moveForms are the moves side may make on b now.
func moveForms(b *app.Booking, side string, now time.Time) []moveForm {
	if side == "" {
		return nil
	}
	var forms []moveForm
	for _, t := range app.AllowedMoves(b, side, now) {
		words := moveLabels[t.Move]
		f := moveForm{Move: t.Move, Label: words[0], Class: words[1], Hint: moveHints[t.Move],
			Reason: t.Reason, Values: map[string]string{}, Errors: map[string]string{}}
		if t.Move == app.MoveConfirm {
			f.Blocked = confirmBlocked(b, now)
		}
		if t.Move == app.MoveAttendance {
			if b.State == app.BookingDelivered {
				f.Label = "Correct the attendance"
			}
			f.Attendance = attendanceAudiences(b)
			for _, a := range b.Attendance {
				f.Values["attendance_"+a.Audience] = itoa(a.Count)
			}
		}
		forms = append(forms, f)
	}
	return forms
}

// confirmBlocked says what must be recorded before b can be confirmed at
// now, "" when nothing.
func confirmBlocked(b *app.Booking, now time.Time) string {
	missing := app.ChecklistStillNeeded(b, now)
	if missing == "" {
		return ""
	}
	return "You can confirm this booking once the safeguarding checklist is complete. Still needed: " +
		missing + "."
}

// showMoveErrors puts a refused move's problems at its form and returns
// them for the error summary, each linking to its input. When the move is
// no longer offered (the booking changed meanwhile), the summary alone
// says why.
func showMoveErrors(forms []moveForm, failed *moveFailure) []app.FieldError {
	list := append([]app.FieldError(nil), app.FieldErrors(failed.Err)...)
	if len(list) == 0 {
		list = []app.FieldError{{Message: app.ErrorMessage(failed.Err)}}
	}
	f := findMove(forms, failed.Move)
	if f == nil {
		for i := range list {
			list[i].Field = ""
		}
		return list
	}

	for k, v := range failed.Form {
		f.Values[k] = v
	}
	for i, fe := range list {
		switch fe.Field {
		case "":
			list[i].Field = "move-" + f.Move
		case "reason":
			list[i].Field = f.Field("reason")
		}
		if _, seen := f.Errors[fe.Field]; !seen && fe.Field != "" {
			f.Errors[fe.Field] = fe.Message
		}
	}
	return list
}

// findMove returns the form of move, or nil.
func findMove(forms []moveForm, move string) *moveForm {
	for i := range forms {
		if forms[i].Move == move {
			return &forms[i]
		}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
