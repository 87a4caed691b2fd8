package mongo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/encounters/encounters/app"
)

// Lists of offers and requests (per organisation, and every open request)
// are answered from listing collections of small entries, one per offer or
// request, rather than from the documents themselves. FerretDB answers any
// filter but {_id: X} by decoding every document of the collection in Go,
// and a four-field entry decodes far faster than a whole request: at 2,000
// requests a counted page of open ones took about 1.2 s from the documents
// and 0.2 s from the entries (BenchmarkListOpenRequests). The page's
// documents are then read by _id. On MongoDB the entries are read through
// their indexes.
//
// An entry is written before its document when that adds the document to
// a list, and after it otherwise, so the entries are a superset of what
// the lists should hold even if the process dies between the two writes.
// Reading a page checks each document against its entry and repairs or
// deletes entries that disagree, so such leftovers heal when they are met
// (once they have disagreed for longer than a write takes: strayGrace);
// until then a total may count one too many.

// listEntry stands for one offer or request in its listing collection.
// Awaiting is a request's AwaitingVerification, stored only when true so
// that entries written before it existed need no backfill.
type listEntry struct {
	ID        string    `bson:"_id"`
	OrgID     string    `bson:"org_id"`
	Status    string    `bson:"status"`
	Awaiting  bool      `bson:"awaiting_verification,omitempty"`
	CreatedAt time.Time `bson:"created_at"`
}

func offerEntry(o *app.Offer) listEntry {
	return listEntry{ID: o.ID, OrgID: o.OrgID, Status: o.Status, CreatedAt: o.CreatedAt}
}

func requestEntry(r *app.Request) listEntry {
	return listEntry{ID: r.ID, OrgID: r.OrgID, Status: r.Status, Awaiting: r.AwaitingVerification,
		CreatedAt: r.CreatedAt}
}

func (e listEntry) same(o listEntry) bool {
	return e.ID == o.ID && e.OrgID == o.OrgID && e.Status == o.Status && e.Awaiting == o.Awaiting &&
		e.CreatedAt.Equal(o.CreatedAt)
}

// listing is one list answered from a listing collection: the entries
// that match filter, newest first, and the test a document must pass.
type listing struct {
	entries string // listing collection
	docs    string // document collection
	what    string
	filter  bson.D
	keep    func(listEntry) bool
}

// addEntry records a new document's entry, leaving an existing entry as it
// is: the id is then taken, and the document's own insert will say so.
func (s *Store) addEntry(ctx context.Context, coll string, e listEntry) error {
	if e.ID == "" {
		return fmt.Errorf("add %s entry: empty id", coll)
	}
	_, err := s.c(coll).InsertOne(ctx, e)
	if err != nil && !isDuplicate(err) {
		return fmt.Errorf("add %s entry %s: %w", coll, e.ID, err)
	}
	return nil
}

// putEntry writes an entry whole, creating it when missing.
func (s *Store) putEntry(ctx context.Context, coll string, e listEntry) error {
	opts := options.Replace().SetUpsert(true)
	_, err := s.c(coll).ReplaceOne(ctx, byID(e.ID), e, opts)
	if isDuplicate(err) { // a concurrent upsert created it first
		_, err = s.c(coll).ReplaceOne(ctx, byID(e.ID), e, opts)
	}
	if err != nil {
		return fmt.Errorf("put %s entry %s: %w", coll, e.ID, err)
	}
	return nil
}

// listPage returns one page of l's documents, newest first, and how many
// entries match in all. entryOf gives a document's entry.
func listPage[T any](ctx context.Context, s *Store, l listing, offset, limit int,
	entryOf func(*T) listEntry) ([]*T, int, error) {
	entries, total, err := s.entryPage(ctx, l, offset, limit)
	if err != nil {
		return nil, 0, err
	}

	out := make([]*T, 0, len(entries))
	for _, e := range entries {
		doc, err := getByID[T](ctx, s.c(l.docs), e.ID, l.what)
		switch {
		case app.ErrorCode(err) == app.ENotFound:
			err = s.healEntry(ctx, l.entries, e, nil)
		case err == nil:
			want := entryOf(doc)
			err = s.healEntry(ctx, l.entries, e, &want)
			if l.keep(want) {
				out = append(out, doc)
				continue
			}
		}
		if err != nil {
			return nil, 0, err
		}
		total-- // a leftover entry, now healed
	}
	return out, max(total, len(out)), nil
}

// healEntry makes the entry have agree with its document's entry want,
// deleting it when the document is gone (want nil), once the two have
// disagreed for strayGrace.
func (s *Store) healEntry(ctx context.Context, coll string, have, want *listEntry) error {
	switch {
	case want == nil:
		return s.settleEntry(ctx, coll, have.ID, func() error { return deleteID(ctx, s.c(coll), have.ID) })
	case have.same(*want):
		return nil
	}
	return s.settleEntry(ctx, coll, have.ID, func() error { return s.putEntry(ctx, coll, *want) })
}

// entryPage returns one page of l's entries, newest first, and how many
// match. MongoDB counts, sorts and pages through its indexes;
// FerretDB would scan the entries once to count and once more to page, so
// there they are read once and sorted here.
func (s *Store) entryPage(ctx context.Context, l listing, offset, limit int) ([]*listEntry, int, error) {
	if s.engine == EngineMongoDB {
		return findPage[listEntry](ctx, s.c(l.entries), l.filter, newestFirst, offset, limit)
	}

	entries, err := findAll[listEntry](ctx, s.c(l.entries), l.filter, options.Find())
	if err != nil {
		return nil, 0, err
	}
	slices.SortFunc(entries, func(a, b *listEntry) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})

	skip, lim := pageBounds(offset, limit)
	end := min(int(skip+lim), len(entries))
	if int(skip) >= end {
		return []*listEntry{}, len(entries), nil
	}
	return entries[skip:end], len(entries), nil
}

// rebuildListing adds the entries missing from a listing collection, for
// documents written before it existed.
func (s *Store) rebuildListing(ctx context.Context, docs, entries string) error {
	proj := bson.D{{Key: "org_id", Value: 1}, {Key: "status", Value: 1},
		{Key: "awaiting_verification", Value: 1}, {Key: "created_at", Value: 1}}
	all, err := findAll[listEntry](ctx, s.c(docs), bson.D{}, options.Find().SetProjection(proj))
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", entries, err)
	}

	for _, e := range all {
		if err := s.addEntry(ctx, entries, *e); err != nil {
			return fmt.Errorf("rebuild %s: %w", entries, err)
		}
	}
	return nil
}
