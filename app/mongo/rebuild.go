package mongo

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/encounters/encounters/app"
)

// derivation is a collection kept from the documents of another: listing
// entries or a lookup. EnsureIndexes builds it when the documents exist and
// it does not, as after an upgrade that adds it; dropping it and starting
// again rebuilds it the same way.
type derivation struct {
	coll  string
	docs  string
	build func(s *Store, ctx context.Context) error
}

// derivations lists the collections this round of storage derives.
var derivations = []derivation{
	{colSessionOffers, colOffers, (*Store).rebuildSessionOffers},
	{colBookingRolls, colBookings, (*Store).rebuildBookingRolls},
	{colActiveBookings, colBookings, (*Store).rebuildActiveBookings},
	{colWaitingList, colWaitlist, (*Store).rebuildWaitingEntries},
	{colDueJobs, colJobs, rebuildJobEntries(app.JobPending)},
	{colFailedJobs, colJobs, rebuildJobEntries(app.JobFailed)},
	{colSponsorRolls, colSponsorships, (*Store).rebuildSponsorRolls},
}

// rebuildDerived builds each derived collection that is missing while its
// documents are there; have names the collections that existed before
// EnsureIndexes created any.
func (s *Store) rebuildDerived(ctx context.Context, have map[string]bool) error {
	for _, d := range derivations {
		if !have[d.docs] || have[d.coll] {
			continue
		}
		if err := d.build(s, ctx); err != nil {
			return fmt.Errorf("rebuild %s: %w", d.coll, err)
		}
	}
	return nil
}

// eachDoc calls fn for every document of a collection, stopping at the
// first error.
func eachDoc[T any](ctx context.Context, c *mongo.Collection, fn func(*T) error) error {
	cur, err := c.Find(ctx, bson.D{}, options.Find().SetBatchSize(200))
	if err != nil {
		return fmt.Errorf("read %s: %w", c.Name(), err)
	}
	defer cur.Close(context.WithoutCancel(ctx))

	for cur.Next(ctx) {
		var v T
		if err := cur.Decode(&v); err != nil {
			return fmt.Errorf("read %s: %w", c.Name(), err)
		}
		if err := fn(&v); err != nil {
			return err
		}
	}
	return cur.Err()
}

// rebuildEntries adds, for every document of docs, the entries entriesOf
// gives it to coll.
func rebuildEntries[T any, E entry[E]](ctx context.Context, s *Store, docs, coll string,
	entriesOf func(*T) []E) error {
	return eachDoc(ctx, s.c(docs), func(doc *T) error {
		for _, e := range entriesOf(doc) {
			if err := addDoc(ctx, s.c(coll), e.key(), e); err != nil {
				return err
			}
		}
		return nil
	})
}

// rebuildSessionOffers fills the session lookup from the offers.
func (s *Store) rebuildSessionOffers(ctx context.Context) error {
	return s.EachOffer(ctx, func(o *app.Offer) error {
		for _, ses := range o.Sessions {
			if err := addDoc(ctx, s.c(colSessionOffers), ses.ID, sessionOffer{ID: ses.ID, OfferID: o.ID}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) rebuildActiveBookings(ctx context.Context) error {
	return rebuildEntries(ctx, s, colBookings, colActiveBookings, func(b *app.Booking) []activeEntry {
		return only(activeOf(b))
	})
}

func (s *Store) rebuildWaitingEntries(ctx context.Context) error {
	return rebuildEntries(ctx, s, colWaitlist, colWaitingList, func(w *app.WaitlistEntry) []waitingEntry {
		return only(waitingOf(w))
	})
}

func rebuildJobEntries(state string) func(*Store, context.Context) error {
	return func(s *Store, ctx context.Context) error {
		return rebuildEntries(ctx, s, colJobs, jobLists[state], func(j *app.Job) []jobEntry {
			return only(jobEntryOf(j), j.State == state)
		})
	}
}

// only is e alone when ok, otherwise nothing.
func only[E any](e E, ok bool) []E {
	if ok {
		return []E{e}
	}
	return nil
}
