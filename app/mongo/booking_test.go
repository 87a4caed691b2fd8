package mongo_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	driver "go.mongodb.org/mongo-driver/mongo"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
	"github.com/encounters/encounters/app/mongo/mongotest"
)

// newBooking is a booking by school of a session starting on day start
// and lasting three hours.
func newBooking(id, school, employer, state string, start int) *app.Booking {
	return &app.Booking{
		ID: id, State: state, OfferID: "off_1", SessionID: fmt.Sprintf("ses_%d", start),
		OfferTitle: "Radiation detection: a day in the lab", OfferType: app.TypeWorkplaceVisit,
		Delivery: app.DeliveryInPerson, Where: "TS21 3FD", EmployerID: employer, EmployerName: "Kromek Group",
		OrgID: school, OrgName: "Durham Johnston", Start: day(start), End: day(start).Add(3 * time.Hour),
		Places: 2, Group: app.GroupPupils, YearGroups: []int{10}, BookedBy: "usr_1", PlaceNumbers: []int{1, 2},
		Checklist: app.Checklist{ConsentCount: 0},
		History:   []app.BookingEvent{{At: day(1), UserID: "usr_1", OrgID: school, Side: app.SideBooker, Move: "booked", To: state}},
		Announced: 1,
		CreatedAt: day(1), UpdatedAt: day(1),
	}
}

func bookingIDs(bs []*app.Booking) []string {
	ids := []string{}
	for _, b := range bs {
		ids = append(ids, b.ID)
	}
	return ids
}

func TestBookingCreateGetUpdate(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		b := newBooking("bkg_1", "urn_1", "emp_1", app.BookingRequested, 10)
		mustOK(t, s.CreateBooking(ctx, b))

		errs := []struct {
			name string
			run  func() error
			code string
		}{
			{"create with a taken id", func() error {
				return s.CreateBooking(ctx, newBooking("bkg_1", "urn_2", "emp_1", app.BookingRequested, 3))
			}, app.EConflict},
			{"get a missing id", func() error { _, err := s.GetBooking(ctx, "bkg_none"); return err }, app.ENotFound},
			{"update a missing id", func() error {
				return s.UpdateBooking(ctx, newBooking("bkg_none", "urn_1", "emp_1", app.BookingRequested, 3))
			}, app.ENotFound},
		}
		for _, tt := range errs {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}

		t.Run("get returns what was created", func(t *testing.T) {
			got, err := s.GetBooking(ctx, "bkg_1")
			mustOK(t, err)
			mustEqual(t, got, b)
		})
		t.Run("the failed create changed no list", func(t *testing.T) {
			got, total, err := s.ListOrgBookings(ctx, "urn_2", app.BookingFilter{})
			mustOK(t, err)
			if total != 0 || len(got) != 0 {
				t.Fatalf("urn_2 lists %v of %d, want none", bookingIDs(got), total)
			}
		})
		t.Run("update writes it whole", func(t *testing.T) {
			changed := newBooking("bkg_1", "urn_1", "emp_1", app.BookingConfirmed, 10)
			changed.Sequence, changed.Announced = 2, 2
			changed.Checklist.AssuranceOn = day(2)
			mustOK(t, s.UpdateBooking(ctx, changed))
			got, err := s.GetBooking(ctx, "bkg_1")
			mustOK(t, err)
			mustEqual(t, got, changed)
		})
	})
}

func TestListOrgBookings(t *testing.T) {
	now := &clock{now: day(20)}
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		bookings := []*app.Booking{
			newBooking("bkg_past_done", "urn_1", "emp_1", app.BookingDelivered, 5),
			newBooking("bkg_past_open", "urn_1", "emp_1", app.BookingConfirmed, 8),
			newBooking("bkg_soon", "urn_1", "emp_1", app.BookingRequested, 25),
			newBooking("bkg_later", "urn_1", "emp_2", app.BookingConfirmed, 30),
			newBooking("bkg_off", "urn_1", "emp_1", app.BookingCancelled, 27),
			newBooking("bkg_other", "urn_2", "emp_1", app.BookingRequested, 22),
		}
		for _, b := range bookings {
			mustOK(t, s.CreateBooking(ctx, b))
		}

		tests := []struct {
			name  string
			org   string
			f     app.BookingFilter
			want  []string
			total int
		}{
			{"all of a school, by start", "urn_1", app.BookingFilter{},
				[]string{"bkg_past_done", "bkg_past_open", "bkg_soon", "bkg_off", "bkg_later"}, 5},
			{"active only", "urn_1", app.BookingFilter{Active: true},
				[]string{"bkg_past_open", "bkg_soon", "bkg_later"}, 3},
			{"past, latest first", "urn_1", app.BookingFilter{Past: true},
				[]string{"bkg_past_open", "bkg_past_done"}, 2},
			{"active and past", "urn_1", app.BookingFilter{Active: true, Past: true},
				[]string{"bkg_past_open"}, 1},
			{"called off before the session", "urn_1", app.BookingFilter{CalledOff: true},
				[]string{"bkg_off"}, 1},
			{"a page", "urn_1", app.BookingFilter{Offset: 1, Limit: 2},
				[]string{"bkg_past_open", "bkg_soon"}, 5},
			{"past the end", "urn_1", app.BookingFilter{Offset: 9}, []string{}, 5},
			{"the employer side", "emp_1", app.BookingFilter{Active: true},
				[]string{"bkg_past_open", "bkg_other", "bkg_soon"}, 3},
			{"another employer", "emp_2", app.BookingFilter{}, []string{"bkg_later"}, 1},
			{"an organisation with none", "urn_9", app.BookingFilter{}, []string{}, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := s.ListOrgBookings(ctx, tt.org, tt.f)
				mustOK(t, err)
				mustEqual(t, bookingIDs(got), tt.want)
				if total != tt.total {
					t.Errorf("total = %d, want %d", total, tt.total)
				}
			})
		}

		t.Run("a cancelled booking leaves the active list", func(t *testing.T) {
			b := newBooking("bkg_soon", "urn_1", "emp_1", app.BookingCancelled, 25)
			mustOK(t, s.UpdateBooking(ctx, b))
			got, total, err := s.ListOrgBookings(ctx, "urn_1", app.BookingFilter{Active: true})
			mustOK(t, err)
			mustEqual(t, bookingIDs(got), []string{"bkg_past_open", "bkg_later"})
			if total != 2 {
				t.Errorf("total = %d, want 2", total)
			}
		})
		t.Run("the clock decides what is past", func(t *testing.T) {
			now.Advance(24 * time.Hour * 20) // day 40
			got, _, err := s.ListOrgBookings(ctx, "emp_2", app.BookingFilter{Past: true})
			mustOK(t, err)
			mustEqual(t, bookingIDs(got), []string{"bkg_later"})
		})
	}, mongo.WithClock(now.Now))
}

func TestActiveBookingLists(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		mk := func(id, state string, start int, session string, created int) *app.Booking {
			b := newBooking(id, "urn_1", "emp_1", state, start)
			b.SessionID, b.CreatedAt = session, day(created)
			return b
		}
		for _, b := range []*app.Booking{
			mk("bkg_a2", app.BookingConfirmed, 10, "ses_a", 2),
			mk("bkg_a1", app.BookingRequested, 10, "ses_a", 1),
			mk("bkg_a_gone", app.BookingDeclined, 10, "ses_a", 1),
			mk("bkg_b", app.BookingRequested, 5, "ses_b", 3),
			mk("bkg_c", app.BookingConfirmed, 40, "ses_c", 3),
			mk("bkg_d", app.BookingDelivered, 3, "ses_d", 1),
			mk("bkg_f", app.BookingDelivered, 4, "ses_f", 1), // still to be asked for feedback
		} {
			mustOK(t, s.CreateBooking(ctx, b))
		}
		asked := mk("bkg_d", app.BookingDelivered, 3, "ses_d", 1)
		asked.FeedbackRequested = true
		mustOK(t, s.UpdateBooking(ctx, asked))
		mustOK(t, s.UpdateBooking(ctx, mk("bkg_a2", app.BookingCancelled, 10, "ses_a", 2)))
		mustOK(t, s.UpdateBooking(ctx, mk("bkg_b", app.BookingConfirmed, 5, "ses_b", 3)))
		// Declined, and stopped before its emails were queued: the sweep
		// must still find it, though it holds no places any more.
		unsent := mk("bkg_e_unsent", app.BookingDeclined, 50, "ses_e", 4)
		unsent.Announced = 0
		mustOK(t, s.CreateBooking(ctx, unsent))

		tests := []struct {
			name string
			list func() ([]*app.Booking, error)
			want []string
		}{
			{"one session's, oldest first", func() ([]*app.Booking, error) { return s.ListSessionBookings(ctx, "ses_a") }, []string{"bkg_a1"}},
			{"a session with none active", func() ([]*app.Booking, error) { return s.ListSessionBookings(ctx, "ses_d") }, []string{}},
			{"a session whose only booking is unannounced", func() ([]*app.Booking, error) { return s.ListSessionBookings(ctx, "ses_e") }, []string{}},
			{"a session whose booking awaits feedback", func() ([]*app.Booking, error) { return s.ListSessionBookings(ctx, "ses_f") }, []string{}},
			{"starting before day 20, by start, the unannounced and the unasked", func() ([]*app.Booking, error) { return s.ListActiveBookings(ctx, day(20)) }, []string{"bkg_f", "bkg_b", "bkg_a1", "bkg_e_unsent"}},
			{"starting before day 5: only the unannounced and the unasked", func() ([]*app.Booking, error) { return s.ListActiveBookings(ctx, day(5)) }, []string{"bkg_f", "bkg_e_unsent"}},
			{"all active, the unannounced and the unasked", func() ([]*app.Booking, error) { return s.ListActiveBookings(ctx, day(99)) }, []string{"bkg_f", "bkg_b", "bkg_a1", "bkg_c", "bkg_e_unsent"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := tt.list()
				mustOK(t, err)
				mustEqual(t, bookingIDs(got), tt.want)
			})
		}
	})
}

// TestBookingListsHeal covers entries left behind by a process that died
// between writing an entry and its booking, or writes that bypassed the
// Store: the lists must still be right, and the entries repaired once
// they have disagreed for longer than a write could take.
func TestBookingListsHeal(t *testing.T) {
	now := &clock{now: day(1)}
	s, db := storeWithDB(t, mongo.HandlerSQLite, nil, mongo.WithClock(now.Now))
	ctx := ctxOf(t)
	mustOK(t, s.CreateBooking(ctx, newBooking("bkg_1", "urn_1", "emp_1", app.BookingRequested, 10)))
	mustOK(t, s.CreateBooking(ctx, newBooking("bkg_2", "urn_1", "emp_1", app.BookingRequested, 11)))

	// A booking cancelled behind the Store's back, and one never saved.
	_, err := db.Collection("bookings").UpdateOne(ctx, bson.D{{Key: "_id", Value: "bkg_2"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: app.BookingCancelled}}}})
	mustOK(t, err)
	_, err = db.Collection("active_bookings").InsertOne(ctx, bson.D{{Key: "_id", Value: "bkg_lost"},
		{Key: "session_id", Value: "ses_10"}, {Key: "start", Value: day(10)}})
	mustOK(t, err)

	entries := func() int64 {
		n, err := db.Collection("active_bookings").CountDocuments(ctx, bson.D{})
		mustOK(t, err)
		return n
	}
	for round := range 3 {
		t.Run(fmt.Sprintf("read %d", round+1), func(t *testing.T) {
			if round == 1 {
				if n := entries(); n != 3 {
					t.Errorf("%d active entries after the first read, want all 3 kept for now", n)
				}
				now.Advance(11 * time.Minute)
			}
			got, err := s.ListSessionBookings(ctx, "ses_10")
			mustOK(t, err)
			mustEqual(t, bookingIDs(got), []string{"bkg_1"})
			got, err = s.ListActiveBookings(ctx, day(99))
			mustOK(t, err)
			mustEqual(t, bookingIDs(got), []string{"bkg_1"})
			got, total, err := s.ListOrgBookings(ctx, "urn_1", app.BookingFilter{Active: true})
			mustOK(t, err)
			mustEqual(t, bookingIDs(got), []string{"bkg_1"})
			if total != 1 {
				t.Errorf("total = %d, want 1", total)
			}
		})
	}
	if left := entries(); left != 1 {
		t.Errorf("%d active entries left, want 1", left)
	}
}

// TestAJobQueuedWhileTheWorkerReadsIsSent covers a worker that reads the
// outbox between AddJob's two writes, its entry and then the job: the
// entry must outlast that read, and queuing a pending job again restores
// an entry that was lost.
func TestAJobQueuedWhileTheWorkerReadsIsSent(t *testing.T) {
	now := &clock{now: day(1)}
	s, db := storeWithDB(t, mongo.HandlerSQLite, nil, mongo.WithClock(now.Now))
	ctx := ctxOf(t)
	j := &app.Job{ID: "booking/bkg_1/feedback_request/usr_1", State: app.JobPending,
		NotBefore: day(1), CreatedAt: day(1)}

	_, err := db.Collection("outbox_due").InsertOne(ctx, bson.D{{Key: "_id", Value: j.ID},
		{Key: "not_before", Value: j.NotBefore}, {Key: "created_at", Value: j.CreatedAt}})
	mustOK(t, err)
	due, err := s.DueJobs(ctx, day(2), 10)
	mustOK(t, err)
	if len(due) != 0 {
		t.Fatalf("%d jobs due before the job was written, want none", len(due))
	}
	_, err = db.Collection("outbox").InsertOne(ctx, j)
	mustOK(t, err)
	now.Advance(time.Minute)
	due, err = s.DueJobs(ctx, day(2), 10)
	mustOK(t, err)
	if len(due) != 1 || due[0].ID != j.ID {
		t.Fatalf("due %v, want the job whose entry came first", jobIDs(due))
	}

	_, err = db.Collection("outbox_due").DeleteOne(ctx, bson.D{{Key: "_id", Value: j.ID}})
	mustOK(t, err)
	added, err := s.AddJob(ctx, j)
	if err != nil || added {
		t.Fatalf("queuing the job again = %v, %v; want not added, no error", added, err)
	}
	due, err = s.DueJobs(ctx, day(2), 10)
	mustOK(t, err)
	if len(due) != 1 {
		t.Fatalf("due %v after queuing it again, want the job back", jobIDs(due))
	}

	now.Advance(11 * time.Minute)
	_, err = db.Collection("outbox_due").InsertOne(ctx, bson.D{{Key: "_id", Value: "lost"},
		{Key: "not_before", Value: day(1)}, {Key: "created_at", Value: day(1)}})
	mustOK(t, err)
	for range 2 {
		_, err = s.DueJobs(ctx, day(2), 10)
		mustOK(t, err)
		now.Advance(11 * time.Minute)
	}
	n, err := db.Collection("outbox_due").CountDocuments(ctx, bson.D{{Key: "_id", Value: "lost"}})
	mustOK(t, err)
	if n != 0 {
		t.Error("an entry without a job outlived the grace")
	}
}

func TestPutIdempotencyKey(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		tests := []struct {
			name, key, booking string
			want               string
			code               string
		}{
			{"first use", "urn_1/k1", "bkg_1", "bkg_1", ""},
			{"again, for another booking", "urn_1/k1", "bkg_2", "bkg_1", app.EConflict},
			{"another key", "urn_1/k2", "bkg_2", "bkg_2", ""},
			{"empty key", "", "bkg_3", "", app.EInternal},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.PutIdempotencyKey(ctx, tt.key, tt.booking)
				wantCode(t, err, tt.code)
				if got != tt.want {
					t.Errorf("booking id = %q, want %q", got, tt.want)
				}
			})
		}
	})
}

// TestPutIdempotencyKeyRace has 32 retries of one submission race: one
// records its booking and every other is told that booking.
func TestPutIdempotencyKeyRace(t *testing.T) {
	const racers = 32
	s := mongotest.NewStore(t)
	ctx := ctxOf(t)

	var won atomic.Int64
	answers := make([]string, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			id, err := s.PutIdempotencyKey(ctx, "urn_1/retry", fmt.Sprintf("bkg_%d", i))
			switch app.ErrorCode(err) {
			case "":
				won.Add(1)
			case app.EConflict:
			default:
				t.Error(err)
			}
			answers[i] = id
		})
	}
	wg.Wait()

	if won.Load() != 1 {
		t.Fatalf("%d winners, want 1", won.Load())
	}
	for i, a := range answers {
		if a != answers[0] {
			t.Fatalf("racer %d was told %q, racer 0 %q", i, a, answers[0])
		}
	}
}

// TestListsOfDataFromBeforeTheirEntries checks that EnsureIndexes builds
// the listing entries of bookings, waitlist entries, jobs and
// sponsorships stored without them, as when an entry collection is
// dropped to be rebuilt.
func TestListsOfDataFromBeforeTheirEntries(t *testing.T) {
	s, _ := storeWithDB(t, mongo.HandlerSQLite, func(db *driver.Database) {
		insertAll(t, db.Collection("bookings"), 3, func(i int) *app.Booking {
			return newBooking(fmt.Sprintf("bkg_%d", i), "urn_1", "emp_1", []string{
				app.BookingRequested, app.BookingConfirmed, app.BookingCancelled}[i], 10+i)
		})
		insertAll(t, db.Collection("waitlist"), 2, func(i int) *app.WaitlistEntry {
			return newEntry(fmt.Sprintf("wtl_%d", i), "ses_1", "urn_1", []string{app.WaitHeld, app.WaitLapsed}[i], i)
		})
		insertAll(t, db.Collection("outbox"), 3, func(i int) *app.Job {
			j := newJob(fmt.Sprintf("job_%d", i), i)
			j.State = []string{app.JobPending, app.JobSent, app.JobFailed}[i]
			return j
		})
		insertAll(t, db.Collection("sponsorships"), 2, func(i int) *app.Sponsorship {
			return newSponsorship(fmt.Sprintf("sp_%d", i), "evt_1", i)
		})
	})
	ctx := ctxOf(t)

	tests := []struct {
		name string
		list func() (int, error)
		want int
	}{
		{"a school's bookings", func() (int, error) { _, n, err := s.ListOrgBookings(ctx, "urn_1", app.BookingFilter{}); return n, err }, 3},
		{"an employer's active bookings", func() (int, error) {
			_, n, err := s.ListOrgBookings(ctx, "emp_1", app.BookingFilter{Active: true})
			return n, err
		}, 2},
		{"active bookings", func() (int, error) { got, err := s.ListActiveBookings(ctx, day(99)); return len(got), err }, 2},
		{"held entries", func() (int, error) { got, err := s.ListHeldEntries(ctx); return len(got), err }, 1},
		{"due jobs", func() (int, error) { got, err := s.DueJobs(ctx, day(9), 10); return len(got), err }, 1},
		{"failed jobs", func() (int, error) { _, n, err := s.ListJobs(ctx, app.JobFailed, 0, 10); return n, err }, 1},
		{"sponsorships", func() (int, error) { got, err := s.ListSponsorships(ctx, "evt_1"); return len(got), err }, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.list()
			mustOK(t, err)
			if got != tt.want {
				t.Errorf("listed %d, want %d", got, tt.want)
			}
		})
	}
}

// TestRollRace has 16 bookings of one school made at once, each taking a
// slot on the school's roll and on one of two employers': every one must
// be listed, once.
func TestRollRace(t *testing.T) {
	const bookings = 16
	s := mongotest.NewStore(t)
	ctx := ctxOf(t)

	var wg sync.WaitGroup
	for i := range bookings {
		wg.Go(func() {
			b := newBooking(fmt.Sprintf("bkg_%02d", i), "urn_1", fmt.Sprintf("emp_%d", i%2), app.BookingRequested, 10+i)
			if err := s.CreateBooking(ctx, b); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()

	tests := []struct {
		org  string
		want int
	}{{"urn_1", bookings}, {"emp_0", bookings / 2}, {"emp_1", bookings / 2}}
	for _, tt := range tests {
		t.Run(tt.org, func(t *testing.T) {
			got, total, err := s.ListOrgBookings(ctx, tt.org, app.BookingFilter{Limit: 100})
			mustOK(t, err)
			seen := map[string]bool{}
			for _, b := range got {
				seen[b.ID] = true
			}
			if total != tt.want || len(got) != tt.want || len(seen) != tt.want {
				t.Fatalf("listed %d (%d different) of %d, want %d", len(got), len(seen), total, tt.want)
			}
		})
	}
}

// TestRollOfALostBooking covers a booking whose document went missing
// after its slots were written, as when a create dies between the two:
// it is not listed, and a create tried again lists it once.
func TestRollOfALostBooking(t *testing.T) {
	s, db := storeWithDB(t, mongo.HandlerSQLite, nil)
	ctx := ctxOf(t)
	b := newBooking("bkg_1", "urn_1", "emp_1", app.BookingRequested, 10)
	mustOK(t, s.CreateBooking(ctx, b))
	_, err := db.Collection("bookings").DeleteOne(ctx, bson.D{{Key: "_id", Value: "bkg_1"}})
	mustOK(t, err)

	steps := []struct {
		name   string
		before func() error
		want   int
	}{
		{"a lost booking is not listed", func() error { return nil }, 0},
		{"nor when read again", func() error { return nil }, 0},
		{"the retried create lists it", func() error { return s.CreateBooking(ctx, b) }, 1},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			mustOK(t, tt.before())
			for _, org := range []string{"urn_1", "emp_1"} {
				got, total, err := s.ListOrgBookings(ctx, org, app.BookingFilter{})
				mustOK(t, err)
				if len(got) != tt.want || total != tt.want {
					t.Errorf("%s: listed %d of %d, want %d", org, len(got), total, tt.want)
				}
			}
		})
	}

	slots, err := db.Collection("booking_rolls").CountDocuments(ctx, bson.D{})
	mustOK(t, err)
	if slots != 2 {
		t.Errorf("%d slots in all, want 2: one per side", slots)
	}
}
