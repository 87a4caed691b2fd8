package app_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// TestAttendanceCountsCannotOverflow checks that counts too big to add up
// are refused one by one, before they are added, and nothing is stored.
func TestAttendanceCountsCannotOverflow(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "115041")
	o := e.publish(t, employer, nil)
	b := e.confirm(t, employer, e.mustBook(t, school, o.Sessions[0].ID, pupils(5, 9, 10)))
	e.now = testStart.Add(2 * time.Hour)

	bad := []struct {
		name string
		att  []app.Attendance
		part string
	}{
		{"two counts that wrap when added", []app.Attendance{
			{Audience: "y9", Count: math.MaxInt}, {Audience: "y10", Count: math.MaxInt}},
			"but the booking was for 5 places"},
		{"a huge count and a small one", []app.Attendance{
			{Audience: "y9", Count: 2}, {Audience: "y10", Count: math.MaxInt - 1}},
			"but the booking was for 5 places"},
		{"one count over the places", []app.Attendance{{Audience: "y10", Count: 6}},
			"6 people from Year 10, but the booking was for 5 places"},
		{"counts that add up to more", []app.Attendance{{Audience: "y9", Count: 3}, {Audience: "y10", Count: 3}},
			"6 people, but the booking was for 5 places"},
		{"a negative count beside a big one", []app.Attendance{
			{Audience: "y9", Count: math.MinInt}, {Audience: "y10", Count: 5}}, "0 or more"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.MoveBooking(ctx, school, b.ID, app.MoveAttendance, app.MoveInput{Attendance: tc.att})
			wantField(t, err, "attendance", tc.part)
		})
	}

	stored, err := e.store.GetBooking(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.State != app.BookingConfirmed || len(stored.Attendance) != 0 {
		t.Fatalf("after refusals the booking is %s with attendance %+v", stored.State, stored.Attendance)
	}
	att := []app.Attendance{{Audience: "y9", Count: 2}, {Audience: "y10", Count: 3}}
	if _, err := e.svc.MoveBooking(ctx, school, b.ID, app.MoveAttendance, app.MoveInput{Attendance: att}); err != nil {
		t.Fatalf("all 5 came: %v", err)
	}
}

// TestOnlyVerifiedOrganisationsBook checks that a provider, or a college
// the coordinator must verify, cannot book or join a waiting list until
// it is verified, as school staff cannot book until their claim is
// approved; an imported college needs no verification.
func TestOnlyVerifiedOrganisationsBook(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o := e.publish(t, employer, func(in *app.OfferInput) {
		in.Audience = []string{"y12", app.AudienceAdults}
		in.Sessions[0].Places = 10
	})
	sid := o.Sessions[0].ID
	adults := app.BookingInput{Places: 4, Group: app.GroupAdults}

	provider := e.org(t, app.KindProvider, "DurhamWorks", pcConsett, false)
	college := e.org(t, app.KindCollege, "Pop-up College", pcConsett, false)
	for _, tc := range []struct {
		name  string
		actor *app.Actor
		in    app.BookingInput
	}{
		{"unverified provider", provider, adults},
		{"unverified college not from the schools file", college, adults},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, w, err := e.svc.Book(ctx, tc.actor, sid, tc.in)
			wantCode(t, err, app.EForbidden)
			if b != nil || w != nil || !strings.Contains(app.ErrorMessage(err), "has not verified") {
				t.Fatalf("booked %+v / %+v: %v", b, w, err)
			}
		})
	}

	// A full session: the unverified provider cannot wait for it either.
	e.mustBook(t, e.bookerSchool(t, "115042"), sid, pupils(10, 12))
	waitlist := adults
	waitlist.Waitlist = true
	b, w, err := e.svc.Book(ctx, provider, sid, waitlist)
	wantCode(t, err, app.EForbidden)
	if b != nil || w != nil {
		t.Fatalf("joined the waiting list: %+v / %+v", b, w)
	}

	if err := e.svc.VerifyOrganisation(ctx, e.coordinator(t), provider.OrgID, true); err != nil {
		t.Fatal(err)
	}
	if _, w, err := e.svc.Book(ctx, provider, sid, waitlist); err != nil || w == nil {
		t.Fatalf("verified provider joining the waiting list: %+v, %v", w, err)
	}
	verified := e.publish(t, employer, func(in *app.OfferInput) { in.Audience = []string{app.AudienceAdults} })
	e.mustBook(t, provider, verified.Sessions[0].ID, adults)

	imported := e.school(t, "130659", "New College Durham", pcConsett)
	imported.Kind = app.KindCollege
	if err := e.store.UpdateOrg(ctx, imported); err != nil {
		t.Fatal(err)
	}
	e.mustBook(t, &app.Actor{UserID: app.NewID("usr"), OrgID: imported.ID, Role: app.RoleOwner,
		Kind: app.KindCollege}, verified.Sessions[0].ID, adults)
}

// TestSchoolsBookNoAdults checks that a school cannot book places for
// adults, while colleges and providers can.
func TestSchoolsBookNoAdults(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	fair := e.publish(t, employer, func(in *app.OfferInput) {
		in.Type, in.Audience = app.TypeCareersFair, []string{"y11", app.AudienceAdults}
	})
	sid := fair.Sessions[0].ID
	adults := app.BookingInput{Places: 1, Group: app.GroupAdults}

	_, _, err := e.svc.Book(ctx, e.bookerSchool(t, "115043"), sid, adults)
	wantField(t, err, "group", "schools teach no adults")

	college := e.org(t, app.KindCollege, "East Durham College", pcConsett, true)
	provider := e.org(t, app.KindProvider, "DurhamWorks", pcConsett, true)
	for _, a := range []*app.Actor{college, provider} {
		if b := e.mustBook(t, a, sid, adults); b.Group != app.GroupAdults {
			t.Fatalf("booking for %s, want adults", b.Group)
		}
	}
}

// TestSchoolsBookTheYearsTheyTeach books work experience as real schools
// of County Durham: each books the years its ages cover and no other.
func TestSchoolsBookTheYearsTheyTeach(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o := e.publish(t, employer, func(in *app.OfferInput) {
		in.Type, in.Audience = app.TypeWorkExperience, []string{"y10", "y11", "y12", "y13"}
	})
	sid := o.Sessions[0].ID

	school := func(urn, name string, low, high int) *app.Actor {
		org := e.school(t, urn, name, pcStanley)
		org.LowAge, org.HighAge = low, high
		if err := e.store.UpdateOrg(ctx, org); err != nil {
			t.Fatal(err)
		}
		return &app.Actor{UserID: app.NewID("usr"), OrgID: org.ID, Role: app.RoleOwner, Kind: app.KindSchool}
	}
	belmont := school("114308", "Belmont Community School", 11, 16)
	sixthForm := school("114310", "Durham Sixth Form Centre", 16, 19)

	tests := []struct {
		name  string
		actor *app.Actor
		year  int
		want  string
	}{
		{"11 to 16 books Year 11", belmont, 11, ""},
		{"11 to 16 cannot book Year 12", belmont, 12,
			"Belmont Community School teaches pupils aged 11 to 16 (Year 7 to Year 11), so it cannot book places for Year 12."},
		{"16 to 19 books Year 12", sixthForm, 12, ""},
		{"16 to 19 books Year 13", sixthForm, 13, ""},
		{"16 to 19 cannot book Year 11", sixthForm, 11,
			"Durham Sixth Form Centre teaches pupils aged 16 to 19 (Year 12 to Year 13), so it cannot book places for Year 11."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.svc.Book(ctx, tc.actor, sid, pupils(2, tc.year))
			if tc.want == "" {
				wantCode(t, err, "")
				return
			}
			wantField(t, err, "year_groups", tc.want)
		})
	}
}

// TestAPausedOffersSessionCanBeRead checks that a paused offer's session
// is shown with its places and status, while booking it is refused.
func TestAPausedOffersSessionCanBeRead(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o := e.publish(t, employer, nil)
	sid := o.Sessions[0].ID
	e.mustBook(t, e.bookerSchool(t, "115044"), sid, pupils(15, 9))

	got, err := e.svc.GetSessionStatus(ctx, nil, sid)
	if err != nil || got.OfferStatus != app.OfferPublished || !got.TakingBookings || got.PlacesLeft != 45 {
		t.Fatalf("published session: %+v, %v", got, err)
	}

	if _, err := e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferPaused); err != nil {
		t.Fatal(err)
	}
	other := e.bookerSchool(t, "115045")
	for name, a := range map[string]*app.Actor{"anyone": nil, "a school": other, "the employer": employer} {
		got, err := e.svc.GetSessionStatus(ctx, a, sid)
		if err != nil || got.ID != sid || got.OfferStatus != app.OfferPaused || got.TakingBookings ||
			got.Places != 60 || got.PlacesLeft != 45 {
			t.Errorf("%s reading the paused session: %+v, %v", name, got, err)
		}
	}
	_, _, err = e.svc.Book(ctx, other, sid, pupils(5, 9))
	wantCode(t, err, app.EConflict)
	if !strings.Contains(app.ErrorMessage(err), "This offer is paused") {
		t.Fatalf("booking the paused offer: %v", err)
	}
	_, err = e.svc.GetSessionStatus(ctx, other, "ses_0000000000")
	wantCode(t, err, app.ENotFound)
}

// TestAnUnverifiedEmployersPausedSessionStaysHidden checks that pausing
// shows nothing of an offer that was never public.
func TestAnUnverifiedEmployersPausedSessionStaysHidden(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.org(t, app.KindEmployer, "Not Yet Verified Ltd", pcNetpark, false)
	o, err := e.svc.CreateOffer(ctx, employer, validOffer())
	if err != nil {
		t.Fatal(err)
	}
	for _, status := range []string{app.OfferPublished, app.OfferPaused} {
		if _, err := e.svc.SetOfferStatus(ctx, employer, o.ID, status); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.svc.GetSessionStatus(ctx, e.bookerSchool(t, "115046"), o.Sessions[0].ID)
	wantCode(t, err, app.ENotFound)
}

// TestWhyCannotBookAnOfferForNoOneTheSchoolTeaches: a school is told, not
// shown a form, when the offer is for no year it teaches.
func TestWhyCannotBookAnOfferForNoOneTheSchoolTeaches(t *testing.T) {
	sixthForm := &app.Organisation{Name: "Durham Sixth Form Centre", Kind: app.KindSchool, URN: "114310",
		Verified: true, LowAge: 16, HighAge: 19}
	talk := &app.Offer{Type: app.TypeCareersTalk, Audience: []string{"y9", "y10", "y11"}}
	want := "This offer is for Year 9, Year 10 and Year 11, and Durham Sixth Form Centre teaches pupils aged " +
		"16 to 19 (Year 12 to Year 13), so it cannot book places on it."
	if got := app.WhyCannotBook(talk, sixthForm); got != want {
		t.Errorf("WhyCannotBook = %q, want %q", got, want)
	}

	talk.Audience = append(talk.Audience, "y12")
	if got := app.WhyCannotBook(talk, sixthForm); got != "" {
		t.Errorf("an offer with one year the school teaches: %q, want it bookable", got)
	}
	evening := &app.Offer{Type: app.TypeCareersFair, Audience: []string{app.AudienceAdults}}
	if got := app.WhyCannotBook(evening, sixthForm); !strings.Contains(got, "teaches pupils aged 16 to 19") {
		t.Errorf("an adults-only fair: %q, want it refused", got)
	}
}
