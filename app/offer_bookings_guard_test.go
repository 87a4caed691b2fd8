package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// TestADraftKeepsNoBookings checks that an offer goes back to draft only
// once no bookings are still to come, as archiving does, with pausing
// suggested meanwhile, and that going back to draft then closes its
// waitlists and tells those on them.
func TestADraftKeepsNoBookings(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o, bs, _ := e.fullSession(t, employer, 50, 10)
	ses := o.Sessions[0]
	holder := e.bookerSchool(t, "116401")
	held := e.joinWaitlist(t, holder, ses.ID, 10)
	waiting := e.joinWaitlist(t, e.bookerSchool(t, "116402"), ses.ID, 30)
	if _, err := e.svc.MoveBooking(ctx, employer, bs[1].ID, app.MoveCancel,
		app.MoveInput{Reason: "Fewer staff that day"}); err != nil {
		t.Fatal(err)
	}
	if got := e.entry(t, held.ID); got.State != app.WaitHeld {
		t.Fatalf("the first waiting is %s, want held", got.State)
	}

	_, err := e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferDraft)
	wantCode(t, err, app.EConflict)
	if msg := app.ErrorMessage(err); !strings.Contains(msg, "This offer has 1 booking still to come") ||
		!strings.Contains(msg, "pause it instead") || !strings.Contains(msg, "cancel it first, with a reason") {
		t.Fatalf("a booked offer back to draft: %v", err)
	}
	if got, err := e.store.GetOffer(ctx, o.ID); err != nil || got.Status != app.OfferPublished || !got.Public {
		t.Fatalf("the refused draft left the offer %+v, %v", got, err)
	}
	if got := e.entry(t, held.ID); got.State != app.WaitHeld {
		t.Fatalf("the refused draft left the hold %s", got.State)
	}

	if _, err := e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferPaused); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferDraft)
	wantCode(t, err, app.EConflict)
	if !strings.Contains(app.ErrorMessage(err), "Keep it paused instead") {
		t.Fatalf("a booked paused offer back to draft: %v", err)
	}

	if _, err := e.svc.MoveBooking(ctx, employer, bs[0].ID, app.MoveCancel,
		app.MoveInput{Reason: "The site is closing"}); err != nil {
		t.Fatal(err)
	}
	draft, err := e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferDraft)
	if err != nil || draft.Status != app.OfferDraft || draft.Public {
		t.Fatalf("back to draft once the bookings are cancelled: %+v, %v", draft, err)
	}
	if left := draft.Sessions[0].PlacesLeft(); left != ses.Places {
		t.Errorf("the draft answered %d places left, want all %d back", left, ses.Places)
	}
	for _, w := range []*app.WaitlistEntry{held, waiting} {
		if got := e.entry(t, w.ID); got.State != app.WaitClosed {
			t.Errorf("entry %s is %s, want closed", w.ID, got.State)
		}
		if got := e.jobs(t, "waitlist/"+w.ID+"/waitlist_closed/"); len(got) != 1 {
			t.Errorf("closed emails for %s: %v, want one", w.ID, got)
		}
	}
	if owners, _ := e.placesTaken(t, o.ID, ses.ID, ses.Places); len(owners) != 0 {
		t.Errorf("%d places still claimed on the draft", len(owners))
	}
}

// TestTheTypeStaysWhileBookedForIt checks that an offer's type cannot
// change while bookings made for it are requested or confirmed for
// sessions not yet ended, since their safeguarding checklist comes with
// the type, and that other edits go on working.
func TestTheTypeStaysWhileBookedForIt(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o := e.publish(t, employer, func(in *app.OfferInput) { in.Audience = []string{"y10"} })
	ses := o.Sessions[0]
	requested := e.mustBook(t, e.bookerSchool(t, "116501"), ses.ID, pupils(5, 10))
	confirmed := e.confirm(t, employer, e.mustBook(t, e.bookerSchool(t, "116502"), ses.ID, pupils(5, 10)))

	edit := func(typ, title string) app.OfferInput {
		in := validOffer()
		in.Type, in.Title, in.Audience = typ, title, []string{"y10"}
		in.Sessions[0].ID = ses.ID
		return in
	}
	_, err := e.svc.UpdateOffer(ctx, employer, o.ID, edit(app.TypeWorkExperience, o.Title))
	wantField(t, err, "type", "This offer has 2 bookings requested or confirmed as a careers talk")
	wantField(t, err, "type", "Cancel those bookings first, with a reason")
	wantField(t, err, "type", "publish a new offer as work experience")
	if got, _ := e.store.GetOffer(ctx, o.ID); got.Type != app.TypeCareersTalk {
		t.Fatalf("the refused edit stored type %s", got.Type)
	}

	retitled, err := e.svc.UpdateOffer(ctx, employer, o.ID, edit(app.TypeCareersTalk, "Detector engineering careers talk"))
	if err != nil || retitled.Title != "Detector engineering careers talk" {
		t.Fatalf("an edit keeping the type: %+v, %v", retitled, err)
	}

	t.Run("bookings of sessions that have ended do not hold it", func(t *testing.T) {
		e.now = testEnd.Add(time.Hour)
		defer func() { e.now = testNow }()
		in := edit(app.TypeWorkplaceVisit, "Detector engineering careers talk")
		in.Sessions[0].Start, in.Sessions[0].End = "2026-03-10T09:30", "2026-03-10T11:00"
		if _, err := e.svc.UpdateOffer(ctx, employer, o.ID, in); err != nil {
			t.Fatalf("a new type once the session ended: %v", err)
		}
		if _, err := e.svc.UpdateOffer(ctx, employer, o.ID, edit(app.TypeCareersTalk, in.Title)); err != nil {
			t.Fatal(err)
		}
	})

	for _, b := range []*app.Booking{requested, confirmed} {
		if _, err := e.svc.MoveBooking(ctx, employer, b.ID, app.MoveCancel,
			app.MoveInput{Reason: "This becomes a work experience placement"}); err != nil {
			t.Fatal(err)
		}
	}
	changed, err := e.svc.UpdateOffer(ctx, employer, o.ID, edit(app.TypeWorkExperience, o.Title))
	if err != nil || changed.Type != app.TypeWorkExperience {
		t.Fatalf("a new type once the bookings are cancelled: %+v, %v", changed, err)
	}
}

// TestAddedPlacesGoToTheWaitlistFirst checks that places added to a full
// session are held for those waiting at once, so that a booking made
// directly afterwards cannot take them first.
func TestAddedPlacesGoToTheWaitlistFirst(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o := e.publish(t, employer, func(in *app.OfferInput) { in.Sessions[0].Places = 4 })
	ses := o.Sessions[0]
	e.mustBook(t, e.bookerSchool(t, "116601"), ses.ID, pupils(4, 9))
	first := e.joinWaitlist(t, e.bookerSchool(t, "116602"), ses.ID, 1)
	e.now = e.now.Add(time.Minute) // so that the waitlist's order is plain
	defer func() { e.now = testNow }()
	second := e.joinWaitlist(t, e.bookerSchool(t, "116603"), ses.ID, 1)

	in := validOffer()
	in.Sessions[0].ID, in.Sessions[0].Places = ses.ID, 5
	got, err := e.svc.UpdateOffer(ctx, employer, o.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if taken := got.Sessions[0].PlacesTaken; got.Sessions[0].Places != 5 || taken != 5 {
		t.Errorf("the edit answered %d of %d places taken, want 5 of 5", taken, got.Sessions[0].Places)
	}
	if w := e.entry(t, first.ID); w.State != app.WaitHeld || len(w.PlaceNumbers) != 1 {
		t.Fatalf("the first waiting is %s with places %v, want one place held", w.State, w.PlaceNumbers)
	}
	if w := e.entry(t, second.ID); w.State != app.WaitWaiting {
		t.Fatalf("the second waiting is %s, want still waiting", w.State)
	}
	if got := e.jobs(t, "waitlist/"+first.ID+"/hold_offered/"); len(got) != 1 {
		t.Errorf("hold emails %v, want one", got)
	}

	_, _, err = e.svc.Book(ctx, e.bookerSchool(t, "116604"), ses.ID, pupils(1, 9))
	wantCode(t, err, app.EConflict)
	if !strings.Contains(app.ErrorMessage(err), "This session is full") {
		t.Fatalf("a direct booking of the added place: %v", err)
	}
}
