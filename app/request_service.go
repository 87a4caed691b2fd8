package app

import (
	"context"
	"fmt"
)

// Listed reports whether anyone may see the request: it is open and its
// organisation is not awaiting the coordinator's verification. Only listed
// requests are shown, listed and matched outside their organisation.
func (r *Request) Listed() bool {
	return r.Status == RequestOpen && !r.AwaitingVerification
}

// CreateRequest saves a new open request for a school, college or provider
// that can book. It is AwaitingVerification while the organisation is not
// Trusted (a provider the coordinator has not verified yet). Nothing is
// saved when any field is wrong.
func (s *Service) CreateRequest(ctx context.Context, a *Actor, in RequestInput) (*Request, error) {
	if err := requireMember(a); err != nil {
		return nil, err
	}
	org, err := s.Store.GetOrg(ctx, a.OrgID)
	if err != nil {
		return nil, fmt.Errorf("create request: %w", err)
	}
	if !org.CanBook() {
		return nil, Errorf(EForbidden, "Only open schools, colleges and providers can post requests.")
	}
	r, err := s.checkRequest(ctx, in, org, nil)
	if err != nil {
		return nil, err
	}

	now := s.now().UTC()
	r.ID, r.OrgID, r.OrgName = NewID("req"), org.ID, org.Name
	r.Status, r.AwaitingVerification = RequestOpen, !org.Trusted()
	r.CreatedAt, r.UpdatedAt = now, now
	if err := s.Store.CreateRequest(ctx, r); err != nil {
		return nil, fmt.Errorf("create request: %w", err)
	}
	s.log().InfoContext(ctx, "request created", "request_id", r.ID, "org_id", r.OrgID,
		"awaiting_verification", r.AwaitingVerification)
	return r, nil
}

// UpdateRequest replaces an open request of the actor's own organisation;
// whether it awaits verification follows the organisation's.
func (s *Service) UpdateRequest(ctx context.Context, a *Actor, id string, in RequestInput) (*Request, error) {
	r, err := s.ownRequest(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if r.Status != RequestOpen {
		return nil, Errorf(EConflict, "This request is closed, so it cannot be changed.")
	}
	org, err := s.Store.GetOrg(ctx, r.OrgID)
	if err != nil {
		return nil, fmt.Errorf("update request: %w", err)
	}
	n, err := s.checkRequest(ctx, in, org, r)
	if err != nil {
		return nil, err
	}

	r.Type, r.Sector, r.Topic, r.Audience, r.GroupSize = n.Type, n.Sector, n.Topic, n.Audience, n.GroupSize
	r.From, r.To, r.Postcode, r.Location = n.From, n.To, n.Postcode, n.Location
	r.TravelKm, r.VirtualOK, r.Access, r.Notes = n.TravelKm, n.VirtualOK, n.Access, n.Notes
	r.OrgName, r.AwaitingVerification, r.UpdatedAt = org.Name, !org.Trusted(), s.now().UTC()
	if err := s.Store.UpdateRequest(ctx, r); err != nil {
		return nil, fmt.Errorf("update request: %w", err)
	}
	s.log().InfoContext(ctx, "request updated", "request_id", r.ID, "org_id", r.OrgID)
	return r, nil
}

// CloseRequest closes a request of the actor's own organisation; closing a
// closed request changes nothing.
func (s *Service) CloseRequest(ctx context.Context, a *Actor, id string) (*Request, error) {
	r, err := s.ownRequest(ctx, a, id)
	if err != nil || r.Status == RequestClosed {
		return r, err
	}
	r.Status, r.UpdatedAt = RequestClosed, s.now().UTC()
	if err := s.Store.UpdateRequest(ctx, r); err != nil {
		return nil, fmt.Errorf("close request: %w", err)
	}
	s.log().InfoContext(ctx, "request closed", "request_id", r.ID, "org_id", r.OrgID)
	return r, nil
}

// ownRequest loads a request the actor's organisation may change. Other
// organisations' requests are ENotFound, except that the coordinator, who
// may read them, is EForbidden.
func (s *Service) ownRequest(ctx context.Context, a *Actor, id string) (*Request, error) {
	if err := requireMember(a); err != nil {
		return nil, err
	}

	r, err := s.GetRequest(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !owns(a, r.OrgID) {
		if a.IsCoordinator() {
			return nil, Errorf(EForbidden, "Only the organisation that posted a request can change it.")
		}
		return nil, ErrNotFound("Request")
	}

	return r, nil
}

// GetRequest returns a request whole to its own organisation and the
// coordinator, a Listed request's PublicView to anyone else, and ENotFound
// for anyone else's closed request or one awaiting verification.
func (s *Service) GetRequest(ctx context.Context, a *Actor, id string) (*Request, error) {
	if !ValidID(id) {
		return nil, ErrNotFound("Request")
	}
	r, err := s.Store.GetRequest(ctx, id)
	if ErrorCode(err) == ENotFound {
		return nil, ErrNotFound("Request")
	}
	if err != nil {
		return nil, fmt.Errorf("get request: %w", err)
	}

	switch {
	case canSeePrivate(a, r.OrgID):
		return r, nil
	case r.Listed():
		return r.PublicView(), nil
	}
	return nil, ErrNotFound("Request")
}

// ListOpenRequests lists the Listed requests, newest first, as anyone may
// see them, with the total: requests awaiting verification are left out.
func (s *Service) ListOpenRequests(ctx context.Context, page, perPage int) ([]*Request, int, error) {
	offset, limit := pageBounds(page, perPage)
	list, total, err := s.Store.ListOpenRequests(ctx, offset, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list open requests: %w", err)
	}

	out := make([]*Request, len(list))
	for i, r := range list {
		out[i] = r.PublicView()
	}
	return out, total, nil
}

// ListMyRequests lists the requests of the actor's organisation, newest
// first, DefaultPerPage to a page, with the total.
func (s *Service) ListMyRequests(ctx context.Context, a *Actor, page int) ([]*Request, int, error) {
	if err := requireMember(a); err != nil {
		return nil, 0, err
	}
	offset, limit := pageBounds(page, DefaultPerPage)
	list, total, err := s.Store.ListOrgRequests(ctx, a.OrgID, offset, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list my requests: %w", err)
	}
	return list, total, nil
}
