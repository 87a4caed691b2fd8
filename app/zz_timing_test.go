package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

func TestZZTiming(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o := e.publish(t, employer, nil)
	ses := o.Sessions[0]
	schools := []*app.Actor{}
	for i := 0; i < 5; i++ {
		schools = append(schools, e.bookerSchool(t, fmt.Sprintf("1190%02d", i)))
	}
	for _, s := range schools {
		t0 := time.Now()
		e.mustBook(t, s, ses.ID, pupils(2, 9))
		t.Logf("book %v", time.Since(t0))
	}
	t0 := time.Now()
	e.store.PlaceOwners(ctx, ses.ID, 60)
	t.Logf("owners %v", time.Since(t0))
	t0 = time.Now()
	e.store.ListMembers(ctx, employer.OrgID)
	t.Logf("members %v", time.Since(t0))
	t0 = time.Now()
	e.store.GetBooking(ctx, "bkg_x")
	t.Logf("get %v", time.Since(t0))
	t0 = time.Now()
	e.store.ClaimPlace(ctx, ses.ID, 59, "x")
	t.Logf("claim %v", time.Since(t0))
	t0 = time.Now()
	e.store.SetPlacesTaken(ctx, o.ID, ses.ID, 3)
	t.Logf("set taken %v", time.Since(t0))
	b := e.stored(t, e.mustBook(t, schools[0], ses.ID, pupils(2, 9)).ID)
	t0 = time.Now()
	e.store.UpdateBooking(ctx, b)
	t.Logf("update booking %v", time.Since(t0))
	t0 = time.Now()
	e.svc.Compose.Compose(app.Letter{Kind: "booking_requested", To: "a@b.c", Booking: b})
	t.Logf("compose %v", time.Since(t0))
}
