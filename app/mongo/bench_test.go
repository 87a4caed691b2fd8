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

// benchDB returns a Store and a plain driver handle on one fresh database
// of the shared FerretDB, filled by seed, for comparing the store's way of
// asking with others.
func benchDB(b *testing.B, seed func(db *driver.Database)) (*mongo.Store, *driver.Database) {
	b.Helper()
	ctx := context.Background()
	uri, name := mongotest.URI(b, mongo.HandlerSQLite), mongotest.DBName(b)

	client, err := driver.Connect(ctx, options.Client().ApplyURI(uri))
	if err != nil {
		b.Fatal(err)
	}
	db := client.Database(name)
	b.Cleanup(func() {
		_ = db.Drop(ctx) // a leftover goes with the temporary folder
		_ = client.Disconnect(ctx)
	})

	s, err := mongo.Open(ctx, uri, name)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close(ctx) })
	if err := s.EnsureIndexes(ctx); err != nil {
		b.Fatal(err)
	}
	seed(db)
	return s, db
}

func insertAll[T any](b *testing.B, c *driver.Collection, n int, build func(i int) T) {
	b.Helper()
	docs := make([]any, n)
	for i := range n {
		docs[i] = build(i)
	}
	if _, err := c.InsertMany(context.Background(), docs); err != nil {
		b.Fatal(err)
	}
}

func offerID(i int) string { return fmt.Sprintf("off_%05d", i) }

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
	mongotest.NewStore(b) // the shared server is running before timing
	for b.Loop() {
		mongotest.NewStore(b)
	}
}

func BenchmarkGetOffer(b *testing.B) {
	s, _ := benchDB(b, func(db *driver.Database) {
		insertAll(b, db.Collection("offers"), benchDocs, func(i int) *app.Offer { return newOffer(offerID(i), "emp_1", i) })
	})
	ctx := context.Background()

	i := 0
	for b.Loop() {
		if _, err := s.GetOffer(ctx, offerID(i*7919%benchDocs)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkGetOffers compares reading a page of 20 offers one find by _id
// at a time (what GetOffers does) with one find by {_id: {$in: ids}}.
func BenchmarkGetOffers(b *testing.B) {
	s, db := benchDB(b, func(db *driver.Database) {
		insertAll(b, db.Collection("offers"), benchDocs, func(i int) *app.Offer { return newOffer(offerID(i), "emp_1", i) })
	})
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
		for b.Loop() {
			var got []*app.Offer
			cur, err := db.Collection("offers").Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
			if err == nil {
				err = cur.All(ctx, &got)
			}
			if err != nil || len(got) != len(ids) {
				b.Fatalf("got %d offers, error %v", len(got), err)
			}
		}
	})
}

// BenchmarkListOpenRequests lists pages of open requests among 2,000, of
// which three in four are open.
func BenchmarkListOpenRequests(b *testing.B) {
	s, _ := benchDB(b, func(db *driver.Database) {
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
			if _, _, err := s.ListOrgRequests(ctx, "urn-7", 0, 20); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkGetUserByEmail finds one user among 2,000 by email, which
// FerretDB answers by scanning.
func BenchmarkGetUserByEmail(b *testing.B) {
	s, _ := benchDB(b, func(db *driver.Database) {
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
}
