package app_test

import (
	"context"
	"slices"
	"testing"

	"github.com/encounters/encounters/app"
)

// TestBookedFieldsStay checks that an edit cannot take away an audience
// a live booking is for, nor change how or where the offer meets under
// it; that an edit keeping the booked audiences and adding others works;
// and that each change is allowed once the bookings are cancelled.
func TestBookedFieldsStay(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o := e.publish(t, employer, func(in *app.OfferInput) {
		in.Audience = []string{"y9", "y10", app.AudienceTeachers}
	})
	ses := o.Sessions[0]
	year9 := e.mustBook(t, e.bookerSchool(t, "116701"), ses.ID, pupils(5, 9))
	staff := e.confirm(t, employer, e.mustBook(t, e.bookerSchool(t, "116702"), ses.ID,
		app.BookingInput{Places: 2, Group: app.GroupTeachers}))

	edit := func(change func(*app.OfferInput)) app.OfferInput {
		in := validOffer()
		in.Audience = []string{"y9", "y10", app.AudienceTeachers}
		in.Sessions[0].ID = ses.ID
		change(&in)
		return in
	}
	refusals := []struct {
		name        string
		change      func(*app.OfferInput)
		field, part string
	}{
		{"a booked year group dropped", func(in *app.OfferInput) { in.Audience = []string{"y10", "teachers"} },
			"audience", "This offer has 1 booking requested or confirmed for Year 9, so it cannot be taken off"},
		{"booked teachers dropped", func(in *app.OfferInput) { in.Audience = []string{"y9", "y10"} },
			"audience", "1 booking requested or confirmed for teachers"},
		{"both dropped", func(in *app.OfferInput) { in.Audience = []string{"y10", "y11"} },
			"audience", "2 bookings requested or confirmed for Year 9 and teachers, so they cannot be taken off"},
		{"virtual", func(in *app.OfferInput) { in.Delivery, in.Postcode = app.DeliveryVirtual, "" },
			"delivery", "2 bookings requested or confirmed to take place in person"},
		{"hybrid", func(in *app.OfferInput) { in.Delivery = app.DeliveryHybrid },
			"delivery", "depend on whether people come to the workplace"},
		{"another postcode", func(in *app.OfferInput) { in.Postcode = pcConsett },
			"postcode", "2 bookings requested or confirmed at TS21 3FG"},
		{"coming to the school instead", func(in *app.OfferInput) { in.AtSchool, in.AtSchoolKm = true, 20 },
			"at_school", "2 bookings requested or confirmed to meet at the employer's place"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.UpdateOffer(ctx, employer, o.ID, edit(tt.change))
			wantField(t, err, tt.field, tt.part)
			wantField(t, err, tt.field, "first, with a reason, so that the organisations are told")
			if got, _ := e.store.GetOffer(ctx, o.ID); len(got.Audience) != 3 ||
				got.Delivery != app.DeliveryInPerson || got.Postcode != o.Postcode {
				t.Fatalf("the refused edit stored %v, %s at %s", got.Audience, got.Delivery, got.Postcode)
			}
		})
	}

	wider, err := e.svc.UpdateOffer(ctx, employer, o.ID, edit(func(in *app.OfferInput) {
		in.Audience = []string{"y9", "y10", "y11", "teachers", "adults"}
		in.Postcode = "ts213fg"
	}))
	if err != nil || len(wider.Audience) != 5 {
		t.Fatalf("an edit keeping the booked audiences and adding others: %+v, %v", wider, err)
	}

	for _, b := range []*app.Booking{year9, staff} {
		if _, err := e.svc.MoveBooking(ctx, employer, b.ID, app.MoveCancel,
			app.MoveInput{Reason: "The talk moves online for adults"}); err != nil {
			t.Fatal(err)
		}
	}
	changed, err := e.svc.UpdateOffer(ctx, employer, o.ID, edit(func(in *app.OfferInput) {
		in.Audience, in.Delivery, in.Postcode = []string{"adults"}, app.DeliveryVirtual, ""
	}))
	if err != nil || !slices.Equal(changed.Audience, []string{"adults"}) || changed.Delivery != app.DeliveryVirtual {
		t.Fatalf("the changes once the bookings are cancelled: %+v, %v", changed, err)
	}
}

// TestATakenHoldMeetsTheOfferAsItIsNow checks that a waitlist hold is
// checked against the offer as it is when taken: a Year 9 hold on an offer
// since made for adults only is refused as a direct booking is, and the
// hold stays.
func TestATakenHoldMeetsTheOfferAsItIsNow(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o, bs, _ := e.fullSession(t, employer, 60)
	ses := o.Sessions[0]
	school := e.bookerSchool(t, "116801")
	in := pupils(10, 9)
	in.Waitlist = true
	_, w, err := e.svc.Book(ctx, school, ses.ID, in)
	if err != nil || w == nil {
		t.Fatalf("join waitlist: %+v, %v", w, err)
	}
	if _, err := e.svc.MoveBooking(ctx, employer, bs[0].ID, app.MoveCancel,
		app.MoveInput{Reason: "The talk is now for adults"}); err != nil {
		t.Fatal(err)
	}
	if got := e.entry(t, w.ID); got.State != app.WaitHeld {
		t.Fatalf("the entry is %s, want held", got.State)
	}

	edit := validOffer()
	edit.Audience, edit.Sessions[0].ID = []string{"adults"}, ses.ID
	if _, err := e.svc.UpdateOffer(ctx, employer, o.ID, edit); err != nil {
		t.Fatal(err)
	}
	_, _, direct := e.svc.Book(ctx, e.bookerSchool(t, "116802"), ses.ID, pupils(1, 9))
	wantField(t, direct, "year_groups", "This offer is for adults, not Year 9.")

	_, err = e.svc.TakeHold(ctx, school, w.ID)
	wantField(t, err, "year_groups", "This offer is for adults, not Year 9.")
	if got, want := app.ErrorMessage(err), app.ErrorMessage(direct); got != want {
		t.Errorf("the hold was refused with %q, a direct booking with %q", got, want)
	}
	if got := e.entry(t, w.ID); got.State != app.WaitHeld {
		t.Fatalf("the refused hold is %s, want still held", got.State)
	}
	if _, err := e.store.GetBooking(ctx, w.ID); app.ErrorCode(err) != app.ENotFound {
		t.Fatalf("the refused hold made a booking: %v", err)
	}
}
