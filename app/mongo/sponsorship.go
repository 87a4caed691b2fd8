package mongo

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/encounters/encounters/app"
)

func eventEntry(e *app.CivicEvent) listEntry {
	return listEntry{ID: e.ID, OrgID: e.OrgID, Status: e.Status, CreatedAt: e.CreatedAt}
}

// CreateEvent adds a new civic event; an existing id is EConflict.
func (s *Store) CreateEvent(ctx context.Context, e *app.CivicEvent) error {
	if err := s.addEntry(ctx, colEventList, eventEntry(e)); err != nil {
		return err
	}
	return insert(ctx, s.c(colEvents), e.ID, e, "event")
}

// GetEvent returns the civic event with the id, or ENotFound.
func (s *Store) GetEvent(ctx context.Context, id string) (*app.CivicEvent, error) {
	return getByID[app.CivicEvent](ctx, s.c(colEvents), id, "event")
}

// UpdateEvent writes e whole; a missing id is ENotFound. On FerretDB two
// concurrent updates of one event keep the last.
func (s *Store) UpdateEvent(ctx context.Context, e *app.CivicEvent) error {
	if err := replace(ctx, s.c(colEvents), e.ID, e, "event"); err != nil {
		return err
	}
	return s.putEntry(ctx, colEventList, eventEntry(e))
}

// ListEvents returns one page of an organisation's events, or of every
// event when orgID is "", newest first, and how many there are. A zero
// limit means 50; no page is longer than 500. It reads event_listing (see
// listing.go).
func (s *Store) ListEvents(ctx context.Context, orgID string, offset, limit int) ([]*app.CivicEvent, int, error) {
	l := listing{
		entries: colEventList, docs: colEvents, what: "event",
		filter: bson.D{},
		keep:   func(listEntry) bool { return true },
	}
	if orgID != "" {
		l.filter = bson.D{{Key: "org_id", Value: orgID}}
		l.keep = func(e listEntry) bool { return e.OrgID == orgID }
	}
	return listPage(ctx, s, l, offset, limit, eventEntry)
}

// sponsorEntry lists a sponsorship under its event in sponsorship_listing.
type sponsorEntry struct {
	ID        string    `bson:"_id"` // the sponsorship id
	EventID   string    `bson:"event_id"`
	CreatedAt time.Time `bson:"created_at"`
}

func (e sponsorEntry) key() string { return e.ID }

func (e sponsorEntry) same(o sponsorEntry) bool {
	return e.ID == o.ID && e.EventID == o.EventID && e.CreatedAt.Equal(o.CreatedAt)
}

func sponsorEntryOf(sp *app.Sponsorship) (sponsorEntry, bool) {
	return sponsorEntry{ID: sp.ID, EventID: sp.EventID, CreatedAt: sp.CreatedAt.UTC()}, true
}

// CreateSponsorship adds a new sponsorship; an existing id is EConflict.
func (s *Store) CreateSponsorship(ctx context.Context, sp *app.Sponsorship) error {
	e, _ := sponsorEntryOf(sp)
	if err := addDoc(ctx, s.c(colSponsorList), e.ID, e); err != nil {
		return err
	}
	return insert(ctx, s.c(colSponsorships), sp.ID, sp, "sponsorship")
}

// GetSponsorship returns the sponsorship with the id, or ENotFound.
func (s *Store) GetSponsorship(ctx context.Context, id string) (*app.Sponsorship, error) {
	return getByID[app.Sponsorship](ctx, s.c(colSponsorships), id, "sponsorship")
}

// UpdateSponsorship writes sp whole; a missing id is ENotFound. On FerretDB
// two concurrent updates of one sponsorship keep the last, so payment
// events are applied once each (RecordPaymentEvent) and in the service's
// own order.
func (s *Store) UpdateSponsorship(ctx context.Context, sp *app.Sponsorship) error {
	if err := replace(ctx, s.c(colSponsorships), sp.ID, sp, "sponsorship"); err != nil {
		return err
	}
	e, _ := sponsorEntryOf(sp)
	return putDoc(ctx, s.c(colSponsorList), e.ID, e)
}

// ListSponsorships returns one event's sponsorships, oldest first. It reads
// sponsorship_listing, three small fields a sponsorship, rather than the
// sponsorships (BenchmarkListSponsorships compares the two).
func (s *Store) ListSponsorships(ctx context.Context, eventID string) ([]*app.Sponsorship, error) {
	l := smallListing[app.Sponsorship, sponsorEntry]{
		entries: colSponsorList, docs: colSponsorships, what: "sponsorship",
		filter: bson.D{{Key: "event_id", Value: eventID}},
		docID:  func(e sponsorEntry) string { return e.ID },
		want:   sponsorEntryOf,
		keep:   func(sp *app.Sponsorship) bool { return sp.EventID == eventID },
	}
	return listAll(ctx, s, l, func(a, b sponsorEntry) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// paymentEvent records that a payment provider's event was applied.
type paymentEvent struct {
	ID            string    `bson:"_id"` // the provider's event id
	SponsorshipID string    `bson:"sponsorship_id"`
	At            time.Time `bson:"at"`
}

// RecordPaymentEvent records that the provider event id was applied to a
// sponsorship. A second record of one id is EConflict: of concurrent
// calls exactly one succeeds, on every engine (the id is the _id).
func (s *Store) RecordPaymentEvent(ctx context.Context, id, sponsorshipID string, at time.Time) error {
	if id == "" {
		return fmt.Errorf("record payment event: empty id")
	}
	_, err := s.c(colPaymentEvents).InsertOne(ctx, paymentEvent{ID: id, SponsorshipID: sponsorshipID, At: at.UTC()})
	if isDuplicate(err) {
		return app.Errorf(app.EConflict, "This payment event was already applied.")
	}
	if err != nil {
		return fmt.Errorf("record payment event %s: %w", id, err)
	}
	return nil
}

// ForgetPaymentEvent removes the record of a provider event, so that a
// retry of it is applied; forgetting an unknown id is not an error.
func (s *Store) ForgetPaymentEvent(ctx context.Context, id string) error {
	return deleteID(ctx, s.c(colPaymentEvents), id)
}
