package mongo

import (
	"context"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/encounters/encounters/app"
)

// GetRequest returns the request with the id, or ENotFound.
func (s *Store) GetRequest(ctx context.Context, id string) (*app.Request, error) {
	return getByID[app.Request](ctx, s.c(colRequests), id, "request")
}

// CreateRequest adds a new request; an existing id is EConflict.
func (s *Store) CreateRequest(ctx context.Context, r *app.Request) error {
	return insert(ctx, s.c(colRequests), r.ID, r, "request")
}

// UpdateRequest writes r whole; a missing id is ENotFound.
func (s *Store) UpdateRequest(ctx context.Context, r *app.Request) error {
	return replace(ctx, s.c(colRequests), r.ID, r, "request")
}

// ListOrgRequests returns one page of an organisation's requests, newest
// first, and how many it has. A zero limit means 50; no page is longer
// than 500.
func (s *Store) ListOrgRequests(ctx context.Context, orgID string, offset, limit int) ([]*app.Request, int, error) {
	filter := bson.D{{Key: "org_id", Value: orgID}}
	return findPage[app.Request](ctx, s.c(colRequests), filter, newestFirst, offset, limit)
}

// ListOpenRequests returns one page of every open request, newest first,
// and how many are open. Paging is as for ListOrgRequests.
func (s *Store) ListOpenRequests(ctx context.Context, offset, limit int) ([]*app.Request, int, error) {
	filter := bson.D{{Key: "status", Value: app.RequestOpen}}
	return findPage[app.Request](ctx, s.c(colRequests), filter, newestFirst, offset, limit)
}
