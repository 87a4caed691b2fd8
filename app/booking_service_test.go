package app_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

func TestBookTakesPlacesAndTellsBothSides(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "114001")
	o := e.publish(t, employer, nil)
	ses := o.Sessions[0]

	b := e.mustBook(t, school, ses.ID, app.BookingInput{Places: 20, YearGroups: []int{10, 9, 9}, Details: "Two wheelchair users"})
	if b.State != app.BookingRequested || b.Group != app.GroupPupils || fmt.Sprint(b.YearGroups) != "[9 10]" ||
		b.Where != pcNetpark || b.EmployerID != employer.OrgID || b.OrgID != school.OrgID || !b.Start.Equal(ses.Start) {
		t.Fatalf("booking %+v", b)
	}
	stored := e.stored(t, b.ID)
	if len(stored.PlaceNumbers) != 20 || stored.Announced != 1 || len(stored.History) != 1 ||
		stored.History[0].Move != app.MoveBooked || stored.History[0].UserID != school.UserID {
		t.Fatalf("stored booking %+v", stored)
	}
	owners, taken := e.placesTaken(t, o.ID, ses.ID, ses.Places)
	if len(owners) != 20 || taken != 20 {
		t.Fatalf("%d places claimed and %d taken, want 20", len(owners), taken)
	}

	view, _, err := e.svc.GetSession(ctx, nil, ses.ID)
	if err != nil || view.Places != 60 || view.PlacesLeft != 40 {
		t.Fatalf("session view %+v, %v", view, err)
	}

	want := []string{"booking/" + b.ID + "/1/" + employer.UserID, "booking/" + b.ID + "/1/" + school.UserID}
	if got := e.jobs(t, "booking/"+b.ID); strings.Join(got, " ") != strings.Join(slices.Sorted(slices.Values(want)), " ") {
		t.Fatalf("jobs %v, want %v", got, want)
	}
	if m := e.job(t, want[0]).Message; m.Kind != app.LetterBookingRequested || m.Unsubscribe != "" ||
		!strings.Contains(m.Text, testBaseURL+"/bookings/"+b.ID) || m.To != employer.UserID+"@example.test" {
		t.Fatalf("employer's email %+v", m)
	}
	if m := e.job(t, want[1]).Message; m.Kind != app.LetterBookingReceived || m.Calendar != "" {
		t.Fatalf("school's email %+v", m)
	}
}

func TestBookBadInputChangesNothing(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "114002")
	o := e.publish(t, employer, nil)
	ses := o.Sessions[0]

	draft, err := e.svc.CreateOffer(ctx, employer, validOffer())
	if err != nil {
		t.Fatal(err)
	}
	closed := e.schoolActor(t, "114003", pcStanley)
	org, _ := e.store.GetOrg(ctx, closed.OrgID)
	org.Status = app.OrgClosed
	if err := e.store.UpdateOrg(ctx, org); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name        string
		actor       *app.Actor
		session     string
		in          app.BookingInput
		later       bool // book once the session has started
		code, field string
		part        string
	}{
		{"no places", school, ses.ID, pupils(0, 9), false, app.EInvalid, "places", "1 or more"},
		{"negative places", school, ses.ID, pupils(-3, 9), false, app.EInvalid, "places", "1 or more"},
		{"more places than the session", school, ses.ID, pupils(61, 9), false, app.EInvalid, "places", "60 places in all"},
		{"no year groups", school, ses.ID, app.BookingInput{Places: 5, Group: app.GroupPupils}, false,
			app.EInvalid, "year_groups", "Choose the year groups"},
		{"year 14", school, ses.ID, pupils(5, 14), false, app.EInvalid, "year_groups", "Year 1 to Year 13"},
		{"year outside the audience", school, ses.ID, pupils(5, 9, 11), false, app.EInvalid, "year_groups",
			"This offer is for Year 9 and Year 10, not Year 11."},
		{"adults on an offer for pupils", school, ses.ID, app.BookingInput{Places: 5, Group: app.GroupAdults},
			false, app.EInvalid, "group", "not adults"},
		{"unknown group", school, ses.ID, app.BookingInput{Places: 5, Group: "parents"}, false,
			app.EInvalid, "group", "pupils, teachers or adults"},
		{"details too long", school, ses.ID, app.BookingInput{Places: 5, YearGroups: []int{9},
			Details: strings.Repeat("x", 2001)}, false, app.EInvalid, "details", "2000 characters"},
		{"started session", school, ses.ID, pupils(5, 9), true, app.EConflict, "", "can no longer be booked"},
		{"closed school", closed, ses.ID, pupils(5, 9), false, app.EConflict, "", "has closed"},
		{"draft offer of another organisation", school, draft.Sessions[0].ID, pupils(5, 9), false,
			app.ENotFound, "", "Session was not found"},
		{"no such session", school, "ses_0000000000", pupils(5, 9), false, app.ENotFound, "", "not found"},
		{"malformed session id", school, "../x", pupils(5, 9), false, app.ENotFound, "", "not found"},
		{"an employer", employer, ses.ID, pupils(5, 9), false, app.EForbidden, "", "Only schools"},
		{"anonymous", nil, ses.ID, pupils(5, 9), false, app.EUnauthorized, "", "Sign in"},
		{"long idempotency key", school, ses.ID, app.BookingInput{Places: 5, YearGroups: []int{9},
			IdempotencyKey: strings.Repeat("k", 201)}, false, app.EInvalid, "idempotency_key", "200 characters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.now = testNow
			if tc.later {
				e.now = ses.Start
			}
			b, w, err := e.svc.Book(ctx, tc.actor, tc.session, tc.in)
			if b != nil || w != nil {
				t.Fatalf("booked %+v / %+v", b, w)
			}
			if tc.field != "" {
				wantField(t, err, tc.field, tc.part)
				return
			}
			wantCode(t, err, tc.code)
			if !strings.Contains(app.ErrorMessage(err), tc.part) {
				t.Fatalf("message %q does not say %q", app.ErrorMessage(err), tc.part)
			}
		})
	}

	e.now = testNow
	owners, taken := e.placesTaken(t, o.ID, ses.ID, ses.Places)
	list, total, err := e.svc.ListBookings(ctx, school, app.BookingFilter{})
	if len(owners) != 0 || taken != 0 || err != nil || total != 0 || len(list) != 0 {
		t.Fatalf("after refusals: %d claims, %d taken, %d bookings (%v)", len(owners), taken, total, err)
	}
}

func TestBookEligibility(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	secondary := e.bookerSchool(t, "114010")
	provider := e.org(t, app.KindProvider, "DurhamWorks", pcConsett, true)
	college := e.org(t, app.KindCollege, "East Durham College", pcConsett, true)
	primary := e.school(t, "114011", "Consett Junior School", pcConsett)
	primary.LowAge, primary.HighAge = 4, 11
	if err := e.store.UpdateOrg(ctx, primary); err != nil {
		t.Fatal(err)
	}
	primaryActor := &app.Actor{UserID: app.NewID("usr"), OrgID: primary.ID, Role: app.RoleOwner, Kind: app.KindSchool}

	workExperience := e.publish(t, employer, func(in *app.OfferInput) {
		in.Type, in.Audience = app.TypeWorkExperience, []string{"y10", "y11", "y12"}
	})
	teachers := e.publish(t, employer, func(in *app.OfferInput) {
		in.Type, in.Audience = app.TypeTeacherPlacement, []string{app.AudienceTeachers}
	})
	trial := e.publish(t, employer, func(in *app.OfferInput) {
		in.Type, in.Audience = app.TypeAdultWorkTrial, []string{app.AudienceAdults}
	})
	talk := e.publish(t, employer, func(in *app.OfferInput) { in.Audience = []string{"y5", "y6", "y9"} })

	tests := []struct {
		name        string
		actor       *app.Actor
		offer       *app.Offer
		in          app.BookingInput
		code, field string
		part        string
	}{
		{"work experience for year 12", secondary, workExperience, pupils(4, 12), "", "", ""},
		{"work experience for year 9", secondary, workExperience, pupils(4, 9), app.EInvalid, "year_groups",
			"Education Act 1996, section 560"},
		{"teacher placement for teachers", secondary, teachers, app.BookingInput{Places: 2}, "", "", ""},
		{"teacher placement for pupils", secondary, teachers, pupils(2, 10), app.EInvalid, "group",
			"teacher industry placement is for teachers"},
		{"adult work trial by a provider", provider, trial, app.BookingInput{Places: 3}, "", "", ""},
		{"adult work trial by a college", college, trial, app.BookingInput{Places: 2}, "", "", ""},
		{"adult work trial by a school", secondary, trial, app.BookingInput{Places: 3, Group: app.GroupAdults},
			app.EForbidden, "", "colleges and adult-learning and employability providers"},
		{"year groups for teachers", secondary, teachers, app.BookingInput{Places: 2, Group: app.GroupTeachers,
			YearGroups: []int{9}}, app.EInvalid, "year_groups", "Leave out year groups"},
		{"a primary school books year 6", primaryActor, talk, pupils(10, 6), "", "", ""},
		{"a primary school books year 9", primaryActor, talk, pupils(10, 9), app.EInvalid, "year_groups",
			"teaches pupils aged 4 to 11"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, _, err := e.svc.Book(ctx, tc.actor, tc.offer.Sessions[0].ID, tc.in)
			switch {
			case tc.field != "":
				wantField(t, err, tc.field, tc.part)
			case tc.code != "":
				wantCode(t, err, tc.code)
				if !strings.Contains(app.ErrorMessage(err), tc.part) {
					t.Fatalf("message %q does not say %q", app.ErrorMessage(err), tc.part)
				}
			default:
				wantCode(t, err, "")
				if b.Places != tc.in.Places {
					t.Fatalf("booking %+v", b)
				}
			}
		})
	}
}

func TestBookWhenFullSaysHowManyAreLeft(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o := e.publish(t, employer, nil)
	ses := o.Sessions[0]
	e.mustBook(t, e.bookerSchool(t, "114020"), ses.ID, pupils(57, 9))

	late := e.bookerSchool(t, "114021")
	_, _, err := e.svc.Book(ctx, late, ses.ID, pupils(30, 9))
	wantCode(t, err, app.EConflict)
	if got := app.ErrorMessage(err); got != "Only 3 places are left on this session; you asked for 30." {
		t.Fatalf("message %q", got)
	}
	e.mustBook(t, late, ses.ID, pupils(3, 10))
	_, _, err = e.svc.Book(ctx, late, ses.ID, pupils(1, 9))
	if !strings.Contains(app.ErrorMessage(err), "This session is full") {
		t.Fatalf("full session: %v", err)
	}
	if _, taken := e.placesTaken(t, o.ID, ses.ID, ses.Places); taken != 60 {
		t.Fatalf("taken %d, want 60", taken)
	}
}

func TestPoolingSmallSchoolsShareASession(t *testing.T) {
	e := newBookingEnv(t)
	employer := e.employer(t)
	o := e.publish(t, employer, nil)
	ses := o.Sessions[0]

	seen := map[int]string{}
	for i, places := range []int{15, 25, 20} {
		b := e.mustBook(t, e.bookerSchool(t, fmt.Sprintf("11403%d", i)), ses.ID, pupils(places, 9))
		for _, p := range e.stored(t, b.ID).PlaceNumbers {
			if seen[p] != "" {
				t.Fatalf("place %d held by %s and %s", p, seen[p], b.ID)
			}
			seen[p] = b.ID
		}
	}
	if _, taken := e.placesTaken(t, o.ID, ses.ID, ses.Places); taken != 60 || len(seen) != 60 {
		t.Fatalf("taken %d, places held %d, want 60", taken, len(seen))
	}
}

func TestBookIdempotencyKey(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "114040")
	other := e.bookerSchool(t, "114041")
	o := e.publish(t, employer, nil)
	ses := o.Sessions[0]

	in := pupils(10, 9)
	in.IdempotencyKey = "form-7f3a"
	first := e.mustBook(t, school, ses.ID, in)
	again := e.mustBook(t, school, ses.ID, in)
	if again.ID != first.ID {
		t.Fatalf("a repeat made booking %s after %s", again.ID, first.ID)
	}
	theirs := e.mustBook(t, other, ses.ID, in)
	if theirs.ID == first.ID {
		t.Fatal("another organisation's key returned the first booking")
	}
	if owners, taken := e.placesTaken(t, o.ID, ses.ID, ses.Places); len(owners) != 20 || taken != 20 {
		t.Fatalf("%d claims and %d taken, want 20", len(owners), taken)
	}

	// The key again for something else is refused: the caller must not be
	// told of a booking it did not ask for.
	elsewhere := e.publish(t, employer, nil).Sessions[0]
	changes := []struct {
		name    string
		session string
		in      app.BookingInput
	}{
		{"more places", ses.ID, pupils(12, 9)},
		{"other year groups", ses.ID, pupils(10, 10)},
		{"another session", elsewhere.ID, pupils(10, 9)},
	}
	for _, c := range changes {
		c.in.IdempotencyKey = in.IdempotencyKey
		b, _, err := e.svc.Book(ctx, school, c.session, c.in)
		wantCode(t, err, app.EConflict)
		if b != nil || !strings.Contains(app.ErrorMessage(err), "already used for another request: 10 places") {
			t.Errorf("%s: booking %v, %v", c.name, b, err)
		}
	}
	if owners, _ := e.placesTaken(t, o.ID, ses.ID, ses.Places); len(owners) != 20 {
		t.Fatalf("%d claims after the refused repeats, want 20", len(owners))
	}

	// A first attempt that was refused made nothing: its repeat, corrected,
	// books under the same key.
	retry := pupils(45, 9)
	retry.IdempotencyKey = "form-9c1d"
	_, _, err := e.svc.Book(ctx, school, ses.ID, retry)
	wantCode(t, err, app.EConflict)
	retry.Places = 40
	b := e.mustBook(t, school, ses.ID, retry)
	if again := e.mustBook(t, school, ses.ID, retry); again.ID != b.ID {
		t.Fatalf("repeat after a refusal made %s, want %s", again.ID, b.ID)
	}

	// Long after, a refused key is not tried again.
	late := pupils(1, 9)
	late.IdempotencyKey = "form-late"
	_, _, err = e.svc.Book(ctx, school, ses.ID, late)
	wantCode(t, err, app.EConflict)
	e.now = e.now.Add(6 * time.Minute)
	_, _, err = e.svc.Book(ctx, school, ses.ID, late)
	if !strings.Contains(app.ErrorMessage(err), "new Idempotency-Key") {
		t.Fatalf("stale key: %v", err)
	}
}

func TestGetBookingScope(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "114050")
	stranger := e.bookerSchool(t, "114051")
	o := e.publish(t, employer, nil)
	b := e.mustBook(t, school, o.Sessions[0].ID, pupils(5, 9))

	tests := []struct {
		name  string
		actor *app.Actor
		id    string
		code  string
	}{
		{"booker", school, b.ID, ""},
		{"employer", employer, b.ID, ""},
		{"coordinator", e.coordinator(t), b.ID, ""},
		{"another school", stranger, b.ID, app.ENotFound},
		{"anonymous", nil, b.ID, app.EUnauthorized},
		{"no such booking", school, "bkg_0000000000", app.ENotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.svc.GetBooking(ctx, tc.actor, tc.id)
			wantCode(t, err, tc.code)
			if tc.code == "" && got.ID != b.ID {
				t.Fatalf("got %s", got.ID)
			}
		})
	}

	for _, a := range []*app.Actor{school, employer} {
		list, total, err := e.svc.ListBookings(ctx, a, app.BookingFilter{Active: true})
		if err != nil || total != 1 || list[0].ID != b.ID {
			t.Fatalf("list for %s: %d, %v", a.OrgID, total, err)
		}
	}
	_, err := e.svc.MoveBooking(ctx, stranger, b.ID, app.MoveCancel, app.MoveInput{Reason: "mine now"})
	wantCode(t, err, app.ENotFound)
}

func TestOfferEditKeepsBookedPlaces(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	o := e.publish(t, employer, func(in *app.OfferInput) {
		in.Sessions = append(in.Sessions, app.SessionInput{Start: "2026-03-17T09:30", End: "2026-03-17T11:00", Places: 60})
	})
	first := e.mustBook(t, e.bookerSchool(t, "114060"), o.Sessions[0].ID, pupils(30, 9))
	e.mustBook(t, e.bookerSchool(t, "114061"), o.Sessions[0].ID, pupils(10, 9))
	if _, err := e.svc.MoveBooking(ctx, employer, first.ID, app.MoveDecline, app.MoveInput{Reason: "Staff away"}); err != nil {
		t.Fatal(err)
	}

	// Ten places are taken, but they are numbers 31 to 40.
	in := app.OfferInputOf(o)
	in.Sessions[0].Places = 20
	_, err := e.svc.UpdateOffer(ctx, employer, o.ID, in)
	wantField(t, err, "sessions[0].places", "places up to number 40")

	in = app.OfferInputOf(o)
	in.Sessions = in.Sessions[1:]
	_, err = e.svc.UpdateOffer(ctx, employer, o.ID, in)
	wantField(t, err, "sessions", "has bookings, so it cannot be removed")

	in = app.OfferInputOf(o)
	in.Sessions[0].Places, in.Sessions[1].Places = 40, 10
	if _, err := e.svc.UpdateOffer(ctx, employer, o.ID, in); err != nil {
		t.Fatalf("cutting to the highest place booked: %v", err)
	}
}
