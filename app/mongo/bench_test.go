package mongo_test

import (
	"context"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/bson"
	driver "go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
	"github.com/encounters/encounters/app/mongo/mongotest"
)

const benchDocs = 2000

func offerID(i int) string { return fmt.Sprintf("off_%05d", i) }

// eachHandlerBench runs fn as a sub-benchmark on every FerretDB handler.
func eachHandlerBench(b *testing.B, fn func(b *testing.B, handler string)) {
	for _, h := range mongotest.Handlers() {
		b.Run(h, func(b *testing.B) { fn(b, h) })
	}
}

func seedOffers(b *testing.B) func(db *driver.Database) {
	return func(db *driver.Database) {
		insertAll(b, db.Collection("offers"), benchDocs, func(i int) *app.Offer {
			return newOffer(offerID(i), fmt.Sprintf("emp_%d", i%50), i)
		})
	}
}

// BenchmarkStartEmbedded measures starting FerretDB on an empty folder
// until a Store has its answer to ping, and stopping it again.
func BenchmarkStartEmbedded(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		emb, err := mongo.StartEmbedded(ctx, b.TempDir(), nil)
		if err != nil {
			b.Fatal(err)
		}
		s, err := mongo.Open(ctx, emb.URI(), "bench")
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Ping(ctx); err != nil {
			b.Fatal(err)
		}
		_ = s.Close(ctx)
		emb.Close()
	}
}

// BenchmarkNewStore measures what mongotest.NewStore costs each test
// before it starts: a connection and a new database with its indexes.
func BenchmarkNewStore(b *testing.B) {
	eachHandlerBench(b, func(b *testing.B, h string) {
		mongotest.NewStoreOn(b, h) // the shared server is running before timing
		for b.Loop() {
			mongotest.NewStoreOn(b, h)
		}
	})
}

// BenchmarkGetOffer reads one offer by id among 2,000.
func BenchmarkGetOffer(b *testing.B) {
	eachHandlerBench(b, func(b *testing.B, h string) {
		s, _ := storeWithDB(b, h, seedOffers(b))
		ctx := context.Background()

		i := 0
		for b.Loop() {
			if _, err := s.GetOffer(ctx, offerID(i*7919%benchDocs)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkGetOffers compares reading a page of 20 offers among 2,000 one
// find by _id at a time (what GetOffers does) with one find by
// {_id: {$in: ids}}.
func BenchmarkGetOffers(b *testing.B) {
	eachHandlerBench(b, func(b *testing.B, h string) {
		s, db := storeWithDB(b, h, seedOffers(b))
		ctx := context.Background()
		ids := make([]string, 20)
		for i := range ids {
			ids[i] = offerID(i * 97)
		}

		b.Run("find_by_id_each", func(b *testing.B) {
			for b.Loop() {
				if got, err := s.GetOffers(ctx, ids); err != nil || len(got) != len(ids) {
					b.Fatalf("got %d offers, error %v", len(got), err)
				}
			}
		})
		b.Run("find_in", func(b *testing.B) {
			filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}
			for b.Loop() {
				var got []*app.Offer
				cur, err := db.Collection("offers").Find(ctx, filter)
				if err == nil {
					err = cur.All(ctx, &got)
				}
				if err != nil || len(got) != len(ids) {
					b.Fatalf("got %d offers, error %v", len(got), err)
				}
			}
		})
	})
}

// BenchmarkListOpenRequests lists pages of 20 open requests among 2,000,
// of which three in four are open, through the listing entries (what the
// Store does) and, for comparison, from the request documents themselves.
func BenchmarkListOpenRequests(b *testing.B) {
	eachHandlerBench(b, func(b *testing.B, h string) {
		s, db := storeWithDB(b, h, func(db *driver.Database) {
			insertAll(b, db.Collection("requests"), benchDocs, func(i int) *app.Request {
				status := app.RequestOpen
				if i%4 == 0 {
					status = app.RequestClosed
				}
				return newRequest(fmt.Sprintf("req_%05d", i), fmt.Sprintf("urn-%d", i%50), status, i)
			})
		})
		ctx := context.Background()

		for _, offset := range []int{0, 1000} {
			b.Run(fmt.Sprintf("offset_%d", offset), func(b *testing.B) {
				for b.Loop() {
					got, total, err := s.ListOpenRequests(ctx, offset, 20)
					if err != nil || len(got) != 20 || total != benchDocs*3/4 {
						b.Fatalf("got %d of %d, error %v", len(got), total, err)
					}
				}
			})
		}
		b.Run("one_org", func(b *testing.B) {
			for b.Loop() {
				if got, total, err := s.ListOrgRequests(ctx, "urn-7", 0, 20); err != nil || total != benchDocs/50 {
					b.Fatalf("got %d of %d, error %v", len(got), total, err)
				}
			}
		})
		b.Run("from_documents", func(b *testing.B) {
			benchListFromDocuments(b, db.Collection("requests"))
		})
	})
}

// benchListFromDocuments counts and pages open requests by querying the
// request documents, as a store without listing entries would.
func benchListFromDocuments(b *testing.B, c *driver.Collection) {
	ctx := context.Background()
	filter := bson.D{{Key: "status", Value: app.RequestOpen}}
	order := bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}
	for b.Loop() {
		total, err := c.CountDocuments(ctx, filter)
		if err != nil {
			b.Fatal(err)
		}
		var page []*app.Request
		cur, err := c.Find(ctx, filter, options.Find().SetSort(order).SetLimit(20))
		if err == nil {
			err = cur.All(ctx, &page)
		}
		if err != nil || len(page) != 20 || total != benchDocs*3/4 {
			b.Fatalf("got %d of %d, error %v", len(page), total, err)
		}
	}
}

// BenchmarkGetUserByEmail finds one user among 2,000 by email, which
// FerretDB answers by scanning.
func BenchmarkGetUserByEmail(b *testing.B) {
	eachHandlerBench(b, func(b *testing.B, h string) {
		s, _ := storeWithDB(b, h, func(db *driver.Database) {
			insertAll(b, db.Collection("users"), benchDocs, func(i int) *app.User {
				return newUser(fmt.Sprintf("usr_%05d", i), fmt.Sprintf("person%d@example.org", i), "emp_1", 1)
			})
		})
		ctx := context.Background()

		for b.Loop() {
			if _, err := s.GetUserByEmail(ctx, "person1234@example.org"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkUseToken spends a fresh single-use token each time.
func BenchmarkUseToken(b *testing.B) {
	eachHandlerBench(b, func(b *testing.B, h string) {
		s := mongotest.NewStoreOn(b, h)
		ctx := context.Background()

		for b.Loop() {
			b.StopTimer()
			id := app.NewSecret()
			if err := s.CreateToken(ctx, newToken(id, app.TokenReset)); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := s.UseToken(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
}
