package mongo

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/encounters/encounters/app"
)

// Each organisation's bookings, on either side, are a roll (see roll.go)
// in booking_rolls: one slot per booking with what lists filter and sort
// on. booking_slots points from each booking and side to its slot, so
// UpdateBooking rewrites the slot by _id. A school with 40 bookings lists
// them in 40 lookups whether the county has 1,000 bookings or 100,000
// (BenchmarkListOrgBookings).

// bookingSlot stands for one booking in one organisation's roll.
type bookingSlot struct {
	ID        string    `bson:"_id"` // org id + "#" + number
	BookingID string    `bson:"booking_id"`
	OrgID     string    `bson:"org_id"`
	State     string    `bson:"state"`
	Start     time.Time `bson:"start"`
	End       time.Time `bson:"end"`
	// Gone marks a slot whose booking was never saved or is no longer the
	// organisation's: slots are never deleted.
	Gone bool `bson:"gone,omitempty"`
}

func slotOf(b *app.Booking, orgID, id string) bookingSlot {
	return bookingSlot{ID: id, BookingID: b.ID, OrgID: orgID, State: b.State, Start: b.Start.UTC(), End: b.End.UTC()}
}

func (e bookingSlot) same(o bookingSlot) bool {
	return e.ID == o.ID && e.BookingID == o.BookingID && e.OrgID == o.OrgID && e.State == o.State &&
		e.Start.Equal(o.Start) && e.End.Equal(o.End) && e.Gone == o.Gone
}

// slotPointer names the slot that holds a booking for one side.
type slotPointer struct {
	ID   string `bson:"_id"` // booking id + "/" + side
	Slot string `bson:"slot"`
}

var sides = []string{app.SideBooker, app.SideEmployer}

// sideOrg is the organisation on one side of a booking.
func sideOrg(b *app.Booking, side string) string {
	if side == app.SideEmployer {
		return b.EmployerID
	}
	return b.OrgID
}

// addSlot appends a slot for one side of a booking and points to it.
func (s *Store) addSlot(ctx context.Context, b *app.Booking, side string) error {
	org := sideOrg(b, side)
	id, err := s.appendSlot(ctx, colBookingRolls, org, func(id string) any { return slotOf(b, org, id) })
	if err != nil {
		return err
	}
	p := slotPointer{ID: b.ID + "/" + side, Slot: id}
	return putDoc(ctx, s.c(colBookingSlots), p.ID, p)
}

// updateRolls puts a booking on the rolls of both its organisations, or
// rewrites its slots there from b. A side without a slot, or whose
// organisation changed, gets a new one; a create tried again after a crash
// finds and revives the slots it took.
func (s *Store) updateRolls(ctx context.Context, b *app.Booking) error {
	for _, side := range sides {
		if err := s.updateSlot(ctx, b, side); err != nil {
			return err
		}
	}
	return nil
}

// updateSlot rewrites, or adds, the slot of one side of a booking.
func (s *Store) updateSlot(ctx context.Context, b *app.Booking, side string) error {
	org := sideOrg(b, side)
	p, err := getByID[slotPointer](ctx, s.c(colBookingSlots), b.ID+"/"+side, "slot")
	switch {
	case app.ErrorCode(err) == app.ENotFound:
		return s.addSlot(ctx, b, side)
	case err != nil:
		return err
	case strings.HasPrefix(p.Slot, org+"#"):
		return putDoc(ctx, s.c(colBookingRolls), p.Slot, slotOf(b, org, p.Slot))
	}

	// The side's organisation changed: its old slot is gone.
	gone := bookingSlot{ID: p.Slot, BookingID: b.ID, Gone: true}
	if err := putDoc(ctx, s.c(colBookingRolls), p.Slot, gone); err != nil {
		return err
	}
	return s.addSlot(ctx, b, side)
}

// ListOrgBookings returns one page of the bookings where orgID is either
// side, and how many match. f.Active keeps requested and confirmed ones;
// f.Past keeps those whose session has ended (by f.Now, or the store's clock) and
// lists them latest first; otherwise they come earliest first, by session
// start. A zero limit means 50; no page is longer than 500.
//
// It reads the organisation's roll, then the page's bookings by _id, and
// mends slots that disagree with their bookings (which a process dying
// between two writes can leave); until a page meets such a slot, the
// total may count it.
func (s *Store) ListOrgBookings(ctx context.Context, orgID string, f app.BookingFilter) ([]*app.Booking, int, error) {
	slots, err := readRoll[bookingSlot](ctx, s, colBookingRolls, orgID)
	if err != nil {
		return nil, 0, err
	}
	now := f.Now
	if now.IsZero() {
		now = s.now().UTC()
	}
	kept := slices.DeleteFunc(latestSlots(slots, orgID), func(e bookingSlot) bool { return !slotKeeps(f, e, now) })
	slices.SortFunc(kept, bookingOrder(f.Past))

	total := len(kept)
	skip, lim := pageBounds(f.Offset, f.Limit)
	page := kept[min(int(skip), total):min(int(skip+lim), total)]

	out := make([]*app.Booking, 0, len(page))
	for _, e := range page {
		b, err := s.checkSlot(ctx, e, orgID)
		if err != nil {
			return nil, 0, err
		}
		if b == nil || !filterKeeps(f, b, now) {
			total--
			continue
		}
		out = append(out, b)
	}
	return out, total, nil
}

// latestSlots keeps the live slot of each booking in an organisation's
// roll: the highest numbered, should a booking have two.
func latestSlots(slots []bookingSlot, orgID string) []bookingSlot {
	latest := map[string]int{}
	for i, e := range slots {
		j, seen := latest[e.BookingID]
		if !seen || slotNumber(e.ID) > slotNumber(slots[j].ID) {
			latest[e.BookingID] = i
		}
	}

	out := make([]bookingSlot, 0, len(latest))
	for _, i := range latest {
		if e := slots[i]; !e.Gone && e.OrgID == orgID {
			out = append(out, e)
		}
	}
	return out
}

// slotKeeps reports whether f keeps the booking a slot stands for at now.
func slotKeeps(f app.BookingFilter, e bookingSlot, now time.Time) bool {
	return keeps(f, e.State, e.End, now)
}

// filterKeeps reports whether f keeps booking b at now.
func filterKeeps(f app.BookingFilter, b *app.Booking, now time.Time) bool {
	return keeps(f, b.State, b.End, now)
}

// keeps reports whether f keeps a booking in state whose session ends at
// end.
func keeps(f app.BookingFilter, state string, end, now time.Time) bool {
	active := state == app.BookingRequested || state == app.BookingConfirmed
	calledOff := state == app.BookingDeclined || state == app.BookingCancelled
	ended := end.Before(now)
	return (!f.Active || active) && (!f.Past || ended) && (!f.CalledOff || (calledOff && !ended))
}

// bookingOrder orders slots by start, the latest first for past bookings,
// ties by booking id.
func bookingOrder(latestFirst bool) func(a, b bookingSlot) int {
	dir := 1
	if latestFirst {
		dir = -1
	}
	return func(a, b bookingSlot) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c * dir
		}
		return cmp.Compare(a.BookingID, b.BookingID) * dir
	}
}

// checkSlot reads the booking a slot stands for and mends the slot when
// they disagree. It returns nil when the booking is missing or no longer
// the organisation's.
func (s *Store) checkSlot(ctx context.Context, e bookingSlot, orgID string) (*app.Booking, error) {
	b, err := s.GetBooking(ctx, e.BookingID)
	switch {
	case app.ErrorCode(err) == app.ENotFound || (err == nil && b.SideOf(orgID) == ""):
		gone := bookingSlot{ID: e.ID, BookingID: e.BookingID, OrgID: e.OrgID, Gone: true}
		return nil, putDoc(ctx, s.c(colBookingRolls), e.ID, gone)
	case err != nil:
		return nil, err
	}

	if want := slotOf(b, orgID, e.ID); !want.same(e) {
		if err := putDoc(ctx, s.c(colBookingRolls), e.ID, want); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// rebuildBookingRolls puts every booking on its organisations' rolls.
func (s *Store) rebuildBookingRolls(ctx context.Context) error {
	return eachDoc(ctx, s.c(colBookings), func(b *app.Booking) error { return s.updateRolls(ctx, b) })
}
