package mongo_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
	"github.com/encounters/encounters/app/mongo/mongotest"
)

// newJob is a pending email queued on day created, due then.
func newJob(id string, created int) *app.Job {
	return &app.Job{
		ID: id, State: app.JobPending,
		Message:   app.Message{To: "leader@example.org", Subject: "Booking confirmed", Text: "Confirmed.", Kind: "booking_confirmed"},
		NotBefore: day(created), CreatedAt: day(created),
	}
}

func jobIDs(js []*app.Job) []string {
	ids := []string{}
	for _, j := range js {
		ids = append(ids, j.ID)
	}
	return ids
}

func TestAddAndGetJob(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		j := newJob("booking/bkg_1/1/usr_1", 1)

		tests := []struct {
			name  string
			job   *app.Job
			added bool
		}{
			{"new job", j, true},
			{"the same id again", newJob("booking/bkg_1/1/usr_1", 5), false},
			{"another id", newJob("booking/bkg_1/2/usr_1", 2), true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				added, err := s.AddJob(ctx, tt.job)
				mustOK(t, err)
				if added != tt.added {
					t.Errorf("added = %v, want %v", added, tt.added)
				}
			})
		}

		t.Run("get returns the first", func(t *testing.T) {
			got, err := s.GetJob(ctx, j.ID)
			mustOK(t, err)
			mustEqual(t, got, j)
		})
		t.Run("get a missing id", func(t *testing.T) {
			_, err := s.GetJob(ctx, "nothing")
			wantCode(t, err, app.ENotFound)
		})
	})
}

func TestAddJobRace(t *testing.T) {
	s := mongotest.NewStore(t)
	ctx := ctxOf(t)

	var added atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			ok, err := s.AddJob(ctx, newJob("sponsorship/sp_1/receipt", 1))
			if err != nil {
				t.Error(err)
			}
			if ok {
				added.Add(1)
			}
		})
	}
	wg.Wait()
	if added.Load() != 1 {
		t.Fatalf("added %d times, want 1", added.Load())
	}
	due, err := s.DueJobs(ctx, day(2), 10)
	mustOK(t, err)
	mustEqual(t, jobIDs(due), []string{"sponsorship/sp_1/receipt"})
}

func TestDueJobs(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		for i := 1; i <= 4; i++ {
			_, err := s.AddJob(ctx, newJob(fmt.Sprintf("job_%d", i), i))
			mustOK(t, err)
		}
		later := newJob("job_later", 0)
		later.NotBefore = day(30)
		_, err := s.AddJob(ctx, later)
		mustOK(t, err)

		// job_2 is sent, job_3 failed, job_4 is leased until day 10.
		sent := newJob("job_2", 2)
		sent.State, sent.Attempts, sent.SentAt = app.JobSent, 1, day(3)
		mustOK(t, s.LeaseJob(ctx, "job_2", 1, "w1", day(3)))
		mustOK(t, s.UpdateJob(ctx, sent))
		failed := newJob("job_3", 3)
		failed.State, failed.LastError = app.JobFailed, "mailbox unavailable"
		mustOK(t, s.UpdateJob(ctx, failed))
		mustOK(t, s.LeaseJob(ctx, "job_4", 1, "w1", day(10)))

		tests := []struct {
			name  string
			now   time.Time
			limit int
			want  []string
		}{
			{"on day 5: the lease of job_4 holds", day(5), 10, []string{"job_1"}},
			{"on day 10: its lease ran out", day(10), 10, []string{"job_1", "job_4"}},
			{"limited", day(10), 1, []string{"job_1"}},
			{"nothing yet", day(0), 10, []string{}},
			{"later job due, oldest first", day(30), 10, []string{"job_later", "job_1", "job_4"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.DueJobs(ctx, tt.now, tt.limit)
				mustOK(t, err)
				mustEqual(t, jobIDs(got), tt.want)
			})
		}

		t.Run("a leased job shows its lease", func(t *testing.T) {
			got, err := s.GetJob(ctx, "job_4")
			mustOK(t, err)
			if got.Attempts != 1 || got.LeasedBy != "w1" || !got.LeaseUntil.Equal(day(10)) {
				t.Errorf("attempts %d, leased by %q until %v", got.Attempts, got.LeasedBy, got.LeaseUntil)
			}
		})
	})
}

func TestLeaseJob(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		_, err := s.AddJob(ctx, newJob("job_1", 1))
		mustOK(t, err)
		sent := newJob("job_sent", 1)
		sent.State = app.JobSent
		_, err = s.AddJob(ctx, sent)
		mustOK(t, err)

		steps := []struct {
			name    string
			id      string
			attempt int
			code    string
		}{
			{"first attempt", "job_1", 1, ""},
			{"the same attempt again", "job_1", 1, app.EConflict},
			{"the next attempt, as after a crash", "job_1", 2, ""},
			{"a sent job", "job_sent", 1, app.EConflict},
			{"a missing job", "job_none", 1, app.ENotFound},
			{"attempt zero", "job_1", 0, app.EInternal},
		}
		for _, tt := range steps {
			t.Run(tt.name, func(t *testing.T) {
				wantCode(t, s.LeaseJob(ctx, tt.id, tt.attempt, "w1", day(2)), tt.code)
			})
		}
	})
}

// TestLeaseJobRace has 32 workers lease one attempt of one job at once:
// exactly one may send it.
func TestLeaseJobRace(t *testing.T) {
	const workers = 32
	s := mongotest.NewStore(t)
	ctx := ctxOf(t)
	_, err := s.AddJob(ctx, newJob("job_1", 1))
	mustOK(t, err)

	var won atomic.Int64
	winner := make(chan string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			name := fmt.Sprintf("worker_%d", w)
			err := s.LeaseJob(ctx, "job_1", 1, name, day(2))
			switch app.ErrorCode(err) {
			case "":
				won.Add(1)
				winner <- name
			case app.EConflict:
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()

	if won.Load() != 1 {
		t.Fatalf("%d workers leased attempt 1, want 1", won.Load())
	}
	got, err := s.GetJob(ctx, "job_1")
	mustOK(t, err)
	if name := <-winner; got.LeasedBy != name {
		t.Errorf("job leased by %q, but %q won", got.LeasedBy, name)
	}
}

// TestCrashedWorker follows a job whose worker died holding attempt 1:
// once the lease runs out another worker takes attempt 2 and sends it,
// and the first worker, if it was only slow, cannot undo that.
func TestCrashedWorker(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		_, err := s.AddJob(ctx, newJob("job_1", 1))
		mustOK(t, err)
		mustOK(t, s.LeaseJob(ctx, "job_1", 1, "w1", day(1).Add(time.Minute)))
		slow, err := s.GetJob(ctx, "job_1")
		mustOK(t, err)

		due, err := s.DueJobs(ctx, day(1).Add(2*time.Minute), 10)
		mustOK(t, err)
		if len(due) != 1 || due[0].Attempts != 1 {
			t.Fatalf("due after the lease ran out: %+v", due)
		}
		next := due[0].Attempts + 1
		mustOK(t, s.LeaseJob(ctx, "job_1", next, "w2", day(1).Add(3*time.Minute)))
		done := due[0]
		done.Attempts, done.State, done.SentAt = next, app.JobSent, day(1).Add(2*time.Minute)
		mustOK(t, s.UpdateJob(ctx, done))

		slow.State, slow.SentAt = app.JobSent, day(1).Add(4*time.Minute)
		wantCode(t, s.UpdateJob(ctx, slow), app.EConflict)
		got, err := s.GetJob(ctx, "job_1")
		mustOK(t, err)
		if got.Attempts != 2 || !got.SentAt.Equal(done.SentAt) {
			t.Errorf("job after the slow worker: attempts %d, sent %v", got.Attempts, got.SentAt)
		}
		due, err = s.DueJobs(ctx, day(9), 10)
		mustOK(t, err)
		mustEqual(t, jobIDs(due), []string{})
	})
}

func TestUpdateAndListJobs(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		for i := 1; i <= 5; i++ {
			_, err := s.AddJob(ctx, newJob(fmt.Sprintf("job_%d", i), i))
			mustOK(t, err)
		}
		wantCode(t, s.UpdateJob(ctx, newJob("job_none", 1)), app.ENotFound)
		for _, id := range []string{"job_1", "job_3", "job_4"} {
			j, err := s.GetJob(ctx, id)
			mustOK(t, err)
			j.State = app.JobFailed
			mustOK(t, s.UpdateJob(ctx, j))
		}
		j, err := s.GetJob(ctx, "job_3")
		mustOK(t, err)
		j.State, j.NotBefore = app.JobPending, day(20) // retried by the coordinator
		mustOK(t, s.UpdateJob(ctx, j))
		j, err = s.GetJob(ctx, "job_5")
		mustOK(t, err)
		j.State = app.JobSent
		mustOK(t, s.UpdateJob(ctx, j))

		tests := []struct {
			name          string
			state         string
			offset, limit int
			want          []string
			total         int
		}{
			{"failed, newest first", app.JobFailed, 0, 10, []string{"job_4", "job_1"}, 2},
			{"pending", app.JobPending, 0, 10, []string{"job_3", "job_2"}, 2},
			{"sent", app.JobSent, 0, 10, []string{"job_5"}, 1},
			{"a page of failed", app.JobFailed, 1, 1, []string{"job_1"}, 2},
			{"an unknown state", "lost", 0, 10, []string{}, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := s.ListJobs(ctx, tt.state, tt.offset, tt.limit)
				mustOK(t, err)
				mustEqual(t, jobIDs(got), tt.want)
				if total != tt.total {
					t.Errorf("total = %d, want %d", total, tt.total)
				}
			})
		}

		t.Run("a retried job waits for its NotBefore", func(t *testing.T) {
			got, err := s.DueJobs(ctx, day(19), 10)
			mustOK(t, err)
			mustEqual(t, jobIDs(got), []string{"job_2"})
			got, err = s.DueJobs(ctx, day(20), 10)
			mustOK(t, err)
			mustEqual(t, jobIDs(got), []string{"job_2", "job_3"})
		})
	})
}
