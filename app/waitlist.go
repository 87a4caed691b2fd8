package app

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// A full session keeps a waitlist, oldest entry first. When places free
// up, the first waiting entry whose places fit gets a hold: the places
// are claimed in the entry's name until HoldUntil, and its organisation
// is emailed. Taking the hold turns the entry into a requested booking
// with the same id, which owns those claims already; a hold that runs out
// gives the places back and they pass to the next entry.

// holdFor is how long a hold lasts.
func (s *Service) holdFor() time.Duration {
	if s.Hold > 0 {
		return s.Hold
	}
	return DefaultHold
}

// joinWaitlist puts the booking that could not have its places on the
// session's waitlist, under the booking's id. An organisation waits once
// per session: the store refuses a second waiting or held entry even when
// both are made at once. Reading the organisation's list first answers
// most repeats without a write, and refuses them for entries stored before
// the store kept that rule.
func (s *Service) joinWaitlist(ctx context.Context, a *Actor, b *Booking, ses sessionRef) (*WaitlistEntry, error) {
	mine, err := s.Store.ListOrgWaitlist(ctx, b.OrgID)
	if err != nil {
		return nil, fmt.Errorf("join waitlist: %w", err)
	}
	for _, w := range mine {
		if w.SessionID == b.SessionID && (w.State == WaitWaiting || w.State == WaitHeld) {
			return nil, errWaitsAlready(b.OrgName)
		}
	}

	w := &WaitlistEntry{
		ID: b.ID, SessionID: b.SessionID, OfferID: b.OfferID, OfferTitle: b.OfferTitle,
		EmployerID: b.EmployerID, OrgID: b.OrgID, OrgName: b.OrgName, UserID: a.UserID,
		Places: b.Places, Group: b.Group, YearGroups: b.YearGroups, Details: b.Details,
		State: WaitWaiting, CreatedAt: b.CreatedAt, UpdatedAt: b.CreatedAt,
	}
	err = s.Store.CreateWaitlistEntry(ctx, w)
	if ErrorCode(err) == EConflict {
		return s.joinedAlready(ctx, w)
	}
	if err != nil {
		return nil, fmt.Errorf("join waitlist: %w", err)
	}
	s.log().InfoContext(ctx, "waitlist joined", "waitlist_id", w.ID, "session_id", w.SessionID, "org_id", w.OrgID)

	s.queueWaitlistLetter(ctx, w, LetterWaitlistJoined)
	// Places given back between the refusal and now go to the list at once.
	if err := s.offerFreedPlaces(ctx, ses); err != nil {
		s.log().ErrorContext(ctx, "freed places not offered", "session_id", ses.ID, "error", err)
	}
	return s.Store.GetWaitlistEntry(ctx, w.ID)
}

// joinedAlready answers a join the store refused: the entry itself when
// a repeat of this request stored it, or else the refusal of a second
// entry of the organisation.
func (s *Service) joinedAlready(ctx context.Context, w *WaitlistEntry) (*WaitlistEntry, error) {
	got, err := s.Store.GetWaitlistEntry(ctx, w.ID)
	switch {
	case ErrorCode(err) == ENotFound:
		return nil, errWaitsAlready(w.OrgName)
	case err != nil:
		return nil, fmt.Errorf("join waitlist: %w", err)
	}
	return got, nil
}

// errWaitsAlready refuses a second waiting or held entry of an
// organisation on one session.
func errWaitsAlready(org string) error {
	return Errorf(EConflict, "%s is on this session's waitlist already.", org)
}

// queueWaitlistLetter emails an entry's organisation about it, naming its
// session's time, logging a failure. A hold that lapsed or a list that
// closed sends the reader to find another session.
func (s *Service) queueWaitlistLetter(ctx context.Context, w *WaitlistEntry, kind string) {
	copied := *w
	l := Letter{Kind: kind, Link: s.BaseURL + "/bookings", Waitlist: &copied}
	if kind == LetterHoldLapsed || kind == LetterWaitlistClosed {
		l.Link = s.BaseURL + "/find" // to find another session
	}
	l.SessionStart, l.SessionEnd, _ = s.entrySession(ctx, w) // without them the letter names no time
	if err := s.queueToOrg(ctx, w.OrgID, "waitlist/"+w.ID+"/"+kind, MailWaitlist, l); err != nil {
		s.log().ErrorContext(ctx, "waitlist email not queued", "waitlist_id", w.ID, "kind", kind, "error", err)
	}
}

// offerFreedPlaces gives holds on the session's free places to its
// waiting entries, oldest first, passing over an entry that wants more
// places than are free. Nothing is offered once the session has started,
// nor while the offer takes no bookings: a hold nobody could take would
// only raise hopes. Publishing the offer again offers them.
func (s *Service) offerFreedPlaces(ctx context.Context, ses sessionRef) error {
	unlock := s.lock(lockSession, ses.ID)
	defer unlock()
	if !ses.Open || !ses.Start.After(s.now()) {
		return nil
	}
	owners, err := s.Store.PlaceOwners(ctx, ses.ID, ses.Places)
	if err != nil {
		return fmt.Errorf("offer freed places: %w", err)
	}
	free := ses.Places - len(owners)
	if free == 0 {
		return nil
	}
	entries, err := s.Store.ListWaitlist(ctx, ses.ID)
	if err != nil {
		return fmt.Errorf("offer freed places: %w", err)
	}

	held := false
	for _, w := range entries {
		if w.State != WaitWaiting || w.Places > free {
			continue
		}
		ok, err := s.offerHold(ctx, ses, w.ID)
		if err != nil {
			return err
		}
		if ok {
			free -= w.Places
			held = true
		}
	}
	if held {
		s.recountPlaces(ctx, ses)
	}
	return nil
}

// offerHold claims an entry's places and holds them for it. It reports
// false when the entry stopped waiting or the places went meanwhile.
func (s *Service) offerHold(ctx context.Context, ses sessionRef, id string) (bool, error) {
	unlock := s.lock(lockWaitlist, id)
	defer unlock()
	w, err := s.Store.GetWaitlistEntry(ctx, id)
	if err != nil {
		return false, fmt.Errorf("offer hold: %w", err)
	}
	if w.State != WaitWaiting {
		return false, nil
	}
	got, _, err := s.claimPlaces(ctx, ses, w.ID, w.Places)
	if err != nil || got == nil {
		return false, err
	}

	now := s.now().UTC()
	w.State, w.PlaceNumbers, w.HoldUntil, w.UpdatedAt = WaitHeld, got, now.Add(s.holdFor()), now
	if err := s.Store.UpdateWaitlistEntry(ctx, w); err != nil {
		s.releasePlaces(ctx, ses.ID, w.ID, got)
		return false, fmt.Errorf("offer hold: %w", err)
	}
	s.log().InfoContext(ctx, "hold offered", "waitlist_id", w.ID, "session_id", w.SessionID, "places", w.Places)
	s.queueWaitlistLetter(ctx, w, LetterHoldOffered)
	return true, nil
}

// ListMyWaitlist lists the waiting and held entries of the actor's
// organisation.
func (s *Service) ListMyWaitlist(ctx context.Context, a *Actor) ([]*WaitlistEntry, error) {
	if err := requireMember(a); err != nil {
		return nil, err
	}
	list, err := s.Store.ListOrgWaitlist(ctx, a.OrgID)
	if err != nil {
		return nil, fmt.Errorf("list waitlist: %w", err)
	}
	return list, nil
}

// WaitlistStanding is one of an organisation's waiting or held entries
// with its session's times and, while it waits, its place in the queue.
type WaitlistStanding struct {
	Entry *WaitlistEntry
	// Start and End are the session's times now; zero when the offer no
	// longer has the session.
	Start, End time.Time
	// InQueue is the entry's place among the session's waiting entries in
	// the order they joined, 1 being next; 0 when it is not waiting. Freed
	// places pass over a group they cannot fit, so it is an order, not a
	// promise.
	InQueue int
}

// ListMyWaitlistStandings lists the waiting and held entries of the
// actor's organisation, each with its session's times and place in the
// queue, soonest session first.
func (s *Service) ListMyWaitlistStandings(ctx context.Context, a *Actor) ([]WaitlistStanding, error) {
	entries, err := s.ListMyWaitlist(ctx, a)
	if err != nil {
		return nil, err
	}
	out := make([]WaitlistStanding, len(entries))
	for i, w := range entries {
		if out[i], err = s.standing(ctx, w); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(out, func(x, y WaitlistStanding) int { return x.Start.Compare(y.Start) })
	return out, nil
}

// entrySession returns when a waitlist entry's session runs now: zero
// times when its offer no longer has the session.
func (s *Service) entrySession(ctx context.Context, w *WaitlistEntry) (start, end time.Time, err error) {
	o, err := s.Store.GetOffer(ctx, w.OfferID)
	if ErrorCode(err) == ENotFound {
		return start, end, nil
	}
	if err != nil {
		return start, end, fmt.Errorf("waitlist entry's session: %w", err)
	}
	if ses, ok := o.Session(w.SessionID); ok {
		start, end = ses.Start, ses.End
	}
	return start, end, nil
}

// standing finds a waitlist entry's session times and place in the queue.
func (s *Service) standing(ctx context.Context, w *WaitlistEntry) (WaitlistStanding, error) {
	st := WaitlistStanding{Entry: w}
	var err error
	if st.Start, st.End, err = s.entrySession(ctx, w); err != nil {
		return st, err
	}
	if w.State != WaitWaiting {
		return st, nil
	}

	queue, err := s.Store.ListWaitlist(ctx, w.SessionID)
	if err != nil {
		return st, fmt.Errorf("waitlist standing: queue: %w", err)
	}
	for _, q := range queue {
		if q.State == WaitWaiting {
			st.InQueue++
		}
		if q.ID == w.ID {
			return st, nil
		}
	}
	st.InQueue = 0 // it left the queue meanwhile
	return st, nil
}

// ownEntry loads a waitlist entry of the actor's organisation; any other
// is ENotFound.
func (s *Service) ownEntry(ctx context.Context, a *Actor, id string) (*WaitlistEntry, error) {
	if !ValidID(id) {
		return nil, ErrNotFound("Waitlist entry")
	}
	w, err := s.Store.GetWaitlistEntry(ctx, id)
	if ErrorCode(err) == ENotFound || (err == nil && w.OrgID != a.OrgID) {
		return nil, ErrNotFound("Waitlist entry")
	}
	if err != nil {
		return nil, fmt.Errorf("get waitlist entry: %w", err)
	}
	return w, nil
}

// TakeHold turns a held waitlist entry of the actor's organisation into a
// requested booking with the same id and the held places, before the hold
// runs out and the session starts. The group must still pass
// checkBookingInput against the offer as it is now; when it does not, the
// hold stays until it lapses. Taking it again returns the booking.
func (s *Service) TakeHold(ctx context.Context, a *Actor, entryID string) (*Booking, error) {
	if err := requireMember(a); err != nil {
		return nil, err
	}
	unlock := s.lock(lockWaitlist, entryID)
	defer unlock()
	w, err := s.ownEntry(ctx, a, entryID)
	if err != nil {
		return nil, err
	}
	if w.State == WaitBooked {
		return s.Store.GetBooking(ctx, w.ID)
	}
	if err := s.checkHold(w); err != nil {
		return nil, err
	}
	o, ses, org, err := s.bookable(ctx, a, w.SessionID)
	if err != nil {
		return nil, err
	}

	// The offer may have changed since the entry joined: check the group
	// against it as it is now, as a direct booking is.
	in := BookingInput{Places: w.Places, Group: w.Group, YearGroups: w.YearGroups, Details: w.Details}
	g, err := checkBookingInput(in, o, *ses, org)
	if err != nil {
		return nil, err
	}
	b := s.newBooking(a, o, ses, org, g, w.ID)
	b.PlaceNumbers, b.WaitlistID = w.PlaceNumbers, w.ID
	return s.bookHold(ctx, b, w)
}

// checkHold refuses to take an entry that holds no places now.
func (s *Service) checkHold(w *WaitlistEntry) error {
	switch {
	case w.State == WaitWaiting:
		return Errorf(EConflict, "No places are held for you yet: we will email you when some free up.")
	case w.State != WaitHeld:
		return Errorf(EConflict, "This waitlist entry has %s, so it holds no places.", waitWords(w.State))
	case !s.now().Before(w.HoldUntil):
		return Errorf(EConflict, "The hold ran out on %s.", w.HoldUntil.In(London).Format(sessionTimeLayout))
	}
	return nil
}

func waitWords(state string) string {
	switch state {
	case WaitLapsed:
		return "lapsed"
	case WaitLeft:
		return "been left"
	case WaitClosed:
		return "closed, as the employer withdrew the offer"
	}
	return "ended"
}

// bookHold stores the booking a hold became and marks the entry booked.
// The caller holds the entry's lock. A booking stored before a crash is
// found again rather than made twice.
func (s *Service) bookHold(ctx context.Context, b *Booking, w *WaitlistEntry) (*Booking, error) {
	unlock := s.lock(lockBooking, b.ID)
	defer unlock()
	err := s.Store.CreateBooking(ctx, b)
	if ErrorCode(err) == EConflict {
		b, err = s.Store.GetBooking(ctx, b.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("take hold: %w", err)
	}

	w.State, w.UpdatedAt = WaitBooked, s.now().UTC()
	if err := s.Store.UpdateWaitlistEntry(ctx, w); err != nil {
		return nil, fmt.Errorf("take hold: %w", err)
	}
	s.log().InfoContext(ctx, "hold taken", "booking_id", b.ID, "session_id", b.SessionID, "org_id", b.OrgID)
	s.announceLogged(ctx, b)
	return b, nil
}

// LeaveWaitlist takes an entry of the actor's organisation off the list;
// places held for it go to the next entry.
func (s *Service) LeaveWaitlist(ctx context.Context, a *Actor, entryID string) error {
	if err := requireMember(a); err != nil {
		return err
	}
	unlock := s.lock(lockWaitlist, entryID)
	w, err := s.ownEntry(ctx, a, entryID)
	if err == nil {
		err = s.endEntry(ctx, w, WaitLeft)
	}
	unlock()
	if err != nil {
		return err
	}

	if len(w.PlaceNumbers) > 0 {
		s.releasePlaces(ctx, w.SessionID, w.ID, w.PlaceNumbers)
		s.placesFreed(ctx, w.OfferID, w.SessionID)
	}
	return nil
}

// closeWaitlists ends the waiting and held entries of an archived offer's
// sessions still to come, gives back their places and tells each
// organisation that the offer was withdrawn.
func (s *Service) closeWaitlists(ctx context.Context, o *Offer) error {
	for _, ses := range o.Upcoming(s.now()) {
		entries, err := s.Store.ListWaitlist(ctx, ses.ID)
		if err != nil {
			return fmt.Errorf("close waitlists: %w", err)
		}
		for _, w := range entries {
			if err := s.closeEntry(ctx, w.ID); err != nil {
				return err
			}
		}
		if len(entries) > 0 { // held places went back
			s.recountPlaces(ctx, refOf(o, &ses))
		}
	}
	return nil
}

// closeEntry ends one entry of an archived offer, under its lock.
func (s *Service) closeEntry(ctx context.Context, id string) error {
	unlock := s.lock(lockWaitlist, id)
	defer unlock()
	w, err := s.Store.GetWaitlistEntry(ctx, id)
	if err != nil {
		return fmt.Errorf("close waitlist entry: %w", err)
	}
	if w.State != WaitWaiting && w.State != WaitHeld {
		return nil
	}
	if err := s.endEntry(ctx, w, WaitClosed); err != nil {
		return err
	}
	if len(w.PlaceNumbers) > 0 { // a hold's places
		s.releasePlaces(ctx, w.SessionID, w.ID, w.PlaceNumbers)
	}
	s.queueWaitlistLetter(ctx, w, LetterWaitlistClosed)
	return nil
}

// endEntry moves a waiting or held entry to state (left, lapsed or closed). Its
// places are given back by the caller after the state is stored, so that
// the sweep frees them if the process stops in between.
func (s *Service) endEntry(ctx context.Context, w *WaitlistEntry, state string) error {
	if w.State != WaitWaiting && w.State != WaitHeld {
		return Errorf(EConflict, "This waitlist entry has %s already.", waitWords(w.State))
	}
	if w.State == WaitWaiting {
		w.PlaceNumbers = nil
	}

	w.State, w.UpdatedAt = state, s.now().UTC()
	if err := s.Store.UpdateWaitlistEntry(ctx, w); err != nil {
		return fmt.Errorf("end waitlist entry: %w", err)
	}
	s.log().InfoContext(ctx, "waitlist entry ended", "waitlist_id", w.ID, "state", state)
	return nil
}

// lapseHold ends a hold that ran out, gives its places back and passes
// them on. A hold whose booking was stored just before a crash is marked
// booked instead.
func (s *Service) lapseHold(ctx context.Context, id string) error {
	unlock := s.lock(lockWaitlist, id)
	w, err := s.Store.GetWaitlistEntry(ctx, id)
	if err != nil || w.State != WaitHeld || s.now().Before(w.HoldUntil) {
		unlock()
		return err
	}
	if _, err := s.Store.GetBooking(ctx, w.ID); ErrorCode(err) != ENotFound {
		defer unlock()
		if err != nil {
			return fmt.Errorf("lapse hold: %w", err)
		}
		w.State, w.UpdatedAt = WaitBooked, s.now().UTC()
		return s.Store.UpdateWaitlistEntry(ctx, w)
	}
	err = s.endEntry(ctx, w, WaitLapsed)
	unlock()
	if err != nil {
		return err
	}

	s.releasePlaces(ctx, w.SessionID, w.ID, w.PlaceNumbers)
	s.queueWaitlistLetter(ctx, w, LetterHoldLapsed)
	s.placesFreed(ctx, w.OfferID, w.SessionID)
	return nil
}
