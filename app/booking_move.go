package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// MoveReasonMax is the longest a reason for a move may be.
const MoveReasonMax = 1000

// MoveAttendanceCorrected is the history entry of attendance recorded
// again on a delivered booking: a correction, which counts no second
// encounter and tells both sides the new figures.
const MoveAttendanceCorrected = "attendance_corrected"

// MoveBooking makes a move of the state table on a booking for the
// actor's side (see NextMove for the refusals). A reason is needed where
// the table says; confirming needs every checklist item done (EConflict
// listing what is missing); attendance is counted by audience within the
// booking's group. Declining or cancelling gives the places back and
// offers them to the session's waitlist; the first delivery counts an
// encounter for the booker, and attendance recorded again corrects it
// (MoveAttendanceCorrected), or changes nothing when the figures are the
// same. Every move is kept in the history and emailed to the people it
// concerns.
func (s *Service) MoveBooking(ctx context.Context, a *Actor, id, move string, in MoveInput) (*Booking, error) {
	if err := requireMember(a); err != nil {
		return nil, err
	}
	unlock := s.lock(lockBooking, id)
	b, freed, err := s.moveLocked(ctx, a, id, move, in)
	unlock()
	if err != nil {
		return nil, err
	}

	if freed {
		s.placesFreed(ctx, b.OfferID, b.SessionID)
	}
	return b, nil
}

// moveLocked makes the move while the caller holds the booking's lock. It
// reports whether places were given back.
func (s *Service) moveLocked(ctx context.Context, a *Actor, id, move string, in MoveInput) (*Booking, bool, error) {
	b, err := s.visibleBooking(ctx, a, id)
	if err != nil {
		return nil, false, err
	}
	now := s.now()
	t, err := NextMove(b, b.SideOf(a.OrgID), move, now)
	if err != nil {
		return nil, false, err
	}
	reason, attendance, err := checkMoveInput(t, b, in)
	if err != nil {
		return nil, false, err
	}
	if missing := missingItems(BookingChecklist(b, now), ""); t.Move == MoveConfirm && len(missing) > 0 {
		return nil, false, Errorf(EConflict, "This booking cannot be confirmed until the checklist is done. "+
			"Still needed: %s.", describeMissing(missing))
	}

	// Attendance recorded again corrects it; the same figures again
	// change nothing.
	entry := t.Move
	if t.Move == MoveAttendance && b.State == BookingDelivered {
		if slices.Equal(attendance, b.Attendance) {
			return b, false, nil // sent again: nothing to correct
		}
		entry = MoveAttendanceCorrected
	}

	from := b.State
	b.State, b.UpdatedAt = t.To, now.UTC()
	b.History = append(b.History, BookingEvent{At: now.UTC(), UserID: a.UserID, Name: a.Name, OrgID: a.OrgID,
		Side: b.SideOf(a.OrgID), Move: entry, From: from, To: t.To, Reason: reason})
	if t.Move == MoveAttendance {
		b.Attendance = attendance
	}
	if t.Move == MoveCancel && from == BookingConfirmed {
		b.Sequence++ // the invite sent on confirming is withdrawn
	}
	if err := s.Store.UpdateBooking(ctx, b); err != nil {
		return nil, false, fmt.Errorf("move booking: %w", err)
	}
	s.log().InfoContext(ctx, "booking moved", "booking_id", b.ID, "move", entry, "from", from, "to", t.To)

	freed := s.releaseInactive(ctx, b)
	if from == BookingConfirmed && t.To == BookingDelivered {
		s.countEncounter(ctx, b)
	}
	s.announceLogged(ctx, b)
	return b, freed, nil
}

// checkMoveInput returns the reason and the attendance of a move.
func checkMoveInput(t Transition, b *Booking, in MoveInput) (string, []Attendance, error) {
	var p Problems
	reason := strings.TrimSpace(in.Reason)
	switch n := len([]rune(reason)); {
	case n == 0 && t.Reason:
		p.Add("reason", "Enter a reason: the other side will see it.")
	case n > MoveReasonMax:
		p.Add("reason", "The reason must be %d characters or fewer (it has %d).", MoveReasonMax, n)
	}
	checkTextChars(&p, "reason", "The reason", reason)

	var attendance []Attendance
	if t.Move == MoveAttendance {
		attendance = checkAttendance(&p, b, in.Attendance)
	}
	return reason, attendance, p.Err()
}

// checkAttendance reads how many came from each audience of the booking:
// its year groups, or teachers, or adults. Counts are 0 or more, each
// audience once, at least one person in all and no more than the places
// booked. Each count is held to the places booked before it is added, so
// the total (of at most one count per audience) cannot overflow. It
// returns the counts in the booking's order.
func checkAttendance(p *Problems, b *Booking, raw []Attendance) []Attendance {
	allowed := groupAudiences(b.Group, b.YearGroups)
	counts := map[string]int{}
	total := 0
	for _, at := range raw {
		code, ok := ParseAudience(at.Audience)
		switch _, seen := counts[code]; {
		case !ok || !slices.Contains(allowed, code):
			p.Add("attendance", "%q is not part of this booking, which was for %s.", at.Audience, audienceList(allowed))
			return nil
		case seen:
			p.Add("attendance", "%s is given twice: give each group once.", AudienceLabel(code))
			return nil
		case at.Count < 0:
			p.Add("attendance", "Enter how many came from %s: 0 or more.", AudienceLabel(code))
			return nil
		case at.Count > b.Places:
			p.Add("attendance", "That is %d people from %s, but the booking was for %d %s.",
				at.Count, AudienceLabel(code), b.Places, plural(b.Places, "place", "places"))
			return nil
		}
		counts[code] = at.Count
		total += at.Count
	}

	switch {
	case total == 0:
		p.Add("attendance", "Enter how many came. If nobody came, record a no-show instead.")
	case total > b.Places:
		p.Add("attendance", "That is %d people, but the booking was for %d %s.",
			total, b.Places, plural(b.Places, "place", "places"))
	}
	var out []Attendance
	for _, code := range allowed {
		if n, ok := counts[code]; ok {
			out = append(out, Attendance{Audience: code, Count: n})
		}
	}
	return out
}

// releaseInactive gives back the places of a booking that no longer holds
// them, after its new state is stored, and reports whether it did. Until
// the places are given back the stored booking still names them, so that
// the sweep can finish the work if the process stops in between.
func (s *Service) releaseInactive(ctx context.Context, b *Booking) bool {
	if b.Active() || len(b.PlaceNumbers) == 0 {
		return false
	}
	s.releasePlaces(ctx, b.SessionID, b.ID, b.PlaceNumbers)
	b.PlaceNumbers = nil
	return true
}

// placesFreed brings a session's count up to date after places were
// given back, and offers them to its waitlist.
func (s *Service) placesFreed(ctx context.Context, offerID, sessionID string) {
	o, err := s.Store.GetOffer(ctx, offerID)
	if err != nil {
		s.log().ErrorContext(ctx, "freed places not offered", "offer_id", offerID, "error", err)
		return
	}
	ses, ok := o.Session(sessionID)
	if !ok {
		return
	}

	ref := refOf(o, ses)
	s.recountPlaces(ctx, ref)
	if err := s.offerFreedPlaces(ctx, ref); err != nil {
		s.log().ErrorContext(ctx, "freed places not offered", "session_id", sessionID, "error", err)
	}
}

// countEncounter adds one delivered encounter to the booker's count for
// the academic year the session was held in, on the move from confirmed to delivered only: a correction
// of the attendance counts nothing more. The booking's state says it was
// delivered whatever happens here, so a failure is logged.
func (s *Service) countEncounter(ctx context.Context, b *Booking) {
	unlock := s.lock(lockOrg, b.OrgID)
	defer unlock()

	ctx = context.WithoutCancel(ctx)
	org, err := s.Store.GetOrg(ctx, b.OrgID)
	if err == nil {
		org.CountEncounter(b.Start, s.now())
		org.UpdatedAt = s.now().UTC()
		err = s.Store.UpdateOrg(ctx, org)
	}
	if err != nil {
		s.log().ErrorContext(ctx, "encounter not counted", "booking_id", b.ID, "org_id", b.OrgID, "error", err)
	}
}
