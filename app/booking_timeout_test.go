package app_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/encounters/encounters/app"
)

// storeThatTimesOut is the real store, except that a booking's write is
// answered with a timeout after it was stored: what a slow database does
// when the caller's deadline passes while its insert commits. It stands in
// for a timing that cannot be produced on demand.
type storeThatTimesOut struct {
	app.Store
}

func (s storeThatTimesOut) CreateBooking(ctx context.Context, b *app.Booking) error {
	if err := s.Store.CreateBooking(ctx, b); err != nil {
		return err
	}
	return fmt.Errorf("insert booking: %w", context.DeadlineExceeded)
}

func TestABookingStoredDespiteATimeoutKeepsItsPlaces(t *testing.T) {
	e := newBookingEnv(t)
	employer := e.employer(t)
	school := e.bookerSchool(t, "117030")
	o := e.publish(t, employer, nil)
	ses := o.Sessions[0]

	e.svc.Store = storeThatTimesOut{e.store}
	b, _, err := e.svc.Book(context.Background(), school, ses.ID, pupils(12, 9))
	e.svc.Store = e.store
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("book: %v", err)
	}

	stored, _, err := e.store.ListOrgBookings(context.Background(), school.OrgID, app.BookingFilter{Active: true})
	if err != nil || len(stored) != 1 {
		t.Fatalf("stored bookings %d (%v), want the one written", len(stored), err)
	}
	if b != nil && b.ID != stored[0].ID {
		t.Fatalf("answered booking %s, stored %s", b.ID, stored[0].ID)
	}
	owners, _ := e.placesTaken(t, o.ID, ses.ID, ses.Places)
	held := 0
	for _, owner := range owners {
		if owner == stored[0].ID {
			held++
		}
	}
	if held != 12 {
		t.Fatalf("the stored booking holds %d places, want 12: its places were given back", held)
	}
}
