package app

import (
	"context"
	"fmt"
)

// checkBookedSessions keeps an offer's edit from taking places away from
// bookings, reading the place claims themselves rather than the copied
// count: a session holding claims cannot be removed, and its places
// cannot be cut below the highest place number claimed, since a claim
// beyond the session's places would no longer count against them. in are
// the sessions as typed; their problems name the fields of checkSessions.
func (s *Service) checkBookedSessions(ctx context.Context, p *Problems, old *Offer, in []SessionInput) error {
	kept := map[string]int{}
	for i, si := range in {
		if si.ID != "" {
			kept[si.ID] = i
		}
	}

	for _, ses := range old.Sessions {
		i, ok := kept[ses.ID]
		if ok && (in[i].Places >= ses.Places || in[i].Places < 1) {
			continue
		}
		owners, err := s.Store.PlaceOwners(ctx, ses.ID, ses.Places)
		if err != nil {
			return fmt.Errorf("check booked sessions: %w", err)
		}
		if !ok {
			if len(owners) > 0 && !p.Has("sessions") {
				p.Add("sessions", "The session on %s has bookings, so it cannot be removed.",
					ses.Start.In(London).Format(sessionTimeLayout))
			}
			continue
		}
		checkShrink(p, owners, in[i].Places, i)
	}
	return nil
}

// checkShrink refuses fewer places than the highest place number claimed.
func checkShrink(p *Problems, owners map[int]string, places, i int) {
	highest := 0
	for place := range owners {
		highest = max(highest, place)
	}
	field := fmt.Sprintf("sessions[%d].places", i)
	if highest > places && !p.Has(field) {
		p.Add(field, "Session %d has bookings holding places up to number %d, so it needs at least %d places.",
			i+1, highest, highest)
	}
}
