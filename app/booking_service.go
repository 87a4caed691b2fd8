package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// IdempotencyKeyMax is the longest idempotency key a booker may send.
const IdempotencyKeyMax = 200

// Idempotency keys. A repeat waits up to idemWait for a booking another
// app instance is still making with the key. A key whose first attempt
// made nothing may be tried again for idemReuse after it, and no longer:
// the sweep gives back places claimed for an id that never became a
// booking once it is orphanAge old, which must never meet an attempt
// still under way.
const (
	idemWait  = 3 * time.Second
	idemRetry = 50 * time.Millisecond
	idemReuse = 5 * time.Minute
)

// GetSession returns a session with its places left and how many wait
// for it, and its offer: a public offer's sessions to anyone, a private
// offer's to its own organisation and the coordinator, ENotFound to the
// rest.
func (s *Service) GetSession(ctx context.Context, a *Actor, sessionID string) (*SessionView, *Offer, error) {
	o, ses, err := s.findSession(ctx, a, sessionID)
	if ErrorCode(err) == ENotFound && s.sessionPaused(ctx, sessionID) {
		return nil, nil, Errorf(EConflict, "%s", offerPausedMessage)
	}
	if err != nil {
		return nil, nil, err
	}
	v, err := s.sessionView(ctx, o, ses)
	if err != nil {
		return nil, nil, err
	}
	return v, o, nil
}

// sessionView describes a session: its places, places left and how many
// organisations wait for them.
func (s *Service) sessionView(ctx context.Context, o *Offer, ses *Session) (*SessionView, error) {
	waiting, err := s.Store.ListWaitlist(ctx, ses.ID)
	if err != nil {
		return nil, fmt.Errorf("session %s: waitlist: %w", ses.ID, err)
	}
	v := &SessionView{
		ID: ses.ID, OfferID: o.ID, OfferTitle: o.Title, Start: ses.Start, End: ses.End,
		Places: ses.Places, PlacesLeft: ses.PlacesLeft(),
	}
	for _, w := range waiting {
		if w.State == WaitWaiting {
			v.Waiting++
		}
	}
	return v, nil
}

// findSession loads a session the actor may see, with its offer.
func (s *Service) findSession(ctx context.Context, a *Actor, sessionID string) (*Offer, *Session, error) {
	if !ValidID(sessionID) {
		return nil, nil, ErrNotFound("Session")
	}
	offerID, err := s.Store.SessionOffer(ctx, sessionID)
	if ErrorCode(err) == ENotFound {
		return nil, nil, ErrNotFound("Session")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find session: %w", err)
	}

	o, err := s.GetOffer(ctx, a, offerID)
	if ErrorCode(err) == ENotFound {
		return nil, nil, ErrNotFound("Session")
	}
	if err != nil {
		return nil, nil, err
	}
	ses, ok := o.Session(sessionID)
	if !ok {
		return nil, nil, ErrNotFound("Session")
	}
	return o, ses, nil
}

// Book takes places on a session for the actor's organisation: a
// school, college or provider that is open. The offer must be public and
// the session still to come; the group must pass checkBookingInput. The
// places are claimed one by one (see claimPlaces); when too few are left
// the answer is EConflict saying how many, or, with in.Waitlist, a place
// on the waitlist: (nil, entry, nil). A repeat of in.IdempotencyKey by
// the same organisation returns what the first attempt made.
func (s *Service) Book(ctx context.Context, a *Actor, sessionID string, in BookingInput,
) (*Booking, *WaitlistEntry, error) {
	if err := requireMember(a); err != nil {
		return nil, nil, err
	}
	if !a.Kind.Learners() {
		return nil, nil, Errorf(EForbidden, "Only schools, colleges and providers can book places.")
	}

	key := strings.TrimSpace(in.IdempotencyKey)
	if key == "" {
		return s.book(ctx, a, sessionID, in, newTimedID("bkg", s.now()))
	}
	if len(key) > IdempotencyKeyMax {
		var p Problems
		p.Add("idempotency_key", "The idempotency key must be %d characters or fewer.", IdempotencyKeyMax)
		return nil, nil, p.Err()
	}
	return s.bookOnce(ctx, a, sessionID, in, a.OrgID+":"+key)
}

// bookOnce books under an idempotency key. The key is recorded before any
// place is claimed, with the id the booking will have. A repeat returns
// the booking (or waitlist entry) of that id; when the first attempt made
// nothing (it was refused, or failed), the repeat tries again under the
// same id, so that still only one booking can come of the key: the store
// keeps booking ids unique.
func (s *Service) bookOnce(ctx context.Context, a *Actor, sessionID string, in BookingInput, key string,
) (*Booking, *WaitlistEntry, error) {
	unlock := s.lock(lockIdem, key)
	defer unlock()

	id := newTimedID("bkg", s.now())
	prev, err := s.Store.PutIdempotencyKey(ctx, key, id)
	switch ErrorCode(err) {
	case "":
	case EConflict:
		id = prev
		b, w, err := s.madeBy(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		if b != nil || w != nil {
			if err := sameBookingRequest(sessionID, in, b, w); err != nil {
				return nil, nil, err
			}
			return b, w, nil
		}
		if made, ok := idTime(id); !ok || s.now().Sub(made) > idemReuse {
			return nil, nil, Errorf(EConflict, "This request was sent a while ago and made no booking. "+
				"Reload the page and book again (through the API, send a new Idempotency-Key).")
		}
	default:
		return nil, nil, fmt.Errorf("book: idempotency key: %w", err)
	}
	return s.book(ctx, a, sessionID, in, id)
}

// sameBookingRequest refuses a repeat of an idempotency key that asks for
// something other than what the key made (booking b or waitlist entry w):
// another session, another number of places or other year groups. The
// caller would otherwise be told of a booking it did not ask for.
func sameBookingRequest(sessionID string, in BookingInput, b *Booking, w *WaitlistEntry) error {
	var session, group string
	var places int
	var years []int
	if b != nil {
		session, group, places, years = b.SessionID, b.Group, b.Places, b.YearGroups
	} else {
		session, group, places, years = w.SessionID, w.Group, w.Places, w.YearGroups
	}
	asked := slices.Sorted(slices.Values(in.YearGroups))
	if session == sessionID && places == in.Places && (in.Group == "" || in.Group == group) &&
		slices.Equal(slices.Compact(asked), slices.Sorted(slices.Values(years))) {
		return nil
	}
	return Errorf(EConflict, "This idempotency key was already used for another request: %d %s on "+
		"session %s. Send a new key to make a new booking.", places, plural(places, "place", "places"), session)
}

// madeBy returns the booking or waitlist entry with id, if any.
func (s *Service) madeBy(ctx context.Context, id string) (*Booking, *WaitlistEntry, error) {
	b, err := s.Store.GetBooking(ctx, id)
	if err == nil {
		return b, nil, nil
	}
	if ErrorCode(err) != ENotFound {
		return nil, nil, fmt.Errorf("book: earlier booking: %w", err)
	}

	w, err := s.Store.GetWaitlistEntry(ctx, id)
	if err == nil {
		return nil, w, nil
	}
	if ErrorCode(err) != ENotFound {
		return nil, nil, fmt.Errorf("book: earlier waitlist entry: %w", err)
	}
	return nil, nil, nil
}

// book checks the booking and makes it with the given id.
func (s *Service) book(ctx context.Context, a *Actor, sessionID string, in BookingInput, id string,
) (*Booking, *WaitlistEntry, error) {
	o, ses, org, err := s.bookable(ctx, a, sessionID)
	if err != nil {
		return nil, nil, err
	}
	g, err := checkBookingInput(in, o, *ses, org)
	if err != nil {
		return nil, nil, err
	}
	b := s.newBooking(a, o, ses, org, g, id)

	got, left, err := s.claimPlaces(ctx, refOf(o, ses), id, g.Places)
	switch {
	case err != nil:
		return nil, nil, err
	case got == nil && in.Waitlist:
		w, err := s.joinWaitlist(ctx, a, b, refOf(o, ses))
		return nil, w, err
	case got == nil:
		return nil, nil, errNoPlaces(left, g.Places)
	}
	b.PlaceNumbers = got

	// Places are claimed: finish storing the booking even if the caller
	// gives up or its request times out, so that what is stored and what
	// is answered agree, within a deadline of its own.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookingWriteTimeout)
	defer cancel()
	b, err = s.saveNewBooking(wctx, b, refOf(o, ses))
	return b, nil, err
}

// bookingWriteTimeout bounds storing a booking once its places are claimed.
const bookingWriteTimeout = time.Minute

// bookable loads what a booking needs and refuses a closed organisation,
// an offer that is not public and a session that has started.
func (s *Service) bookable(ctx context.Context, a *Actor, sessionID string,
) (*Offer, *Session, *Organisation, error) {
	o, ses, err := s.findSession(ctx, a, sessionID)
	if ErrorCode(err) == ENotFound && s.sessionPaused(ctx, sessionID) {
		return nil, nil, nil, Errorf(EConflict, "%s", offerPausedMessage)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if !o.Public {
		return nil, nil, nil, ErrNotFound("Session")
	}
	org, err := s.Store.GetOrg(ctx, a.OrgID)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("book: organisation: %w", err)
	}

	switch {
	case org.Status == OrgClosed:
		return nil, nil, nil, Errorf(EConflict, "%s has closed, so it cannot book places.", org.Name)
	case !ses.Start.After(s.now()):
		return nil, nil, nil, Errorf(EConflict, "This session started on %s, so it can no longer be booked.",
			ses.Start.In(London).Format(sessionTimeLayout))
	}
	return o, ses, org, nil
}

// offerPausedMessage answers a booker who asks for a paused offer's
// session. Bookings already made on it stand.
const offerPausedMessage = "This offer is paused: the employer is not taking new bookings just now, and " +
	"bookings already made stand. Try again later, or look for another session."

// sessionPaused reports whether a session a booker cannot see belongs to
// a paused offer: one that was on the market and will be again, so saying
// so explains more than "not found" and gives nothing away.
func (s *Service) sessionPaused(ctx context.Context, sessionID string) bool {
	if !ValidID(sessionID) {
		return false
	}
	offerID, err := s.Store.SessionOffer(ctx, sessionID)
	if err != nil {
		return false
	}
	o, err := s.Store.GetOffer(ctx, offerID)
	return err == nil && o.Status == OfferPaused
}

// newBooking is a requested booking of the session, not yet stored.
func (s *Service) newBooking(a *Actor, o *Offer, ses *Session, org *Organisation, g bookingGroup, id string,
) *Booking {
	now := s.now().UTC()
	return &Booking{
		ID: id, State: BookingRequested, OfferID: o.ID, SessionID: ses.ID, OfferTitle: o.Title,
		OfferType: o.Type, Delivery: o.Delivery, Where: bookingWhere(o), EmployerID: o.OrgID,
		EmployerName: o.OrgName, OrgID: org.ID, OrgName: org.Name, Start: ses.Start, End: ses.End,
		Places: g.Places, Group: g.Group, YearGroups: g.Years, Details: g.Details, BookedBy: a.UserID,
		History: []BookingEvent{{
			At: now, UserID: a.UserID, Name: a.Name, OrgID: a.OrgID, Side: SideBooker, Move: MoveBooked,
			To: BookingRequested,
		}},
		CreatedAt: now, UpdatedAt: now,
	}
}

// bookingWhere says where a booking takes place, for pages and invites.
func bookingWhere(o *Offer) string {
	switch {
	case o.Delivery == DeliveryVirtual:
		return "Online"
	case o.AtSchool:
		return "At your school"
	}
	return o.Postcode
}

// saveNewBooking stores a booking whose places are claimed, then brings
// the session's count up to date and queues the emails. When the booking
// cannot be stored its places go back; when its id is taken, another
// attempt with the same idempotency key made it, and that one is returned.
func (s *Service) saveNewBooking(ctx context.Context, b *Booking, ses sessionRef) (*Booking, error) {
	unlock := s.lock(lockBooking, b.ID)
	defer unlock()

	if err := s.Store.CreateBooking(ctx, b); err != nil {
		if ErrorCode(err) == EConflict {
			s.releasePlaces(ctx, ses.ID, b.ID, b.PlaceNumbers)
			return s.awaitBooking(ctx, b.ID)
		}
		// A write that failed may still have been stored (a timeout says
		// nothing either way): give the places back only when the booking
		// is surely absent. Claims of an owner that never became a booking
		// are freed by the sweep.
		stored, getErr := s.Store.GetBooking(context.WithoutCancel(ctx), b.ID)
		switch {
		case getErr == nil:
			b = stored
		case ErrorCode(getErr) == ENotFound:
			s.releasePlaces(ctx, ses.ID, b.ID, b.PlaceNumbers)
			return nil, fmt.Errorf("book: %w", err)
		default:
			return nil, fmt.Errorf("book: %w", err)
		}
	}
	s.log().InfoContext(ctx, "booking made", "booking_id", b.ID, "session_id", b.SessionID,
		"org_id", b.OrgID, "places", b.Places)

	s.recountPlaces(ctx, ses)
	s.announceLogged(ctx, b)
	return b, nil
}

// awaitBooking waits a little for a booking that another attempt is
// making.
func (s *Service) awaitBooking(ctx context.Context, id string) (*Booking, error) {
	deadline := time.Now().Add(idemWait)

	for {
		b, err := s.Store.GetBooking(ctx, id)
		if ErrorCode(err) != ENotFound || time.Now().After(deadline) {
			if ErrorCode(err) == ENotFound {
				return nil, Errorf(EConflict, "This booking is still being made. Wait a moment, then reload the page.")
			}
			return b, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(idemRetry):
		}
	}
}

// lockedBooking loads a booking the actor, a member of one of its sides or
// the coordinator, may see, under the booking's lock, for a write by that
// actor. The caller must call unlock when done; on an error there is
// nothing to unlock.
func (s *Service) lockedBooking(ctx context.Context, a *Actor, id string) (*Booking, func(), error) {
	if err := requireMember(a); err != nil {
		return nil, nil, err
	}
	unlock := s.lock(lockBooking, id)
	b, err := s.visibleBooking(ctx, a, id)
	if err != nil {
		unlock()
		return nil, nil, err
	}
	return b, unlock, nil
}

// GetBooking returns a booking to either of its organisations and the
// coordinator; to anyone else it is ENotFound.
func (s *Service) GetBooking(ctx context.Context, a *Actor, id string) (*Booking, error) {
	if err := requireMember(a); err != nil {
		return nil, err
	}
	return s.visibleBooking(ctx, a, id)
}

func (s *Service) visibleBooking(ctx context.Context, a *Actor, id string) (*Booking, error) {
	if !ValidID(id) {
		return nil, ErrNotFound("Booking")
	}
	b, err := s.Store.GetBooking(ctx, id)
	if ErrorCode(err) == ENotFound {
		return nil, ErrNotFound("Booking")
	}
	if err != nil {
		return nil, fmt.Errorf("get booking: %w", err)
	}

	if b.SideOf(a.OrgID) == "" && !a.IsCoordinator() {
		return nil, ErrNotFound("Booking")
	}
	return b, nil
}

// ListBookings lists the bookings of the actor's organisation, on either
// side, by session start, with the total matching f. Limit defaults to
// DefaultPerPage and is at most MaxPerPage.
func (s *Service) ListBookings(ctx context.Context, a *Actor, f BookingFilter) ([]*Booking, int, error) {
	if err := requireMember(a); err != nil {
		return nil, 0, err
	}
	if f.Offset < 0 {
		var p Problems
		p.Add("offset", "The offset must be 0 or more.")
		return nil, 0, p.Err()
	}
	if f.Limit <= 0 {
		f.Limit = DefaultPerPage
	}
	f.Limit = min(f.Limit, MaxPerPage)
	f.Now = s.now()

	list, total, err := s.Store.ListOrgBookings(ctx, a.OrgID, f)
	if err != nil {
		return nil, 0, fmt.Errorf("list bookings: %w", err)
	}
	return list, total, nil
}
