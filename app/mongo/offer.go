package mongo

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/encounters/encounters/app"
)

// GetOffer returns the offer with the id, or ENotFound.
func (s *Store) GetOffer(ctx context.Context, id string) (*app.Offer, error) {
	return getByID[app.Offer](ctx, s.c(colOffers), id, "offer")
}

// GetOffers returns the offers with the ids, keyed by id; missing ids are
// left out.
func (s *Store) GetOffers(ctx context.Context, ids []string) (map[string]*app.Offer, error) {
	return getMany[app.Offer](ctx, s.c(colOffers), ids, "offer")
}

// CreateOffer adds a new offer and records its sessions for SessionOffer;
// an existing id is EConflict.
func (s *Store) CreateOffer(ctx context.Context, o *app.Offer) error {
	if err := s.addEntry(ctx, colOfferList, offerEntry(o)); err != nil {
		return err
	}
	if err := s.addSessions(ctx, nil, o); err != nil {
		return err
	}
	return insert(ctx, s.c(colOffers), o.ID, o, "offer")
}

// UpdateOffer writes o whole; a missing id is ENotFound. New sessions are
// recorded for SessionOffer before the write and removed ones forgotten
// after it.
func (s *Store) UpdateOffer(ctx context.Context, o *app.Offer) error {
	old, err := s.GetOffer(ctx, o.ID)
	if err != nil {
		return err
	}
	if err := s.addSessions(ctx, old, o); err != nil {
		return err
	}

	if err := replace(ctx, s.c(colOffers), o.ID, o, "offer"); err != nil {
		return err
	}
	if err := s.dropSessions(ctx, old, o); err != nil {
		return err
	}
	return s.putEntry(ctx, colOfferList, offerEntry(o))
}

// ListOrgOffers returns one page of an organisation's offers, newest
// first, and how many it has. A zero limit means 50; no page is longer
// than 500.
func (s *Store) ListOrgOffers(ctx context.Context, orgID string, offset, limit int) ([]*app.Offer, int, error) {
	l := listing{
		entries: colOfferList, docs: colOffers, what: "offer",
		filter: bson.D{{Key: "org_id", Value: orgID}},
		keep:   func(e listEntry) bool { return e.OrgID == orgID },
	}
	return listPage(ctx, s, l, offset, limit, offerEntry)
}

// EachOffer calls fn for every offer in id order, stopping at the first
// error fn returns and returning it unchanged.
func (s *Store) EachOffer(ctx context.Context, fn func(*app.Offer) error) error {
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(200)
	cur, err := s.c(colOffers).Find(ctx, bson.D{}, opts)
	if err != nil {
		return fmt.Errorf("each offer: %w", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))

	for cur.Next(ctx) {
		var o app.Offer
		if err := cur.Decode(&o); err != nil {
			return fmt.Errorf("each offer: decode: %w", err)
		}
		if err := fn(&o); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("each offer: %w", err)
	}
	return nil
}
