package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// moveMessages are what the caller is told after each move.
var moveMessages = map[string]string{
	app.MoveConfirm:    "The booking is confirmed. We have emailed both organisations a calendar invitation.",
	app.MoveDecline:    "The booking is declined. We have told the school or provider why.",
	app.MoveCancel:     "The booking is cancelled. We have told the other organisation why.",
	app.MoveAttendance: "Attendance is recorded. Thank you.",
	app.MoveNoShow:     "The no-show is recorded.",
}

// moveBooking answers POST /bookings/:id/move with move (confirm, decline,
// cancel, attendance, no_show), a reason where the move needs one and,
// for attendance, attendance_AUDIENCE counts. A refused move shows the
// booking's page again with the problem at its form.
func (s *Server) moveBooking(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.pageError(c, app.ErrNotFound("Booking"))
	}
	move := c.FormValue("move")
	if _, known := moveMessages[move]; !known {
		return s.pageError(c, app.Errorf(app.EInvalid, "Choose what to do with the booking."))
	}
	in, form, err := readMoveForm(c, move)

	ctx, cancel := s.ctx(c)
	defer cancel()
	var before, b *app.Booking
	if err == nil && move == app.MoveAttendance {
		before, err = s.svc.GetBooking(ctx, actor(c), id)
	}
	if err == nil {
		b, err = s.svc.MoveBooking(ctx, actor(c), id, move, in)
	}
	if err != nil {
		return s.bookingFormRefused(c, id, &moveFailure{Move: move, Form: form, Err: err})
	}
	return s.redirectWithFlash(c, "/bookings/"+id, moveMessage(before, b, move))
}

// moveMessage is what the caller is told after move made b what it is
// (from before, read first for attendance). Attendance recorded again
// corrects the first record, or changes nothing when its figures are the
// same.
func moveMessage(before, b *app.Booking, move string) string {
	switch {
	case before == nil || before.State != app.BookingDelivered:
		return moveMessages[move]
	case len(b.History) > len(before.History):
		return "The attendance is corrected. We have told the other organisation."
	}
	return "The attendance was recorded already with these figures, so nothing has changed."
}

// readMoveForm reads the reason and the attendance counts of a move form,
// and keeps them as typed for showing the form again.
func readMoveForm(c *fiber.Ctx, move string) (app.MoveInput, map[string]string, error) {
	in := app.MoveInput{Reason: c.FormValue("reason")}
	form := map[string]string{"reason": in.Reason}
	if move != app.MoveAttendance {
		return in, form, nil
	}

	var p app.Problems
	for _, audience := range append([]string{"pupils"}, app.Audiences...) {
		field := "attendance_" + audience
		if !formHas(c, field) {
			continue
		}
		typed := strings.TrimSpace(c.FormValue(field))
		form[field] = typed
		n, err := strconv.Atoi(typed)
		if err != nil || n < 0 {
			p.Add(field, "Enter how many came from %s as a whole number, or 0.",
				strings.ToLower(attendanceLabel(audience)))
			continue
		}
		in.Attendance = append(in.Attendance, app.Attendance{Audience: audience, Count: n})
	}
	return in, form, p.Err()
}

// saveChecklist answers POST /bookings/:id/checklist: the caller's side
// records its own safeguarding items. A field left empty keeps the item
// as it is.
func (s *Server) saveChecklist(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.pageError(c, app.ErrNotFound("Booking"))
	}
	form := formValues(c, "assurance", "assurance_on", "risk_assessment_on", "insurance_expires",
		"consent_count")
	in, err := checklistInput(form)

	ctx, cancel := s.ctx(c)
	defer cancel()
	if err == nil {
		_, err = s.svc.UpdateChecklist(ctx, actor(c), id, in)
	}
	if err != nil {
		return s.bookingFormRefused(c, id, &moveFailure{Form: form, Err: err})
	}
	if in == (app.ChecklistInput{}) {
		return s.redirectWithFlash(c, "/bookings/"+id, "Nothing was filled in, so the checklist is as it was.")
	}
	return s.redirectWithFlash(c, "/bookings/"+id, "The safeguarding checklist is updated.")
}

// checklistInput turns the checklist form into the service's input.
func checklistInput(form map[string]string) (app.ChecklistInput, error) {
	in := app.ChecklistInput{Assurance: form["assurance"] != "",
		AssuranceOn:      strings.TrimSpace(form["assurance_on"]),
		RiskAssessmentOn: strings.TrimSpace(form["risk_assessment_on"]),
		InsuranceExpires: strings.TrimSpace(form["insurance_expires"])}

	typed := strings.TrimSpace(form["consent_count"])
	if typed == "" {
		return in, nil
	}
	n, err := strconv.Atoi(typed)
	if err != nil || n < 0 {
		return in, onField("consent_count",
			"Enter how many parental consents you have collected as a whole number, like 28.")
	}
	in.ConsentCount = &n
	return in, nil
}

// bookingFormRefused answers a move or checklist form that the service
// refused: bad input and conflicts show the booking's page again with
// the problem; anything else (not found, the wrong side) is an error page.
func (s *Server) bookingFormRefused(c *fiber.Ctx, id string, failed *moveFailure) error {
	code := app.ErrorCode(failed.Err)
	if code != app.EInvalid && code != app.EConflict {
		return s.pageError(c, failed.Err)
	}
	s.logError(c, failed.Err)

	ctx, cancel := s.ctx(c)
	defer cancel()
	b, err := s.svc.GetBooking(ctx, actor(c), id)
	if err != nil {
		return s.pageError(c, err)
	}
	return s.renderBooking(c, statusFor(code, c.Method()), b, failed)
}
