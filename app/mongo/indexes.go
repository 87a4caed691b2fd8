package mongo

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// collections lists every collection the store uses with the indexes its
// queries need beyond _id. Unique indexes hold invariants on every engine;
// the others speed up MongoDB, while FerretDB 1.24 keeps them but scans for
// any filter other than a bare {_id: X}. A new collection belongs here, so
// that EnsureIndexes creates it and gives it a fast _id lookup on SQLite.
func (s *Store) collections() map[string][]mongo.IndexModel {
	all := map[string][]mongo.IndexModel{
		colUsers: {
			indexOn("email_unique", "email").unique(),
			indexOn("org_created", "org_id", "created_at").model(),
		},
		colTokens:     {indexOn("user", "user_id").model()},
		colUsedTokens: nil,
		colOrgs: {
			indexOn("kind_name", "kind", "name").model(),
			indexOn("name", "name").model(),
		},
		colClaims: {
			indexOn("status_created", "status", "created_at").model(),
			indexOn("org", "org_id").model(),
		},
		colOffers:    nil,
		colRequests:  nil,
		colOfferList: {indexOn("org_created", "org_id", "-created_at", "-_id").model()},
		colRequestList: {
			indexOn("org_created", "org_id", "-created_at", "-_id").model(),
			indexOn("status_created", "status", "-created_at", "-_id").model(),
		},
		colWebSessions: {s.sessionExpiryIndex()},
	}
	maps.Copy(all, bookingCollections())
	maps.Copy(all, outboxCollections())
	maps.Copy(all, sponsorshipCollections())
	return all
}

// bookingCollections declares the collections of bookings, place claims
// and the waitlist. The unique (session_id, place) index is the capacity
// invariant on every engine, besides the _id that says the same.
func bookingCollections() map[string][]mongo.IndexModel {
	return map[string][]mongo.IndexModel{
		colPlaceClaims:   {indexOn("session_place_unique", "session_id", "place").unique()},
		colSessionOffers: {indexOn("offer", "offer_id").model()},
		colBookings:      {indexOn("session", "session_id").model()},
		colBookingRolls:  nil, // read by _id range
		colBookingSlots:  nil,
		colRollHeads:     nil,
		colActiveBookings: {
			indexOn("session_created", "session_id", "created_at").model(),
			indexOn("start", "start").model(),
		},
		colIdempotency: nil,
		colWaitlist:    nil,
		colWaitClaims:  nil, // one per organisation waiting on a session
		colWaitingList: {
			indexOn("session_created", "session_id", "created_at", "_id").model(),
			indexOn("org_created", "org_id", "created_at", "_id").model(),
			indexOn("state_created", "state", "created_at", "_id").model(),
		},
	}
}

// outboxCollections declares the outbox, its entries and its leases.
func outboxCollections() map[string][]mongo.IndexModel {
	return map[string][]mongo.IndexModel{
		colJobs:       {indexOn("state_created", "state", "-created_at", "-_id").model()},
		colDueJobs:    {indexOn("not_before", "not_before").model()},
		colFailedJobs: {indexOn("created", "-created_at", "-_id").model()},
		colJobLeases:  {indexOn("job", "job_id").model()},
	}
}

// sponsorshipCollections declares events, sponsorships and applied
// payment events.
func sponsorshipCollections() map[string][]mongo.IndexModel {
	return map[string][]mongo.IndexModel{
		colEvents: nil,
		colEventList: {
			indexOn("org_created", "org_id", "-created_at", "-_id").model(),
			indexOn("created", "-created_at", "-_id").model(),
		},
		colSponsorships:  {indexOn("event", "event_id").model()},
		colSponsorRolls:  nil, // read by _id range
		colPaymentEvents: {indexOn("sponsorship", "sponsorship_id").model()},
		colFeesDue:       {indexOn("at", "at", "_id").model()},
	}
}

// listings maps each listing collection to the documents it lists.
var listings = map[string]string{colOfferList: colOffers, colRequestList: colRequests, colEventList: colEvents}

// EnsureIndexes creates every collection and index the store needs that is
// missing; it is safe to call at every start. On MongoDB web sessions get a
// TTL index, so the server drops expired ones itself.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	existing, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("ensure indexes: list collections: %w", err)
	}
	have := map[string]bool{}
	for _, name := range existing {
		have[name] = true
	}

	for name, models := range s.collections() {
		if err := s.ensureCollection(ctx, name, models, have[name]); err != nil {
			return err
		}
	}
	for entries, docs := range listings {
		if have[docs] && !have[entries] {
			if err := s.rebuildListing(ctx, docs, entries); err != nil {
				return err
			}
		}
	}
	if err := s.rebuildDerived(ctx, have); err != nil {
		return err
	}

	if s.emb != nil {
		return s.emb.IndexIDLookups(ctx, s.db.Name())
	}
	return nil
}

func (s *Store) ensureCollection(ctx context.Context, name string, models []mongo.IndexModel, exists bool) error {
	if !exists {
		if err := s.db.CreateCollection(ctx, name); err != nil && !isNamespaceExists(err) {
			return fmt.Errorf("ensure collection %s: %w", name, err)
		}
	}
	if len(models) == 0 {
		return nil
	}

	have := map[string]bool{} // a new collection has only its _id index
	if exists {
		var err error
		if have, err = s.indexNames(ctx, name); err != nil {
			return err
		}
	}
	// One index per command: FerretDB 1.24 panics on a createIndexes that
	// names two or more indexes that already exist.
	for _, m := range models {
		if have[*m.Options.Name] {
			continue
		}
		if _, err := s.c(name).Indexes().CreateOne(ctx, m); err != nil {
			return fmt.Errorf("ensure index %s on %s: %w", *m.Options.Name, name, err)
		}
	}
	return nil
}

// indexNames lists the names of a collection's indexes.
func (s *Store) indexNames(ctx context.Context, coll string) (map[string]bool, error) {
	specs, err := s.c(coll).Indexes().ListSpecifications(ctx)
	if err != nil {
		return nil, fmt.Errorf("list indexes on %s: %w", coll, err)
	}
	names := map[string]bool{}
	for _, sp := range specs {
		names[sp.Name] = true
	}
	return names, nil
}

// isNamespaceExists reports whether err says the collection exists, as it
// may when two instances start at once.
func isNamespaceExists(err error) bool {
	var ce mongo.CommandError
	return errors.As(err, &ce) && ce.Code == 48
}

// sessionExpiryIndex indexes web sessions by expiry: a TTL index on
// MongoDB, a plain one on FerretDB, which has no TTL and relies on the
// session storage's sweep.
func (s *Store) sessionExpiryIndex() mongo.IndexModel {
	opts := options.Index().SetName("expires")
	if s.engine == EngineMongoDB {
		opts.SetExpireAfterSeconds(0)
	}
	return mongo.IndexModel{Keys: bson.D{{Key: "expires_at", Value: 1}}, Options: opts}
}

// indexSpec is an index being declared: a name and its keys, a leading
// "-" marking a descending key.
type indexSpec struct {
	name string
	keys bson.D
}

func indexOn(name string, fields ...string) indexSpec {
	keys := bson.D{}
	for _, f := range fields {
		if f[0] == '-' {
			keys = append(keys, bson.E{Key: f[1:], Value: -1})
		} else {
			keys = append(keys, bson.E{Key: f, Value: 1})
		}
	}
	return indexSpec{name: name, keys: keys}
}

func (ix indexSpec) model() mongo.IndexModel {
	return mongo.IndexModel{Keys: ix.keys, Options: options.Index().SetName(ix.name)}
}

func (ix indexSpec) unique() mongo.IndexModel {
	return mongo.IndexModel{Keys: ix.keys, Options: options.Index().SetName(ix.name).SetUnique(true)}
}
