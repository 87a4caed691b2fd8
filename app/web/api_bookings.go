package web

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// apiMoves are the booking moves the API answers at
// POST /api/v1/bookings/:id/MOVE: every move of the state table.
var apiMoves = app.Moves

// Pages of GET /api/v1/bookings.
const (
	apiBookingsPerPage = 20
	apiBookingsMax     = 100
)

// apiBooking is a booking in the JSON API, with its checklist's days as
// calendar days and its items in words, the moves the caller's side may
// make now, and the feedback each side gave (an empty object when none).
// Its history names the person who made each move beside the
// organisation, never their user id or email.
type apiBooking struct {
	*app.Booking
	Checklist apiChecklist                   `json:"checklist"`
	Items     []app.ChecklistItem            `json:"checklist_items"`
	Moves     []string                       `json:"moves"`
	Feedback  map[string]app.BookingFeedback `json:"feedback"`
}

// apiChecklist is a booking's checklist with its dates as the London
// calendar days they stand for, "2027-06-30", each left out until given.
type apiChecklist struct {
	AssuranceOn      string `json:"assurance_on,omitempty"`
	RiskAssessmentOn string `json:"risk_assessment_on,omitempty"`
	InsuranceExpires string `json:"insurance_expires,omitempty"`
	ConsentCount     int    `json:"consent_count"`
	ConsentGiven     bool   `json:"consent_given"`
}

// newAPIChecklist gives c's dates as calendar days.
func newAPIChecklist(c app.Checklist) apiChecklist {
	return apiChecklist{
		AssuranceOn:      isoDay(c.AssuranceOn),
		RiskAssessmentOn: isoDay(c.RiskAssessmentOn),
		InsuranceExpires: isoDay(c.InsuranceExpires),
		ConsentCount:     c.ConsentCount,
		ConsentGiven:     c.ConsentGiven,
	}
}

// apiBookingList is one page of the caller's bookings.
type apiBookingList struct {
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	PerPage int          `json:"per_page"`
	Results []apiBooking `json:"results"`
}

// newAPIBooking shows b to a.
func (s *Server) newAPIBooking(a *app.Actor, b *app.Booking) apiBooking {
	now := s.now()
	out := apiBooking{Booking: b, Checklist: newAPIChecklist(b.Checklist),
		Items: app.BookingChecklist(b, now), Moves: []string{}, Feedback: b.Feedback}
	if out.Items == nil {
		out.Items = []app.ChecklistItem{}
	}
	if out.Feedback == nil {
		out.Feedback = map[string]app.BookingFeedback{}
	}
	if a == nil {
		return out
	}
	for _, t := range app.AllowedMoves(b, b.SideOf(a.OrgID), now) {
		out.Moves = append(out.Moves, t.Move)
	}
	return out
}

// apiListBookings answers GET /api/v1/bookings: the caller's
// organisation's bookings, on either side, by session start. ?show=active
// lists only requested and confirmed ones, ?show=past only those that
// ended; ?page and ?per_page page through them.
func (s *Server) apiListBookings(c *fiber.Ctx) error {
	f, page, perPage, err := bookingListParams(c)
	if err != nil {
		return s.apiError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	a := actor(c)
	list, total, err := s.svc.ListBookings(ctx, a, f)
	if err != nil {
		return s.apiError(c, err)
	}
	out := apiBookingList{Total: total, Page: page, PerPage: perPage,
		Results: make([]apiBooking, 0, len(list))}
	for _, b := range list {
		out.Results = append(out.Results, s.newAPIBooking(a, b))
	}
	return c.JSON(out)
}

// bookingListParams reads the query of GET /api/v1/bookings.
func bookingListParams(c *fiber.Ctx) (app.BookingFilter, int, int, error) {
	var f app.BookingFilter
	switch c.Query("show") {
	case "", "all":
	case "active":
		f.Active = true
	case "past":
		f.Past = true
	default:
		return f, 0, 0, fieldProblem("show", "Show must be all, active or past.")
	}

	page, err := queryInt(c, "page", 1, 1, 1<<20)
	if err != nil {
		return f, 0, 0, err
	}
	perPage, err := queryInt(c, "per_page", apiBookingsPerPage, 1, apiBookingsMax)
	if err != nil {
		return f, 0, 0, err
	}
	f.Offset, f.Limit = (page-1)*perPage, perPage
	return f, page, perPage, nil
}

// queryInt reads a whole-number query parameter between lo and hi, def
// when it is missing.
func queryInt(c *fiber.Ctx, name string, def, lo, hi int) (int, error) {
	typed := c.Query(name)
	if typed == "" {
		return def, nil
	}
	n, err := strconv.Atoi(typed)
	if err != nil || n < lo || n > hi {
		return 0, fieldProblem(name, "The parameter "+strconv.Quote(name)+" must be a whole number from "+
			strconv.Itoa(lo)+" to "+strconv.Itoa(hi)+".")
	}
	return n, nil
}

// apiGetBooking answers GET /api/v1/bookings/:id for either side.
func (s *Server) apiGetBooking(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Booking"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	a := actor(c)
	b, err := s.svc.GetBooking(ctx, a, id)
	if err != nil {
		return s.apiError(c, err)
	}
	return c.JSON(s.newAPIBooking(a, b))
}

// apiMoveBooking answers POST /api/v1/bookings/:id/MOVE, with a body
// {"reason": "..."} where the move needs one, or {"attendance":
// [{"audience": "y9", "count": 28}]}; a move that needs neither may send
// no body. Only the side the state table allows may make each move.
func (s *Server) apiMoveBooking(move string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := c.Params("id")
		if !app.ValidID(id) {
			return s.apiError(c, app.ErrNotFound("Booking"))
		}
		var in app.MoveInput
		if len(c.Body()) > 0 {
			if err := decodeJSONBody(c, &in); err != nil {
				return s.apiBodyError(c, err)
			}
		}

		ctx, cancel := s.ctx(c)
		defer cancel()
		a := actor(c)
		b, err := s.svc.MoveBooking(ctx, a, id, move, in)
		if err != nil {
			return s.apiError(c, err)
		}
		return c.JSON(s.newAPIBooking(a, b))
	}
}

// apiSaveChecklist answers POST /api/v1/bookings/:id/checklist with the
// items of the caller's side, such as {"risk_assessment_on": "2026-11-20"}
// or {"assurance": true, "assurance_on": "2026-11-02"}.
func (s *Server) apiSaveChecklist(c *fiber.Ctx) error {
	return apiBookingWrite(s, c, s.svc.UpdateChecklist)
}

// apiGiveFeedback answers POST /api/v1/bookings/:id/feedback with the
// caller's side's feedback, such as {"rating": 4, "comment": "...",
// "would_book_again": true} (would_book_again from the booker only): 200
// with the booking. Giving it again replaces it.
func (s *Server) apiGiveFeedback(c *fiber.Ctx) error {
	return apiBookingWrite(s, c, s.svc.GiveFeedback)
}

// apiBookingWrite answers a POST to a booking whose JSON body is one
// side's input to write: the booking as it stands afterwards.
func apiBookingWrite[In any](s *Server, c *fiber.Ctx,
	write func(context.Context, *app.Actor, string, In) (*app.Booking, error)) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Booking"))
	}
	var in In
	if err := decodeJSONBody(c, &in); err != nil {
		return s.apiBodyError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	a := actor(c)
	b, err := write(ctx, a, id, in)
	if err != nil {
		return s.apiError(c, err)
	}
	return c.JSON(s.newAPIBooking(a, b))
}

// apiListWaitlist answers GET /api/v1/waitlist: the caller's
// organisation's waiting and held places.
func (s *Server) apiListWaitlist(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	entries, err := s.svc.ListMyWaitlist(ctx, actor(c))
	if err != nil {
		return s.apiError(c, err)
	}
	if entries == nil {
		entries = []*app.WaitlistEntry{}
	}
	return c.JSON(fiber.Map{"results": entries})
}

// apiTakeHold answers POST /api/v1/waitlist/:id/take: 201 with the
// booking the held places became.
func (s *Server) apiTakeHold(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Waiting list place"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	a := actor(c)
	b, err := s.svc.TakeHold(ctx, a, id)
	if err != nil {
		return s.apiError(c, err)
	}
	c.Location("/api/v1/bookings/" + b.ID)
	return c.Status(fiber.StatusCreated).JSON(s.newAPIBooking(a, b))
}

// apiLeaveWaitlist answers POST /api/v1/waitlist/:id/leave with 204.
func (s *Server) apiLeaveWaitlist(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Waiting list place"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	if err := s.svc.LeaveWaitlist(ctx, actor(c), id); err != nil {
		return s.apiError(c, err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}
