package app

import (
	"context"
	"fmt"
	"slices"
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

// checkBookedOffer keeps what a live booking was made for from changing
// under it: the offer's type (checkBookedType), the audiences booked
// (checkBookedAudience), and how and where it is delivered, at a place
// or at the school (checkBookedPlace). Live bookings are those requested
// or confirmed for sessions not yet ended; they are read only when one of
// those fields changes. o is the offer as typed and placed; fields that already have a
// problem are left alone.
func (s *Service) checkBookedOffer(ctx context.Context, p *Problems, old, o *Offer) error {
	dropped := slices.ContainsFunc(old.Audience, func(code string) bool { return !o.ServesAudience(code) })
	if o.Type == old.Type && !dropped && o.Delivery == old.Delivery && o.Postcode == old.Postcode &&
		o.AtSchool == old.AtSchool {
		return nil
	}
	live, err := s.liveBookings(ctx, old)
	if err != nil {
		return fmt.Errorf("check booked offer: %w", err)
	}

	if o.Type != old.Type {
		checkBookedType(p, live, o.Type)
	}
	checkBookedAudience(p, live, o.Audience)
	checkBookedPlace(p, live, old, o)
	return nil
}

// liveBookings lists the bookings requested or confirmed for the offer's
// sessions that have not yet ended.
func (s *Service) liveBookings(ctx context.Context, o *Offer) ([]*Booking, error) {
	now := s.now()
	var live []*Booking
	for _, ses := range o.Sessions {
		if !ses.End.After(now) {
			continue
		}
		active, err := s.Store.ListSessionBookings(ctx, ses.ID)
		if err != nil {
			return nil, err
		}
		live = append(live, active...)
	}
	return live, nil
}

// checkBookedType refuses a change of the offer's type, at the field
// "type", while live bookings were made as another type: a booking keeps
// the type it was made for, and with it the safeguarding checklist it is
// confirmed against, so work experience booked as a careers talk would be
// confirmed on a careers talk's checks. typ is the type as typed.
func checkBookedType(p *Problems, live []*Booking, typ string) {
	if p.Has("type") {
		return
	}
	n, was := 0, ""
	for _, b := range live {
		if b.OfferType != typ {
			n, was = n+1, b.OfferType
		}
	}

	if n > 0 {
		p.Add("type", "This offer has %d %s requested or confirmed as %s, and the safeguarding checks a "+
			"booking needs depend on its type, so the type cannot change. %s, or publish a new offer as %s.",
			n, plural(n, "booking", "bookings"), typeWithArticle(was), cancelFirst(n), typeWithArticle(typ))
	}
}

// checkBookedAudience refuses, at the field "audience", an audience list
// that leaves out one a live booking is for: a year group it booked, or
// teachers or adults when it booked places for them.
func checkBookedAudience(p *Problems, live []*Booking, audience []string) {
	if p.Has("audience") {
		return
	}
	n, missing := 0, map[string]bool{}
	for _, b := range live {
		left := false
		for _, code := range groupAudiences(b.Group, b.YearGroups) {
			if !slices.Contains(audience, code) {
				missing[code], left = true, true
			}
		}
		if left {
			n++
		}
	}

	if n > 0 {
		codes := slices.DeleteFunc(slices.Clone(Audiences), func(c string) bool { return !missing[c] })
		p.Add("audience", "This offer has %d %s requested or confirmed for %s, so %s cannot be taken off "+
			"the audience. %s, or publish a new offer for the new audience.",
			n, plural(n, "booking", "bookings"), audienceList(codes), plural(len(codes), "it", "they"),
			cancelFirst(n))
	}
}

// checkBookedPlace refuses, at the fields "delivery" and "postcode", a
// change of how or where the offer meets while live bookings exist: each
// booking copied them when it was made, and the safeguarding checklist
// depends on whether people come to the workplace. The postcode of an
// offer that stays virtual does not count, as no booking goes there.
func checkBookedPlace(p *Problems, live []*Booking, old, o *Offer) {
	n := len(live)
	if n == 0 || p.Has("delivery") {
		return
	}
	if o.Delivery != old.Delivery {
		p.Add("delivery", "This offer has %d %s requested or confirmed to take place %s, and the safeguarding "+
			"checks a booking needs depend on whether people come to the workplace, so how it is delivered "+
			"cannot change. %s, or publish a new offer delivered the new way.",
			n, plural(n, "booking", "bookings"), strings.ToLower(LabelOf(Deliveries, old.Delivery)),
			cancelFirst(n))
		return
	}

	if o.Postcode != old.Postcode && o.Delivery != DeliveryVirtual && !p.Has("postcode") {
		p.Add("postcode", "This offer has %d %s requested or confirmed at %s, made for that place, so the "+
			"postcode cannot change. %s, or publish a new offer at the new place.",
			n, plural(n, "booking", "bookings"), old.Postcode, cancelFirst(n))
	}
	if o.AtSchool != old.AtSchool && !p.Has("at_school") {
		where := "at the employer's place"
		if old.AtSchool {
			where = "at the schools that booked"
		}
		p.Add("at_school", "This offer has %d %s requested or confirmed to meet %s, so whether it comes to the "+
			"school cannot change. %s, or publish a new offer that meets the new way.",
			n, plural(n, "booking", "bookings"), where, cancelFirst(n))
	}
}

// cancelFirst asks the employer to cancel n bookings before a change.
func cancelFirst(n int) string {
	return fmt.Sprintf("Cancel %s first, with a reason, so that the organisations are told",
		plural(n, "that booking", "those bookings"))
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
