package mongo_test

import (
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
)

func newRequest(id, orgID, status string, created int) *app.Request {
	return &app.Request{
		ID: id, OrgID: orgID, OrgName: "Durham Johnston", Type: app.TypeCareersTalk, Sector: "engineering",
		Topic: "civil engineering", Audience: []string{"y9"}, GroupSize: 60, From: day(60), To: day(90),
		Postcode: "DH1 4SU", Location: app.Location{Lat: 54.78, Lon: -1.6, Precision: app.PrecisionPostcode},
		TravelKm: 25, VirtualOK: true, Access: []string{}, Notes: "Ask for Ms Smith at reception",
		Status: status, CreatedAt: day(created), UpdatedAt: day(created),
	}
}

func TestRequestCreateGetUpdate(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		req := newRequest("req_1", "urn-1", app.RequestOpen, 1)
		mustOK(t, s.CreateRequest(ctx, req))

		errs := []struct {
			name string
			run  func() error
			code string
		}{
			{"create with a taken id", func() error { return s.CreateRequest(ctx, newRequest("req_1", "urn-2", app.RequestOpen, 2)) }, app.EConflict},
			{"get a missing id", func() error { _, err := s.GetRequest(ctx, "req_none"); return err }, app.ENotFound},
			{"update a missing id", func() error { return s.UpdateRequest(ctx, newRequest("req_none", "urn-1", app.RequestOpen, 1)) }, app.ENotFound},
		}
		for _, tt := range errs {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}

		t.Run("get returns what was created", func(t *testing.T) {
			got, err := s.GetRequest(ctx, "req_1")
			mustOK(t, err)
			mustEqual(t, got, req)
		})
		t.Run("update closes it", func(t *testing.T) {
			closed := newRequest("req_1", "urn-1", app.RequestClosed, 1)
			closed.UpdatedAt = day(5)
			mustOK(t, s.UpdateRequest(ctx, closed))
			got, err := s.GetRequest(ctx, "req_1")
			mustOK(t, err)
			mustEqual(t, got, closed)
		})
	})
}

func TestListRequests(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		for i := 1; i <= 6; i++ {
			status := app.RequestOpen
			if i%3 == 0 {
				status = app.RequestClosed
			}
			org := "urn-1"
			if i > 4 {
				org = "urn-2"
			}
			mustOK(t, s.CreateRequest(ctx, newRequest(fmt.Sprintf("req_%d", i), org, status, i)))
		}

		tests := []struct {
			name  string
			list  func() ([]*app.Request, int, error)
			want  []string
			total int
		}{
			{"open, newest first", func() ([]*app.Request, int, error) { return s.ListOpenRequests(ctx, 0, 10) },
				[]string{"req_5", "req_4", "req_2", "req_1"}, 4},
			{"open, second page", func() ([]*app.Request, int, error) { return s.ListOpenRequests(ctx, 2, 2) },
				[]string{"req_2", "req_1"}, 4},
			{"open, past the end", func() ([]*app.Request, int, error) { return s.ListOpenRequests(ctx, 4, 2) },
				[]string{}, 4},
			{"one organisation's, open and closed", func() ([]*app.Request, int, error) { return s.ListOrgRequests(ctx, "urn-1", 0, 10) },
				[]string{"req_4", "req_3", "req_2", "req_1"}, 4},
			{"one organisation's, first page", func() ([]*app.Request, int, error) { return s.ListOrgRequests(ctx, "urn-2", 0, 1) },
				[]string{"req_6"}, 2},
			{"an organisation with none", func() ([]*app.Request, int, error) { return s.ListOrgRequests(ctx, "urn-9", 0, 10) },
				[]string{}, 0},
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
	})
}

// TestOpenRequestsLeaveOutThoseAwaitingVerification checks that the open
// list follows AwaitingVerification both ways, including a change written
// around the Store, which the list heals when it meets it.
func TestOpenRequestsLeaveOutThoseAwaitingVerification(t *testing.T) {
	s, db := storeWithDB(t, mongo.HandlerSQLite, nil)
	ctx := ctxOf(t)
	for i := 1; i <= 4; i++ {
		r := newRequest(fmt.Sprintf("req_%d", i), "org_provider", app.RequestOpen, i)
		r.AwaitingVerification = i == 2
		mustOK(t, s.CreateRequest(ctx, r))
	}

	steps := []struct {
		name   string
		change func()
		want   []string
	}{
		{"created awaiting", func() {}, []string{"req_4", "req_3", "req_1"}},
		{"verified", func() {
			mustOK(t, s.UpdateRequest(ctx, newRequest("req_2", "org_provider", app.RequestOpen, 2)))
		}, []string{"req_4", "req_3", "req_2", "req_1"}},
		{"verification withdrawn", func() {
			r := newRequest("req_1", "org_provider", app.RequestOpen, 1)
			r.AwaitingVerification = true
			mustOK(t, s.UpdateRequest(ctx, r))
		}, []string{"req_4", "req_3", "req_2"}},
		{"marked awaiting around the Store", func() {
			_, err := db.Collection("requests").UpdateOne(ctx, bson.D{{Key: "_id", Value: "req_3"}},
				bson.D{{Key: "$set", Value: bson.D{{Key: "awaiting_verification", Value: true}}}})
			mustOK(t, err)
		}, []string{"req_4", "req_2"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.change()
			for range 2 { // the second read sees the healed entries
				got, total, err := s.ListOpenRequests(ctx, 0, 10)
				mustOK(t, err)
				ids := []string{}
				for _, r := range got {
					ids = append(ids, r.ID)
				}
				mustEqual(t, ids, st.want)
				if total != len(st.want) {
					t.Errorf("total = %d, want %d", total, len(st.want))
				}
			}
			mine, total, err := s.ListOrgRequests(ctx, "org_provider", 0, 10)
			mustOK(t, err)
			if total != 4 || len(mine) != 4 {
				t.Errorf("the organisation lists %d of %d, want all 4", len(mine), total)
			}
		})
	}
}
