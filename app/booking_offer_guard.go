package app

import (
	"context"
	"fmt"
	"strings"
)

// SessionStatus is a session as GET /api/v1/sessions/{id} shows it: its
// places, and whether its offer takes bookings now. TakingBookings is
// true while the offer is public and the session has not started, even
// when no places are left (a booker may then join the waiting list).
type SessionStatus struct {
	SessionView
	OfferStatus    string `json:"offer_status"`
	TakingBookings bool   `json:"taking_bookings"`
}

// GetSessionStatus returns a session with its places and its offer's
// status, to those GetSession shows it to and, while the offer is
// paused, to anyone who could see it when published: a paused offer's
// sessions keep their bookings, so reading them should not fail, while
// booking them is refused with offerPausedMessage. Other sessions the
// actor cannot see are ENotFound.
func (s *Service) GetSessionStatus(ctx context.Context, a *Actor, sessionID string) (*SessionStatus, error) {
	o, ses, err := s.findSession(ctx, a, sessionID)
	if ErrorCode(err) == ENotFound {
		o, ses, err = s.pausedSession(ctx, sessionID)
	}
	if err != nil {
		return nil, err
	}
	view, err := s.sessionView(ctx, o, ses)
	if err != nil {
		return nil, err
	}
	return &SessionStatus{
		SessionView:    *view,
		OfferStatus:    o.Status,
		TakingBookings: o.Public && ses.Start.After(s.now()),
	}, nil
}

// pausedSession loads a session of a paused offer whose employer is
// verified, so that the offer was public and will be again; any other
// session is ENotFound.
func (s *Service) pausedSession(ctx context.Context, sessionID string) (*Offer, *Session, error) {
	if !ValidID(sessionID) {
		return nil, nil, ErrNotFound("Session")
	}
	offerID, err := s.Store.SessionOffer(ctx, sessionID)
	if err != nil {
		return nil, nil, sessionNotFoundOr(err, "paused session")
	}
	o, err := s.Store.GetOffer(ctx, offerID)
	if err != nil {
		return nil, nil, sessionNotFoundOr(err, "paused session: offer")
	}
	ses, ok := o.Session(sessionID)
	if o.Status != OfferPaused || !ok {
		return nil, nil, ErrNotFound("Session")
	}

	employer, err := s.Store.GetOrg(ctx, o.OrgID)
	if err != nil {
		return nil, nil, sessionNotFoundOr(err, "paused session: employer")
	}
	if !employer.Verified {
		return nil, nil, ErrNotFound("Session")
	}
	return o, ses, nil
}

// sessionNotFoundOr answers a store error as the session not found when the
// record is missing, and otherwise wraps it with the operation.
func sessionNotFoundOr(err error, op string) error {
	if ErrorCode(err) == ENotFound {
		return ErrNotFound("Session")
	}
	return fmt.Errorf("%s: %w", op, err)
}

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

// checkBookedType refuses a change of the offer's type, at the field
// "type", while sessions not yet ended have bookings requested or
// confirmed as another type: a booking keeps the type it was made for,
// and with it the safeguarding checklist it is confirmed against, so work
// experience booked as a careers talk would be confirmed on a careers
// talk's checks. typ is the type as typed.
func (s *Service) checkBookedType(ctx context.Context, p *Problems, old *Offer, typ string) error {
	if typ == old.Type || p.Has("type") {
		return nil
	}
	now := s.now()
	n, was := 0, old.Type
	for _, ses := range old.Sessions {
		if !ses.End.After(now) {
			continue
		}
		active, err := s.Store.ListSessionBookings(ctx, ses.ID)
		if err != nil {
			return fmt.Errorf("check booked type: %w", err)
		}
		for _, b := range active {
			if b.OfferType != typ {
				n, was = n+1, b.OfferType
			}
		}
	}

	if n > 0 {
		p.Add("type", "This offer has %d %s requested or confirmed as %s, and the safeguarding checks a "+
			"booking needs depend on its type, so the type cannot change. Cancel %s first, with a reason, "+
			"so that the organisations are told, or publish a new offer as %s.",
			n, plural(n, "booking", "bookings"), typeWithArticle(was), plural(n, "that booking", "those bookings"),
			typeWithArticle(typ))
	}
	return nil
}

// typeWithArticle is an offer type in words after "a" or "an": "a careers
// talk", "work experience".
func typeWithArticle(typ string) string {
	words := strings.ToLower(LabelOf(OfferTypes, typ))
	switch {
	case typ == TypeWorkExperience || typ == TypeMentoring:
		return words
	case strings.IndexAny(words[:1], "aeiou") == 0:
		return "an " + words
	}
	return "a " + words
}
