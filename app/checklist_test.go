package app_test

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// TestChecklistRefusesTheOtherSidesItemsOnce checks that a side sending
// the other side's items is told once that they are not its to record,
// at one field, while its own items are still checked.
func TestChecklistRefusesTheOtherSidesItemsOnce(t *testing.T) {
	e := newBookingEnv(t)
	employer := e.employer(t)
	school := e.bookerSchool(t, "118101")
	o := e.publish(t, employer, func(in *app.OfferInput) { in.Type = app.TypeWorkplaceVisit })
	b := e.mustBook(t, school, o.Sessions[0].ID, pupils(30, 9, 10))
	count := func(n int) *int { return &n }

	const employers = "Only the employer records its assurance, risk assessment and insurance."
	const bookers = "Only the organisation that booked records parental consent."
	tests := []struct {
		name   string
		actor  *app.Actor
		in     app.ChecklistInput
		want   string
		fields string // the fields named, in order
	}{
		{"the school sending every employer item", school, app.ChecklistInput{Assurance: true,
			AssuranceOn: "2026-01-05", RiskAssessmentOn: "2026-01-05", InsuranceExpires: "2027-12-01"},
			employers, "assurance"},
		{"the school sending dates alone", school, app.ChecklistInput{RiskAssessmentOn: "2026-01-05",
			InsuranceExpires: "2027-12-01"}, employers, "risk_assessment_on"},
		{"the school sending them with too many consents", school, app.ChecklistInput{
			InsuranceExpires: "2027-12-01", ConsentCount: count(31)},
			employers + " Enter how many parental consents you hold, from 0 to 30.",
			"insurance_expires consent_count"},
		{"the employer sending a consent count", employer, app.ChecklistInput{ConsentCount: count(30)},
			bookers, "consent_count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.UpdateChecklist(context.Background(), tt.actor, b.ID, tt.in)
			wantCode(t, err, app.EInvalid)
			if got := app.ErrorMessage(err); got != tt.want {
				t.Errorf("message %q, want %q", got, tt.want)
			}
			var fields []string
			for _, f := range app.FieldErrors(err) {
				fields = append(fields, f.Field)
			}
			if got := strings.Join(fields, " "); got != tt.fields {
				t.Errorf("fields %+v, want %s", app.FieldErrors(err), tt.fields)
			}
			if got := e.stored(t, b.ID).Checklist; got != (app.Checklist{}) {
				t.Errorf("checklist stored as %+v after a refusal", got)
			}
		})
	}
}

// TestChecklistDatesThatCannotCount checks that the employer is told at
// the field, and nothing is kept, when a day it gives is absurd or could
// not count for the session on 10 March 2026: an assurance from more than
// 10 years ago, a risk assessment from more than a year before the
// session, insurance that ends before it.
func TestChecklistDatesThatCannotCount(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "118105")
	o := e.publish(t, employer, func(in *app.OfferInput) { in.Type = app.TypeWorkplaceVisit })
	b := e.mustBook(t, school, o.Sessions[0].ID, pupils(30, 9, 10))

	refused := []struct {
		name  string
		in    app.ChecklistInput
		field string
		part  string
	}{
		{"assurance in year 1", app.ChecklistInput{Assurance: true, AssuranceOn: "0001-01-01"},
			"assurance_on", "dated 1 January 0001, more than 10 years ago"},
		{"assurance in 1900", app.ChecklistInput{Assurance: true, AssuranceOn: "1900-01-01"},
			"assurance_on", "more than 10 years ago"},
		{"assurance 10 years and a day ago", app.ChecklistInput{Assurance: true, AssuranceOn: "2016-01-11"},
			"assurance_on", "more than 10 years ago"},
		{"risk assessment in year 1", app.ChecklistInput{RiskAssessmentOn: "0001-01-01"},
			"risk_assessment_on", "more than a year before the session on 10 March 2026"},
		{"risk assessment too old for the session", app.ChecklistInput{RiskAssessmentOn: "2025-03-01"},
			"risk_assessment_on", "more than a year before the session on 10 March 2026"},
		{"insurance in year 1", app.ChecklistInput{InsuranceExpires: "0001-01-01"},
			"insurance_expires", "has expired"},
		{"insurance ending before the session", app.ChecklistInput{InsuranceExpires: "2026-03-09"},
			"insurance_expires", "expires on 9 March 2026, before the session on 10 March 2026"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.UpdateChecklist(ctx, employer, b.ID, tt.in)
			wantField(t, err, tt.field, tt.part)
			if got := e.stored(t, b.ID).Checklist; got != (app.Checklist{}) {
				t.Fatalf("checklist stored as %+v after a refusal", got)
			}
		})
	}

	// The days at the edges count.
	_, err := e.svc.UpdateChecklist(ctx, employer, b.ID, app.ChecklistInput{Assurance: true,
		AssuranceOn: "2016-01-12", RiskAssessmentOn: "2025-03-11", InsuranceExpires: "2026-03-10"})
	wantCode(t, err, "")
	for _, item := range app.BookingChecklist(e.stored(t, b.ID), e.now) {
		if item.Owner == app.SideEmployer && !item.Done {
			t.Errorf("%s not done: %q", item.Key, item.Problem)
		}
	}
}

// TestAssuranceDate checks the day the employer gives for its assurance:
// today when left out, a past day as given, and never the future or
// something that is not a date.
func TestAssuranceDate(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "118102")
	o := e.publish(t, employer, nil)
	b := e.mustBook(t, school, o.Sessions[0].ID, pupils(30, 9))
	other := e.mustBook(t, school, o.Sessions[0].ID, pupils(20, 10))
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation(app.DateLayout, s, app.London)
		return d
	}

	steps := []struct {
		name  string
		id    string
		in    app.ChecklistInput
		field string
		part  string
		want  time.Time
	}{
		{"not a date", b.ID, app.ChecklistInput{Assurance: true, AssuranceOn: "last week"},
			"assurance_on", "like 2026-03-14", time.Time{}},
		{"a day still to come", b.ID, app.ChecklistInput{Assurance: true, AssuranceOn: "2026-01-13"},
			"assurance_on", "has not come yet", time.Time{}},
		{"a day without the assurance", b.ID, app.ChecklistInput{AssuranceOn: "2026-01-05"},
			"assurance", "Confirm", time.Time{}},
		{"the day given", b.ID, app.ChecklistInput{Assurance: true, AssuranceOn: "2025-12-01"},
			"", "", day("2025-12-01")},
		{"the day corrected", b.ID, app.ChecklistInput{AssuranceOn: " 2025-12-02 "}, "", "", day("2025-12-02")},
		{"the assurance again keeps its day", b.ID, app.ChecklistInput{Assurance: true}, "", "", day("2025-12-02")},
		{"today when left out", other.ID, app.ChecklistInput{Assurance: true}, "", "", day("2026-01-12")},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			_, err := e.svc.UpdateChecklist(ctx, employer, st.id, st.in)
			if st.field != "" {
				wantField(t, err, st.field, st.part)
				if got := e.stored(t, st.id).Checklist.AssuranceOn; !got.IsZero() {
					t.Fatalf("assurance stored as %v after a refusal", got)
				}
				return
			}
			wantCode(t, err, "")
			if got := e.stored(t, st.id).Checklist.AssuranceOn; !got.Equal(st.want) {
				t.Fatalf("assurance on %v, want %v", got, st.want)
			}
		})
	}
}

// TestHistoryNamesThePerson checks that each move keeps the name of the
// person who made it, beside their organisation.
func TestHistoryNamesThePerson(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	named := func(a *app.Actor) (*app.Actor, string) {
		t.Helper()
		got, err := e.svc.ActorFor(ctx, a.UserID)
		if err != nil {
			t.Fatal(err)
		}
		u, err := e.store.GetUser(ctx, a.UserID)
		if err != nil || u.Name == "" {
			t.Fatalf("member %s: %+v, %v", a.UserID, u, err)
		}
		return got, u.Name
	}
	employer, employerName := named(e.employer(t))
	school, schoolName := named(e.bookerSchool(t, "118103"))
	o := e.publish(t, employer, nil)

	b := e.confirm(t, employer, e.mustBook(t, school, o.Sessions[0].ID, pupils(30, 9)))
	b, err := e.svc.MoveBooking(ctx, school, b.ID, app.MoveCancel, app.MoveInput{Reason: "The coach fell through."})
	if err != nil {
		t.Fatal(err)
	}

	want := []struct{ move, name, org string }{
		{app.MoveBooked, schoolName, school.OrgID},
		{app.MoveChecklist, employerName, employer.OrgID},
		{app.MoveConfirm, employerName, employer.OrgID},
		{app.MoveCancel, schoolName, school.OrgID},
	}
	history := e.stored(t, b.ID).History
	if len(history) != len(want) {
		t.Fatalf("history %+v, want %d entries", history, len(want))
	}
	for i, w := range want {
		if ev := history[i]; ev.Move != w.move || ev.Name != w.name || ev.OrgID != w.org {
			t.Errorf("entry %d: %+v, want %s by %s of %s", i, ev, w.move, w.name, w.org)
		}
	}
}

// TestCalendarFeedNamesTheOtherSide checks that each side's feed, and
// the invite each side is emailed, titles a booking with the organisation
// on the other side.
func TestCalendarFeedNamesTheOtherSide(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	employer := e.employer(t)
	school := e.bookerSchool(t, "118104")
	o := e.publish(t, employer, nil)
	b := e.confirm(t, employer, e.mustBook(t, school, o.Sessions[0].ID, pupils(10, 9)))

	invites := map[string]string{} // recipient: the invite's title
	for _, id := range e.jobs(t, "") {
		if m := e.job(t, id).Message; m.Calendar != "" && strings.Contains(id, b.ID) {
			title := m.Calendar[strings.Index(m.Calendar, "SUMMARY:"):]
			invites[m.To] = strings.ReplaceAll(title[:strings.Index(title, "\r\n")], "\\", "")
		}
	}
	wantInvites := map[string]string{
		employer.UserID + "@example.test": "SUMMARY:" + o.Title + " (School 118104)",
		school.UserID + "@example.test":   "SUMMARY:" + o.Title + " (Kromek Group)",
	}
	if !maps.Equal(invites, wantInvites) {
		t.Errorf("invites emailed %v, want %v", invites, wantInvites)
	}

	feeds := []struct {
		name  string
		actor *app.Actor
		want  string
		not   string
	}{
		{"the employer's", employer, "(School 118104)", "(Kromek Group)"},
		{"the school's", school, "(Kromek Group)", "(School 118104)"},
	}
	for _, f := range feeds {
		t.Run(f.name, func(t *testing.T) {
			link, err := e.svc.CalendarLink(ctx, f.actor, false)
			if err != nil {
				t.Fatal(err)
			}
			secret := link[strings.LastIndex(link, "/")+1:]
			cal, err := e.svc.CalendarFeed(ctx, f.actor.OrgID, secret)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.ReplaceAll(string(cal), "\r\n ", "") // unfold long lines
			summary := "SUMMARY:" + o.Title + " " + f.want
			if !strings.Contains(text, summary) || strings.Contains(text, f.not) {
				t.Fatalf("feed does not title the event %q:\n%s", summary, text)
			}
		})
	}
}
