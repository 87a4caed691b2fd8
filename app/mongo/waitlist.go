package mongo

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/encounters/encounters/app"
)

// waitingEntry lists a waiting or held waitlist entry in waitlist_listing;
// it is deleted when the entry is booked, lapses or leaves.
type waitingEntry struct {
	ID        string    `bson:"_id"` // the waitlist entry id
	SessionID string    `bson:"session_id"`
	OrgID     string    `bson:"org_id"`
	State     string    `bson:"state"`
	CreatedAt time.Time `bson:"created_at"`
}

func (e waitingEntry) key() string { return e.ID }

func (e waitingEntry) same(o waitingEntry) bool {
	return e.ID == o.ID && e.SessionID == o.SessionID && e.OrgID == o.OrgID && e.State == o.State &&
		e.CreatedAt.Equal(o.CreatedAt)
}

// waiting reports whether a waitlist entry is still in the queue.
func waiting(w *app.WaitlistEntry) bool {
	return w.State == app.WaitWaiting || w.State == app.WaitHeld
}

func waitingOf(w *app.WaitlistEntry) (waitingEntry, bool) {
	return waitingEntry{ID: w.ID, SessionID: w.SessionID, OrgID: w.OrgID, State: w.State,
		CreatedAt: w.CreatedAt.UTC()}, waiting(w)
}

// CreateWaitlistEntry adds a new waitlist entry. An existing id is
// EConflict, and so is a waiting or held entry of the same organisation on
// the session: the new entry's claim is inserted first.
func (s *Store) CreateWaitlistEntry(ctx context.Context, w *app.WaitlistEntry) error {
	if e, ok := waitingOf(w); ok {
		if err := s.claimWaiting(ctx, w); err != nil {
			return err
		}
		if err := addDoc(ctx, s.c(colWaitingList), e.ID, e); err != nil {
			return err
		}
	}
	return insert(ctx, s.c(colWaitlist), w.ID, w, "waitlist entry")
}

// GetWaitlistEntry returns the waitlist entry with the id, or ENotFound.
func (s *Store) GetWaitlistEntry(ctx context.Context, id string) (*app.WaitlistEntry, error) {
	return getByID[app.WaitlistEntry](ctx, s.c(colWaitlist), id, "waitlist entry")
}

// UpdateWaitlistEntry writes w whole; a missing id is ENotFound. Like
// UpdateBooking it keeps the last of two concurrent writes on FerretDB. An
// entry that stops waiting gives up its claim, once the entry is stored.
func (s *Store) UpdateWaitlistEntry(ctx context.Context, w *app.WaitlistEntry) error {
	e, ok := waitingOf(w)
	if ok {
		if err := putDoc(ctx, s.c(colWaitingList), e.ID, e); err != nil {
			return err
		}
	}

	if err := replace(ctx, s.c(colWaitlist), w.ID, w, "waitlist entry"); err != nil {
		return err
	}
	if ok {
		return nil
	}
	if err := deleteID(ctx, s.c(colWaitingList), w.ID); err != nil {
		return err
	}
	return s.releaseWaiting(ctx, waitClaimID(w.SessionID, w.OrgID), w.ID)
}

// waitingListing lists waiting and held entries that keep also keeps.
func waitingListing(filter bson.D, keep func(*app.WaitlistEntry) bool) smallListing[app.WaitlistEntry, waitingEntry] {
	return smallListing[app.WaitlistEntry, waitingEntry]{
		entries: colWaitingList, docs: colWaitlist, what: "waitlist entry", filter: filter,
		docID: func(e waitingEntry) string { return e.ID },
		want:  waitingOf,
		keep:  func(w *app.WaitlistEntry) bool { return waiting(w) && keep(w) },
	}
}

// oldestWaiting orders waitlist entries by when they joined, then id.
func oldestWaiting(a, b waitingEntry) int {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// ListWaitlist returns a session's waiting and held entries, oldest first.
func (s *Store) ListWaitlist(ctx context.Context, sessionID string) ([]*app.WaitlistEntry, error) {
	l := waitingListing(bson.D{{Key: "session_id", Value: sessionID}},
		func(w *app.WaitlistEntry) bool { return w.SessionID == sessionID })
	return listAll(ctx, s, l, oldestWaiting)
}

// ListOrgWaitlist returns an organisation's waiting and held entries,
// oldest first.
func (s *Store) ListOrgWaitlist(ctx context.Context, orgID string) ([]*app.WaitlistEntry, error) {
	l := waitingListing(bson.D{{Key: "org_id", Value: orgID}},
		func(w *app.WaitlistEntry) bool { return w.OrgID == orgID })
	return listAll(ctx, s, l, oldestWaiting)
}

// ListHeldEntries returns every entry in the held state, oldest first.
func (s *Store) ListHeldEntries(ctx context.Context) ([]*app.WaitlistEntry, error) {
	l := waitingListing(bson.D{{Key: "state", Value: app.WaitHeld}},
		func(w *app.WaitlistEntry) bool { return w.State == app.WaitHeld })
	out, err := listAll(ctx, s, l, oldestWaiting)
	if err != nil {
		return nil, fmt.Errorf("list held entries: %w", err)
	}
	return out, nil
}

// An organisation waits at most once per session. A waiting or held entry
// owns a claim whose _id is its session and organisation ids, inserted
// before the entry and deleted once the entry ends. Inserts under one _id
// are atomic on every engine (FerretDB's guarded updates are not), so of
// concurrent entries of one organisation on one session exactly one is
// stored. A claim whose entry has ended, or was never stored although
// strayGrace has passed (a crash between the two writes), is stale: the
// organisation's next entry on the session deletes it and claims afresh.

// colWaitClaims holds the claims of waiting and held entries.
const colWaitClaims = "waitlist_claims"

// waitClaim says that EntryID is its organisation's live entry on the
// session.
type waitClaim struct {
	ID        string    `bson:"_id"` // session id/organisation id
	EntryID   string    `bson:"entry_id"`
	ClaimedAt time.Time `bson:"claimed_at"`
}

func waitClaimID(sessionID, orgID string) string { return sessionID + "/" + orgID }

// claimWaiting claims w's session for w's organisation. A claim w owns
// already (a retry of w) stands; a claim of a live entry is EConflict.
func (s *Store) claimWaiting(ctx context.Context, w *app.WaitlistEntry) error {
	c := waitClaim{ID: waitClaimID(w.SessionID, w.OrgID), EntryID: w.ID, ClaimedAt: s.now().UTC()}
	for range 3 { // tries after the first follow a claim that went meanwhile
		_, err := s.c(colWaitClaims).InsertOne(ctx, c)
		if err == nil {
			return nil
		}
		if !isDuplicate(err) {
			return fmt.Errorf("claim waitlist %s: %w", c.ID, err)
		}

		held, err := getByID[waitClaim](ctx, s.c(colWaitClaims), c.ID, "waitlist claim")
		switch {
		case app.ErrorCode(err) == app.ENotFound:
			continue
		case err != nil:
			return err
		case held.EntryID == w.ID:
			return nil
		}
		stale, err := s.staleClaim(ctx, held)
		if err != nil {
			return err
		}
		if !stale {
			return errWaitsAlready()
		}
		if err := s.releaseWaiting(ctx, held.ID, held.EntryID); err != nil {
			return err
		}
	}
	return errWaitsAlready()
}

// errWaitsAlready refuses a second live entry of an organisation on a
// session.
func errWaitsAlready() error {
	return app.Errorf(app.EConflict, "This organisation is on this session's waitlist already.")
}

// staleClaim reports whether a claim's entry has ended, or is missing
// strayGrace after the claim was made.
func (s *Store) staleClaim(ctx context.Context, c *waitClaim) (bool, error) {
	w, err := s.GetWaitlistEntry(ctx, c.EntryID)
	switch {
	case app.ErrorCode(err) == app.ENotFound:
		return s.now().Sub(c.ClaimedAt) >= strayGrace, nil
	case err != nil:
		return false, err
	}
	return !waiting(w), nil
}

// releaseWaiting deletes the claim with the id if entryID owns it.
func (s *Store) releaseWaiting(ctx context.Context, id, entryID string) error {
	if err := s.deleteOwned(ctx, colWaitClaims, id, "entry_id", entryID); err != nil {
		return fmt.Errorf("release waitlist claim: %w", err)
	}
	return nil
}

// deleteOwned deletes the document with the id from coll if its field
// names owner, as ReleasePlace deletes a place claim: with one filtered
// delete on MongoDB, and on FerretDB, whose filtered deletes read and then
// write, with a read and a delete by _id serialised inside this process
// (see ReleasePlace for what that leaves open with several processes).
// Place claims and waitlist claims are both released through it.
func (s *Store) deleteOwned(ctx context.Context, coll, id, field, owner string) error {
	if s.engine == EngineMongoDB {
		filter := bson.D{{Key: "_id", Value: id}, {Key: field, Value: owner}}
		if _, err := s.c(coll).DeleteOne(ctx, filter); err != nil {
			return fmt.Errorf("delete %s %s: %w", coll, id, err)
		}
		return nil
	}

	mu := &s.releases[lockIndex(id, len(s.releases))]
	mu.Lock()
	defer mu.Unlock()
	doc, err := getByID[bson.M](ctx, s.c(coll), id, coll)
	if app.ErrorCode(err) == app.ENotFound || (err == nil && (*doc)[field] != owner) {
		return nil
	}
	if err != nil {
		return err
	}
	return deleteID(ctx, s.c(coll), id)
}
