package mongo

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/encounters/encounters/app"
)

// activeEntry lists a booking in active_bookings while it is requested or
// confirmed, has history whose emails are not yet queued (Announced
// behind History), or awaits its feedback request, and is deleted once
// none holds. So the sweep finds a booking declined or cancelled just
// before a crash, and queues its emails, and finds a booking delivered
// before its session ended, and asks both sides for feedback.
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
		b.Active() || b.Announced < len(b.History) || b.AwaitsFeedback()
}

// CreateBooking adds a new booking and its listing entries; an existing id
// is EConflict. It claims no places: ClaimPlace does.
func (s *Store) CreateBooking(ctx context.Context, b *app.Booking) error {
	if b.ID == "" {
		return fmt.Errorf("create booking: empty id")
	}
	switch _, err := s.GetBooking(ctx, b.ID); {
	case err == nil:
		return app.Errorf(app.EConflict, "This booking already exists.")
	case app.ErrorCode(err) != app.ENotFound:
		return err
	}

	if err := s.updateRolls(ctx, b); err != nil {
		return err
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

	if err := s.updateRolls(ctx, b); err != nil {
		return err
	}
	if !live {
		return deleteID(ctx, s.c(colActiveBookings), b.ID)
	}
	return nil
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
// session starts before until, every booking whose emails are not all
// queued and every booking that awaits its feedback request, earliest
// first, from active_bookings.
func (s *Store) ListActiveBookings(ctx context.Context, until time.Time) ([]*app.Booking, error) {
	until = until.UTC()
	l := activeListing(bson.D{}, func(b *app.Booking) bool { return b.Start.Before(until) })
	l.keep = func(b *app.Booking) bool {
		return b.Announced < len(b.History) || b.AwaitsFeedback() || b.Active() && b.Start.Before(until)
	}
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
