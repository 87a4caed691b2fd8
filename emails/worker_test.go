package emails

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	driver "go.mongodb.org/mongo-driver/mongo"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
	"github.com/encounters/encounters/app/mongo/mongotest"
	"github.com/encounters/encounters/emails/smtptest"
)

// The outbox tests run the worker against the real engines: embedded
// FerretDB for the outbox and a real SMTP server on loopback. Time is a
// fake clock the test moves, so backoff needs no waiting.

var t0 = time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)

// fakeClock is a clock that only the test moves.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// outbox is a test's store, relay, sender and clock.
type outbox struct {
	store *mongo.Store
	relay *smtptest.Server
	smtp  *SMTP
	clock *fakeClock
	logs  *bytes.Buffer
	log   *slog.Logger
}

func newOutbox(t *testing.T) *outbox {
	t.Helper()
	o := &outbox{store: mongotest.NewStore(t), relay: smtptest.Start(t), clock: &fakeClock{now: t0}, logs: &bytes.Buffer{}}
	var err error
	if o.smtp, err = NewSMTP(o.relay.URL(), from, nil); err != nil {
		t.Fatal(err)
	}
	o.log = slog.New(slog.NewTextHandler(o.logs, nil))
	return o
}

// worker returns a worker on the fake clock with short, test-sized timings.
func (o *outbox) worker(id string, send app.Mailer) *Worker {
	return &Worker{
		Store: o.store, Send: send, Log: o.log, ID: id,
		Lease: time.Minute, Backoff: time.Minute, MaxBackoff: 4 * time.Minute, MaxAttempts: 8,
		Batch: 50, Parallel: 2, Now: o.clock.Now,
	}
}

// queue adds n confirmed-booking emails with invites, due now, and returns
// their job ids in order.
func (o *outbox) queue(t *testing.T, n int) []string {
	t.Helper()
	tm := mustTemplates(t)
	ids := make([]string, n)
	for i := range n {
		l := letterFor("booking_confirmed")
		l.To = fmt.Sprintf("leader%02d@school.test", i)
		l.Booking.ID = fmt.Sprintf("bkg_%02d", i)
		l.Invite.UID = l.Booking.ID + "@encounters.test"
		m, err := tm.Compose(l)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = fmt.Sprintf("booking/%s/2/usr_%02d", l.Booking.ID, i)
		o.add(t, &app.Job{ID: ids[i], Message: m, State: app.JobPending,
			NotBefore: o.clock.Now(), CreatedAt: o.clock.Now().Add(time.Duration(i) * time.Millisecond)})
	}
	return ids
}

func (o *outbox) add(t *testing.T, j *app.Job) {
	t.Helper()
	if added, err := o.store.AddJob(context.Background(), j); err != nil || !added {
		t.Fatalf("AddJob %s: added %v, %v", j.ID, added, err)
	}
}

func (o *outbox) job(t *testing.T, id string) *app.Job {
	t.Helper()
	j, err := o.store.GetJob(context.Background(), id)
	if err != nil {
		t.Fatalf("GetJob %s: %v", id, err)
	}
	return j
}

func (o *outbox) count(t *testing.T, state string) int {
	t.Helper()
	_, n, err := o.store.ListJobs(context.Background(), state, 0, 1)
	if err != nil {
		t.Fatalf("ListJobs %s: %v", state, err)
	}
	return n
}

// arrivals reads every message the relay received, parses it and its
// invite, and counts arrivals per outbox job.
func (o *outbox) arrivals(t *testing.T) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, msg := range o.relay.Messages() {
		head, leaves, _ := readMIME(t, msg.Data)
		job := head.Get("X-Encounters-Job")
		got[job]++

		cal, ok := find(leaves, "text/calendar")
		if !ok {
			t.Fatalf("message for %s has no invite", job)
		}
		booking := strings.Split(job, "/")[1]
		if uid := parseCalendar(t, cal.body).Events()[0].Id(); uid != booking+"@encounters.test" {
			t.Errorf("message for %s carries the invite of %s", job, uid)
		}
		if text, ok := find(leaves, "text/plain"); !ok || !strings.Contains(text.body, "The booking is confirmed") {
			t.Errorf("message for %s has no text part", job)
		}
	}
	return got
}

// stopAfter is a sender that stops the relay just before its nth send,
// so that the relay goes away in the middle of a pass.
type stopAfter struct {
	inner app.Mailer
	n     int
	stop  func()

	mu    sync.Mutex
	count int
}

func (s *stopAfter) Send(ctx context.Context, m app.Message) error {
	s.mu.Lock()
	s.count++
	if s.count == s.n {
		s.stop()
	}
	s.mu.Unlock()
	return s.inner.Send(ctx, m)
}

func runOnce(t *testing.T, w *Worker) int {
	t.Helper()
	n, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	return n
}

func TestOutboxDeliversEverythingOnceAcrossARelayOutage(t *testing.T) {
	o := newOutbox(t)
	ids := o.queue(t, 50)
	w := o.worker("w1", &stopAfter{inner: o.smtp, n: 20, stop: o.relay.Stop})

	// The relay stops during the first pass: some go, the rest wait.
	first := runOnce(t, w)
	if first < 19 || first >= 50 {
		t.Fatalf("first pass sent %d, want the 19 before the relay stopped and any in flight", first)
	}
	waiting := o.job(t, ids[49])
	if waiting.State != app.JobPending || waiting.Attempts != 1 || !waiting.NotBefore.Equal(t0.Add(time.Minute)) {
		t.Errorf("after one failure: state %s, attempts %d, next %s", waiting.State, waiting.Attempts, waiting.NotBefore)
	}
	if waiting.LastError == "" || strings.Contains(waiting.LastError, "@") {
		t.Errorf("LastError = %q, want a reason without addresses", waiting.LastError)
	}

	// Nothing is due until the backoff passes; then the relay is still down.
	if n := runOnce(t, w); n != 0 {
		t.Errorf("a pass before the backoff sent %d", n)
	}
	o.clock.Advance(time.Minute)
	if n := runOnce(t, w); n != 0 {
		t.Errorf("the relay is down but %d went", n)
	}
	if j := o.job(t, ids[49]); j.Attempts != 2 || !j.NotBefore.Equal(t0.Add(3*time.Minute)) {
		t.Errorf("after two failures: attempts %d, next %s (the wait should double)", j.Attempts, j.NotBefore)
	}

	// The relay comes back on the same port and the rest go.
	o.relay.Restart()
	o.clock.Advance(2 * time.Minute)
	if n := runOnce(t, w); first+n != 50 {
		t.Errorf("sent %d then %d, want 50 in all", first, n)
	}
	if o.count(t, app.JobPending) != 0 || o.count(t, app.JobSent) != 50 {
		t.Errorf("pending %d, sent %d", o.count(t, app.JobPending), o.count(t, app.JobSent))
	}

	arrived := o.arrivals(t)
	for _, id := range ids {
		if arrived[id] != 1 {
			t.Errorf("%s arrived %d times", id, arrived[id])
		}
		if j := o.job(t, id); j.State != app.JobSent || j.LastError != "" || j.SentAt.IsZero() {
			t.Errorf("%s: state %s, error %q", id, j.State, j.LastError)
		}
	}
	if len(arrived) != 50 {
		t.Errorf("%d distinct messages arrived, want 50", len(arrived))
	}
	if logs := o.logs.String(); strings.Contains(logs, "@school.test") || !strings.Contains(logs, "job_id="+ids[0]) {
		t.Errorf("logs name addresses or miss job ids:\n%s", logs)
	}
}

func TestTwoWorkersNeverSendOneEmailTwice(t *testing.T) {
	o := newOutbox(t)
	o.clock.now = time.Now() // the workers below run on the real clock
	ids := o.queue(t, 50)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var wg sync.WaitGroup
	for _, id := range []string{"w1", "w2"} {
		w := o.worker(id, o.smtp)
		w.Now, w.Poll = nil, 10*time.Millisecond // real time: both race on every job
		wg.Go(func() { w.Run(ctx) })
	}
	for o.count(t, app.JobPending) > 0 {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()

	arrived := o.arrivals(t)
	for _, id := range ids {
		if arrived[id] != 1 {
			t.Errorf("%s arrived %d times", id, arrived[id])
		}
	}
	if len(o.relay.Messages()) != 50 {
		t.Errorf("%d messages arrived, want 50", len(o.relay.Messages()))
	}
	if lines := strings.Count(o.logs.String(), `msg="email sent"`); lines != 50 {
		t.Errorf("%d lines logged for 50 sends", lines)
	}
}

func TestJobsAreSetAsideWithTheirReason(t *testing.T) {
	cases := []struct {
		name         string
		spoil        func(o *outbox, j *app.Job)
		passes       int
		wantAttempts int
		wantReason   string
	}{
		{"the relay stays down", func(o *outbox, j *app.Job) { o.relay.Stop() }, 3, 3, "connection refused"},
		{"the relay refuses the mailbox", func(o *outbox, j *app.Job) { o.relay.Refuse(j.Message.To) }, 1, 1, "550"},
		{"the message cannot be built", func(o *outbox, j *app.Job) { j.Message.To = "not an address" }, 1, 1, "cannot be built"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := newOutbox(t)
			j := &app.Job{ID: "booking/bkg_1/2/usr_1", State: app.JobPending, NotBefore: t0, CreatedAt: t0, Message: sample()}
			c.spoil(o, j)
			o.add(t, j)
			w := o.worker("w1", o.smtp)
			w.MaxAttempts = 3

			for range c.passes {
				if n := runOnce(t, w); n != 0 {
					t.Fatalf("sent %d", n)
				}
				o.clock.Advance(w.MaxBackoff)
			}

			got := o.job(t, j.ID)
			if got.State != app.JobFailed || got.Attempts != c.wantAttempts {
				t.Errorf("state %s after %d attempts, want failed after %d", got.State, got.Attempts, c.wantAttempts)
			}
			if !strings.Contains(got.LastError, c.wantReason) || strings.Contains(got.LastError, "@") {
				t.Errorf("LastError = %q, want %q and no address", got.LastError, c.wantReason)
			}
			failed, total, err := o.store.ListJobs(context.Background(), app.JobFailed, 0, 10)
			if err != nil || total != 1 || failed[0].ID != j.ID {
				t.Errorf("failed list: %d, %v", total, err)
			}
			if n := runOnce(t, w); n != 0 || len(o.relay.Messages()) != 0 {
				t.Errorf("a set-aside job was sent")
			}
		})
	}
}

func TestAStoppedWorkersEmailIsSentByTheNext(t *testing.T) {
	cases := []struct {
		name  string
		crash func(t *testing.T, o *outbox, db *driver.Database, id string)
	}{
		{"its lease runs out", func(t *testing.T, o *outbox, _ *driver.Database, id string) {
			if err := o.store.LeaseJob(context.Background(), id, 1, "gone", t0.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}},
		{"it stopped before the lease was recorded on the job", func(t *testing.T, _ *outbox, db *driver.Database, id string) {
			leaseWithoutRecord(t, db, id, 1)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, db := newOutboxWithDB(t)
			id := o.queue(t, 1)[0]
			c.crash(t, o, db, id)
			w := o.worker("w1", o.smtp)

			for pass := 0; pass < 4 && len(o.relay.Messages()) == 0; pass++ {
				runOnce(t, w)
				o.clock.Advance(w.Lease)
			}
			if got := o.arrivals(t); got[id] != 1 || len(got) != 1 {
				t.Fatalf("arrivals = %v", got)
			}
			if j := o.job(t, id); j.State != app.JobSent || j.Attempts != 2 {
				t.Errorf("state %s at attempt %d, want sent at attempt 2", j.State, j.Attempts)
			}
		})
	}
}

func TestAJobWhoseLastAttemptVanishedIsSetAside(t *testing.T) {
	o := newOutbox(t)
	id := o.queue(t, 1)[0]
	if err := o.store.LeaseJob(context.Background(), id, 1, "gone", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	w := o.worker("w1", o.smtp)
	w.MaxAttempts = 1

	o.clock.Advance(2 * time.Minute)
	if n := runOnce(t, w); n != 0 || len(o.relay.Messages()) != 0 {
		t.Fatalf("sent %d after its last attempt", n)
	}
	j := o.job(t, id)
	if j.State != app.JobFailed || !strings.Contains(j.LastError, "attempt 1 ended without a result") {
		t.Errorf("state %s, LastError %q", j.State, j.LastError)
	}
}

func TestBackoffDoublesUpToItsCap(t *testing.T) {
	w := &Worker{Backoff: 30 * time.Second, MaxBackoff: 10 * time.Minute}
	cases := []struct {
		attempt int
		want    time.Duration
	}{
		{1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {5, 8 * time.Minute},
		{6, 10 * time.Minute}, {200, 10 * time.Minute},
	}
	for _, c := range cases {
		if got := w.backoff(c.attempt); got != c.want {
			t.Errorf("backoff(%d) = %s, want %s", c.attempt, got, c.want)
		}
	}
	if got := (&Worker{}).backoff(1); got != DefaultBackoff {
		t.Errorf("default backoff = %s", got)
	}
}

func TestReasonsKeepNoAddresses(t *testing.T) {
	err := fmt.Errorf("send failed: 550 5.1.1 <ann.o'neill@school.test>: no such user,\r\naffected recipient(s): bob@kromek.test")
	got := safeReason(err)
	if strings.Contains(got, "@") || strings.ContainsAny(got, "\r\n") || !strings.Contains(got, "550 5.1.1") {
		t.Errorf("safeReason = %q", got)
	}
	if long := safeReason(fmt.Errorf("%s", strings.Repeat("é", 400))); len(long) > 310 {
		t.Errorf("a long reason kept %d bytes", len(long))
	}
}
