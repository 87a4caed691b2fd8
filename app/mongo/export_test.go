package mongo

import (
	"context"

	"github.com/encounters/encounters/app"
)

// SeedBookings writes bookings and their rolls in bulk, as CreateBooking
// one at a time would leave them, for benchmarks that need thousands.
func SeedBookings(ctx context.Context, s *Store, bs []*app.Booking) error {
	docs, slots, pointers := []any{}, []any{}, []any{}
	next := map[string]int{}
	for _, b := range bs {
		docs = append(docs, b)
		for _, side := range sides {
			org := sideOrg(b, side)
			next[org]++
			id := slotID(org, next[org])
			slots = append(slots, slotOf(b, org, id))
			pointers = append(pointers, slotPointer{ID: b.ID + "/" + side, Slot: id})
		}
	}
	heads := []any{}
	for org, n := range next {
		heads = append(heads, rollHead{ID: colBookingRolls + "/" + org, Next: n + 1})
	}

	for coll, many := range map[string][]any{colBookings: docs, colBookingRolls: slots,
		colBookingSlots: pointers, colRollHeads: heads} {
		if _, err := s.c(coll).InsertMany(ctx, many); err != nil {
			return err
		}
	}
	return nil
}
