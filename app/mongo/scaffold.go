package mongo

// Scaffolding while the booking, outbox and sponsorship storage is written;
// every method here is replaced by its real implementation.

import (
	"context"
	"errors"
	"time"

	"github.com/encounters/encounters/app"
)

var errScaffold = errors.New("not written yet")

func (s *Store) ClaimPlace(ctx context.Context, sessionID string, place int, owner string) error {
	return errScaffold
}
func (s *Store) ReleasePlace(ctx context.Context, sessionID string, place int, owner string) error {
	return errScaffold
}
func (s *Store) PlaceOwners(ctx context.Context, sessionID string, capacity int) (map[int]string, error) {
	return nil, errScaffold
}
func (s *Store) SetPlacesTaken(ctx context.Context, offerID, sessionID string, taken int) error {
	return errScaffold
}
func (s *Store) CreateBooking(ctx context.Context, b *app.Booking) error { return errScaffold }
func (s *Store) GetBooking(ctx context.Context, id string) (*app.Booking, error) {
	return nil, errScaffold
}
func (s *Store) UpdateBooking(ctx context.Context, b *app.Booking) error { return errScaffold }
func (s *Store) ListOrgBookings(ctx context.Context, orgID string, f app.BookingFilter) ([]*app.Booking, int, error) {
	return nil, 0, errScaffold
}
func (s *Store) ListSessionBookings(ctx context.Context, sessionID string) ([]*app.Booking, error) {
	return nil, errScaffold
}
func (s *Store) ListActiveBookings(ctx context.Context, until time.Time) ([]*app.Booking, error) {
	return nil, errScaffold
}
func (s *Store) PutIdempotencyKey(ctx context.Context, key, bookingID string) (string, error) {
	return "", errScaffold
}
func (s *Store) CreateWaitlistEntry(ctx context.Context, w *app.WaitlistEntry) error {
	return errScaffold
}
func (s *Store) GetWaitlistEntry(ctx context.Context, id string) (*app.WaitlistEntry, error) {
	return nil, errScaffold
}
func (s *Store) UpdateWaitlistEntry(ctx context.Context, w *app.WaitlistEntry) error {
	return errScaffold
}
func (s *Store) ListWaitlist(ctx context.Context, sessionID string) ([]*app.WaitlistEntry, error) {
	return nil, errScaffold
}
func (s *Store) ListOrgWaitlist(ctx context.Context, orgID string) ([]*app.WaitlistEntry, error) {
	return nil, errScaffold
}
func (s *Store) ListHeldEntries(ctx context.Context) ([]*app.WaitlistEntry, error) {
	return nil, errScaffold
}
func (s *Store) AddJob(ctx context.Context, j *app.Job) (bool, error)    { return false, errScaffold }
func (s *Store) GetJob(ctx context.Context, id string) (*app.Job, error) { return nil, errScaffold }
func (s *Store) DueJobs(ctx context.Context, now time.Time, limit int) ([]*app.Job, error) {
	return nil, errScaffold
}
func (s *Store) LeaseJob(ctx context.Context, id string, attempt int, worker string, until time.Time) error {
	return errScaffold
}
func (s *Store) UpdateJob(ctx context.Context, j *app.Job) error { return errScaffold }
func (s *Store) ListJobs(ctx context.Context, state string, offset, limit int) ([]*app.Job, int, error) {
	return nil, 0, errScaffold
}
func (s *Store) CreateEvent(ctx context.Context, e *app.CivicEvent) error { return errScaffold }
func (s *Store) GetEvent(ctx context.Context, id string) (*app.CivicEvent, error) {
	return nil, errScaffold
}
func (s *Store) UpdateEvent(ctx context.Context, e *app.CivicEvent) error { return errScaffold }
func (s *Store) ListEvents(ctx context.Context, orgID string, offset, limit int) ([]*app.CivicEvent, int, error) {
	return nil, 0, errScaffold
}
func (s *Store) CreateSponsorship(ctx context.Context, sp *app.Sponsorship) error { return errScaffold }
func (s *Store) GetSponsorship(ctx context.Context, id string) (*app.Sponsorship, error) {
	return nil, errScaffold
}
func (s *Store) UpdateSponsorship(ctx context.Context, sp *app.Sponsorship) error { return errScaffold }
func (s *Store) ListSponsorships(ctx context.Context, eventID string) ([]*app.Sponsorship, error) {
	return nil, errScaffold
}
func (s *Store) RecordPaymentEvent(ctx context.Context, id, sponsorshipID string, at time.Time) error {
	return errScaffold
}
func (s *Store) ForgetPaymentEvent(ctx context.Context, id string) error { return errScaffold }
func (s *Store) SessionOffer(ctx context.Context, sessionID string) (string, error) {
	return "", errScaffold
}
