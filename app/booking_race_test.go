package app_test

import (
	"context"
	"sync"
	"testing"

	"github.com/encounters/encounters/app"
)

// raceResult is what one concurrent booking attempt was told.
type raceResult struct {
	actor  *app.Actor
	places int
	b      *app.Booking
	err    error
}

// bookConcurrently sends one booking attempt per school at once, each
// through the service chosen for it, and returns what each was told.
func bookConcurrently(schools []*app.Actor, svcFor func(i int) *app.Service, sessionID string) []raceResult {
	results := make([]raceResult, len(schools))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, a := range schools {
		results[i] = raceResult{actor: a, places: 1 + i%5}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			b, _, err := svcFor(i).Book(context.Background(), a, sessionID, pupils(results[i].places, 9))
			results[i].b, results[i].err = b, err
		}()
	}
	close(start)
	wg.Wait()
	return results
}

// checkRace checks what the attempts were told against the store: every
// success is a stored active booking holding exactly its places, every
// refusal is EConflict, and the claims, the stored bookings and the
// offer's count agree. It returns the places taken.
func checkRace(t *testing.T, e *env, o *app.Offer, results []raceResult) int {
	t.Helper()
	ctx := context.Background()
	ses := o.Sessions[0]
	owners, taken := e.placesTaken(t, o.ID, ses.ID, ses.Places)
	held := map[string]int{}
	for _, owner := range owners {
		held[owner]++
	}

	told := map[string]bool{}
	for _, r := range results {
		if r.err != nil {
			wantCode(t, r.err, app.EConflict)
			continue
		}
		stored := e.stored(t, r.b.ID)
		if stored.State != app.BookingRequested || stored.Places != r.places || stored.OrgID != r.actor.OrgID ||
			len(stored.PlaceNumbers) != r.places || held[r.b.ID] != r.places {
			t.Fatalf("booking %s told %d places: stored %+v, holding %d claims", r.b.ID, r.places, stored, held[r.b.ID])
		}
		told[r.b.ID] = true
	}

	active, err := e.store.ListSessionBookings(ctx, ses.ID)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, b := range active {
		if !told[b.ID] {
			t.Fatalf("stored booking %s was never reported as made", b.ID)
		}
		sum += b.Places
	}
	if len(active) != len(told) || sum != len(owners) || taken != len(owners) || len(held) != len(told) {
		t.Fatalf("%d bookings told, %d stored holding %d places; %d places claimed by %d owners; %d taken on the offer",
			len(told), len(active), sum, len(owners), len(held), taken)
	}
	return sum
}

func TestConcurrentBookingNeverOversells(t *testing.T) {
	e := newBookingEnv(t)
	employer := e.employer(t)
	o := e.publish(t, employer, nil) // one session of 60 places
	schools := make([]*app.Actor, 300)
	for i := range schools {
		schools[i] = e.org(t, app.KindSchool, "School", "", true)
	}

	results := bookConcurrently(schools, func(int) *app.Service { return e.svc }, o.Sessions[0].ID)
	if sum := checkRace(t, e, o, results); sum != 60 {
		t.Fatalf("%d places taken, want all 60: demand was 900", sum)
	}
}

// Two services over one store stand for two app instances, which share
// nothing but the database: only the unique place claims keep them from
// overselling.
func TestConcurrentBookingFromTwoInstances(t *testing.T) {
	e := newBookingEnv(t)
	employer := e.employer(t)
	o := e.publish(t, employer, nil)
	other := *e.svc
	schools := make([]*app.Actor, 120)
	for i := range schools {
		schools[i] = e.org(t, app.KindSchool, "School", "", true)
	}

	results := bookConcurrently(schools, func(i int) *app.Service {
		if i%2 == 0 {
			return e.svc
		}
		return &other
	}, o.Sessions[0].ID)

	// Each instance recounts its own writes, so the offer's copy of the
	// count may lag until the sweep recounts the session.
	if err := e.svc.SweepBookings(context.Background()); err != nil {
		t.Fatal(err)
	}
	sum := checkRace(t, e, o, results)
	if sum > 60 || sum == 0 {
		t.Fatalf("%d places taken of 60", sum)
	}
	t.Logf("two instances sold %d of 60 places", sum)
}
