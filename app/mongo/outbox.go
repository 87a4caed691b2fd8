package mongo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/encounters/encounters/app"
)

// The outbox keeps jobs by _id in "outbox" for good. A pending job also
// has an entry in outbox_due, and a failed one in outbox_failed, so the
// worker's DueJobs and the coordinator's failed-jobs page read entries as
// few as the jobs waiting rather than the whole sent history.
//
// Leases are documents in outbox_leases whose _id is the job id and the
// attempt number, so LeaseJob is an insert, which every engine keeps
// atomic: each attempt of a job is leased at most once, ever.
//
// A worker that crashes while holding attempt n leaves the job pending,
// with Attempts n and LeaseUntil in the past once its lease runs out;
// DueJobs lists it again from then, and the next worker leases attempt
// n+1. A worker that is slow rather than dead may still be sending
// attempt n when attempt n+1 is leased, so a lease must be long enough to
// cover one send; UpdateJob refuses the slow worker's write afterwards
// (EConflict) so that it cannot undo the newer attempt's record.

// jobEntry lists a pending job in outbox_due or a failed one in
// outbox_failed.
type jobEntry struct {
	ID        string    `bson:"_id"` // the job id
	NotBefore time.Time `bson:"not_before"`
	CreatedAt time.Time `bson:"created_at"`
}

func (e jobEntry) key() string { return e.ID }

func (e jobEntry) same(o jobEntry) bool {
	return e.ID == o.ID && e.NotBefore.Equal(o.NotBefore) && e.CreatedAt.Equal(o.CreatedAt)
}

func jobEntryOf(j *app.Job) jobEntry {
	return jobEntry{ID: j.ID, NotBefore: j.NotBefore.UTC(), CreatedAt: j.CreatedAt.UTC()}
}

// jobLists maps the job states that have a listing to its collection.
var jobLists = map[string]string{app.JobPending: colDueJobs, app.JobFailed: colFailedJobs}

// jobLease is one leased attempt of a job.
type jobLease struct {
	ID        string    `bson:"_id"` // job id + "/" + attempt
	JobID     string    `bson:"job_id"`
	Attempt   int       `bson:"attempt"`
	Worker    string    `bson:"worker"`
	Until     time.Time `bson:"until"`
	CreatedAt time.Time `bson:"created_at"`
}

// AddJob queues j unless a job with its id exists, and reports whether it
// was added. Queuing one id twice, even concurrently, adds it once; queuing
// a pending job again makes sure the worker's list holds it.
func (s *Store) AddJob(ctx context.Context, j *app.Job) (bool, error) {
	if j.ID == "" {
		return false, fmt.Errorf("add job: empty id")
	}
	old, err := getByID[app.Job](ctx, s.c(colJobs), j.ID, "job")
	switch {
	case err == nil && old.State == app.JobPending:
		// An old job keeps its record. A pending one gets its entry back
		// if a crash lost it, so queuing a job again puts it back in front
		// of the worker; addDoc leaves an entry that is there alone.
		return false, addDoc(ctx, s.c(colDueJobs), j.ID, jobEntryOf(old))
	case err == nil:
		return false, nil
	case app.ErrorCode(err) != app.ENotFound:
		return false, err
	}

	if coll, ok := jobLists[j.State]; ok {
		if err := addDoc(ctx, s.c(coll), j.ID, jobEntryOf(j)); err != nil {
			return false, err
		}
	}
	_, err = s.c(colJobs).InsertOne(ctx, j)
	switch {
	case isDuplicate(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("add job %s: %w", j.ID, err)
	}
	return true, nil
}

// GetJob returns the job with the id, or ENotFound.
func (s *Store) GetJob(ctx context.Context, id string) (*app.Job, error) {
	return getByID[app.Job](ctx, s.c(colJobs), id, "job")
}

// DueJobs returns up to limit pending jobs whose NotBefore is not after
// now and whose lease, if any, ran out by now, oldest first. A zero limit
// means 50; none is longer than 500. It reads outbox_due, which lists only
// pending jobs.
func (s *Store) DueJobs(ctx context.Context, now time.Time, limit int) ([]*app.Job, error) {
	_, lim := pageBounds(0, limit)
	l := smallListing[app.Job, jobEntry]{
		entries: colDueJobs, docs: colJobs, what: "job",
		filter: bson.D{{Key: "not_before", Value: bson.D{{Key: "$lte", Value: now.UTC()}}}},
		docID:  func(e jobEntry) string { return e.ID },
		want:   func(j *app.Job) (jobEntry, bool) { return jobEntryOf(j), j.State == app.JobPending },
		keep: func(j *app.Job) bool {
			return j.State == app.JobPending && !j.NotBefore.After(now) && !j.LeaseUntil.After(now)
		},
	}

	es, err := readEntries[jobEntry](ctx, s, l.entries, l.filter)
	if err != nil {
		return nil, err
	}
	sortOldest(es)
	return fetchListed(ctx, s, l, es, int(lim))
}

// sortOldest orders job entries by creation, then id.
func sortOldest(es []jobEntry) {
	slices.SortFunc(es, func(a, b jobEntry) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// LeaseJob claims attempt number attempt (from 1) of job id for worker
// until the given time. Of any number of calls for one job and attempt,
// concurrent or not, exactly one succeeds on every engine; the others get
// EConflict. A job that is no longer pending is EConflict too, and a
// missing one ENotFound.
//
// After it succeeds the job shows Attempts = attempt, LeasedBy = worker and
// LeaseUntil = until, so that if the worker dies another one sees, once
// until has passed, that attempt+1 is next. The lease itself is never
// given back: a job's attempts are numbered for good.
func (s *Store) LeaseJob(ctx context.Context, id string, attempt int, worker string, until time.Time) error {
	if attempt < 1 || worker == "" {
		return fmt.Errorf("lease job %s: attempt %d for worker %q", id, attempt, worker)
	}
	j, err := s.GetJob(ctx, id)
	if err != nil {
		return err
	}
	if j.State != app.JobPending {
		return app.Errorf(app.EConflict, "This email is no longer waiting to be sent.")
	}

	lease := jobLease{ID: id + "/" + strconv.Itoa(attempt), JobID: id, Attempt: attempt, Worker: worker,
		Until: until.UTC(), CreatedAt: s.now().UTC()}
	_, err = s.c(colJobLeases).InsertOne(ctx, lease)
	if isDuplicate(err) {
		return app.Errorf(app.EConflict, "Attempt %d of this email is taken by another worker.", attempt)
	}
	if err != nil {
		return fmt.Errorf("lease job %s: %w", lease.ID, err)
	}

	set := bson.D{{Key: "attempts", Value: attempt}, {Key: "leased_by", Value: worker},
		{Key: "lease_until", Value: until.UTC()}}
	if _, err := s.c(colJobs).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: set}}); err != nil {
		return fmt.Errorf("lease job %s: %w", lease.ID, err)
	}
	return nil
}

// UpdateJob writes j whole after an attempt and moves its entries: kept in
// outbox_due while pending, in outbox_failed while failed, in neither once
// sent. A missing job is ENotFound. When the stored job has a later
// attempt than j.Attempts (another worker leased it since j was read) it
// is EConflict and nothing is written: on MongoDB atomically, on FerretDB
// by a read just before the write.
func (s *Store) UpdateJob(ctx context.Context, j *app.Job) error {
	had, err := s.GetJob(ctx, j.ID)
	if err != nil {
		return err
	}
	if had.Attempts > j.Attempts {
		return staleAttempt(j)
	}

	if coll, ok := jobLists[j.State]; ok {
		if err := putDoc(ctx, s.c(coll), j.ID, jobEntryOf(j)); err != nil {
			return err
		}
	}
	if err := s.replaceJob(ctx, j); err != nil {
		return err
	}
	for state, coll := range jobLists {
		if state != j.State {
			if err := deleteID(ctx, s.c(coll), j.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

func staleAttempt(j *app.Job) error {
	return app.Errorf(app.EConflict, "A later attempt of this email has started since attempt %d.", j.Attempts)
}

// replaceJob writes the job unless, on MongoDB, a later attempt has been
// leased since.
func (s *Store) replaceJob(ctx context.Context, j *app.Job) error {
	if s.engine != EngineMongoDB {
		return replace(ctx, s.c(colJobs), j.ID, j, "job")
	}

	filter := bson.D{{Key: "_id", Value: j.ID}, {Key: "attempts", Value: bson.D{{Key: "$lte", Value: j.Attempts}}}}
	res, err := s.c(colJobs).ReplaceOne(ctx, filter, j)
	switch {
	case err != nil:
		return fmt.Errorf("update job %s: %w", j.ID, err)
	case res.MatchedCount == 0:
		return staleAttempt(j)
	}
	return nil
}

// ListJobs returns one page of the jobs in one state, newest first, and
// how many there are. Pending and failed jobs come from their entries;
// sent ones from the outbox itself, which FerretDB scans. A zero limit
// means 50; no page is longer than 500.
func (s *Store) ListJobs(ctx context.Context, state string, offset, limit int) ([]*app.Job, int, error) {
	coll, listed := jobLists[state]
	if !listed {
		return findPage[app.Job](ctx, s.c(colJobs), bson.D{{Key: "state", Value: state}}, newestFirst,
			offset, limit)
	}

	l := smallListing[app.Job, jobEntry]{
		entries: coll, docs: colJobs, what: "job", filter: bson.D{},
		docID: func(e jobEntry) string { return e.ID },
		want:  func(j *app.Job) (jobEntry, bool) { return jobEntryOf(j), j.State == state },
		keep:  func(j *app.Job) bool { return j.State == state },
	}
	return listPaged(ctx, s, l, newestFirst, func(a, b jobEntry) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	}, offset, limit)
}
