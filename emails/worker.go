package emails

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/encounters/encounters/app"
)

// Worker defaults; a zero field in Worker takes these.
const (
	DefaultLease       = 2 * time.Minute
	DefaultBackoff     = 30 * time.Second
	DefaultMaxBackoff  = time.Hour
	DefaultMaxAttempts = 10
	DefaultBatch       = 50
	DefaultParallel    = 1
	DefaultPoll        = time.Second
)

// Worker sends the emails waiting in the outbox. Each attempt at a job is
// leased first (LeaseJob inserts a unique (job, attempt) key), so any
// number of workers, in one process or many, can run over the same
// outbox and no attempt is made twice. A failed attempt is retried after
// a delay that doubles each time, up to MaxBackoff; after MaxAttempts, or
// at once when retrying cannot help (a refused recipient, a message that
// cannot be built), the job is set aside as failed with its reason, for
// the coordinator. A worker that stops mid-attempt leaves a lease that
// runs out; the next worker retries the job at the next attempt number.
//
// A send that outlives its lease is cut off, so Lease must be longer than
// one send takes. Logs carry the job id and kind, never an address.
type Worker struct {
	Store app.OutboxStore
	// Send delivers one message: the SMTP or folder sender.
	Send app.Mailer
	Log  *slog.Logger
	// ID names this worker in leases; when empty, a random one is made.
	ID string
	// Lease is how long one attempt may take before another worker may
	// assume this one stopped.
	Lease time.Duration
	// Backoff is the delay before the first retry; it doubles after each
	// failed attempt, up to MaxBackoff.
	Backoff    time.Duration
	MaxBackoff time.Duration
	// MaxAttempts is how many attempts a job gets before it is set aside.
	MaxAttempts int
	// Batch is how many due jobs one pass takes; Parallel how many of them
	// are sent at once. One at a time suits embedded FerretDB, whose
	// SQLite file takes one writer at a time: in BenchmarkOutboxDelivery
	// more at once was no steady gain and often slower. With MongoDB and
	// a distant relay, more at once pays.
	Batch    int
	Parallel int
	// Poll is how long Run waits when the outbox has nothing due.
	Poll time.Duration
	// Now returns the current time; tests may fix it. Deadlines on sends
	// always use the real clock.
	Now func() time.Time

	mu sync.Mutex
	// blocked remembers when this worker first found an attempt leased by
	// someone who then wrote nothing, to see leases that were never used.
	blocked map[string]time.Time
}

// NewWorker returns a worker over store that sends with send, with the
// default timings and a random ID.
func NewWorker(store app.OutboxStore, send app.Mailer, log *slog.Logger) *Worker {
	return &Worker{Store: store, Send: send, Log: log, ID: "worker-" + app.NewSecret()[:12]}
}

// Run sends due jobs until ctx ends, waiting Poll between passes that
// found nothing to do. Errors are logged and the loop goes on: a database
// that is briefly away must not stop the mail.
func (w *Worker) Run(ctx context.Context) {
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log().WarnContext(ctx, "outbox pass failed", slog.String("worker_id", w.ID), slog.Any("error", err))
		}

		wait := w.poll()
		if n >= w.batch() {
			wait = 0 // there may be more
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// RunOnce makes one pass: it takes up to Batch due jobs, attempts each one
// it can lease, and returns how many it sent.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	now := w.now()
	w.prepare(now)
	jobs, err := w.Store.DueJobs(ctx, now, w.batch())
	if err != nil {
		return 0, fmt.Errorf("list due emails: %w", err)
	}

	var (
		mu   sync.Mutex
		sent int
		errs []error
		wg   sync.WaitGroup
		slot = make(chan struct{}, w.parallel())
	)
	for _, j := range jobs {
		slot <- struct{}{}
		wg.Go(func() {
			defer func() { <-slot }()
			ok, err := w.attempt(ctx, j)
			mu.Lock()
			defer mu.Unlock()
			if ok {
				sent++
			}
			if err != nil {
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	return sent, errors.Join(errs...)
}

// attempt leases the job's next attempt and makes it. It reports whether
// the email went; an error means the outbox could not be read or written.
func (w *Worker) attempt(ctx context.Context, j *app.Job) (bool, error) {
	now := w.now()
	if j.State != app.JobPending || j.LeaseUntil.After(now) {
		return false, nil // finished, or another worker's attempt is running
	}
	n := w.nextAttempt(j, now)
	until := now.Add(w.lease()).Truncate(time.Millisecond)
	err := w.Store.LeaseJob(ctx, j.ID, n, w.ID, until)
	if app.ErrorCode(err) == app.EConflict {
		w.noteBlocked(j.ID, n, now)
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lease email %s: %w", j.ID, err)
	}

	// LeaseJob has recorded the lease on the stored job (Attempts, LeasedBy,
	// LeaseUntil); this copy says the same, so results written from it are
	// not refused as stale.
	j.Attempts, j.LeasedBy, j.LeaseUntil = n, w.ID, until
	if n > w.maxAttempts() {
		reason := fmt.Sprintf("attempt %d ended without a result (its sender may have stopped)", n-1)
		return false, w.setAside(ctx, j, reason)
	}
	return w.deliver(ctx, j)
}

// recordTimeout bounds recording a sent email after the worker was told
// to stop.
const recordTimeout = 30 * time.Second

// deliver sends the job's message within its lease and records how it
// went.
func (w *Worker) deliver(ctx context.Context, job *app.Job) (bool, error) {
	sendCtx, cancel := context.WithTimeout(WithJobID(ctx, job.ID), w.lease()-w.lease()/10)
	err := w.Send.Send(sendCtx, job.Message)
	cancel()
	if err == nil {
		// The email went: record it even if the worker is stopping,
		// or another attempt would send it again once the lease ran out.
		recordCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
		defer cancel()
		return true, w.markSent(recordCtx, job)
	}
	if ctx.Err() != nil {
		return false, ctx.Err() // stopping: the lease runs out and another attempt follows
	}

	reason := safeReason(err)
	if permanent(err) || job.Attempts >= w.maxAttempts() {
		return false, w.setAside(ctx, job, reason)
	}
	return false, w.retryLater(ctx, job, reason)
}

func (w *Worker) markSent(ctx context.Context, job *app.Job) error {
	job.State, job.SentAt, job.LastError = app.JobSent, w.now(), ""
	job.LeasedBy, job.LeaseUntil = "", time.Time{}
	if err := w.Store.UpdateJob(ctx, job); err != nil {
		return w.superseded(ctx, job, "record as sent", err)
	}
	w.log().InfoContext(ctx, "email sent", w.attrs(job)...)
	return nil
}

func (w *Worker) retryLater(ctx context.Context, job *app.Job, reason string) error {
	job.LastError, job.NotBefore = reason, w.now().Add(w.backoff(job.Attempts))
	job.LeasedBy, job.LeaseUntil = "", time.Time{}
	if err := w.Store.UpdateJob(ctx, job); err != nil {
		return w.superseded(ctx, job, "record failed attempt at", err)
	}

	w.log().WarnContext(ctx, "email not sent, will retry", append(w.attrs(job),
		slog.Time("retry_at", job.NotBefore), slog.String("error", reason))...)
	return nil
}

func (w *Worker) setAside(ctx context.Context, job *app.Job, reason string) error {
	job.State, job.LastError = app.JobFailed, reason
	job.LeasedBy, job.LeaseUntil = "", time.Time{}
	if err := w.Store.UpdateJob(ctx, job); err != nil {
		return w.superseded(ctx, job, "set aside", err)
	}
	w.log().ErrorContext(ctx, "email set aside", append(w.attrs(job), slog.String("error", reason))...)
	return nil
}

// backoff is the wait after failed attempt n: Backoff, doubled for each
// attempt before it, never more than MaxBackoff.
func (w *Worker) backoff(n int) time.Duration {
	d, most := w.Backoff, w.MaxBackoff
	if d <= 0 {
		d = DefaultBackoff
	}
	if most <= 0 {
		most = DefaultMaxBackoff
	}

	for i := 1; i < n && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}

// superseded handles a failed write of an attempt's result. EConflict
// means this attempt outlived its lease and a later one has started: the
// later attempt's record stands, and this one is only logged.
func (w *Worker) superseded(ctx context.Context, job *app.Job, what string, err error) error {
	if app.ErrorCode(err) != app.EConflict {
		return fmt.Errorf("%s email %s: %w", what, job.ID, err)
	}
	w.log().WarnContext(ctx, "email attempt outlived its lease", w.attrs(job)...)
	return nil
}

// attrs are what every line about an attempt says: ids and the kind of
// email, never its recipient.
func (w *Worker) attrs(job *app.Job) []any {
	return []any{slog.String("job_id", job.ID), slog.String("worker_id", w.ID),
		slog.String("kind", job.Message.Kind), slog.Int("attempt", job.Attempts)}
}
