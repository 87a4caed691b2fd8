package mongo_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

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

// TestWaitlistOneLiveEntryPerOrganisation covers the rule that an
// organisation waits at most once per session: of many entries created at
// once for one organisation exactly one is stored, other organisations
// and sessions are not held up, and an entry that ends makes way for a
// new one.
func TestWaitlistOneLiveEntryPerOrganisation(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		var mu sync.Mutex
		stored := map[string][]string{} // org/session → entry ids stored
		var wg sync.WaitGroup
		for i := range 40 {
			org, session := "urn_1", "ses_1"
			switch {
			case i%8 == 1:
				org = "urn_2"
			case i%8 == 2:
				session = "ses_2"
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := newEntry(fmt.Sprintf("wtl_%02d", i), session, org, app.WaitWaiting, 1)
				err := s.CreateWaitlistEntry(ctx, w)
				if err != nil && app.ErrorCode(err) != app.EConflict {
					t.Errorf("create %s: %v", w.ID, err)
				}
				if err == nil {
					mu.Lock()
					stored[org+"/"+session] = append(stored[org+"/"+session], w.ID)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		for _, key := range []string{"urn_1/ses_1", "urn_2/ses_1", "urn_1/ses_2"} {
			if len(stored[key]) != 1 {
				t.Fatalf("%s has %d entries stored: %v, want 1", key, len(stored[key]), stored[key])
			}
		}
		queue, err := s.ListWaitlist(ctx, "ses_1")
		mustOK(t, err)
		if len(queue) != 2 {
			t.Fatalf("session 1 lists %v, want one entry each for two schools", entryIDs(queue))
		}

		first := stored["urn_1/ses_1"][0]
		tests := []struct {
			name  string
			state string
		}{
			{"held still waits", app.WaitHeld},
			{"left makes way", app.WaitLeft},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				mustOK(t, s.UpdateWaitlistEntry(ctx, newEntry(first, "ses_1", "urn_1", tt.state, 1)))
				err := s.CreateWaitlistEntry(ctx, newEntry("wtl_next_"+tt.state, "ses_1", "urn_1", app.WaitWaiting, 2))
				if tt.state == app.WaitHeld {
					wantCode(t, err, app.EConflict)
					return
				}
				mustOK(t, err)
			})
		}
		t.Run("a retry of the live entry finds it, not another", func(t *testing.T) {
			err := s.CreateWaitlistEntry(ctx, newEntry("wtl_next_left", "ses_1", "urn_1", app.WaitWaiting, 2))
			wantCode(t, err, app.EConflict)
			got, err := s.GetWaitlistEntry(ctx, "wtl_next_left")
			mustOK(t, err)
			if got.State != app.WaitWaiting {
				t.Fatalf("the retried entry is %s", got.State)
			}
		})
	})
}

// TestWaitlistClaimOfALostEntry covers a process that died between
// claiming an organisation's place in the queue and storing its entry:
// the organisation is refused while the entry could still be on its way,
// and may join again once a write could no longer take that long. The
// claim goes when the entry that took it over ends.
func TestWaitlistClaimOfALostEntry(t *testing.T) {
	now := &clock{now: day(1)}
	s, db := storeWithDB(t, mongo.HandlerSQLite, nil, mongo.WithClock(now.Now))
	ctx := ctxOf(t)
	mustOK(t, s.CreateWaitlistEntry(ctx, newEntry("wtl_lost", "ses_1", "urn_1", app.WaitWaiting, 1)))
	_, err := db.Collection("waitlist").DeleteOne(ctx, bson.D{{Key: "_id", Value: "wtl_lost"}})
	mustOK(t, err)

	now.Advance(time.Minute)
	wantCode(t, s.CreateWaitlistEntry(ctx, newEntry("wtl_soon", "ses_1", "urn_1", app.WaitWaiting, 1)), app.EConflict)
	now.Advance(10 * time.Minute)
	mustOK(t, s.CreateWaitlistEntry(ctx, newEntry("wtl_later", "ses_1", "urn_1", app.WaitWaiting, 1)))
	mine, err := s.ListOrgWaitlist(ctx, "urn_1")
	mustOK(t, err)
	if ids := entryIDs(mine); len(ids) != 1 || ids[0] != "wtl_later" {
		t.Fatalf("the organisation's list is %v, want only the later entry", ids)
	}

	mustOK(t, s.UpdateWaitlistEntry(ctx, newEntry("wtl_later", "ses_1", "urn_1", app.WaitLapsed, 1)))
	if n, err := db.Collection("waitlist_claims").CountDocuments(ctx, bson.D{}); err != nil || n != 0 {
		t.Fatalf("%d claims left once the entry lapsed (%v), want none", n, err)
	}
}
