package app

import (
	"slices"
	"time"
)

// History entries that are not moves of the state table: the booking
// being made, and one side recording checklist items.
const (
	MoveBooked    = "booked"
	MoveChecklist = "checklist"
)

// Moves lists the moves of the state table, in the order pages offer them.
var Moves = []string{MoveConfirm, MoveDecline, MoveCancel, MoveAttendance, MoveNoShow}

// sessionTimeLayout is how a session's start reads in sentences.
const sessionTimeLayout = "Monday 2 January 2006 at 15:04"

// NextMove returns the row of the state table (Transitions) for making
// move on b from side at now. It checks, in this order: that move is a
// move at all (EInvalid on field "move"); that side may ever make it
// (EForbidden); that b's state allows it (EConflict); and that it is made
// before or after the session's start as the table says (EConflict). Each
// error is a sentence a person can read. Whether a reason is needed is
// the returned row's Reason; MoveBooking checks it.
func NextMove(b *Booking, side, move string, now time.Time) (Transition, error) {
	if !slices.Contains(Moves, move) {
		var p Problems
		p.Add("move", "Choose a move: confirm, decline, cancel, attendance or no_show.")
		return Transition{}, p.Err()
	}
	if !slices.Contains(moveSides(move), side) {
		return Transition{}, Errorf(EForbidden, "%s", wrongSide(move, side))
	}

	t, ok := transition(b.State, move)
	if !ok {
		return Transition{}, Errorf(EConflict, "This booking %s, so %s.", stateWords(b.State), cannot(move))
	}
	if err := moveTime(t, b, now); err != nil {
		return Transition{}, err
	}
	return t, nil
}

// AllowedMoves lists the moves side may make on b at now, in the order of
// the state table: what a page offers as buttons.
func AllowedMoves(b *Booking, side string, now time.Time) []Transition {
	var out []Transition
	for _, t := range Transitions {
		if t.From == b.State && slices.Contains(t.Sides, side) && moveTime(t, b, now) == nil {
			out = append(out, t)
		}
	}
	return out
}

// transition finds the row of the state table for a move from a state.
func transition(state, move string) (Transition, bool) {
	for _, t := range Transitions {
		if t.From == state && t.Move == move {
			return t, true
		}
	}
	return Transition{}, false
}

// moveSides lists the sides that may make move from some state.
func moveSides(move string) []string {
	var sides []string
	for _, t := range Transitions {
		if t.Move == move {
			sides = append(sides, t.Sides...)
		}
	}
	return sides
}

// moveTime checks a row's When against the session's start: a move
// before the start is allowed until the very moment it starts, one after
// it from that moment on.
func moveTime(t Transition, b *Booking, now time.Time) error {
	started := !now.Before(b.Start)
	start := b.Start.In(London).Format(sessionTimeLayout)
	switch {
	case t.When == BeforeStart && started:
		return Errorf(EConflict, "The session started on %s, so this booking can no longer be %s.",
			start, pastTense(t.Move))
	case t.When == AfterStart && !started && t.Move == MoveNoShow:
		return Errorf(EConflict, "A no-show can be recorded once the session starts, on %s.", start)
	case t.When == AfterStart && !started:
		return Errorf(EConflict, "Attendance can be recorded once the session starts, on %s.", start)
	}
	return nil
}

// wrongSide says who may make a move that side may not.
func wrongSide(move, side string) string {
	if side == "" {
		return "Only the employer and the organisation that booked can change this booking."
	}
	switch move {
	case MoveConfirm, MoveDecline:
		return "Only the employer can " + move + " a booking."
	}
	return "Only the employer and the organisation that booked can change this booking."
}

// stateWords describes a state after "This booking ".
func stateWords(state string) string {
	switch state {
	case BookingRequested:
		return "is waiting for the employer to confirm it"
	case BookingConfirmed:
		return "is confirmed"
	case BookingDelivered:
		return "has taken place and its attendance is recorded"
	case BookingDeclined:
		return "was declined"
	case BookingCancelled:
		return "was cancelled"
	case BookingNoShow:
		return "was recorded as a no-show"
	}
	return "is in a state we do not know"
}

// cannot says that a move cannot be made, after "so ".
func cannot(move string) string {
	switch move {
	case MoveAttendance:
		return "attendance cannot be recorded"
	case MoveNoShow:
		return "it cannot be recorded as a no-show"
	}
	return "it cannot be " + pastTense(move)
}

func pastTense(move string) string {
	switch move {
	case MoveConfirm:
		return "confirmed"
	case MoveDecline:
		return "declined"
	case MoveCancel:
		return "cancelled"
	case MoveNoShow:
		return "recorded as a no-show"
	}
	return "changed"
}
