package mongo_test

import (
	"context"
	"fmt"
	"testing"

	driver "go.mongodb.org/mongo-driver/mongo"

	"github.com/encounters/encounters/app"
)

func BenchmarkScratchGetOfferSize(b *testing.B) {
	for _, n := range []int{200, 2000, 8000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s, _ := benchDB(b, func(db *driver.Database) {
				insertAll(b, db.Collection("offers"), n, func(i int) *app.Offer { return newOffer(offerID(i), "emp_1", i) })
			})
			ctx := context.Background()
			i := 0
			for b.Loop() {
				if _, err := s.GetOffer(ctx, offerID(i*7919%n)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
