package mongo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

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

// Each event's sponsorships are a roll (see roll.go) in
// sponsorship_rolls: one slot per sponsorship, written before it, so an
// event's list costs a lookup per sponsorship however many the county has
// (BenchmarkListSponsorships). A sponsorship stays with the event it was
// created for.

// sponsorSlot stands for one sponsorship in its event's roll.
type sponsorSlot struct {
	ID            string    `bson:"_id"` // event id + "#" + number
	SponsorshipID string    `bson:"sponsorship_id"`
	CreatedAt     time.Time `bson:"created_at"`
}

// CreateSponsorship adds a new sponsorship; an existing id is EConflict.
func (s *Store) CreateSponsorship(ctx context.Context, sp *app.Sponsorship) error {
	switch _, err := s.GetSponsorship(ctx, sp.ID); {
	case err == nil:
		return app.Errorf(app.EConflict, "This sponsorship already exists.")
	case app.ErrorCode(err) != app.ENotFound:
		return err
	}
	if err := s.addSponsorSlot(ctx, sp); err != nil {
		return err
	}
	return insert(ctx, s.c(colSponsorships), sp.ID, sp, "sponsorship")
}

func (s *Store) addSponsorSlot(ctx context.Context, sp *app.Sponsorship) error {
	_, err := s.appendSlot(ctx, colSponsorRolls, sp.EventID, func(id string) any {
		return sponsorSlot{ID: id, SponsorshipID: sp.ID, CreatedAt: sp.CreatedAt.UTC()}
	})
	return err
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
	return replace(ctx, s.c(colSponsorships), sp.ID, sp, "sponsorship")
}

// ListSponsorships returns one event's sponsorships, oldest first, read
// from the event's roll and then each by _id.
func (s *Store) ListSponsorships(ctx context.Context, eventID string) ([]*app.Sponsorship, error) {
	slots, err := readRoll[sponsorSlot](ctx, s, colSponsorRolls, eventID)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(slots, func(a, b sponsorSlot) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.SponsorshipID, b.SponsorshipID)
	})

	out := []*app.Sponsorship{}
	seen := map[string]bool{}
	for _, e := range slots {
		if seen[e.SponsorshipID] {
			continue // a create tried twice
		}
		seen[e.SponsorshipID] = true
		sp, err := s.GetSponsorship(ctx, e.SponsorshipID)
		if app.ErrorCode(err) == app.ENotFound {
			continue // its create failed after the slot was written
		}
		if err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, nil
}

// rebuildSponsorRolls puts every sponsorship on its event's roll.
func (s *Store) rebuildSponsorRolls(ctx context.Context) error {
	return eachDoc(ctx, s.c(colSponsorships), func(sp *app.Sponsorship) error { return s.addSponsorSlot(ctx, sp) })
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

// colFeesDue notes the paid card sponsorships whose Stripe fee is still to
// be fetched: a few at any time, so reading them all is cheap.
const colFeesDue = "fees_due"

// feeDue is one note in fees_due.
type feeDue struct {
	ID string    `bson:"_id"` // the sponsorship id
	At time.Time `bson:"at"`
}

// MarkFeeDue notes that a sponsorship's fee is due, or moves an existing
// note to at, the back of the queue.
func (s *Store) MarkFeeDue(ctx context.Context, sponsorshipID string, at time.Time) error {
	if sponsorshipID == "" {
		return fmt.Errorf("mark fee due: empty id")
	}
	return putDoc(ctx, s.c(colFeesDue), sponsorshipID, feeDue{ID: sponsorshipID, At: at.UTC()})
}

// FeesDue returns up to limit noted sponsorship ids, oldest note first. A
// zero limit means 50; none is longer than 500.
func (s *Store) FeesDue(ctx context.Context, limit int) ([]string, error) {
	_, lim := pageBounds(0, limit)
	opts := options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(lim)
	notes, err := findAll[feeDue](ctx, s.c(colFeesDue), bson.D{}, opts)
	if err != nil {
		return nil, err
	}

	ids := make([]string, len(notes))
	for i, n := range notes {
		ids[i] = n.ID
	}
	return ids, nil
}

// ClearFeeDue removes a sponsorship's note, if there is one.
func (s *Store) ClearFeeDue(ctx context.Context, sponsorshipID string) error {
	return deleteID(ctx, s.c(colFeesDue), sponsorshipID)
}
