package app

import (
	"context"
	"fmt"
	"time"
)

// MoveRescheduled is the history entry of a booking whose session the
// employer moved by editing the offer. It is not a move of the state
// table: the booking keeps its state, with new times and a new invite.
const MoveRescheduled = "rescheduled"

// rescheduleLayout is how the reason of a rescheduling names a time.
const rescheduleLayout = "Monday 2 January 2006, 15:04"

// rescheduleBookings brings the active bookings of every session whose
// start or end an offer edit changed up to date with the new times, and
// tells both sides. before and after are the offer's sessions as they
// were and as saved. The offer is saved already, so a failure is logged
// and the other bookings go on.
func (s *Service) rescheduleBookings(ctx context.Context, a *Actor, before, after []Session) {
	ctx = context.WithoutCancel(ctx)
	for _, ses := range movedSessions(before, after) {
		bookings, err := s.Store.ListSessionBookings(ctx, ses.ID)
		if err != nil {
			s.log().ErrorContext(ctx, "bookings not rescheduled", "session_id", ses.ID, "error", err)
			continue
		}

		for _, b := range bookings {
			if err := s.rescheduleBooking(ctx, a, b.ID, ses); err != nil {
				s.log().ErrorContext(ctx, "booking not rescheduled", "booking_id", b.ID, "session_id", ses.ID,
					"error", err)
			}
		}
	}
}

// movedSessions returns the sessions of after whose start or end differs
// from the same session in before. New sessions have no bookings.
func movedSessions(before, after []Session) []Session {
	was := make(map[string]Session, len(before))
	for _, ses := range before {
		was[ses.ID] = ses
	}

	var moved []Session
	for _, ses := range after {
		old, ok := was[ses.ID]
		if ok && (!old.Start.Equal(ses.Start) || !old.End.Equal(ses.End)) {
			moved = append(moved, ses)
		}
	}
	return moved
}

// rescheduleBooking gives one booking its session's new times under the
// booking's lock, raises its invite's sequence, records who moved it and
// from when, and queues the emails. A booking no longer active, or
// already at those times, is left as it is.
func (s *Service) rescheduleBooking(ctx context.Context, a *Actor, id string, ses Session) error {
	unlock := s.lock(lockBooking, id)
	defer unlock()

	b, err := s.Store.GetBooking(ctx, id)
	if err != nil {
		return fmt.Errorf("reschedule booking: %w", err)
	}
	if !b.Active() || b.SessionID != ses.ID || (b.Start.Equal(ses.Start) && b.End.Equal(ses.End)) {
		return nil
	}

	now := s.now().UTC()
	reason := rescheduleReason(b.Start, b.End, ses.Start, ses.End)
	b.Start, b.End, b.UpdatedAt = ses.Start, ses.End, now
	b.Sequence++ // calendars replace the invite they hold with the new times
	b.History = append(b.History, BookingEvent{At: now, UserID: a.UserID, Name: a.Name, OrgID: a.OrgID,
		Side: b.SideOf(a.OrgID), Move: MoveRescheduled, From: b.State, To: b.State, Reason: reason})
	if err := s.Store.UpdateBooking(ctx, b); err != nil {
		return fmt.Errorf("reschedule booking: %w", err)
	}
	s.log().InfoContext(ctx, "booking rescheduled", "booking_id", b.ID, "session_id", b.SessionID,
		"state", b.State)

	s.announceLogged(ctx, b)
	return nil
}

// rescheduleReason says in London time how a booking's times changed:
// "Moved from Tuesday 3 March 2027, 09:30 to Wednesday 4 March 2027,
// 10:00." When only the end changed, it names the end.
func rescheduleReason(oldStart, oldEnd, newStart, newEnd time.Time) string {
	if !oldStart.Equal(newStart) {
		return fmt.Sprintf("Moved from %s to %s.", rescheduleTime(oldStart), rescheduleTime(newStart))
	}
	return fmt.Sprintf("The end time moved from %s to %s.", rescheduleTime(oldEnd), rescheduleTime(newEnd))
}

// rescheduleTime is a time as the reason of a rescheduling reads it.
func rescheduleTime(t time.Time) string {
	return t.In(London).Format(rescheduleLayout)
}
