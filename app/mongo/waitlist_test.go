package mongo_test

import (
	"testing"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
)

func newEntry(id, session, org, state string, created int) *app.WaitlistEntry {
	return &app.WaitlistEntry{
		ID: id, SessionID: session, OfferID: "off_1", OfferTitle: "Radiation detection: a day in the lab",
		EmployerID: "emp_1", OrgID: org, OrgName: "Durham Johnston", UserID: "usr_1", Places: 4,
		Group: app.GroupPupils, YearGroups: []int{9}, State: state, CreatedAt: day(created), UpdatedAt: day(created),
	}
}

func entryIDs(ws []*app.WaitlistEntry) []string {
	ids := []string{}
	for _, w := range ws {
		ids = append(ids, w.ID)
	}
	return ids
}

func TestWaitlistCreateGetUpdate(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		w := newEntry("wtl_1", "ses_1", "urn_1", app.WaitWaiting, 1)
		mustOK(t, s.CreateWaitlistEntry(ctx, w))

		errs := []struct {
			name string
			run  func() error
			code string
		}{
			{"create with a taken id", func() error {
				return s.CreateWaitlistEntry(ctx, newEntry("wtl_1", "ses_2", "urn_2", app.WaitWaiting, 1))
			}, app.EConflict},
			{"get a missing id", func() error { _, err := s.GetWaitlistEntry(ctx, "wtl_none"); return err }, app.ENotFound},
			{"update a missing id", func() error {
				return s.UpdateWaitlistEntry(ctx, newEntry("wtl_none", "ses_1", "urn_1", app.WaitWaiting, 1))
			}, app.ENotFound},
		}
		for _, tt := range errs {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}

		t.Run("get returns what was created", func(t *testing.T) {
			got, err := s.GetWaitlistEntry(ctx, "wtl_1")
			mustOK(t, err)
			mustEqual(t, got, w)
		})
		t.Run("update writes it whole", func(t *testing.T) {
			held := newEntry("wtl_1", "ses_1", "urn_1", app.WaitHeld, 1)
			held.HoldUntil, held.PlaceNumbers = day(3), []int{7, 8, 9, 10}
			mustOK(t, s.UpdateWaitlistEntry(ctx, held))
			got, err := s.GetWaitlistEntry(ctx, "wtl_1")
			mustOK(t, err)
			mustEqual(t, got, held)
		})
	})
}

func TestWaitlistLists(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		for _, w := range []*app.WaitlistEntry{
			newEntry("wtl_a2", "ses_a", "urn_1", app.WaitWaiting, 2),
			newEntry("wtl_a1", "ses_a", "urn_2", app.WaitWaiting, 1),
			newEntry("wtl_a3", "ses_a", "urn_3", app.WaitWaiting, 3),
			newEntry("wtl_b1", "ses_b", "urn_1", app.WaitHeld, 4),
			newEntry("wtl_old", "ses_a", "urn_1", app.WaitLapsed, 0),
		} {
			mustOK(t, s.CreateWaitlistEntry(ctx, w))
		}
		mustOK(t, s.UpdateWaitlistEntry(ctx, newEntry("wtl_a1", "ses_a", "urn_2", app.WaitHeld, 1)))
		mustOK(t, s.UpdateWaitlistEntry(ctx, newEntry("wtl_a3", "ses_a", "urn_3", app.WaitLeft, 3)))

		tests := []struct {
			name string
			list func() ([]*app.WaitlistEntry, error)
			want []string
		}{
			{"a session's queue, oldest first", func() ([]*app.WaitlistEntry, error) { return s.ListWaitlist(ctx, "ses_a") }, []string{"wtl_a1", "wtl_a2"}},
			{"an empty session", func() ([]*app.WaitlistEntry, error) { return s.ListWaitlist(ctx, "ses_z") }, []string{}},
			{"an organisation's", func() ([]*app.WaitlistEntry, error) { return s.ListOrgWaitlist(ctx, "urn_1") }, []string{"wtl_a2", "wtl_b1"}},
			{"an organisation that left", func() ([]*app.WaitlistEntry, error) { return s.ListOrgWaitlist(ctx, "urn_3") }, []string{}},
			{"held ones", func() ([]*app.WaitlistEntry, error) { return s.ListHeldEntries(ctx) }, []string{"wtl_a1", "wtl_b1"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := tt.list()
				mustOK(t, err)
				mustEqual(t, entryIDs(got), tt.want)
			})
		}

		t.Run("a booked hold leaves every list", func(t *testing.T) {
			mustOK(t, s.UpdateWaitlistEntry(ctx, newEntry("wtl_b1", "ses_b", "urn_1", app.WaitBooked, 4)))
			held, err := s.ListHeldEntries(ctx)
			mustOK(t, err)
			mustEqual(t, entryIDs(held), []string{"wtl_a1"})
			mine, err := s.ListOrgWaitlist(ctx, "urn_1")
			mustOK(t, err)
			mustEqual(t, entryIDs(mine), []string{"wtl_a2"})
		})
	})
}
