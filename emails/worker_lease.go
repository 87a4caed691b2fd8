package emails

import (
	"errors"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/wneessen/go-mail"
)

// nextAttempt is the attempt number to lease for a job. Normally it is the
// one after the last recorded; but when this worker has found that
// number leased for two whole lease periods while the job recorded
// nothing, the worker that leased it stopped before it could say so, and
// the number after is tried instead.
func (w *Worker) nextAttempt(j *app.Job, now time.Time) int {
	w.mu.Lock()
	defer w.mu.Unlock()

	n := j.Attempts + 1
	for {
		first, seen := w.blocked[blockKey(j.ID, n)]
		if !seen || now.Sub(first) < 2*w.lease() {
			return n
		}
		n++
	}
}

// noteBlocked remembers when attempt n of a job was first found leased.
func (w *Worker) noteBlocked(id string, n int, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()

	if w.blocked == nil {
		w.blocked = map[string]time.Time{}
	}
	if _, seen := w.blocked[blockKey(id, n)]; !seen {
		w.blocked[blockKey(id, n)] = now
	}
}

// prepare starts a pass: it names the worker if nobody did, and drops
// what noteBlocked kept long ago, so the memory stays small however many
// jobs pass.
func (w *Worker) prepare(now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()

	if w.ID == "" {
		w.ID = "worker-" + app.NewSecret()[:12]
	}
	for k, first := range w.blocked {
		if now.Sub(first) > 10*w.lease() {
			delete(w.blocked, k)
		}
	}
}

func blockKey(id string, n int) string { return id + "\x00" + strconv.Itoa(n) }

// permanent reports whether sending again cannot help: the message
// cannot be built, or the server refused it with a 5xx reply.
func permanent(err error) bool {
	if app.ErrorCode(err) == app.EInvalid {
		return true
	}
	var se *mail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode() >= 500 && se.ErrorCode() <= 599
	}
	return false
}

var addressLike = regexp.MustCompile(`[^\s<>"'(),;:\[\]]+@[^\s<>"'(),;:\[\]]+`)

// safeReason is an error as the outbox keeps it and the coordinator sees
// it: on one line, short, and with every email address (which SMTP
// errors like to quote) replaced.
func safeReason(err error) string {
	s := addressLike.ReplaceAllString(err.Error(), "[address]")
	s = strings.Join(strings.Fields(s), " ")
	const most = 300
	if len(s) > most {
		s = strings.ToValidUTF8(s[:most], "") + "…"
	}
	return s
}

// Settings with their defaults.

func (w *Worker) lease() time.Duration { return orDefault(w.Lease, DefaultLease) }
func (w *Worker) poll() time.Duration  { return orDefault(w.Poll, DefaultPoll) }
func (w *Worker) batch() int           { return orDefault(w.Batch, DefaultBatch) }
func (w *Worker) parallel() int        { return orDefault(w.Parallel, DefaultParallel) }
func (w *Worker) maxAttempts() int     { return orDefault(w.MaxAttempts, DefaultMaxAttempts) }
func orDefault[T int | time.Duration](v, d T) T {
	if v <= 0 {
		return d
	}
	return v
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Worker) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.New(slog.DiscardHandler)
}
