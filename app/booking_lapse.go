package app

import (
	"context"
	"fmt"
)

// SideSystem marks history entries that Encounters itself made, such as a
// request that lapsed unanswered.
const SideSystem = "system"

// lapseReason is why an unanswered request was cancelled.
const lapseReason = "The employer did not answer this request before the session started, " +
	"so it was cancelled and its places given back."

// lapseUnanswered cancels a booking still requested when its session has
// started: neither side can move it any more, and it should not go on
// holding places or waiting in lists. Both sides are told.
func (s *Service) lapseUnanswered(ctx context.Context, id string) error {
	unlock := s.lock(lockBooking, id)
	b, err := s.Store.GetBooking(ctx, id)
	now := s.now()
	if err != nil || b.State != BookingRequested || b.Start.After(now) {
		unlock()
		if err != nil {
			return fmt.Errorf("lapse request: %w", err)
		}
		return nil
	}

	b.State, b.UpdatedAt = BookingCancelled, now.UTC()
	b.History = append(b.History, BookingEvent{At: now.UTC(), Side: SideSystem, Move: MoveCancel,
		From: BookingRequested, To: BookingCancelled, Reason: lapseReason})
	if err := s.Store.UpdateBooking(ctx, b); err != nil {
		unlock()
		return fmt.Errorf("lapse request: %w", err)
	}
	s.log().InfoContext(ctx, "unanswered request lapsed", "booking_id", b.ID)
	freed := s.releaseInactive(ctx, b)
	s.announceLogged(ctx, b)
	unlock()

	if freed {
		s.placesFreed(ctx, b.OfferID, b.SessionID)
	}
	return nil
}
