package mongo_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"go.mongodb.org/mongo-driver/bson"
	driver "go.mongodb.org/mongo-driver/mongo"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
)

// benchClaims is how many place claims other sessions hold in the place
// benchmarks: a county's worth of booked places.
const benchClaims = 20_000

// seedClaims fills place_claims with benchClaims claims of 30-place
// sessions, as ClaimPlace would write them.
func seedClaims(b *testing.B) func(db *driver.Database) {
	return func(db *driver.Database) {
		insertAll(b, db.Collection("place_claims"), benchClaims, func(i int) bson.D {
			session, place := fmt.Sprintf("ses_old_%d", i/30), i%30+1
			return bson.D{{Key: "_id", Value: fmt.Sprintf("%s:%d", session, place)},
				{Key: "session_id", Value: session}, {Key: "place", Value: place},
				{Key: "owner", Value: fmt.Sprintf("bkg_old_%d", i/3)}, {Key: "claimed_at", Value: day(1)}}
		})
	}
}

// BenchmarkClaimPlace claims places from parallel goroutines among 20,000
// claims: every place of one hot session in turn, or one place of a new
// session each time.
func BenchmarkClaimPlace(b *testing.B) {
	eachHandlerBench(b, func(b *testing.B, h string) {
		s, _ := storeWithDB(b, h, seedClaims(b))
		ctx := context.Background()
		var n atomic.Int64

		b.Run("hot_session", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := int(n.Add(1))
					if err := s.ClaimPlace(ctx, "ses_hot", i, fmt.Sprintf("bkg_%d", i)); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
		b.Run("many_sessions", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := int(n.Add(1))
					if err := s.ClaimPlace(ctx, fmt.Sprintf("ses_%d", i), 1, fmt.Sprintf("bkg_%d", i)); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
		b.Run("hot_session_taken", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() { // every place is taken: the answer is EConflict
					i := int(n.Add(1))%30 + 1
					if err := s.ClaimPlace(ctx, "ses_old_7", i, "bkg_late"); app.ErrorCode(err) != app.EConflict {
						b.Errorf("claim of a taken place: %v", err)
						return
					}
				}
			})
		})
	})
}

// BenchmarkPlaceOwners reads who holds the places of a full session among
// 20,000 claims, at capacities 30 and 200: PlaceOwners' concurrent finds by
// _id against one find by _id at a time, one find by {_id: {$in: ...}} and
// one by {session_id: X}.
func BenchmarkPlaceOwners(b *testing.B) {
	eachHandlerBench(b, func(b *testing.B, h string) {
		s, db := storeWithDB(b, h, seedClaims(b))
		ctx := context.Background()
		claims := db.Collection("place_claims")

		for _, capacity := range []int{30, 200} {
			session := fmt.Sprintf("ses_full_%d", capacity)
			for p := 1; p <= capacity; p++ {
				if err := s.ClaimPlace(ctx, session, p, fmt.Sprintf("bkg_%d", p/4)); err != nil {
					b.Fatal(err)
				}
			}
			ids := make([]string, capacity)
			for p := range ids {
				ids[p] = fmt.Sprintf("%s:%d", session, p+1)
			}
			check := func(b *testing.B, n int) {
				if n != capacity {
					b.Fatalf("found %d owners, want %d", n, capacity)
				}
			}
			countFound(b, claims, bson.D{}) // warm the cache for whichever runs first

			b.Run(fmt.Sprintf("capacity_%d/store_concurrent_by_id", capacity), func(b *testing.B) {
				for b.Loop() {
					owners, err := s.PlaceOwners(ctx, session, capacity)
					if err != nil {
						b.Fatal(err)
					}
					check(b, len(owners))
				}
			})
			b.Run(fmt.Sprintf("capacity_%d/sequential_by_id", capacity), func(b *testing.B) {
				for b.Loop() {
					n := 0
					for _, id := range ids {
						if err := claims.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Err(); err == nil {
							n++
						}
					}
					check(b, n)
				}
			})
			b.Run(fmt.Sprintf("capacity_%d/find_in_ids", capacity), func(b *testing.B) {
				filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}
				for b.Loop() {
					check(b, countFound(b, claims, filter))
				}
			})
			b.Run(fmt.Sprintf("capacity_%d/find_by_session", capacity), func(b *testing.B) {
				filter := bson.D{{Key: "session_id", Value: session}}
				for b.Loop() {
					check(b, countFound(b, claims, filter))
				}
			})
		}
	})
}

// countFound runs a find and counts what it returns.
func countFound(b *testing.B, c *driver.Collection, filter bson.D) int {
	ctx := context.Background()
	cur, err := c.Find(ctx, filter)
	if err != nil {
		b.Fatal(err)
	}
	var docs []bson.Raw
	if err := cur.All(ctx, &docs); err != nil {
		b.Fatal(err)
	}
	return len(docs)
}

// BenchmarkDueJobs finds the 20 due jobs of an outbox that has sent 10,000:
// DueJobs reads outbox_due, against a find of pending jobs in the outbox.
func BenchmarkDueJobs(b *testing.B) {
	eachHandlerBench(b, func(b *testing.B, h string) {
		s, db := storeWithDB(b, h, func(db *driver.Database) {
			insertAll(b, db.Collection("outbox"), 10_000, func(i int) *app.Job {
				j := newJob(fmt.Sprintf("booking/bkg_%d/1/usr_1", i), 1)
				j.State, j.Attempts, j.SentAt = app.JobSent, 1, day(1)
				return j
			})
		})
		ctx := context.Background()
		for i := range 20 {
			if _, err := s.AddJob(ctx, newJob(fmt.Sprintf("booking/bkg_new_%d/1/usr_1", i), 2)); err != nil {
				b.Fatal(err)
			}
		}

		b.Run("store_due_listing", func(b *testing.B) {
			for b.Loop() {
				if due, err := s.DueJobs(ctx, day(3), 50); err != nil || len(due) != 20 {
					b.Fatalf("%d due, error %v", len(due), err)
				}
			}
		})
		b.Run("find_in_outbox", func(b *testing.B) {
			filter := bson.D{{Key: "state", Value: app.JobPending},
				{Key: "not_before", Value: bson.D{{Key: "$lte", Value: day(3)}}}}
			for b.Loop() {
				if n := countFound(b, db.Collection("outbox"), filter); n != 20 {
					b.Fatalf("%d due", n)
				}
			}
		})
	})
}

// BenchmarkListSponsorships lists the 20 sponsorships of one event among
// 5,000 (250 events): ListSponsorships reads the event's roll, against a
// find by event_id in the sponsorships themselves.
func BenchmarkListSponsorships(b *testing.B) {
	const total, perEvent = 5000, 20
	eachHandlerBench(b, func(b *testing.B, h string) {
		s, db := storeWithDB(b, h, nil)
		ctx := context.Background()
		for i := range total {
			sp := newSponsorship(fmt.Sprintf("sp_%d", i), fmt.Sprintf("evt_%d", i/perEvent), 1)
			if err := s.CreateSponsorship(ctx, sp); err != nil {
				b.Fatal(err)
			}
		}

		b.Run("store_roll", func(b *testing.B) {
			for b.Loop() {
				if got, err := s.ListSponsorships(ctx, "evt_7"); err != nil || len(got) != perEvent {
					b.Fatalf("%d listed, error %v", len(got), err)
				}
			}
		})
		b.Run("find_by_event", func(b *testing.B) {
			filter := bson.D{{Key: "event_id", Value: "evt_7"}}
			for b.Loop() {
				if n := countFound(b, db.Collection("sponsorships"), filter); n != perEvent {
					b.Fatalf("%d found", n)
				}
			}
		})
	})
}

// BenchmarkListOrgBookings reads a page of 20 of one school's 40 bookings
// among 10,000 (250 schools, 50 employers, so 20,000 roll slots):
// ListOrgBookings reads the school's roll, against a find by org_id in the
// bookings themselves. The employer case reads a roll of 200.
func BenchmarkListOrgBookings(b *testing.B) {
	const total = 10_000
	eachHandlerBench(b, func(b *testing.B, h string) {
		s, db := storeWithDB(b, h, nil)
		ctx := context.Background()
		bs := make([]*app.Booking, total)
		for i := range bs {
			state := []string{app.BookingRequested, app.BookingConfirmed, app.BookingDelivered}[i%3]
			bs[i] = newBooking(fmt.Sprintf("bkg_%d", i), fmt.Sprintf("urn_%d", i%250),
				fmt.Sprintf("emp_%d", i%50), state, i%60)
		}
		if err := mongo.SeedBookings(ctx, s, bs); err != nil {
			b.Fatal(err)
		}

		for _, tt := range []struct {
			org string
			n   int
		}{{"urn_7", total / 250}, {"emp_7", total / 50}} {
			b.Run("store_roll/"+tt.org, func(b *testing.B) {
				for b.Loop() {
					got, n, err := s.ListOrgBookings(ctx, tt.org, app.BookingFilter{Limit: 20})
					if err != nil || len(got) != 20 || n != tt.n {
						b.Fatalf("%d listed of %d, error %v", len(got), n, err)
					}
				}
			})
		}
		b.Run("find_by_org/urn_7", func(b *testing.B) {
			filter := bson.D{{Key: "org_id", Value: "urn_7"}}
			for b.Loop() {
				if n := countFound(b, db.Collection("bookings"), filter); n != total/250 {
					b.Fatalf("%d found", n)
				}
			}
		})
	})
}
