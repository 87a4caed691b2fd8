package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// fullSession publishes validOffer and fills its 60 places with one
// booking of each size, from schools it makes, and returns the bookings
// with the offer and the schools.
func (e *env) fullSession(t *testing.T, employer *app.Actor, sizes ...int) (*app.Offer, []*app.Booking, []*app.Actor) {
	t.Helper()
	o := e.publish(t, employer, nil)
	var bs []*app.Booking
	var schools []*app.Actor
	for i, n := range sizes {
		a := e.bookerSchool(t, fmt.Sprintf("1160%02d", i))
		schools = append(schools, a)
		bs = append(bs, e.mustBook(t, a, o.Sessions[0].ID, pupils(n, 9)))
	}
	return o, bs, schools
}

// joinWaitlist asks for places on a full session, waitlist allowed.
func (e *env) joinWaitlist(t *testing.T, a *app.Actor, sessionID string, places int) *app.WaitlistEntry {
	t.Helper()
	in := pupils(places, 10)
	in.Waitlist = true
	b, w, err := e.svc.Book(context.Background(), a, sessionID, in)
	if err != nil || b != nil || w == nil || w.State != app.WaitWaiting {
		t.Fatalf("join waitlist: %+v, %+v, %v", b, w, err)
	}
	return w
}

func (e *env) entry(t *testing.T, id string) *app.WaitlistEntry {
	t.Helper()
	w, err := e.store.GetWaitlistEntry(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestWaitlistHoldBecomesABooking(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o, bs, _ := e.fullSession(t, employer, 60)
	first, ses := bs[0], o.Sessions[0]
	school := e.bookerSchool(t, "116101")

	w := e.joinWaitlist(t, school, ses.ID, 20)
	if got := e.jobs(t, "waitlist/"+w.ID+"/waitlist_joined/"); len(got) != 1 {
		t.Fatalf("joined emails %v", got)
	}
	again := pupils(5, 10)
	again.Waitlist = true
	_, _, err := e.svc.Book(ctx, school, ses.ID, again)
	wantCode(t, err, app.EConflict)
	view, _, _ := e.svc.GetSession(ctx, school, ses.ID)
	if view.Waiting != 1 || view.PlacesLeft != 0 {
		t.Fatalf("session view %+v", view)
	}
	_, err = e.svc.TakeHold(ctx, school, w.ID)
	if !strings.Contains(app.ErrorMessage(err), "No places are held for you yet") {
		t.Fatalf("taking a hold not offered: %v", err)
	}

	if _, err := e.svc.MoveBooking(ctx, employer, first.ID, app.MoveDecline, app.MoveInput{Reason: "Room too small"}); err != nil {
		t.Fatal(err)
	}
	held := e.entry(t, w.ID)
	owners, taken := e.placesTaken(t, o.ID, ses.ID, ses.Places)
	if held.State != app.WaitHeld || !held.HoldUntil.Equal(e.now.Add(app.DefaultHold).UTC()) ||
		len(held.PlaceNumbers) != 20 || len(owners) != 20 || taken != 20 || owners[held.PlaceNumbers[0]] != w.ID {
		t.Fatalf("hold %+v; %d claims, %d taken", held, len(owners), taken)
	}
	hold := e.job(t, "waitlist/"+w.ID+"/hold_offered/"+school.UserID).Message
	if hold.Kind != app.LetterHoldOffered || !strings.Contains(hold.Text, "until") ||
		!strings.Contains(hold.Text, ses.Start.In(app.London).Format("2 January 2006")) {
		t.Fatalf("hold email does not name the session's day: %+v", hold)
	}

	_, err = e.svc.TakeHold(ctx, employer, w.ID)
	wantCode(t, err, app.ENotFound)
	b, err := e.svc.TakeHold(ctx, school, w.ID)
	if err != nil || b.ID != w.ID || b.State != app.BookingRequested || b.Places != 20 || b.WaitlistID != w.ID {
		t.Fatalf("take hold: %+v, %v", b, err)
	}
	if repeat, err := e.svc.TakeHold(ctx, school, w.ID); err != nil || repeat.ID != b.ID {
		t.Fatalf("taking again: %v", err)
	}
	if e.entry(t, w.ID).State != app.WaitBooked || len(e.stored(t, b.ID).PlaceNumbers) != 20 {
		t.Fatal("entry not booked, or booking without its places")
	}
	if owners, taken := e.placesTaken(t, o.ID, ses.ID, ses.Places); len(owners) != 20 || taken != 20 {
		t.Fatalf("after taking: %d claims, %d taken", len(owners), taken)
	}
	list, err := e.svc.ListMyWaitlist(ctx, school)
	if err != nil || len(list) != 0 {
		t.Fatalf("waitlist after booking: %d entries, %v", len(list), err)
	}
}

func TestWaitlistHoldLapsesToTheNext(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o, bs, schools := e.fullSession(t, employer, 50, 10)
	ses := o.Sessions[0]
	big := e.bookerSchool(t, "116110")
	slow := e.bookerSchool(t, "116111")
	next := e.bookerSchool(t, "116112")

	// The list is kept in the order people joined it.
	wBig := e.joinWaitlist(t, big, ses.ID, 40)
	e.now = e.now.Add(time.Second)
	wSlow := e.joinWaitlist(t, slow, ses.ID, 10)
	e.now = e.now.Add(time.Second)
	wNext := e.joinWaitlist(t, next, ses.ID, 10)

	// Only 10 places free up: the first entry whose places fit is held.
	if _, err := e.svc.MoveBooking(ctx, schools[1], bs[1].ID, app.MoveCancel, app.MoveInput{Reason: "Trip cancelled"}); err != nil {
		t.Fatal(err)
	}
	if e.entry(t, wBig.ID).State != app.WaitWaiting || e.entry(t, wSlow.ID).State != app.WaitHeld ||
		e.entry(t, wNext.ID).State != app.WaitWaiting {
		t.Fatalf("states %s %s %s", e.entry(t, wBig.ID).State, e.entry(t, wSlow.ID).State, e.entry(t, wNext.ID).State)
	}

	e.now = e.now.Add(app.DefaultHold - time.Minute)
	if err := e.svc.SweepBookings(ctx); err != nil {
		t.Fatal(err)
	}
	if e.entry(t, wSlow.ID).State != app.WaitHeld {
		t.Fatal("the hold lapsed early")
	}
	e.now = e.now.Add(time.Minute)
	if err := e.svc.SweepBookings(ctx); err != nil {
		t.Fatal(err)
	}
	lapsed, passed := e.entry(t, wSlow.ID), e.entry(t, wNext.ID)
	if lapsed.State != app.WaitLapsed || passed.State != app.WaitHeld || !passed.HoldUntil.Equal(e.now.Add(app.DefaultHold).UTC()) {
		t.Fatalf("after the hold ran out: %s, next %s until %v", lapsed.State, passed.State, passed.HoldUntil)
	}
	if got := e.jobs(t, "waitlist/"+wSlow.ID+"/hold_lapsed/"); len(got) != 1 {
		t.Fatalf("lapse emails %v", got)
	}
	_, err := e.svc.TakeHold(ctx, slow, wSlow.ID)
	wantCode(t, err, app.EConflict)
	owners, taken := e.placesTaken(t, o.ID, ses.ID, ses.Places)
	if len(owners) != 60 || taken != 60 || owners[passed.PlaceNumbers[0]] != wNext.ID {
		t.Fatalf("%d claims, %d taken", len(owners), taken)
	}

	// Leaving gives the held places back, and nobody waiting fits them but
	// the big group, which needs more.
	if err := e.svc.LeaveWaitlist(ctx, next, wNext.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.LeaveWaitlist(ctx, next, wNext.ID); app.ErrorCode(err) != app.EConflict {
		t.Fatalf("leaving twice: %v", err)
	}
	if owners, _ := e.placesTaken(t, o.ID, ses.ID, ses.Places); len(owners) != 50 || e.entry(t, wBig.ID).State != app.WaitWaiting {
		t.Fatalf("after leaving: %d claims", len(owners))
	}
}

// TestArchivingAnOfferClosesItsWaitlist covers an employer withdrawing an
// offer: refused while organisations hold bookings on it, since they must
// be told why; once they are cancelled, archiving closes the waiting list,
// gives back held places and tells the organisations waiting.
func TestArchivingAnOfferClosesItsWaitlist(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o, bs, _ := e.fullSession(t, employer, 50, 10)
	ses := o.Sessions[0]
	first := e.bookerSchool(t, "116201")
	held := e.joinWaitlist(t, first, ses.ID, 10)
	waiting := e.joinWaitlist(t, e.bookerSchool(t, "116202"), ses.ID, 30)

	_, err := e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferArchived)
	wantCode(t, err, app.EConflict)
	if !strings.Contains(app.ErrorMessage(err), "This offer has 2 bookings still to come. Cancel them first") {
		t.Fatalf("archiving a booked offer: %v", err)
	}
	if got, err := e.store.GetOffer(ctx, o.ID); err != nil || got.Status != app.OfferPublished {
		t.Fatalf("the refused archive left the offer %+v, %v", got, err)
	}

	for _, b := range bs {
		if _, err := e.svc.MoveBooking(ctx, employer, b.ID, app.MoveCancel,
			app.MoveInput{Reason: "The site is closing"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.entry(t, held.ID); got.State != app.WaitHeld {
		t.Fatalf("the first waiting is %s after the cancellations, want held", got.State)
	}
	archived, err := e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferArchived)
	if err != nil {
		t.Fatalf("archiving once the bookings are cancelled: %v", err)
	}
	if left := archived.Sessions[0].PlacesLeft(); left != ses.Places {
		t.Errorf("archiving answered %d places left, want all %d back", left, ses.Places)
	}
	for _, w := range []*app.WaitlistEntry{held, waiting} {
		if got := e.entry(t, w.ID); got.State != app.WaitClosed {
			t.Errorf("entry %s is %s, want closed", w.ID, got.State)
		}
		if got := e.jobs(t, "waitlist/"+w.ID+"/waitlist_closed/"); len(got) != 1 {
			t.Errorf("closed emails for %s: %v, want one", w.ID, got)
		}
	}
	if owners, taken := e.placesTaken(t, o.ID, ses.ID, ses.Places); len(owners) != 0 || taken != 0 {
		t.Errorf("%d places still claimed on the archived offer, %d counted taken", len(owners), taken)
	}
	_, err = e.svc.TakeHold(ctx, first, held.ID)
	if !strings.Contains(app.ErrorMessage(err), "closed, as the employer withdrew the offer") {
		t.Errorf("taking the closed hold: %v", err)
	}
}

// TestAPausedOfferTakesNoBookingsAndOffersNoHolds checks that a paused
// offer says why it cannot be booked, and that places freed meanwhile are
// held for the waiting list only once it is published again.
func TestAPausedOfferTakesNoBookingsAndOffersNoHolds(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o, bs, _ := e.fullSession(t, employer, 60)
	ses := o.Sessions[0]
	waiting := e.joinWaitlist(t, e.bookerSchool(t, "116301"), ses.ID, 10)

	if _, err := e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferPaused); err != nil {
		t.Fatal(err)
	}
	_, _, err := e.svc.Book(ctx, e.bookerSchool(t, "116302"), ses.ID, pupils(5, 9))
	wantCode(t, err, app.EConflict)
	if !strings.Contains(app.ErrorMessage(err), "This offer is paused") {
		t.Fatalf("booking a paused offer: %v", err)
	}
	_, _, err = e.svc.GetSession(ctx, e.bookerSchool(t, "116303"), ses.ID)
	if !strings.Contains(app.ErrorMessage(err), "This offer is paused") {
		t.Fatalf("reading a paused offer's session: %v", err)
	}

	if _, err := e.svc.MoveBooking(ctx, employer, bs[0].ID, app.MoveCancel,
		app.MoveInput{Reason: "Fewer staff"}); err != nil {
		t.Fatal(err)
	}
	if got := e.entry(t, waiting.ID); got.State != app.WaitWaiting {
		t.Fatalf("a paused offer's freed places were held: entry %s", got.State)
	}

	if _, err := e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferPublished); err != nil {
		t.Fatal(err)
	}
	if got := e.entry(t, waiting.ID); got.State != app.WaitHeld {
		t.Fatalf("after publishing again the entry is %s, want held", got.State)
	}
}

// TestWaitlistConcurrentJoinsWaitOncePerOrganisation sends many waitlist joins
// from one school at once, with a few from other schools, through two
// services standing for two app instances. Each school must end up with
// exactly one waiting entry and one email; the rest are told it waits
// already. Once its entry ends, the school can join again.
func TestWaitlistConcurrentJoinsWaitOncePerOrganisation(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	o, _, _ := e.fullSession(t, e.employer(t), 60)
	ses := o.Sessions[0]
	other := *e.svc
	tries := map[*app.Actor]int{e.bookerSchool(t, "116401"): 24}
	for i := range 3 {
		tries[e.bookerSchool(t, fmt.Sprintf("11641%d", i))] = 4
	}

	type result struct {
		a   *app.Actor
		w   *app.WaitlistEntry
		err error
	}
	results := make(chan result, 40)
	start := make(chan struct{})
	var wg sync.WaitGroup
	n := 0
	for a, times := range tries {
		for range times {
			svc := e.svc
			if n++; n%2 == 0 {
				svc = &other
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := pupils(1, 10)
				in.Waitlist = true
				<-start
				_, w, err := svc.Book(ctx, a, ses.ID, in)
				results <- result{a, w, err}
			}()
		}
	}
	close(start)
	wg.Wait()
	close(results)

	joined := map[string]*app.WaitlistEntry{}
	for r := range results {
		if r.err != nil {
			if !strings.Contains(app.ErrorMessage(r.err), "is on this session's waitlist already") {
				t.Fatalf("a repeated join was told %v", r.err)
			}
			wantCode(t, r.err, app.EConflict)
			continue
		}
		if joined[r.a.OrgID] != nil {
			t.Fatalf("%s joined twice: %s and %s", r.a.OrgID, joined[r.a.OrgID].ID, r.w.ID)
		}
		joined[r.a.OrgID] = r.w
	}
	list, err := e.store.ListWaitlist(ctx, ses.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(joined) != len(tries) || len(list) != len(tries) {
		t.Fatalf("%d schools told they joined, %d entries stored, want %d", len(joined), len(list), len(tries))
	}
	for _, w := range list {
		if joined[w.OrgID] == nil || joined[w.OrgID].ID != w.ID {
			t.Fatalf("stored entry %s of %s was never reported as made", w.ID, w.OrgID)
		}
	}
	if got := e.jobs(t, "waitlist/"); len(got) != len(tries) {
		t.Fatalf("%d waitlist emails queued, want one per school: %v", len(got), got)
	}

	for a := range tries {
		if err := e.svc.LeaveWaitlist(ctx, a, joined[a.OrgID].ID); err != nil {
			t.Fatal(err)
		}
		e.joinWaitlist(t, a, ses.ID, 2)
	}
}
