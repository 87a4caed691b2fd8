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
	if err := s.addEntry(ctx, colRequestList, requestEntry(r)); err != nil {
		return err
	}
	return insert(ctx, s.c(colRequests), r.ID, r, "request")
}

// UpdateRequest writes r whole; a missing id is ENotFound. A listed
// request has its listing entry written first, any other after (see
// listing.go).
func (s *Store) UpdateRequest(ctx context.Context, r *app.Request) error {
	listed := r.Listed()
	if listed {
		if err := s.putEntry(ctx, colRequestList, requestEntry(r)); err != nil {
			return err
		}
	}

	if err := replace(ctx, s.c(colRequests), r.ID, r, "request"); err != nil {
		return err
	}
	if !listed {
		return s.putEntry(ctx, colRequestList, requestEntry(r))
	}
	return nil
}

// ListOrgRequests returns one page of an organisation's requests, newest
// first, and how many it has. A zero limit means 50; no page is longer
// than 500.
func (s *Store) ListOrgRequests(ctx context.Context, orgID string, offset, limit int) ([]*app.Request, int, error) {
	l := listing{
		entries: colRequestList, docs: colRequests, what: "request",
		filter: bson.D{{Key: "org_id", Value: orgID}},
		keep:   func(e listEntry) bool { return e.OrgID == orgID },
	}
	return listPage(ctx, s, l, offset, limit, requestEntry)
}

// ListOpenRequests returns one page of every open request that is not
// awaiting verification (see app.Request.Listed), newest first, and how
// many there are. Paging is as for ListOrgRequests.
func (s *Store) ListOpenRequests(ctx context.Context, offset, limit int) ([]*app.Request, int, error) {
	l := listing{
		entries: colRequestList, docs: colRequests, what: "request",
		filter: bson.D{
			{Key: "status", Value: app.RequestOpen},
			{Key: "awaiting_verification", Value: bson.D{{Key: "$ne", Value: true}}},
		},
		keep: func(e listEntry) bool { return e.Status == app.RequestOpen && !e.Awaiting },
	}
	return listPage(ctx, s, l, offset, limit, requestEntry)
}
