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

// CreateWaitlistEntry adds a new waitlist entry; an existing id is
// EConflict.
func (s *Store) CreateWaitlistEntry(ctx context.Context, w *app.WaitlistEntry) error {
	if e, ok := waitingOf(w); ok {
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
// UpdateBooking it keeps the last of two concurrent writes on FerretDB.
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
	if !ok {
		return deleteID(ctx, s.c(colWaitingList), w.ID)
	}
	return nil
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
