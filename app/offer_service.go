package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/encounters/encounters/search"
)

// ReindexBatch is how many documents Reindex sends to the index at once.
const ReindexBatch = 500

// isPublic says whether o is shown to everyone: published by a verified
// employer.
func isPublic(o *Offer, org *Organisation) bool {
	return o.Status == OfferPublished && org != nil && org.Verified
}

// CreateOffer saves a new offer as a draft, for employers only. Nothing is
// saved when any field is wrong.
func (s *Service) CreateOffer(ctx context.Context, a *Actor, in OfferInput) (*Offer, error) {
	if err := requireMember(a); err != nil {
		return nil, err
	}
	if a.Kind != KindEmployer {
		return nil, Errorf(EForbidden, "Only employers can create offers.")
	}
	o, err := s.checkOffer(ctx, in, nil)
	if err != nil {
		return nil, err
	}
	org, err := s.Store.GetOrg(ctx, a.OrgID)
	if err != nil {
		return nil, fmt.Errorf("create offer: %w", err)
	}

	now := s.now().UTC()
	o.ID, o.OrgID, o.OrgName = NewID("off"), org.ID, org.Name
	o.Status, o.CreatedAt, o.UpdatedAt = OfferDraft, now, now
	if err := s.Store.CreateOffer(ctx, o); err != nil {
		return nil, fmt.Errorf("create offer: %w", err)
	}
	s.log().InfoContext(ctx, "offer created", "offer_id", o.ID, "org_id", o.OrgID)
	return o, nil
}

// UpdateOffer replaces what people typed about an offer of the actor's own
// organisation, keeping its sessions' bookings. Bookings of a session
// whose times changed move with it, and both sides are told; places added
// to a session are offered to its waitlist at once, as places given back
// are. The type cannot change while sessions not yet ended have bookings
// made for it still active (see checkBookedType). Archived offers cannot
// change.
func (s *Service) UpdateOffer(ctx context.Context, a *Actor, id string, in OfferInput) (*Offer, error) {
	o, org, err := s.ownOffer(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if o.Status == OfferArchived {
		return nil, Errorf(EConflict, "This offer is archived, so it cannot be changed.")
	}
	n, err := s.checkOffer(ctx, in, o)
	if err != nil {
		return nil, err
	}

	o.Title, o.Description, o.Type, o.Sector = n.Title, n.Description, n.Type, n.Sector
	o.Audience, o.Delivery, o.Postcode, o.Location = n.Audience, n.Delivery, n.Postcode, n.Location
	o.AtSchool, o.AtSchoolKm, o.Access, o.Safeguarding = n.AtSchool, n.AtSchoolKm, n.Access, n.Safeguarding
	before := o.Sessions
	o.Sessions, o.OrgName = n.Sessions, org.Name
	if err := s.saveOffer(ctx, o, org, "offer updated"); err != nil {
		return nil, err
	}
	s.rescheduleBookings(ctx, a, before, o.Sessions)
	if s.offerAddedPlaces(ctx, o, before) {
		// Holds offered meanwhile changed the stored counts.
		if fresh, err := s.Store.GetOffer(ctx, o.ID); err == nil {
			o = fresh
		}
	}
	return o, nil
}

// offerAddedPlaces offers the places added to the offer's stored sessions
// to their waitlists at once, as placesFreed does with places given back,
// so that nobody who books directly takes them ahead of those waiting.
// before are the sessions as they were. It reports whether any session
// gained places; a failure is logged, and the sweep offers them later.
func (s *Service) offerAddedPlaces(ctx context.Context, o *Offer, before []Session) bool {
	ctx = context.WithoutCancel(ctx)
	was := make(map[string]int, len(before))
	for _, ses := range before {
		was[ses.ID] = ses.Places
	}

	grown := false
	for _, ses := range o.Sessions {
		if places, ok := was[ses.ID]; !ok || ses.Places <= places {
			continue
		}
		grown = true
		if err := s.offerFreedPlaces(ctx, refOf(o, &ses)); err != nil {
			s.log().ErrorContext(ctx, "added places not offered", "session_id", ses.ID, "error", err)
		}
	}
	return grown
}

// SetOfferStatus publishes, pauses, archives or returns to draft an offer of
// the actor's own organisation. Archiving is final. Publishing needs a
// session still to come; an unverified employer's published offer stays out
// of search until the coordinator verifies the employer. Archiving and
// returning to draft take the offer off the market, so both are refused
// while bookings are still to come (see refuseWithBookings), and both close
// its waitlists, telling those on them.
func (s *Service) SetOfferStatus(ctx context.Context, a *Actor, id, status string) (*Offer, error) {
	o, org, err := s.ownOffer(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains([]string{OfferDraft, OfferPublished, OfferPaused, OfferArchived}, status) {
		var p Problems
		p.Add("status", "Choose draft, published, paused or archived.")
		return nil, p.Err()
	}

	switch {
	case o.Status == status:
		return o, nil
	case o.Status == OfferArchived:
		return nil, Errorf(EConflict, "This offer is archived, so it cannot be changed.")
	case status == OfferPublished && len(o.Upcoming(s.now())) == 0:
		return nil, Errorf(EConflict, "Add a session that is still to come before you publish this offer.")
	case status == OfferArchived || status == OfferDraft:
		if err := s.refuseWithBookings(ctx, o, status); err != nil {
			return nil, err
		}
	}
	o.Status = status
	if err := s.saveOffer(ctx, o, org, "offer status set"); err != nil {
		return nil, err
	}
	switch status {
	case OfferArchived, OfferDraft:
		if err := s.closeWaitlists(ctx, o); err != nil {
			s.log().ErrorContext(ctx, "waitlists of a withdrawn offer not closed", "offer_id", o.ID,
				"status", status, "error", err)
		}
	case OfferPublished: // places freed while it was paused go to the waitlist now
		for _, ses := range o.Upcoming(s.now()) {
			if err := s.offerFreedPlaces(ctx, refOf(o, &ses)); err != nil {
				s.log().ErrorContext(ctx, "freed places not offered", "session_id", ses.ID, "error", err)
			}
		}
	default:
		return o, nil
	}
	// Places given back or held meanwhile changed the stored counts.
	if fresh, err := s.Store.GetOffer(ctx, o.ID); err == nil {
		o = fresh
	}
	return o, nil
}

// refuseWithBookings refuses to archive an offer, or to return it to
// draft, while its sessions still to come have active bookings: neither
// status takes or keeps bookings, archiving cannot be undone, and the
// organisations that booked must be told why their places went, which a
// cancellation with a reason does. Pausing keeps the bookings, so it is
// what a draft's refusal suggests.
func (s *Service) refuseWithBookings(ctx context.Context, o *Offer, status string) error {
	n := 0
	for _, ses := range o.Upcoming(s.now()) {
		active, err := s.Store.ListSessionBookings(ctx, ses.ID)
		if err != nil {
			return fmt.Errorf("withdraw offer: %w", err)
		}
		n += len(active)
	}
	if n == 0 {
		return nil
	}

	bookings, them := plural(n, "booking", "bookings"), plural(n, "it", "them")
	if status == OfferArchived {
		return Errorf(EConflict, "This offer has %d %s still to come. Cancel %s first, with a reason, so that "+
			"the organisations are told; then archive the offer. To stop new bookings meanwhile, pause it.",
			n, bookings, them)
	}
	pause := "To stop new bookings and keep those made, pause it instead."
	if o.Status == OfferPaused {
		pause = "Keep it paused instead: that stops new bookings and keeps those made."
	}
	return Errorf(EConflict, "This offer has %d %s still to come, and a draft keeps no bookings. %s "+
		"To make it a draft, cancel %s first, with a reason, so that the organisations are told.",
		n, bookings, pause, them)
}

// saveOffer stores a changed offer with its visibility recomputed, and
// brings the search index into step.
func (s *Service) saveOffer(ctx context.Context, o *Offer, org *Organisation, event string) error {
	o.Public = isPublic(o, org)
	o.UpdatedAt = s.now().UTC()
	if err := s.Store.UpdateOffer(ctx, o); err != nil {
		return fmt.Errorf("save offer: %w", err)
	}
	s.log().InfoContext(ctx, event, "offer_id", o.ID, "org_id", o.OrgID, "status", o.Status, "public", o.Public)
	s.syncOffer(ctx, o, org)
	return nil
}

// syncOffer puts a public offer's document in the index and takes any
// other offer out. The store is the record: when the index fails, the
// error is logged and `encounters reindex` repairs it.
func (s *Service) syncOffer(ctx context.Context, o *Offer, org *Organisation) {
	var err error
	if o.Public {
		err = s.Index.Upsert(ctx, OfferDocument(o, offerTown(o, org), s.now()))
	} else {
		err = s.Index.Delete(ctx, o.ID)
	}
	if err != nil {
		s.log().ErrorContext(ctx, "search index out of step", "offer_id", o.ID, "error", err)
	}
}

// offerTown is the town shown with an offer: its organisation's, when the
// offer meets at the organisation's postcode.
func offerTown(o *Offer, org *Organisation) string {
	if org == nil || (o.Postcode != "" && o.Postcode != org.Postcode) {
		return ""
	}
	return org.Town
}

// ownOffer loads an offer the actor's organisation may change, with that
// organisation. Other organisations' offers are ENotFound, except to the
// coordinator, who may read but not change them.
func (s *Service) ownOffer(ctx context.Context, a *Actor, id string) (*Offer, *Organisation, error) {
	if err := requireMember(a); err != nil {
		return nil, nil, err
	}

	o, err := s.GetOffer(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	if !owns(a, o.OrgID) {
		if a.IsCoordinator() {
			return nil, nil, Errorf(EForbidden, "Only the employer can change its offers.")
		}
		return nil, nil, ErrNotFound("Offer")
	}

	org, err := s.Store.GetOrg(ctx, o.OrgID)
	if err != nil {
		return nil, nil, fmt.Errorf("offer organisation: %w", err)
	}
	return o, org, nil
}

// GetOffer returns an offer: public offers to anyone, any offer to its own
// organisation and the coordinator, and ENotFound otherwise.
func (s *Service) GetOffer(ctx context.Context, a *Actor, id string) (*Offer, error) {
	if !ValidID(id) {
		return nil, ErrNotFound("Offer")
	}

	o, err := s.Store.GetOffer(ctx, id)
	if ErrorCode(err) == ENotFound {
		return nil, ErrNotFound("Offer")
	}
	if err != nil {
		return nil, fmt.Errorf("get offer: %w", err)
	}
	if !o.Public && !canSeePrivate(a, o.OrgID) {
		return nil, ErrNotFound("Offer")
	}
	return o, nil
}

// ListMyOffers lists the offers of the actor's organisation, newest first,
// DefaultPerPage to a page, with the total.
func (s *Service) ListMyOffers(ctx context.Context, a *Actor, page int) ([]*Offer, int, error) {
	if err := requireMember(a); err != nil {
		return nil, 0, err
	}
	offset, limit := pageBounds(page, DefaultPerPage)
	offers, total, err := s.Store.ListOrgOffers(ctx, a.OrgID, offset, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list my offers: %w", err)
	}
	return offers, total, nil
}

// Reindex empties the search index and fills it again from the store, in
// batches of ReindexBatch, calling progress (when not nil) after each batch
// with the documents done and the published offers to check. An offer whose
// Public flag is out of step with its employer is corrected on the way.
// It returns how many documents the index holds.
func (s *Service) Reindex(ctx context.Context, progress func(done, total int)) (int, error) {
	if err := s.Index.Reset(ctx); err != nil {
		return 0, fmt.Errorf("reindex: reset: %w", err)
	}
	return s.RefreshIndex(ctx, progress)
}

// RefreshIndex writes every published offer to the search index again
// without emptying it first, so searches go on meanwhile. Run on a
// schedule, it drops sessions that have started from the dates search
// filters and sorts by; offers that stopped being public left the index
// when they changed.
func (s *Service) RefreshIndex(ctx context.Context, progress func(done, total int)) (int, error) {
	var published []*Offer
	err := s.Store.EachOffer(ctx, func(o *Offer) error {
		if o.Status == OfferPublished || o.Public {
			published = append(published, o)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("reindex: read offers: %w", err)
	}

	indexed := 0
	for start := 0; start < len(published); start += ReindexBatch {
		batch := published[start:min(start+ReindexBatch, len(published))]
		n, err := s.reindexBatch(ctx, batch)
		if err != nil {
			return indexed, err
		}
		indexed += n
		if progress != nil {
			progress(start+len(batch), len(published))
		}
	}
	s.log().InfoContext(ctx, "reindexed", "documents", indexed)
	return indexed, nil
}

func (s *Service) reindexBatch(ctx context.Context, batch []*Offer) (int, error) {
	ids := make([]string, 0, len(batch))
	for _, o := range batch {
		ids = append(ids, o.OrgID)
	}
	slices.Sort(ids)
	orgs, err := s.Store.GetOrgs(ctx, slices.Compact(ids))
	if err != nil {
		return 0, fmt.Errorf("reindex: organisations: %w", err)
	}

	docs := make([]search.Document, 0, len(batch))
	for _, o := range batch {
		org := orgs[o.OrgID]
		if public := isPublic(o, org); public != o.Public {
			o.Public = public
			if err := s.Store.UpdateOffer(ctx, o); err != nil {
				return 0, fmt.Errorf("reindex: correct offer visibility: %w", err)
			}
		}
		if o.Public {
			docs = append(docs, OfferDocument(o, offerTown(o, org), s.now()))
		}
	}
	if len(docs) == 0 {
		return 0, nil
	}
	if err := s.Index.Upsert(ctx, docs...); err != nil {
		return 0, fmt.Errorf("reindex: upsert: %w", err)
	}
	return len(docs), nil
}
