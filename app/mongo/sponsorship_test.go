package mongo_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
	"github.com/encounters/encounters/app/mongo/mongotest"
)

func newEvent(id, orgID string, created int) *app.CivicEvent {
	return &app.CivicEvent{
		ID: id, OrgID: orgID, OrgName: "Durham Johnston", Title: "Year 10 careers fair",
		Description: "Forty employers in the sports hall.", Start: day(created + 30), End: day(created + 30).Add(4 * time.Hour),
		Venue: "Sports hall", Postcode: "DH1 4SU", GoalPence: 250_000, MinPence: 1_000, MaxPence: 100_000,
		Items:     []app.FundingItem{{ID: "fi_1", Kind: app.FundCoaches, Label: "Coaches from rural schools", GoalPence: 120_000}},
		Status:    app.EventOpen,
		Totals:    app.Totals{RaisedPence: 5_000, Sponsors: 1},
		CreatedAt: day(created), UpdatedAt: day(created),
	}
}

func newSponsorship(id, eventID string, created int) *app.Sponsorship {
	return &app.Sponsorship{
		ID: id, EventID: eventID, ItemID: "fi_1", Method: app.PayCard, State: app.SponsorPending,
		AmountPence: 5_000, Name: "A. Sponsor", Email: "sponsor@example.org", DisplayName: "Kromek Group", Named: true,
		CreatedAt: day(created), UpdatedAt: day(created),
	}
}

func eventIDs(es []*app.CivicEvent) []string {
	ids := []string{}
	for _, e := range es {
		ids = append(ids, e.ID)
	}
	return ids
}

func TestEvents(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		for i := 1; i <= 3; i++ {
			mustOK(t, s.CreateEvent(ctx, newEvent(fmt.Sprintf("evt_a%d", i), "urn_a", i)))
		}
		mustOK(t, s.CreateEvent(ctx, newEvent("evt_b1", "urn_b", 5)))

		errs := []struct {
			name string
			run  func() error
			code string
		}{
			{"create with a taken id", func() error { return s.CreateEvent(ctx, newEvent("evt_a1", "urn_c", 9)) }, app.EConflict},
			{"get a missing id", func() error { _, err := s.GetEvent(ctx, "evt_none"); return err }, app.ENotFound},
			{"update a missing id", func() error { return s.UpdateEvent(ctx, newEvent("evt_none", "urn_a", 1)) }, app.ENotFound},
		}
		for _, tt := range errs {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}

		t.Run("update writes it whole", func(t *testing.T) {
			e := newEvent("evt_a2", "urn_a", 2)
			e.Status, e.Totals = app.EventClosed, app.Totals{RaisedPence: 9_000, RefundedPence: 1_000, Sponsors: 2}
			mustOK(t, s.UpdateEvent(ctx, e))
			got, err := s.GetEvent(ctx, "evt_a2")
			mustOK(t, err)
			mustEqual(t, got, e)
		})

		tests := []struct {
			name          string
			org           string
			offset, limit int
			want          []string
			total         int
		}{
			{"every event, newest first", "", 0, 10, []string{"evt_b1", "evt_a3", "evt_a2", "evt_a1"}, 4},
			{"one organisation's", "urn_a", 0, 10, []string{"evt_a3", "evt_a2", "evt_a1"}, 3},
			{"a page", "", 1, 2, []string{"evt_a3", "evt_a2"}, 4},
			{"none", "urn_c", 0, 10, []string{}, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := s.ListEvents(ctx, tt.org, tt.offset, tt.limit)
				mustOK(t, err)
				mustEqual(t, eventIDs(got), tt.want)
				if total != tt.total {
					t.Errorf("total = %d, want %d", total, tt.total)
				}
			})
		}
	})
}

func TestSponsorships(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		for i := 3; i >= 1; i-- {
			mustOK(t, s.CreateSponsorship(ctx, newSponsorship(fmt.Sprintf("sp_%d", i), "evt_1", i)))
		}
		mustOK(t, s.CreateSponsorship(ctx, newSponsorship("sp_other", "evt_2", 1)))

		errs := []struct {
			name string
			run  func() error
			code string
		}{
			{"create with a taken id", func() error { return s.CreateSponsorship(ctx, newSponsorship("sp_1", "evt_2", 1)) }, app.EConflict},
			{"get a missing id", func() error { _, err := s.GetSponsorship(ctx, "sp_none"); return err }, app.ENotFound},
			{"update a missing id", func() error { return s.UpdateSponsorship(ctx, newSponsorship("sp_none", "evt_1", 1)) }, app.ENotFound},
		}
		for _, tt := range errs {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}

		paid := newSponsorship("sp_2", "evt_1", 2)
		paid.State, paid.PaidAt, paid.FeePence, paid.PaymentIntentID = app.SponsorPaid, day(3), 95, "pi_123"
		mustOK(t, s.UpdateSponsorship(ctx, paid))
		t.Run("update writes it whole", func(t *testing.T) {
			got, err := s.GetSponsorship(ctx, "sp_2")
			mustOK(t, err)
			mustEqual(t, got, paid)
		})

		tests := []struct {
			event string
			want  []string
		}{
			{"evt_1", []string{"sp_1", "sp_2", "sp_3"}},
			{"evt_2", []string{"sp_other"}},
			{"evt_none", []string{}},
		}
		for _, tt := range tests {
			t.Run("list "+tt.event, func(t *testing.T) {
				got, err := s.ListSponsorships(ctx, tt.event)
				mustOK(t, err)
				ids := []string{}
				for _, sp := range got {
					ids = append(ids, sp.ID)
				}
				mustEqual(t, ids, tt.want)
			})
		}
	})
}

func TestPaymentEvents(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		steps := []struct {
			name string
			run  func() error
			code string
		}{
			{"record", func() error { return s.RecordPaymentEvent(ctx, "evt_stripe_1", "sp_1", day(1)) }, ""},
			{"record again", func() error { return s.RecordPaymentEvent(ctx, "evt_stripe_1", "sp_1", day(2)) }, app.EConflict},
			{"forget", func() error { return s.ForgetPaymentEvent(ctx, "evt_stripe_1") }, ""},
			{"record after forgetting", func() error { return s.RecordPaymentEvent(ctx, "evt_stripe_1", "sp_1", day(3)) }, ""},
			{"forget an unknown id", func() error { return s.ForgetPaymentEvent(ctx, "evt_never") }, ""},
			{"empty id", func() error { return s.RecordPaymentEvent(ctx, "", "sp_1", day(3)) }, app.EInternal},
		}
		for _, tt := range steps {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}
	})
}

// TestFeesDue: notes of fees to fetch come back oldest first, a limited
// number at a time; marking again moves a note to the back, and cleared
// notes are gone.
func TestFeesDue(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		for i, id := range []string{"spn_c", "spn_a", "spn_b"} {
			if err := s.MarkFeeDue(ctx, id, day(i)); err != nil {
				t.Fatal(err)
			}
		}
		steps := []struct {
			name  string
			run   func() error
			limit int
			want  string
		}{
			{"oldest first", nil, 10, "[spn_c spn_a spn_b]"},
			{"a limited number", nil, 2, "[spn_c spn_a]"},
			{"marked again goes to the back", func() error { return s.MarkFeeDue(ctx, "spn_c", day(9)) }, 10,
				"[spn_a spn_b spn_c]"},
			{"cleared", func() error { return s.ClearFeeDue(ctx, "spn_a") }, 10, "[spn_b spn_c]"},
			{"clearing an unknown id", func() error { return s.ClearFeeDue(ctx, "spn_never") }, 10,
				"[spn_b spn_c]"},
		}
		for _, tt := range steps {
			t.Run(tt.name, func(t *testing.T) {
				if tt.run != nil {
					if err := tt.run(); err != nil {
						t.Fatal(err)
					}
				}
				ids, err := s.FeesDue(ctx, tt.limit)
				if got := fmt.Sprint(ids); err != nil || got != tt.want {
					t.Fatalf("FeesDue = %s, %v; want %s", got, err, tt.want)
				}
			})
		}
		wantCode(t, s.MarkFeeDue(ctx, "", day(1)), app.EInternal)
	})
}

func TestRecordPaymentEventRace(t *testing.T) {
	s := mongotest.NewStore(t)
	ctx := ctxOf(t)

	var won atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			err := s.RecordPaymentEvent(ctx, "evt_stripe_retry", "sp_1", day(1))
			switch app.ErrorCode(err) {
			case "":
				won.Add(1)
			case app.EConflict:
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if won.Load() != 1 {
		t.Fatalf("%d records, want 1", won.Load())
	}
}
