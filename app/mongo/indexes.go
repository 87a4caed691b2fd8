package mongo

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// index is one index a collection needs.
type index struct {
	collection string
	name       string
	keys       bson.D
	unique     bool
}

// indexes lists every index the store's queries use. Unique indexes hold
// invariants on every engine; the others speed up MongoDB, while FerretDB
// 1.24 keeps them but still scans for anything but a bare {_id: X}.
var indexes = []index{
	{colUsers, "email_unique", bson.D{{Key: "email", Value: 1}}, true},
	{colUsers, "org_created", bson.D{{Key: "org_id", Value: 1}, {Key: "created_at", Value: 1}}, false},
	{colTokens, "user", bson.D{{Key: "user_id", Value: 1}}, false},
	{colOrgs, "kind_name", bson.D{{Key: "kind", Value: 1}, {Key: "name", Value: 1}}, false},
	{colOrgs, "name", bson.D{{Key: "name", Value: 1}}, false},
	{colClaims, "status_created", bson.D{{Key: "status", Value: 1}, {Key: "created_at", Value: 1}}, false},
	{colClaims, "org", bson.D{{Key: "org_id", Value: 1}}, false},
	{colOffers, "org_created", bson.D{{Key: "org_id", Value: 1}, {Key: "created_at", Value: -1}}, false},
	{colRequests, "org_created", bson.D{{Key: "org_id", Value: 1}, {Key: "created_at", Value: -1}}, false},
	{colRequests, "status_created", bson.D{{Key: "status", Value: 1}, {Key: "created_at", Value: -1}}, false},
}

// EnsureIndexes creates any index the store needs that is missing; it is
// safe to call at every start. On MongoDB web sessions also get a TTL
// index, so the server drops expired ones itself.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	byCollection := map[string][]mongo.IndexModel{}
	order := []string{}
	for _, ix := range indexes {
		if _, seen := byCollection[ix.collection]; !seen {
			order = append(order, ix.collection)
		}
		opts := options.Index().SetName(ix.name)
		if ix.unique {
			opts.SetUnique(true)
		}
		byCollection[ix.collection] = append(byCollection[ix.collection], mongo.IndexModel{Keys: ix.keys, Options: opts})
	}
	order = append(order, colWebSessions)
	byCollection[colWebSessions] = []mongo.IndexModel{s.sessionExpiryIndex()}

	for _, name := range order {
		if _, err := s.c(name).Indexes().CreateMany(ctx, byCollection[name]); err != nil {
			return fmt.Errorf("ensure indexes on %s: %w", name, err)
		}
	}
	return nil
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
