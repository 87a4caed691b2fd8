package mongo_test

import (
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/bson"
	driver "go.mongodb.org/mongo-driver/mongo"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
)

// TestListsHealLeftoverEntries covers what a process that dies between
// writing a request and its listing entry, or a write that bypasses the
// Store, leaves behind: lists must still show exactly the right requests.
func TestListsHealLeftoverEntries(t *testing.T) {
	s, db := storeWithDB(t, mongo.HandlerSQLite, nil)
	ctx := ctxOf(t)
	for i := 1; i <= 3; i++ {
		mustOK(t, s.CreateRequest(ctx, newRequest(fmt.Sprintf("req_%d", i), "urn-1", app.RequestOpen, i)))
	}

	// An open request whose document was never saved leaves its entry.
	wantCode(t, s.UpdateRequest(ctx, newRequest("req_lost", "urn-1", app.RequestOpen, 9)), app.ENotFound)
	// A request closed by a write that did not go through the Store.
	_, err := db.Collection("requests").UpdateOne(ctx, bson.D{{Key: "_id", Value: "req_2"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: app.RequestClosed}}}})
	mustOK(t, err)

	tests := []struct {
		name  string
		list  func() ([]*app.Request, int, error)
		want  []string
		total int
	}{
		{"open requests, first read", func() ([]*app.Request, int, error) { return s.ListOpenRequests(ctx, 0, 10) },
			[]string{"req_3", "req_1"}, 2},
		{"open requests, read again", func() ([]*app.Request, int, error) { return s.ListOpenRequests(ctx, 0, 10) },
			[]string{"req_3", "req_1"}, 2},
		{"the organisation's, closed one included", func() ([]*app.Request, int, error) { return s.ListOrgRequests(ctx, "urn-1", 0, 10) },
			[]string{"req_3", "req_2", "req_1"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := tt.list()
			mustOK(t, err)
			if total != tt.total {
				t.Errorf("total = %d, want %d", total, tt.total)
			}
			ids := []string{}
			for _, r := range got {
				ids = append(ids, r.ID)
			}
			mustEqual(t, ids, tt.want)
		})
	}
}

// TestListsOfDataFromBeforeListings checks that EnsureIndexes lists offers
// and requests that were stored before the listing collections existed.
func TestListsOfDataFromBeforeListings(t *testing.T) {
	s, _ := storeWithDB(t, mongo.HandlerSQLite, func(db *driver.Database) {
		insertAll(t, db.Collection("offers"), 3, func(i int) *app.Offer { return newOffer(offerID(i), "emp_1", i) })
		insertAll(t, db.Collection("requests"), 2, func(i int) *app.Request {
			return newRequest(fmt.Sprintf("req_%d", i), "urn-1", app.RequestOpen, i)
		})
	})
	ctx := ctxOf(t)

	offers, total, err := s.ListOrgOffers(ctx, "emp_1", 0, 10)
	mustOK(t, err)
	if total != 3 || len(offers) != 3 {
		t.Errorf("offers: %d listed of %d, want 3 of 3", len(offers), total)
	}
	requests, total, err := s.ListOpenRequests(ctx, 0, 10)
	mustOK(t, err)
	if total != 2 || len(requests) != 2 {
		t.Errorf("requests: %d listed of %d, want 2 of 2", len(requests), total)
	}
}
