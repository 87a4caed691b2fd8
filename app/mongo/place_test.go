package mongo_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"go.mongodb.org/mongo-driver/bson"
	driver "go.mongodb.org/mongo-driver/mongo"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
	"github.com/encounters/encounters/app/mongo/mongotest"
)

func TestClaimAndReleasePlaces(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		mustOK(t, s.ClaimPlace(ctx, "ses_a", 1, "bkg_1"))
		mustOK(t, s.ClaimPlace(ctx, "ses_a", 2, "bkg_1"))
		mustOK(t, s.ClaimPlace(ctx, "ses_a", 3, "wtl_1"))
		mustOK(t, s.ClaimPlace(ctx, "ses_b", 1, "bkg_2"))

		steps := []struct {
			name string
			run  func() error
			code string
		}{
			{"a taken place, by its owner", func() error { return s.ClaimPlace(ctx, "ses_a", 1, "bkg_1") }, app.EConflict},
			{"a taken place, by another", func() error { return s.ClaimPlace(ctx, "ses_a", 3, "bkg_9") }, app.EConflict},
			{"place zero", func() error { return s.ClaimPlace(ctx, "ses_a", 0, "bkg_1") }, app.EInternal},
			{"no owner", func() error { return s.ClaimPlace(ctx, "ses_a", 5, "") }, app.EInternal},
			{"release by someone else changes nothing", func() error { return s.ReleasePlace(ctx, "ses_a", 2, "bkg_9") }, ""},
			{"release a free place", func() error { return s.ReleasePlace(ctx, "ses_a", 7, "bkg_1") }, ""},
			{"release by the owner", func() error { return s.ReleasePlace(ctx, "ses_a", 1, "bkg_1") }, ""},
			{"release it again", func() error { return s.ReleasePlace(ctx, "ses_a", 1, "bkg_1") }, ""},
		}
		for _, tt := range steps {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}

		tests := []struct {
			name     string
			session  string
			capacity int
			want     map[int]string
		}{
			{"released place is free", "ses_a", 5, map[int]string{2: "bkg_1", 3: "wtl_1"}},
			{"capacity bounds the places read", "ses_a", 2, map[int]string{2: "bkg_1"}},
			{"other session", "ses_b", 30, map[int]string{1: "bkg_2"}},
			{"unknown session", "ses_none", 30, map[int]string{}},
			{"zero capacity", "ses_a", 0, map[int]string{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.PlaceOwners(ctx, tt.session, tt.capacity)
				mustOK(t, err)
				mustEqual(t, got, tt.want)
			})
		}

		t.Run("a released place can be claimed again", func(t *testing.T) {
			mustOK(t, s.ClaimPlace(ctx, "ses_a", 1, "bkg_3"))
			got, err := s.PlaceOwners(ctx, "ses_a", 1)
			mustOK(t, err)
			mustEqual(t, got, map[int]string{1: "bkg_3"})
		})
	})
}

// TestClaimPlaceRace has 64 bookers race for every place of a session of
// 30: each place must go to exactly one of them.
func TestClaimPlaceRace(t *testing.T) {
	const bookers, capacity, tries = 64, 30, 40
	s := mongotest.NewStore(t)
	ctx := ctxOf(t)

	var won atomic.Int64
	owners := make([]map[int]bool, bookers)
	var wg sync.WaitGroup
	for g := range bookers {
		owners[g] = map[int]bool{}
		wg.Go(func() {
			for place := 1; place <= tries; place++ {
				if place > capacity {
					return // as the service would: no place past the capacity
				}
				err := s.ClaimPlace(ctx, "ses_hot", place, fmt.Sprintf("bkg_%d", g))
				switch app.ErrorCode(err) {
				case "":
					won.Add(1)
					owners[g][place] = true
				case app.EConflict:
				default:
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()

	if won.Load() != capacity {
		t.Fatalf("%d claims succeeded, want %d", won.Load(), capacity)
	}
	got, err := s.PlaceOwners(ctx, "ses_hot", capacity)
	mustOK(t, err)
	want := map[int]string{}
	for g, places := range owners {
		for p := range places {
			if _, twice := want[p]; twice {
				t.Fatalf("place %d won twice", p)
			}
			want[p] = fmt.Sprintf("bkg_%d", g)
		}
	}
	mustEqual(t, got, want)
}

func TestSessionOffer(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		o := newOffer("off_1", "emp_1", 1)
		o.Sessions[0].ID, o.Sessions[1].ID = "ses_1", "ses_2"
		mustOK(t, s.CreateOffer(ctx, o))

		changed := newOffer("off_1", "emp_1", 1)
		changed.Sessions[0].ID, changed.Sessions[1].ID = "ses_3", "ses_2" // ses_1 removed, ses_3 added
		mustOK(t, s.UpdateOffer(ctx, changed))

		tests := []struct {
			session string
			want    string
			code    string
		}{
			{"ses_2", "off_1", ""},
			{"ses_3", "off_1", ""},
			{"ses_1", "", app.ENotFound},
			{"ses_none", "", app.ENotFound},
		}
		for _, tt := range tests {
			t.Run(tt.session, func(t *testing.T) {
				got, err := s.SessionOffer(ctx, tt.session)
				wantCode(t, err, tt.code)
				if got != tt.want {
					t.Errorf("SessionOffer = %q, want %q", got, tt.want)
				}
			})
		}
	})
}

func TestSetPlacesTaken(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		o := newOffer("off_1", "emp_1", 1)
		mustOK(t, s.CreateOffer(ctx, o))

		tests := []struct {
			name           string
			offer, session string
			taken          int
			code           string
		}{
			{"second session", "off_1", "s2", 7, ""},
			{"first session", "off_1", "s1", 0, ""},
			{"unknown session", "off_1", "s9", 1, app.ENotFound},
			{"unknown offer", "off_9", "s1", 1, app.ENotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantCode(t, s.SetPlacesTaken(ctx, tt.offer, tt.session, tt.taken), tt.code)
			})
		}

		got, err := s.GetOffer(ctx, "off_1")
		mustOK(t, err)
		want := newOffer("off_1", "emp_1", 1)
		want.Sessions[0].PlacesTaken, want.Sessions[1].PlacesTaken = 0, 7
		mustEqual(t, got, want)
	})
}

// TestSessionOfferOfDataFromBeforeTheLookup checks that EnsureIndexes
// builds the session lookup for offers stored before it existed.
func TestSessionOfferOfDataFromBeforeTheLookup(t *testing.T) {
	s, _ := storeWithDB(t, mongo.HandlerSQLite, func(db *driver.Database) {
		insertAll(t, db.Collection("offers"), 3, func(i int) *app.Offer {
			o := newOffer(offerID(i), "emp_1", i)
			o.Sessions[0].ID, o.Sessions[1].ID = fmt.Sprintf("ses_%d_a", i), fmt.Sprintf("ses_%d_b", i)
			return o
		})
	})
	ctx := ctxOf(t)

	for i := range 3 {
		for _, suffix := range []string{"a", "b"} {
			got, err := s.SessionOffer(ctx, fmt.Sprintf("ses_%d_%s", i, suffix))
			mustOK(t, err)
			if got != offerID(i) {
				t.Errorf("session %d%s: offer %q, want %q", i, suffix, got, offerID(i))
			}
		}
	}
}

// TestPlaceClaimsHaveAUniqueIndex checks the second guard of capacity: a
// claim written with some other _id still cannot take a taken place.
func TestPlaceClaimsHaveAUniqueIndex(t *testing.T) {
	s, db := storeWithDB(t, mongo.HandlerSQLite, nil)
	ctx := ctxOf(t)
	mustOK(t, s.ClaimPlace(ctx, "ses_1", 4, "bkg_1"))

	_, err := db.Collection("place_claims").InsertOne(ctx, bson.D{{Key: "_id", Value: "another id"},
		{Key: "session_id", Value: "ses_1"}, {Key: "place", Value: 4}, {Key: "owner", Value: "bkg_2"}})
	if !driver.IsDuplicateKeyError(err) {
		t.Fatalf("second claim of place 4 with another _id: error %v, want a duplicate key", err)
	}
}
