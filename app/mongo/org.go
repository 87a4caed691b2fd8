package mongo

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/encounters/encounters/app"
)

// maxClaims bounds ListClaims: claims wait for one coordinator, so a longer
// queue is a problem to show, not to page through.
const maxClaims = 1000

// GetOrg returns the organisation with the id, or ENotFound.
func (s *Store) GetOrg(ctx context.Context, id string) (*app.Organisation, error) {
	return getByID[app.Organisation](ctx, s.c(colOrgs), id, "organisation")
}

// GetOrgs returns the organisations with the ids, keyed by id; missing ids
// are left out.
func (s *Store) GetOrgs(ctx context.Context, ids []string) (map[string]*app.Organisation, error) {
	return getMany[app.Organisation](ctx, s.c(colOrgs), ids, "organisation")
}

// CreateOrg adds a new organisation; an existing id is EConflict.
func (s *Store) CreateOrg(ctx context.Context, o *app.Organisation) error {
	return insert(ctx, s.c(colOrgs), o.ID, o, "organisation")
}

// UpsertOrg writes o whole, creating it when missing.
func (s *Store) UpsertOrg(ctx context.Context, o *app.Organisation) error {
	if o.ID == "" {
		return fmt.Errorf("upsert organisation: empty id")
	}

	opts := options.Replace().SetUpsert(true)
	_, err := s.c(colOrgs).ReplaceOne(ctx, byID(o.ID), o, opts)
	if isDuplicate(err) {
		// Two upserts of a new id raced and the other inserted first:
		// now it exists, so this one replaces it.
		_, err = s.c(colOrgs).ReplaceOne(ctx, byID(o.ID), o, opts)
	}
	if err != nil {
		return fmt.Errorf("upsert organisation %s: %w", o.ID, err)
	}
	return nil
}

// UpdateOrg writes o whole; a missing id is ENotFound.
func (s *Store) UpdateOrg(ctx context.Context, o *app.Organisation) error {
	return replace(ctx, s.c(colOrgs), o.ID, o, "organisation")
}

// ListOrgs returns one page of the organisations matching f, by name, and
// how many match in all. A zero Limit means 50; no page is longer than 500.
func (s *Store) ListOrgs(ctx context.Context, f app.OrgFilter) ([]*app.Organisation, int, error) {
	filter := bson.D{}
	if f.Kind != "" {
		filter = append(filter, bson.E{Key: "kind", Value: f.Kind})
	}
	if f.Verified != nil {
		filter = append(filter, bson.E{Key: "verified", Value: *f.Verified})
	}
	if text := strings.TrimSpace(f.Text); text != "" {
		pattern := bson.D{{Key: "$regex", Value: regexp.QuoteMeta(text)}, {Key: "$options", Value: "i"}}
		filter = append(filter, bson.E{Key: "name", Value: pattern})
	}

	order := bson.D{{Key: "name", Value: 1}, {Key: "_id", Value: 1}}
	return findPage[app.Organisation](ctx, s.c(colOrgs), filter, order, f.Offset, f.Limit)
}

// CreateClaim adds a new claim; an existing id is EConflict.
func (s *Store) CreateClaim(ctx context.Context, c *app.Claim) error {
	return insert(ctx, s.c(colClaims), c.ID, c, "claim")
}

// GetClaim returns the claim with the id, or ENotFound.
func (s *Store) GetClaim(ctx context.Context, id string) (*app.Claim, error) {
	return getByID[app.Claim](ctx, s.c(colClaims), id, "claim")
}

// UpdateClaim writes c whole; a missing id is ENotFound.
func (s *Store) UpdateClaim(ctx context.Context, c *app.Claim) error {
	return replace(ctx, s.c(colClaims), c.ID, c, "claim")
}

// ListClaims returns the claims with the status, oldest first, at most
// 1,000 of them.
func (s *Store) ListClaims(ctx context.Context, status string) ([]*app.Claim, error) {
	filter := bson.D{{Key: "status", Value: status}}
	order := bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}
	opts := options.Find().SetSort(order).SetLimit(maxClaims)
	return findAll[app.Claim](ctx, s.c(colClaims), filter, opts)
}
