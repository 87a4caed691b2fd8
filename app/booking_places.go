package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// A session's capacity is its place claims: place numbers 1..Places, each
// claimed by at most one owner (a booking or a waitlist hold) under the
// store's unique (session, place) key. A booking claims its places one by
// one and gives them all back if it cannot have enough; nothing ever reads
// a count and then writes one. The session's PlacesTaken on the offer is
// only a copy of the claims' count, for pages and matching.

// sessionRef is what the capacity rules need of a session.
type sessionRef struct {
	OfferID string
	ID      string
	Places  int
	Start   time.Time
	// Open says the offer takes bookings: published by a verified
	// employer, so not paused, a draft or archived.
	Open bool
}

func refOf(o *Offer, ses *Session) sessionRef {
	return sessionRef{OfferID: o.ID, ID: ses.ID, Places: ses.Places, Start: ses.Start, Open: o.Public}
}

// Attempts that lose places to another app instance try again a few
// times, after a short and growing pause, before refusing: the other
// instance's attempt may be about to give them back.
const (
	claimRetries = 3
	claimPause   = 20 * time.Millisecond
)

// claimPlaces claims want places of the session for owner. It returns the
// place numbers claimed, or none and how many places were left when there
// were too few: a final answer in this process (see sessionGate).
func (s *Service) claimPlaces(ctx context.Context, ses sessionRef, owner string, want int) ([]int, int, error) {
	key := s.lockKey("session", ses.ID)
	g := sessionGates.acquire(key)
	defer sessionGates.release(key)
	if err := s.loadGate(ctx, g, ses, 0); err != nil {
		return nil, 0, err
	}

	for try := 0; ; try++ {
		got, left, contended, err := s.claimRound(ctx, g, ses, owner, want)
		if err != nil || got != nil || !contended || try == claimRetries {
			return got, left, err
		}
		pause := claimPause * time.Duration(1<<try)
		select {
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-time.After(pause/2 + rand.N(pause)):
		}
	}
}

// claimRound claims places until it has want, or gives back what it has
// and says how many are left when too few are. It also reports whether
// another process claimed places the round wanted.
func (s *Service) claimRound(ctx context.Context, g *sessionGate, ses sessionRef, owner string, want int,
) ([]int, int, bool, error) {
	var got []int
	contended := false

	for len(got) < want {
		picked, left, err := s.pick(ctx, g, ses, want-len(got))
		if err != nil || picked == nil {
			s.releasePlaces(ctx, ses.ID, owner, got)
			return nil, left + len(got), contended, err
		}
		claimed, taken, err := s.claimEach(ctx, ses.ID, owner, picked)
		g.tried(picked, taken)
		got = append(got, claimed...)
		contended = contended || len(taken) > len(claimed)
		if err != nil {
			s.releasePlaces(ctx, ses.ID, owner, got)
			return nil, 0, contended, err
		}
	}
	return got, 0, contended, nil
}

// pick takes want places from the gate. Before answering that too few are
// left, it has the places read again, as another app instance may have
// given some back; attempts refused together share a read that started
// after they looked.
func (s *Service) pick(ctx context.Context, g *sessionGate, ses sessionRef, want int) ([]int, int, error) {
	before := g.reads()
	picked, left := g.pick(ses.Places, want)
	if picked != nil {
		return picked, left, nil
	}

	if err := s.loadGate(ctx, g, ses, before); err != nil {
		return nil, 0, err
	}
	picked, left = g.pick(ses.Places, want)
	return picked, left, nil
}

// loadGate reads which places are taken into the gate, unless a read
// that started after the caller's first look (after read number seen)
// has ended well: a new gate is read with seen 0.
func (s *Service) loadGate(ctx context.Context, g *sessionGate, ses sessionRef, seen int) error {
	g.load.Lock()
	defer g.load.Unlock()
	if g.lastRead > seen {
		return nil
	}

	read := g.startRead()
	owners, err := s.Store.PlaceOwners(ctx, ses.ID, ses.Places)
	if err != nil {
		return fmt.Errorf("claim places: %w", err)
	}
	g.learn(owners, read)
	return nil
}

// claimEach claims the picked places in turn. It returns those it
// claimed, and those now known to be taken: its own and any another
// process claimed first.
func (s *Service) claimEach(ctx context.Context, sessionID, owner string, picked []int) ([]int, []int, error) {
	var claimed, taken []int
	for _, place := range picked {
		err := s.Store.ClaimPlace(ctx, sessionID, place, owner)
		switch ErrorCode(err) {
		case "":
			claimed = append(claimed, place)
			taken = append(taken, place)
		case EConflict:
			taken = append(taken, place)
		default:
			return claimed, taken, fmt.Errorf("claim places: %w", err)
		}
	}
	return claimed, taken, nil
}

// releasePlaces gives back places that owner holds. It goes on when the
// caller's context ends, so that no claim is left behind by a cancelled
// request; a place it cannot give back is logged, and the sweep frees it.
func (s *Service) releasePlaces(ctx context.Context, sessionID, owner string, places []int) {
	if len(places) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	var freed []int
	for _, place := range places {
		if err := s.Store.ReleasePlace(ctx, sessionID, place, owner); err != nil {
			s.log().ErrorContext(ctx, "place not released", "session_id", sessionID, "place", place,
				"owner_id", owner, "error", err)
			continue
		}
		freed = append(freed, place)
	}

	key := s.lockKey("session", sessionID)
	sessionGates.acquire(key).freed(freed)
	sessionGates.release(key)
}

// recountPlaces copies the number of the session's places this process
// knows are taken (see sessionGate: the claims as read from the store,
// then every claim and release made here) to the offer's PlacesTaken.
// Recounts of one session run one at a time, and a recount that finds
// another waiting leaves the work to it. The copy is for pages and
// matching only: a failure is logged, and the sweep, which counts the
// claims themselves, puts right a copy that another app instance's
// bookings have put out of step.
func (s *Service) recountPlaces(ctx context.Context, ses sessionRef) {
	key := s.lockKey("session", ses.ID)
	g := sessionGates.acquire(key)
	defer sessionGates.release(key)
	if !g.queueRecount() {
		return
	}
	g.startRecount()
	defer g.recount.Unlock()

	ctx = context.WithoutCancel(ctx)
	err := s.loadGate(ctx, g, ses, 0)
	if err == nil {
		err = s.Store.SetPlacesTaken(ctx, ses.OfferID, ses.ID, g.count(ses.Places))
	}
	if err != nil {
		s.log().ErrorContext(ctx, "places taken not recounted", "session_id", ses.ID, "error", err)
	}
}

// readPlaces reads who holds the session's places, and has this process's
// gate learn them.
func (s *Service) readPlaces(ctx context.Context, ses sessionRef) (map[int]string, error) {
	key := s.lockKey("session", ses.ID)
	g := sessionGates.acquire(key)
	defer sessionGates.release(key)
	g.load.Lock()
	defer g.load.Unlock()

	read := g.startRead()
	owners, err := s.Store.PlaceOwners(ctx, ses.ID, ses.Places)
	if err != nil {
		return nil, fmt.Errorf("read places: %w", err)
	}

	g.learn(owners, read)
	return owners, nil
}

// errNoPlaces is the answer when a session has too few places left.
func errNoPlaces(left, want int) error {
	if left == 0 {
		return Errorf(EConflict, "This session is full; you asked for %d %s. "+
			"Join its waitlist to be offered places that free up.", want, plural(want, "place", "places"))
	}
	return Errorf(EConflict, "Only %d %s left on this session; you asked for %d.",
		left, plural(left, "place is", "places are"), want)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// newTimedID returns an id like NewID's whose random part starts with the
// second it was made, in hex: the sweep gives back places claimed for an
// id that never became a booking only once it is old enough that no
// booking attempt can still be under way.
func newTimedID(prefix string, now time.Time) string {
	return fmt.Sprintf("%s_%08x%s", prefix, now.Unix(), strings.TrimPrefix(NewID(""), "_"))
}

// idTime returns when an id of newTimedID was made.
func idTime(id string) (time.Time, bool) {
	_, rest, ok := strings.Cut(id, "_")
	if !ok || len(rest) != 28 {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(rest[:8], 16, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(sec, 0), true
}
