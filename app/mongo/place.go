package mongo

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"

	"github.com/encounters/encounters/app"
)

// A session's capacity is held by place claims: one document per taken
// place, whose _id is the session id and the place number and which a
// unique (session_id, place) index backs as well. Inserting is the one
// write every engine keeps atomic under concurrency (FerretDB's guarded
// updates are not), so of any number of concurrent claims of one place
// exactly one succeeds, and a session can never have more claims than
// places numbered 1..capacity.

// placeClaim is one taken place of a session.
type placeClaim struct {
	ID        string    `bson:"_id"`
	SessionID string    `bson:"session_id"`
	Place     int       `bson:"place"`
	Owner     string    `bson:"owner"`
	ClaimedAt time.Time `bson:"claimed_at"`
}

// claimID is the _id of a session's place claim.
func claimID(sessionID string, place int) string {
	return sessionID + ":" + strconv.Itoa(place)
}

// ClaimPlace claims place number place (from 1) of a session for owner, a
// booking or waitlist entry id. A place already claimed, by anyone, is
// EConflict; of concurrent claims of one place exactly one succeeds, on
// every engine.
func (s *Store) ClaimPlace(ctx context.Context, sessionID string, place int, owner string) error {
	if sessionID == "" || owner == "" || place < 1 {
		return fmt.Errorf("claim place %d of session %q for %q: bad arguments", place, sessionID, owner)
	}

	c := placeClaim{ID: claimID(sessionID, place), SessionID: sessionID, Place: place, Owner: owner,
		ClaimedAt: s.now().UTC()}
	_, err := s.c(colPlaceClaims).InsertOne(ctx, c)
	if isDuplicate(err) {
		return app.Errorf(app.EConflict, "Place %d of this session is already taken.", place)
	}
	if err != nil {
		return fmt.Errorf("claim place %s: %w", c.ID, err)
	}
	return nil
}

// ReleasePlace gives a place back if owner holds it; otherwise it changes
// nothing and returns nil.
//
// On MongoDB one delete filtered by _id and owner does it atomically. On
// FerretDB, whose filtered deletes read and then delete like any other
// write (and scan the collection for a filter other than a bare _id), the
// claim is read by _id and deleted by _id, with the pair serialised inside
// this process for that place. That is exact while every writer of the
// database goes through this process, as with the embedded server. Several
// processes sharing one FerretDB could, if two of them released the same
// place for the same owner at the same instant, delete a claim another
// owner made in between.
func (s *Store) ReleasePlace(ctx context.Context, sessionID string, place int, owner string) error {
	return s.deleteOwned(ctx, colPlaceClaims, claimID(sessionID, place), "owner", owner)
}

// lockIndex picks one of n locks for a key.
func lockIndex(key string, n int) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int(h.Sum32() % uint32(n))
}

// PlaceOwners returns who holds each taken place of a session, among
// places 1..capacity (place number → owner id). A place not in the map is
// free.
//
// It reads each place's claim by _id, placeReaders at a time: FerretDB
// answers only a bare {_id: X} filter from its storage and scans the whole
// claims collection for anything else, $in on _id included. Among 20,000
// claims on SQLite, 30 places take about 10 ms this way against over 1 s
// for $in or a find by session_id (BenchmarkPlaceOwners).
func (s *Store) PlaceOwners(ctx context.Context, sessionID string, capacity int) (map[int]string, error) {
	owners := make(map[int]string, capacity)
	if capacity <= 0 {
		return owners, nil
	}

	found := make([]string, capacity+1)
	err := eachConcurrently(ctx, capacity, placeReaders, func(ctx context.Context, i int) error {
		c, err := getByID[placeClaim](ctx, s.c(colPlaceClaims), claimID(sessionID, i+1), "place")
		if err == nil {
			found[i+1] = c.Owner
		}
		if app.ErrorCode(err) == app.ENotFound {
			return nil
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("place owners of session %s: %w", sessionID, err)
	}

	for place, owner := range found {
		if owner != "" {
			owners[place] = owner
		}
	}
	return owners, nil
}

// placeReaders is how many claims PlaceOwners reads at once.
const placeReaders = 4

// eachConcurrently calls fn for 0..n-1 on up to workers goroutines and
// returns the first error; after one, the calls not yet begun are skipped.
func eachConcurrently(ctx context.Context, n, workers int, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	next := make(chan int)
	errs := make(chan error, workers)
	for range min(workers, n) {
		go func() {
			var first error
			for i := range next {
				if first == nil {
					if first = fn(ctx, i); first != nil {
						cancel(first)
					}
				}
			}
			errs <- first
		}()
	}

	feed(ctx, next, n)
	var err error
	for range min(workers, n) {
		err = errors.Join(err, <-errs)
	}
	return err
}

// feed sends 0..n-1 on next, stopping early when ctx ends, and closes it.
func feed(ctx context.Context, next chan<- int, n int) {
	defer close(next)
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			return
		}
	}
}

// sessionOffer records which offer a session belongs to. Session ids are
// unique across the market.
type sessionOffer struct {
	ID      string `bson:"_id"` // the session id
	OfferID string `bson:"offer_id"`
}

// SessionOffer returns the id of the offer a session belongs to, or
// ENotFound for a session no offer has. CreateOffer and UpdateOffer keep
// the lookup, and EnsureIndexes builds it for offers stored before it.
func (s *Store) SessionOffer(ctx context.Context, sessionID string) (string, error) {
	so, err := getByID[sessionOffer](ctx, s.c(colSessionOffers), sessionID, "session")
	if err != nil {
		return "", err
	}
	return so.OfferID, nil
}

// addSessions records the sessions of o that old (nil for a new offer)
// lacks in the lookup. It comes before the offer is written, so the lookup
// names every session an offer has even if the process dies between the
// two.
func (s *Store) addSessions(ctx context.Context, old, o *app.Offer) error {
	for _, ses := range o.Sessions {
		if old != nil {
			if _, had := old.Session(ses.ID); had {
				continue
			}
		}

		if err := putDoc(ctx, s.c(colSessionOffers), ses.ID, sessionOffer{ID: ses.ID, OfferID: o.ID}); err != nil {
			return fmt.Errorf("record sessions of offer %s: %w", o.ID, err)
		}
	}
	return nil
}

// dropSessions removes from the lookup the sessions of old that o no
// longer has, when they still point at this offer.
func (s *Store) dropSessions(ctx context.Context, old, o *app.Offer) error {
	for _, ses := range old.Sessions {
		if _, kept := o.Session(ses.ID); kept {
			continue
		}

		so, err := getByID[sessionOffer](ctx, s.c(colSessionOffers), ses.ID, "session")
		if app.ErrorCode(err) == app.ENotFound || (err == nil && so.OfferID != o.ID) {
			continue
		}
		if err == nil {
			err = deleteID(ctx, s.c(colSessionOffers), ses.ID)
		}
		if err != nil {
			return fmt.Errorf("drop sessions of offer %s: %w", o.ID, err)
		}
	}
	return nil
}

// SetPlacesTaken records how many places of an offer's session are taken,
// touching nothing else of the offer: a $set of that one session's
// places_taken. A missing offer or session is ENotFound.
//
// On MongoDB the positional operator picks the session in the same atomic
// update. FerretDB 1.24 has no positional operator and would scan every
// offer for a filter beyond a bare _id, so there the offer is read by _id
// to find the session's index and that index's places_taken set by _id;
// the offer is read back and, if its sessions moved in between (an edit
// of the offer that removed or reordered sessions), the count is set again
// at the session's new index. The session that moved into the old index
// then shows this count until its own next SetPlacesTaken, and FerretDB's
// $set is itself a read and a whole write, so an edit of the offer at the
// same instant may be lost or may restore an older count: the counts are
// a copy for pages, and the place claims stay the truth.
func (s *Store) SetPlacesTaken(ctx context.Context, offerID, sessionID string, taken int) error {
	if s.engine == EngineMongoDB {
		return s.setPlacesTakenPositional(ctx, offerID, sessionID, taken)
	}

	for range 3 {
		i, err := s.sessionIndex(ctx, offerID, sessionID)
		if err != nil {
			return err
		}
		key := fmt.Sprintf("sessions.%d.places_taken", i)
		update := bson.D{{Key: "$set", Value: bson.D{{Key: key, Value: taken}}}}
		if _, err := s.c(colOffers).UpdateOne(ctx, byID(offerID), update); err != nil {
			return fmt.Errorf("set places taken on session %s: %w", sessionID, err)
		}

		if j, err := s.sessionIndex(ctx, offerID, sessionID); err != nil || j == i {
			return err
		}
	}
	return fmt.Errorf("set places taken on session %s: its offer keeps changing", sessionID)
}

func (s *Store) setPlacesTakenPositional(ctx context.Context, offerID, sessionID string, taken int) error {
	filter := bson.D{{Key: "_id", Value: offerID}, {Key: "sessions.id", Value: sessionID}}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "sessions.$.places_taken", Value: taken}}}}
	res, err := s.c(colOffers).UpdateOne(ctx, filter, update)
	switch {
	case err != nil:
		return fmt.Errorf("set places taken on session %s: %w", sessionID, err)
	case res.MatchedCount == 0:
		return app.ErrNotFound("session")
	}
	return nil
}

// sessionIndex returns where a session sits in its offer's sessions.
func (s *Store) sessionIndex(ctx context.Context, offerID, sessionID string) (int, error) {
	var o struct {
		Sessions []struct {
			ID string `bson:"id"`
		} `bson:"sessions"`
	}
	err := s.c(colOffers).FindOne(ctx, byID(offerID)).Decode(&o)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, app.ErrNotFound("session")
	}
	if err != nil {
		return 0, fmt.Errorf("find session %s: %w", sessionID, err)
	}

	for i, ses := range o.Sessions {
		if ses.ID == sessionID {
			return i, nil
		}
	}
	return 0, app.ErrNotFound("session")
}
