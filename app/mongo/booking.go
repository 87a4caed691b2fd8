package mongo

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/encounters/encounters/app"
)

// bookingEntry lists one booking for one of its two organisations in
// booking_listing: every booking has one per side, for good.
type bookingEntry struct {
	ID        string    `bson:"_id"` // booking id + "/" + side
	BookingID string    `bson:"booking_id"`
	OrgID     string    `bson:"org_id"`
	State     string    `bson:"state"`
	Start     time.Time `bson:"start"`
	End       time.Time `bson:"end"`
}

func (e bookingEntry) key() string { return e.ID }

func (e bookingEntry) same(o bookingEntry) bool {
	return e == o || (e.ID == o.ID && e.BookingID == o.BookingID && e.OrgID == o.OrgID &&
		e.State == o.State && e.Start.Equal(o.Start) && e.End.Equal(o.End))
}

// sideEntry is a booking's entry for one side.
func sideEntry(b *app.Booking, side string) bookingEntry {
	org := b.OrgID
	if side == app.SideEmployer {
		org = b.EmployerID
	}
	return bookingEntry{ID: b.ID + "/" + side, BookingID: b.ID, OrgID: org, State: b.State,
		Start: b.Start.UTC(), End: b.End.UTC()}
}

// activeEntry lists a requested or confirmed booking in active_bookings,
// and is deleted when the booking leaves those states.
type activeEntry struct {
	ID        string    `bson:"_id"` // the booking id
	SessionID string    `bson:"session_id"`
	Start     time.Time `bson:"start"`
	CreatedAt time.Time `bson:"created_at"`
}

func (e activeEntry) key() string { return e.ID }

func (e activeEntry) same(o activeEntry) bool {
	return e.ID == o.ID && e.SessionID == o.SessionID && e.Start.Equal(o.Start) && e.CreatedAt.Equal(o.CreatedAt)
}

func activeOf(b *app.Booking) (activeEntry, bool) {
	return activeEntry{ID: b.ID, SessionID: b.SessionID, Start: b.Start.UTC(), CreatedAt: b.CreatedAt.UTC()},
		b.Active()
}

// CreateBooking adds a new booking and its listing entries; an existing id
// is EConflict. It claims no places: ClaimPlace does.
func (s *Store) CreateBooking(ctx context.Context, b *app.Booking) error {
	if b.ID == "" {
		return fmt.Errorf("create booking: empty id")
	}
	for _, side := range []string{app.SideBooker, app.SideEmployer} {
		e := sideEntry(b, side)
		if err := addDoc(ctx, s.c(colBookingList), e.ID, e); err != nil {
			return err
		}
	}
	if e, ok := activeOf(b); ok {
		if err := addDoc(ctx, s.c(colActiveBookings), e.ID, e); err != nil {
			return err
		}
	}
	return insert(ctx, s.c(colBookings), b.ID, b, "booking")
}

// GetBooking returns the booking with the id, or ENotFound.
func (s *Store) GetBooking(ctx context.Context, id string) (*app.Booking, error) {
	return getByID[app.Booking](ctx, s.c(colBookings), id, "booking")
}

// UpdateBooking writes b whole and brings its listing entries in line; a
// missing id is ENotFound. It is a whole-document write: on FerretDB two
// concurrent updates of one booking keep the last, so callers serialise
// them (the booking service does, per booking).
func (s *Store) UpdateBooking(ctx context.Context, b *app.Booking) error {
	active, live := activeOf(b)
	if live {
		if err := putDoc(ctx, s.c(colActiveBookings), active.ID, active); err != nil {
			return err
		}
	}
	if err := replace(ctx, s.c(colBookings), b.ID, b, "booking"); err != nil {
		return err
	}

	for _, side := range []string{app.SideBooker, app.SideEmployer} {
		e := sideEntry(b, side)
		if err := putDoc(ctx, s.c(colBookingList), e.ID, e); err != nil {
			return err
		}
	}
	if !live {
		return deleteID(ctx, s.c(colActiveBookings), b.ID)
	}
	return nil
}

// ListOrgBookings returns one page of the bookings where orgID is either
// side, and how many match. f.Active keeps requested and confirmed ones;
// f.Past keeps those whose session has ended (by the store's clock) and
// lists them latest first; otherwise they come earliest first, by session
// start. A zero limit means 50; no page is longer than 500. The list is
// read from booking_listing, one small entry per booking and side.
func (s *Store) ListOrgBookings(ctx context.Context, orgID string, f app.BookingFilter) ([]*app.Booking, int, error) {
	now := s.now().UTC()
	l := smallListing[app.Booking, bookingEntry]{
		entries: colBookingList, docs: colBookings, what: "booking",
		filter: orgBookingFilter(orgID, f, now),
		docID:  func(e bookingEntry) string { return e.BookingID },
		keep:   func(b *app.Booking) bool { return b.SideOf(orgID) != "" && filterKeeps(f, b, now) },
	}
	l.want = func(b *app.Booking) (bookingEntry, bool) {
		side := b.SideOf(orgID)
		return sideEntry(b, side), side != ""
	}

	order, byStart := bookingOrder(f.Past)
	out, total, err := listPaged(ctx, s, l, order, byStart, f.Offset, f.Limit)
	if err != nil {
		return nil, 0, err
	}
	return dedupe(out), total, nil
}

// filterKeeps reports whether f keeps booking b at now.
func filterKeeps(f app.BookingFilter, b *app.Booking, now time.Time) bool {
	return (!f.Active || b.Active()) && (!f.Past || b.End.Before(now))
}

// orgBookingFilter selects an organisation's entries that f keeps.
func orgBookingFilter(orgID string, f app.BookingFilter, now time.Time) bson.D {
	filter := bson.D{{Key: "org_id", Value: orgID}}
	if f.Active {
		active := []string{app.BookingRequested, app.BookingConfirmed}
		filter = append(filter, bson.E{Key: "state", Value: bson.D{{Key: "$in", Value: active}}})
	}
	if f.Past {
		filter = append(filter, bson.E{Key: "end", Value: bson.D{{Key: "$lt", Value: now}}})
	}
	return filter
}

// bookingOrder is the order of an organisation's bookings: by start, the
// latest first for past ones, ties by id.
func bookingOrder(latestFirst bool) (bson.D, func(a, b bookingEntry) int) {
	dir := 1
	if latestFirst {
		dir = -1
	}
	order := bson.D{{Key: "start", Value: dir}, {Key: "_id", Value: dir}}
	return order, func(a, b bookingEntry) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c * dir
		}
		return cmp.Compare(a.ID, b.ID) * dir
	}
}

// dedupe drops a booking listed twice, as for an organisation on both
// sides of it.
func dedupe(bs []*app.Booking) []*app.Booking {
	seen := map[string]bool{}
	out := bs[:0]
	for _, b := range bs {
		if !seen[b.ID] {
			seen[b.ID] = true
			out = append(out, b)
		}
	}
	return out
}

// activeListing lists active bookings from active_bookings.
func activeListing(filter bson.D, keep func(*app.Booking) bool) smallListing[app.Booking, activeEntry] {
	return smallListing[app.Booking, activeEntry]{
		entries: colActiveBookings, docs: colBookings, what: "booking", filter: filter,
		docID: func(e activeEntry) string { return e.ID },
		want:  activeOf,
		keep:  func(b *app.Booking) bool { return b.Active() && keep(b) },
	}
}

// ListSessionBookings returns the requested and confirmed bookings of one
// session, oldest first. It reads active_bookings, which holds only active
// bookings, so it never scans the booking history.
func (s *Store) ListSessionBookings(ctx context.Context, sessionID string) ([]*app.Booking, error) {
	l := activeListing(bson.D{{Key: "session_id", Value: sessionID}},
		func(b *app.Booking) bool { return b.SessionID == sessionID })
	return listAll(ctx, s, l, func(a, b activeEntry) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// ListActiveBookings returns every requested or confirmed booking whose
// session starts before until, earliest first, from active_bookings.
func (s *Store) ListActiveBookings(ctx context.Context, until time.Time) ([]*app.Booking, error) {
	until = until.UTC()
	l := activeListing(bson.D{{Key: "start", Value: bson.D{{Key: "$lt", Value: until}}}},
		func(b *app.Booking) bool { return b.Start.Before(until) })
	return listAll(ctx, s, l, func(a, b activeEntry) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// idempotencyKey records which booking a retried submission made.
type idempotencyKey struct {
	ID        string    `bson:"_id"` // the key, scoped by the caller
	BookingID string    `bson:"booking_id"`
	CreatedAt time.Time `bson:"created_at"`
}

// PutIdempotencyKey records that key made booking bookingID and returns
// bookingID. When the key was recorded before it returns the booking id
// recorded then, with EConflict: of concurrent calls with one key exactly
// one records it, on every engine (the key is the _id).
func (s *Store) PutIdempotencyKey(ctx context.Context, key, bookingID string) (string, error) {
	if key == "" || bookingID == "" {
		return "", fmt.Errorf("put idempotency key: empty key or booking id")
	}

	k := idempotencyKey{ID: key, BookingID: bookingID, CreatedAt: s.now().UTC()}
	_, err := s.c(colIdempotency).InsertOne(ctx, k)
	if err == nil {
		return bookingID, nil
	}
	if !isDuplicate(err) {
		return "", fmt.Errorf("put idempotency key: %w", err)
	}

	had, err := getByID[idempotencyKey](ctx, s.c(colIdempotency), key, "idempotency key")
	if err != nil {
		return "", err
	}
	return had.BookingID, app.Errorf(app.EConflict, "This booking was already made.")
}
