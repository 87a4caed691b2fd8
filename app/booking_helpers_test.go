package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/emails"
)

// The booking tests book validOffer's session: a careers talk for Years 9
// and 10 at NETpark on Tuesday 10 March 2026, 09:30 to 11:00 London, with
// 60 places.
var (
	testStart = time.Date(2026, time.March, 10, 9, 30, 0, 0, app.London)
	testEnd   = time.Date(2026, time.March, 10, 11, 0, 0, 0, app.London)
)

// newBookingEnv is an env whose service writes emails with the shipped
// templates, so that queued jobs are the real messages.
func newBookingEnv(t testing.TB) *env {
	t.Helper()
	e := newEnv(t)
	tmpl, err := emails.NewTemplates()
	if err != nil {
		t.Fatal(err)
	}
	e.svc.Compose = tmpl
	return e
}

// member stores the user behind an actor, so that emails reach them.
func (e *env) member(t testing.TB, a *app.Actor) *app.User {
	t.Helper()
	u := &app.User{ID: a.UserID, Email: a.UserID + "@example.test", Name: "Member " + a.UserID[4:10],
		OrgID: a.OrgID, Role: a.Role, CreatedAt: e.now}
	if err := e.store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// employer is a verified employer at NETpark with one member.
func (e *env) employer(t testing.TB) *app.Actor {
	t.Helper()
	a := e.org(t, app.KindEmployer, "Kromek Group", pcNetpark, true)
	e.member(t, a)
	return a
}

// bookerSchool is an imported secondary school (ages 11 to 18) with one
// member.
func (e *env) bookerSchool(t testing.TB, urn string) *app.Actor {
	t.Helper()
	a := e.schoolActor(t, urn, pcStanley)
	e.member(t, a)
	return a
}

// publish creates and publishes an offer of the employer's, edited by
// edit (which may be nil), and returns it.
func (e *env) publish(t testing.TB, employer *app.Actor, edit func(*app.OfferInput)) *app.Offer {
	t.Helper()
	ctx := context.Background()
	in := validOffer()
	if edit != nil {
		edit(&in)
	}
	o, err := e.svc.CreateOffer(ctx, employer, in)
	if err != nil {
		t.Fatal(err)
	}
	if o, err = e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferPublished); err != nil {
		t.Fatal(err)
	}
	return o
}

// pupils is a booking of places for pupils of the year groups.
func pupils(places int, years ...int) app.BookingInput {
	return app.BookingInput{Places: places, Group: app.GroupPupils, YearGroups: years}
}

// mustBook books and fails the test on any error or a waitlist answer.
func (e *env) mustBook(t testing.TB, a *app.Actor, sessionID string, in app.BookingInput) *app.Booking {
	t.Helper()
	b, w, err := e.svc.Book(context.Background(), a, sessionID, in)
	if err != nil || b == nil || w != nil {
		t.Fatalf("book: booking %v, waitlist %v, error %v", b, w, err)
	}
	return b
}

// confirm records the employer's assurance and confirms the booking.
func (e *env) confirm(t testing.TB, employer *app.Actor, b *app.Booking) *app.Booking {
	t.Helper()
	ctx := context.Background()
	if _, err := e.svc.UpdateChecklist(ctx, employer, b.ID, app.ChecklistInput{Assurance: true}); err != nil {
		t.Fatal(err)
	}
	b, err := e.svc.MoveBooking(ctx, employer, b.ID, app.MoveConfirm, app.MoveInput{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// placesTaken returns the claims of a session and the offer's copy of
// their count.
func (e *env) placesTaken(t testing.TB, offerID, sessionID string, capacity int) (map[int]string, int) {
	t.Helper()
	ctx := context.Background()
	owners, err := e.store.PlaceOwners(ctx, sessionID, capacity)
	if err != nil {
		t.Fatal(err)
	}
	o, err := e.store.GetOffer(ctx, offerID)
	if err != nil {
		t.Fatal(err)
	}
	ses, _ := o.Session(sessionID)
	return owners, ses.PlacesTaken
}

// jobs returns the ids of the pending jobs whose id starts with prefix,
// sorted.
func (e *env) jobs(t testing.TB, prefix string) []string {
	t.Helper()
	list, _, err := e.store.ListJobs(context.Background(), app.JobPending, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, j := range list {
		if strings.HasPrefix(j.ID, prefix) {
			ids = append(ids, j.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// job returns one job, failing the test when it is missing.
func (e *env) job(t testing.TB, id string) *app.Job {
	t.Helper()
	j, err := e.store.GetJob(context.Background(), id)
	if err != nil {
		t.Fatalf("job %s: %v", id, err)
	}
	return j
}

// stored reads a booking back from the store.
func (e *env) stored(t testing.TB, id string) *app.Booking {
	t.Helper()
	b, err := e.store.GetBooking(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
