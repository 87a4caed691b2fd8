package mongo_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
)

func newOffer(id, orgID string, created int) *app.Offer {
	return &app.Offer{
		ID: id, OrgID: orgID, OrgName: "Kromek Group", Title: "Radiation detection: a day in the lab",
		Description: "See how detectors are built.", Type: app.TypeWorkplaceVisit, Sector: "engineering",
		Audience: []string{"y10", "y11"}, Delivery: app.DeliveryInPerson, Postcode: "TS21 3FD",
		Location: app.Location{Lat: 54.68, Lon: -1.45, Precision: app.PrecisionPostcode},
		Access:   []string{app.AccessStepFree}, Status: app.OfferDraft,
		Sessions: []app.Session{
			{ID: "s1", Start: day(created + 30), End: day(created + 30).Add(3 * time.Hour), Places: 20, PlacesTaken: 5},
			{ID: "s2", Start: day(created + 40), End: day(created + 40).Add(3 * time.Hour), Places: 10},
		},
		CreatedAt: day(created), UpdatedAt: day(created),
	}
}

func TestOfferCreateGetUpdate(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		offer := newOffer("off_1", "emp_1", 1)
		mustOK(t, s.CreateOffer(ctx, offer))

		errs := []struct {
			name string
			run  func() error
			code string
		}{
			{"create with a taken id", func() error { return s.CreateOffer(ctx, newOffer("off_1", "emp_2", 2)) }, app.EConflict},
			{"get a missing id", func() error { _, err := s.GetOffer(ctx, "off_none"); return err }, app.ENotFound},
			{"update a missing id", func() error { return s.UpdateOffer(ctx, newOffer("off_none", "emp_1", 1)) }, app.ENotFound},
		}
		for _, tt := range errs {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}

		t.Run("get returns what was created", func(t *testing.T) {
			got, err := s.GetOffer(ctx, "off_1")
			mustOK(t, err)
			mustEqual(t, got, offer)
		})
		t.Run("update replaces sessions and status", func(t *testing.T) {
			changed := newOffer("off_1", "emp_1", 1)
			changed.Status, changed.Public, changed.UpdatedAt = app.OfferPublished, true, day(3)
			changed.Sessions = changed.Sessions[1:]
			mustOK(t, s.UpdateOffer(ctx, changed))
			got, err := s.GetOffer(ctx, "off_1")
			mustOK(t, err)
			mustEqual(t, got, changed)
		})
	})
}

func TestGetOffers(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		for i := 1; i <= 3; i++ {
			mustOK(t, s.CreateOffer(ctx, newOffer(fmt.Sprintf("off_%d", i), "emp_1", i)))
		}

		tests := []struct {
			name string
			ids  []string
			want int
		}{
			{"all present", []string{"off_1", "off_2", "off_3"}, 3},
			{"missing ones left out", []string{"off_2", "off_9"}, 1},
			{"none asked", []string{}, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.GetOffers(ctx, tt.ids)
				mustOK(t, err)
				if len(got) != tt.want {
					t.Fatalf("got %d offers, want %d", len(got), tt.want)
				}
				for id, o := range got {
					if o.ID != id {
						t.Fatalf("offer %s filed under %s", o.ID, id)
					}
				}
			})
		}
	})
}

func TestListOrgOffers(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		for i := 1; i <= 5; i++ {
			mustOK(t, s.CreateOffer(ctx, newOffer(fmt.Sprintf("off_a%d", i), "emp_a", i)))
		}
		mustOK(t, s.CreateOffer(ctx, newOffer("off_b1", "emp_b", 9)))

		tests := []struct {
			name          string
			org           string
			offset, limit int
			want          []string
			total         int
		}{
			{"newest first", "emp_a", 0, 3, []string{"off_a5", "off_a4", "off_a3"}, 5},
			{"second page", "emp_a", 3, 3, []string{"off_a2", "off_a1"}, 5},
			{"zero limit means the default", "emp_a", 0, 0, []string{"off_a5", "off_a4", "off_a3", "off_a2", "off_a1"}, 5},
			{"negative offset starts at the top", "emp_a", -4, 1, []string{"off_a5"}, 5},
			{"past the end", "emp_a", 5, 3, []string{}, 5},
			{"another organisation's own", "emp_b", 0, 10, []string{"off_b1"}, 1},
			{"an organisation with none", "emp_c", 0, 10, []string{}, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := s.ListOrgOffers(ctx, tt.org, tt.offset, tt.limit)
				mustOK(t, err)
				if total != tt.total {
					t.Errorf("total = %d, want %d", total, tt.total)
				}
				mustEqual(t, offerIDs(got), tt.want)
			})
		}
	})
}

func offerIDs(offers []*app.Offer) []string {
	ids := []string{}
	for _, o := range offers {
		ids = append(ids, o.ID)
	}
	return ids
}

func TestEachOffer(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		const n = 450 // more than one batch
		for i := range n {
			mustOK(t, s.CreateOffer(ctx, newOffer(fmt.Sprintf("off_%04d", i), "emp_1", 1)))
		}

		tests := []struct {
			name      string
			stopAfter int // 0: never
			wantSeen  int
			wantErr   error
		}{
			{"visits every offer once, in id order", 0, n, nil},
			{"stops at the first error", 7, 7, errStop},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var seen []string
				err := s.EachOffer(ctx, func(o *app.Offer) error {
					seen = append(seen, o.ID)
					if len(seen) == tt.stopAfter {
						return errStop
					}
					return nil
				})
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				if len(seen) != tt.wantSeen {
					t.Fatalf("saw %d offers, want %d", len(seen), tt.wantSeen)
				}
				for i, id := range seen {
					if want := fmt.Sprintf("off_%04d", i); id != want {
						t.Fatalf("offer %d is %s, want %s", i, id, want)
					}
				}
			})
		}
	})
}
