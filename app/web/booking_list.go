package web

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// Lengths of the bookings page's lists. Active bookings (requested or
// confirmed) are shown whole up to activeBookingsMax; past ones a page at
// a time.
const (
	activeBookingsMax = 1000
	pastBookingsPage  = 20
	calledOffMax      = 50
)

// bookingLists are the sections of the bookings page.
type bookingLists struct {
	ToAct    []bookingRow
	Holds    []waitingRow
	Upcoming []bookingRow
	// CalledOff are declined or cancelled bookings of sessions that have
	// not ended, the latest calledOffMax.
	CalledOff []bookingRow
	// Waiting are the caller's waiting and held entries, soonest session
	// first.
	Waiting  []waitingRow
	Past     []bookingRow
	PastPage Pager
	// ActiveShown of ActiveTotal active bookings are in the lists above.
	ActiveShown, ActiveTotal int
}

// activeBookings reads the caller's active bookings a page at a time, up
// to activeBookingsMax, and returns how many there are in all.
func (s *Server) activeBookings(ctx context.Context, a *app.Actor) ([]*app.Booking, int, error) {
	var all []*app.Booking
	for {
		page, total, err := s.svc.ListBookings(ctx, a, app.BookingFilter{Active: true, Offset: len(all),
			Limit: app.MaxPerPage})
		if err != nil {
			return nil, 0, err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total || len(all) >= activeBookingsMax {
			return all, total, nil
		}
	}
}

// showBookings answers GET /bookings: what the caller's organisation must
// act on (requests to answer, checklist items it owes, holds offered),
// its upcoming bookings, those declined or cancelled before their
// session, its waiting lists and, a page at a time, its past bookings.
// Both sides of a booking see it.
func (s *Server) showBookings(c *fiber.Ctx) error {
	a, page := actor(c), pageParam(c)
	ctx, cancel := s.ctx(c)
	defer cancel()

	active, activeTotal, err := s.activeBookings(ctx, a)
	if err != nil {
		return s.pageError(c, err)
	}
	past, total, err := s.svc.ListBookings(ctx, a, app.BookingFilter{Past: true,
		Offset: (page - 1) * pastBookingsPage, Limit: pastBookingsPage})
	if err != nil {
		return s.pageError(c, err)
	}
	calledOff, _, err := s.svc.ListBookings(ctx, a, app.BookingFilter{CalledOff: true, Limit: calledOffMax})
	if err != nil {
		return s.pageError(c, err)
	}
	standings, err := s.svc.ListMyWaitlistStandings(ctx, a)
	if err != nil {
		return s.pageError(c, err)
	}

	lists := sortBookings(active, a.OrgID, s.now())
	lists.addWaitlist(standings, s.now())
	for _, b := range calledOff {
		lists.CalledOff = append(lists.CalledOff, newBookingRow(b, a.OrgID, ""))
	}
	for _, b := range past {
		lists.Past = append(lists.Past, newBookingRow(b, a.OrgID, ""))
	}
	lists.PastPage = newPager(c, page, pastBookingsPage, total)
	lists.ActiveTotal, lists.ActiveShown = activeTotal, len(active)
	return s.render(c, fiber.StatusOK, "bookings/index", fiber.Map{"Title": "Bookings", "Lists": lists})
}

// sortBookings puts active bookings in the sections they belong to: to
// act on when the caller has something to do (waiting for the employer's
// answer alone is not), upcoming when the session is still to come (a
// booking may be in both). Each row says what is to do or awaited.
func sortBookings(active []*app.Booking, orgID string, now time.Time) bookingLists {
	var lists bookingLists
	for _, b := range active {
		action := bookingAction(b, b.SideOf(orgID), now)
		row := newBookingRow(b, orgID, action)
		if action != "" && action != awaitingAnswer {
			lists.ToAct = append(lists.ToAct, row)
		}
		if !started(b, now) {
			lists.Upcoming = append(lists.Upcoming, row)
		}
	}
	return lists
}

// addWaitlist adds waiting-list entries: all of them to the waiting
// lists, and places still held at now to act on as well.
func (l *bookingLists) addWaitlist(standings []app.WaitlistStanding, now time.Time) {
	for _, st := range standings {
		row := newWaitingRow(st, now)
		l.Waiting = append(l.Waiting, row)
		if row.Held {
			l.Holds = append(l.Holds, row)
		}
	}
}

// waitingRow is a waiting or held entry as the waiting lists show it:
// when its session is, and where the entry stands.
type waitingRow struct {
	holdRow
	When string
	// Standing says where it stands: "Next in the queue", "2
	// organisations ahead of you", "Held for you until Wed 14 January
	// 2026, 9am"; empty when not known.
	Standing string
	// Lapsed is set for a hold whose time has passed and which the sweep
	// has not yet passed on: it can no longer be taken.
	Lapsed bool
}

func newWaitingRow(st app.WaitlistStanding, now time.Time) waitingRow {
	row := waitingRow{holdRow: newHoldRow(st.Entry)}
	if !st.Start.IsZero() {
		row.When = sessionWhen(st.Start, st.End)
	}
	if row.Held && !now.Before(st.Entry.HoldUntil) {
		row.Held, row.Lapsed = false, true
	}
	switch {
	case row.Lapsed:
		row.Standing = "Not taken by " + row.HoldUntil + ": the places pass to the next organisation waiting"
	case row.Held:
		row.Standing = "Held for you until " + row.HoldUntil
	case st.InQueue == 1:
		row.Standing = "Next in the queue"
	case st.InQueue > 1:
		row.Standing = plural(st.InQueue-1, "organisation", "organisations") + " ahead of you"
	}
	return row
}

// awaitingAnswer is a booker's only news of a request the employer has
// not yet answered.
const awaitingAnswer = "Waiting for the employer to answer"

// bookingAction says what side must do next on b, or waits for: "" when
// nothing.
func bookingAction(b *app.Booking, side string, now time.Time) string {
	var todo []string
	if b.State == app.BookingRequested && !started(b, now) {
		if side == app.SideEmployer {
			todo = append(todo, "Confirm or decline this request")
		} else {
			todo = append(todo, awaitingAnswer)
		}
	}
	if owed := owedItems(b, side, now); owed > 0 && !started(b, now) {
		todo = append(todo, "Safeguarding checklist: "+plural(owed, "item", "items")+" for you to give")
	}
	if b.State == app.BookingConfirmed && started(b, now) && canMove(b, side, app.MoveAttendance, now) {
		todo = append(todo, "Record attendance")
	}
	return strings.Join(todo, ". ")
}

// owedItems counts the checklist items side owes on b that are not done.
func owedItems(b *app.Booking, side string, now time.Time) int {
	n := 0
	for _, item := range app.BookingChecklist(b, now) {
		if item.Owner == side && !item.Done {
			n++
		}
	}
	return n
}

// canMove reports whether side may make move on b now.
func canMove(b *app.Booking, side, move string, now time.Time) bool {
	for _, t := range app.AllowedMoves(b, side, now) {
		if t.Move == move {
			return true
		}
	}
	return false
}
