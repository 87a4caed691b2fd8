package mongo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"

	"github.com/encounters/encounters/app"
)

// Bookings, waitlist entries, jobs and sponsorships are listed like offers
// (see listing.go): from small entry documents in a collection of their
// own, whose matching entries are read and then each document by _id.
// Where a list holds only live items (active bookings, waiting entries,
// pending jobs) an entry lives only while its item is live, so the scan
// FerretDB makes stays as short as the list itself rather than growing
// with history.
//
// An entry is written before its document when the write puts the
// document on a list, and after it otherwise, so entries are a superset
// of what they list. Reading checks each document against its entry and
// repairs or deletes an entry that disagrees.

// entry is a listing entry: its _id, and whether it says the same as
// another entry.
type entry[E any] interface {
	key() string
	same(E) bool
}

// smallListing is one list answered from entries.
type smallListing[T any, E entry[E]] struct {
	entries string
	docs    string
	what    string
	filter  bson.D
	// docID names the document an entry stands for.
	docID func(E) string
	// want returns the entry a document should have, and false when it
	// should have none.
	want func(*T) (E, bool)
	// keep says whether a document belongs on this list.
	keep func(*T) bool
}

// readEntries returns the entries of a collection that match filter.
func readEntries[E any](ctx context.Context, s *Store, coll string, filter bson.D) ([]E, error) {
	cur, err := s.c(coll).Find(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", coll, err)
	}
	var out []E
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read %s: %w", coll, err)
	}
	return out, nil
}

// fetchListed reads the document of each entry, in order, heals entries
// that disagree with their documents, and returns the documents l keeps,
// stopping once it has limit of them (0: no limit).
func fetchListed[T any, E entry[E]](ctx context.Context, s *Store, l smallListing[T, E], es []E,
	limit int) ([]*T, error) {
	out := make([]*T, 0, len(es))
	for _, e := range es {
		if limit > 0 && len(out) == limit {
			break
		}

		doc, err := getByID[T](ctx, s.c(l.docs), l.docID(e), l.what)
		switch {
		case app.ErrorCode(err) == app.ENotFound:
			err = s.settleEntry(ctx, l.entries, e.key(), func() error {
				return deleteID(ctx, s.c(l.entries), e.key())
			})
		case err == nil:
			err = healOne(ctx, s, l, e, doc)
			if l.keep(doc) {
				out = append(out, doc)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// healOne makes the entry have agree with its document.
func healOne[T any, E entry[E]](ctx context.Context, s *Store, l smallListing[T, E], have E, doc *T) error {
	want, ok := l.want(doc)
	switch {
	case !ok:
		return s.settleEntry(ctx, l.entries, have.key(), func() error {
			return deleteID(ctx, s.c(l.entries), have.key())
		})
	case have.same(want):
		return nil
	}
	return s.settleEntry(ctx, l.entries, have.key(), func() error {
		return putDoc(ctx, s.c(l.entries), want.key(), want)
	})
}

// strayGrace is how long an entry may disagree with its document before a
// reader repairs it. A writer puts the entry first and the document a
// moment later, so a reader between the two sees an entry for a document
// that is missing or not yet on the list: repairing it then would take a
// new job off the outbox or a new booking off its lists for good. Only an
// entry that still disagrees after strayGrace is what a crash, or a write
// around the Store, left behind.
const strayGrace = 10 * time.Minute

// strayMark is when a reader first found an entry disagreeing with its
// document. It lives in the entry itself and goes when the entry is
// rewritten.
type strayMark struct {
	Since time.Time `bson:"stray_since"`
}

// settleEntry runs repair on an entry of coll that a reader found
// disagreeing with its document, once it has disagreed for strayGrace;
// until then it marks when the disagreement was first seen.
func (s *Store) settleEntry(ctx context.Context, coll, id string, repair func() error) error {
	var m strayMark
	err := s.c(coll).FindOne(ctx, byID(id)).Decode(&m)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil // a writer deleted it meanwhile
	case err != nil:
		return fmt.Errorf("read %s entry %s: %w", coll, id, err)
	case m.Since.IsZero():
		mark := bson.D{{Key: "$set", Value: bson.D{{Key: "stray_since", Value: s.now().UTC()}}}}
		if _, err := s.c(coll).UpdateOne(ctx, byID(id), mark); err != nil {
			return fmt.Errorf("mark %s entry %s: %w", coll, id, err)
		}
		return nil
	case s.now().Sub(m.Since) < strayGrace:
		return nil
	}
	return repair()
}

// listAll returns every document l keeps, in the order of the entries
// sorted by cmp.
func listAll[T any, E entry[E]](ctx context.Context, s *Store, l smallListing[T, E],
	cmp func(a, b E) int) ([]*T, error) {
	es, err := readEntries[E](ctx, s, l.entries, l.filter)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(es, cmp)
	return fetchListed(ctx, s, l, es, 0)
}

// pageEntries returns one page of the entries matching filter in the order
// given (both as a sort for MongoDB and as cmp here), and how many match.
// MongoDB counts and pages through its indexes; FerretDB would scan the
// entries once to count and again to page, so there they are read once
// and sorted here.
func pageEntries[E any](ctx context.Context, s *Store, coll string, filter, order bson.D,
	cmp func(a, b E) int, offset, limit int) ([]E, int, error) {
	if s.engine == EngineMongoDB {
		page, total, err := findPage[E](ctx, s.c(coll), filter, order, offset, limit)
		if err != nil {
			return nil, 0, err
		}
		out := make([]E, len(page))
		for i, e := range page {
			out[i] = *e
		}
		return out, total, nil
	}

	es, err := readEntries[E](ctx, s, coll, filter)
	if err != nil {
		return nil, 0, err
	}
	slices.SortFunc(es, cmp)

	skip, lim := pageBounds(offset, limit)
	end := min(int(skip+lim), len(es))
	if int(skip) >= end {
		return []E{}, len(es), nil
	}
	return es[skip:end], len(es), nil
}

// listPaged returns one page of the documents l keeps and how many
// entries match, less those found stale while reading the page.
func listPaged[T any, E entry[E]](ctx context.Context, s *Store, l smallListing[T, E], order bson.D,
	cmp func(a, b E) int, offset, limit int) ([]*T, int, error) {
	es, total, err := pageEntries(ctx, s, l.entries, l.filter, order, cmp, offset, limit)
	if err != nil {
		return nil, 0, err
	}

	out, err := fetchListed(ctx, s, l, es, 0)
	if err != nil {
		return nil, 0, err
	}
	return out, max(total-(len(es)-len(out)), len(out)), nil
}
