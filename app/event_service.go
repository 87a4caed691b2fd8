package app

import (
	"context"
	"fmt"
)

// Kinds of record the sponsorship service locks (see booking_locks.go):
// events and sponsorships are written whole.
const (
	lockCivicEvent  = "civic-event"
	lockSponsorship = "sponsorship"
)

// CreateEvent creates a civic event for the actor's organisation, open for
// sponsorship. The coordinator, schools and colleges may create events.
func (s *Service) CreateEvent(ctx context.Context, a *Actor, in EventInput) (*CivicEvent, error) {
	if err := requireMember(a); err != nil {
		return nil, err
	}
	if !a.IsCoordinator() && a.Kind != KindSchool && a.Kind != KindCollege {
		return nil, Errorf(EForbidden, "Only the county coordinator, schools and colleges can create civic events.")
	}
	org, err := s.Store.GetOrg(ctx, a.OrgID)
	if err != nil {
		return nil, fmt.Errorf("event organiser: %w", err)
	}
	if org.Status == OrgClosed {
		return nil, Errorf(EForbidden, "%s is closed, so it cannot create events.", org.Name)
	}

	e, err := s.checkEvent(ctx, in, nil)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	e.ID, e.OrgID, e.OrgName, e.Status = NewID("evt"), org.ID, org.Name, EventOpen
	e.CreatedAt, e.UpdatedAt = now, now
	if err := s.Store.CreateEvent(ctx, e); err != nil {
		return nil, fmt.Errorf("create event: %w", err)
	}
	s.log().InfoContext(ctx, "event created", "event_id", e.ID, "org_id", e.OrgID)
	return e, nil
}

// UpdateEvent changes an event's details, for its organiser or the
// coordinator. Its status and totals stay; an item that sponsorships
// name cannot be removed.
func (s *Service) UpdateEvent(ctx context.Context, a *Actor, id string, in EventInput) (*CivicEvent, error) {
	unlock := s.lock(lockCivicEvent, id)
	defer unlock()
	old, err := s.eventToChange(ctx, a, id)
	if err != nil {
		return nil, err
	}

	e, err := s.checkEvent(ctx, in, old)
	if err != nil {
		return nil, err
	}
	if err := s.checkRemovedItems(ctx, old, e); err != nil {
		return nil, err
	}

	e.ID, e.OrgID, e.OrgName, e.Status, e.Totals = old.ID, old.OrgID, old.OrgName, old.Status, old.Totals
	e.Demo, e.CreatedAt, e.UpdatedAt = old.Demo, old.CreatedAt, s.now().UTC()
	if err := s.Store.UpdateEvent(ctx, e); err != nil {
		return nil, fmt.Errorf("update event: %w", err)
	}
	s.log().InfoContext(ctx, "event updated", "event_id", e.ID)
	return e, nil
}

// checkRemovedItems refuses to drop an item of old that a sponsorship
// pays for.
func (s *Service) checkRemovedItems(ctx context.Context, old, e *CivicEvent) error {
	var removed []FundingItem
	for _, it := range old.Items {
		if e.Item(it.ID) == nil {
			removed = append(removed, it)
		}
	}
	if len(removed) == 0 {
		return nil
	}

	list, err := s.Store.ListSponsorships(ctx, old.ID)
	if err != nil {
		return fmt.Errorf("list sponsorships: %w", err)
	}
	var p Problems
	for _, it := range removed {
		for _, sp := range list {
			if sp.ItemID == it.ID {
				p.Add("items", "%q has sponsorships, so it cannot be removed.", it.Label)
				break
			}
		}
	}
	return p.Err()
}

// SetEventStatus opens or closes an event to sponsorship, for its
// organiser or the coordinator. Status is EventOpen or EventClosed.
func (s *Service) SetEventStatus(ctx context.Context, a *Actor, id, status string) error {
	if status != EventOpen && status != EventClosed {
		var p Problems
		p.Add("status", "Choose whether the event is open or closed to sponsorship.")
		return p.Err()
	}
	unlock := s.lock(lockCivicEvent, id)
	defer unlock()
	e, err := s.eventToChange(ctx, a, id)
	if err != nil || e.Status == status {
		return err
	}

	e.Status, e.UpdatedAt = status, s.now().UTC()
	if err := s.Store.UpdateEvent(ctx, e); err != nil {
		return fmt.Errorf("set event status: %w", err)
	}
	s.log().InfoContext(ctx, "event status set", "event_id", e.ID, "status", status)
	return nil
}

// eventToChange loads an event the actor may change: its organiser's
// members and the coordinator may; anyone else gets EForbidden.
func (s *Service) eventToChange(ctx context.Context, a *Actor, id string) (*CivicEvent, error) {
	if err := requireMember(a); err != nil {
		return nil, err
	}

	e, err := s.getEvent(ctx, id)
	if err != nil {
		return nil, err
	}
	if !owns(a, e.OrgID) && !a.IsCoordinator() {
		return nil, Errorf(EForbidden, "Only the event's organiser and the county coordinator can change it.")
	}
	return e, nil
}

// GetEvent returns a civic event. Events are public.
func (s *Service) GetEvent(ctx context.Context, a *Actor, id string) (*CivicEvent, error) {
	return s.getEvent(ctx, id)
}

// getEvent loads an event, or answers ENotFound.
func (s *Service) getEvent(ctx context.Context, id string) (*CivicEvent, error) {
	if !ValidID(id) {
		return nil, ErrNotFound("Event")
	}

	e, err := s.Store.GetEvent(ctx, id)
	if ErrorCode(err) == ENotFound {
		return nil, ErrNotFound("Event")
	}
	if err != nil {
		return nil, fmt.Errorf("get event: %w", err)
	}
	return e, nil
}

// ListPublicEvents lists every civic event, newest first, one page of
// perPage at a time (page counts from 1; perPage 0 means DefaultPerPage,
// and no page is longer than MaxPerPage), with how many there are.
func (s *Service) ListPublicEvents(ctx context.Context, page, perPage int) ([]*CivicEvent, int, error) {
	offset, limit := pageBounds(page, perPage)
	events, total, err := s.Store.ListEvents(ctx, "", offset, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list events: %w", err)
	}
	return events, total, nil
}

// ListMyEvents lists the actor's organisation's events, newest first, one
// page at a time, with how many there are.
func (s *Service) ListMyEvents(ctx context.Context, a *Actor, page int) ([]*CivicEvent, int, error) {
	if err := requireMember(a); err != nil {
		return nil, 0, err
	}

	offset, limit := pageBounds(page, DefaultPerPage)
	events, total, err := s.Store.ListEvents(ctx, a.OrgID, offset, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list my events: %w", err)
	}
	return events, total, nil
}
