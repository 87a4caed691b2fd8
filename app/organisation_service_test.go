package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
)

func TestEnsureCoordinator(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for range 2 {
		if err := e.svc.EnsureCoordinator(ctx); err != nil {
			t.Fatal(err)
		}
	}
	org, err := e.store.GetOrg(ctx, app.CoordinatorOrgID)
	if err != nil || org.Kind != app.KindCoordinator || !org.Verified {
		t.Fatalf("coordinator organisation %+v, %v", org, err)
	}
}

func TestGetOrganisation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	unverified := e.org(t, app.KindEmployer, "New Firm", pcConsett, false)
	verified := e.org(t, app.KindEmployer, "Kromek Group", pcNetpark, true)
	provider := e.org(t, app.KindProvider, "Durham Works", pcStanley, false)
	school := e.schoolActor(t, "114300", pcStanley)
	coord := e.coordinator(t)

	tests := []struct {
		name  string
		actor *app.Actor
		orgID string
		want  string
	}{
		{"unverified employer to itself", unverified, unverified.OrgID, ""},
		{"unverified employer to the coordinator", coord, unverified.OrgID, ""},
		{"unverified employer to another employer", verified, unverified.OrgID, app.ENotFound},
		{"unverified employer to a school", school, unverified.OrgID, app.ENotFound},
		{"unverified employer to anyone", nil, unverified.OrgID, app.ENotFound},
		{"verified employer to anyone", nil, verified.OrgID, ""},
		{"provider to a school", school, provider.OrgID, app.ENotFound},
		{"provider to itself", provider, provider.OrgID, ""},
		{"imported school to anyone", nil, school.OrgID, ""},
		{"coordinator to anyone", nil, app.CoordinatorOrgID, ""},
		{"unknown id", coord, app.NewID("org"), app.ENotFound},
		{"malformed id", coord, "{$ne: 1}", app.ENotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			org, err := e.svc.GetOrganisation(ctx, tc.actor, tc.orgID)
			wantCode(t, err, tc.want)
			if err == nil && org.ID != tc.orgID {
				t.Fatalf("got organisation %s, want %s", org.ID, tc.orgID)
			}
		})
	}
}

func TestClaims(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.school(t, "114400", "Stanley Academy", pcStanley)
	e.school(t, "114401", "Consett Academy", pcConsett)
	coord := e.coordinator(t)
	employer := e.org(t, app.KindEmployer, "Kromek Group", pcNetpark, true)

	signUp := func(email, urn string) *app.Actor {
		u, err := e.svc.SignUp(ctx, app.SignUpInput{Name: "Staff", Email: email, Password: goodPassword,
			OrgKind: "school", SchoolURN: urn, JobTitle: "Careers leader"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := e.svc.ActorFor(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	first := signUp("first@stanley.example.sch.uk", "114400")
	second := signUp("second@stanley.example.sch.uk", "114401")

	t.Run("only the coordinator lists claims", func(t *testing.T) {
		for _, tc := range []struct {
			actor *app.Actor
			code  string
		}{{nil, app.EUnauthorized}, {employer, app.EForbidden}, {first, app.EForbidden}, {coord, ""}} {
			claims, err := e.svc.ListClaims(ctx, tc.actor)
			wantCode(t, err, tc.code)
			if err == nil && len(claims) != 2 {
				t.Fatalf("%d pending claims, want 2", len(claims))
			}
		}
	})

	claims, err := e.svc.ListClaims(ctx, coord)
	if err != nil {
		t.Fatal(err)
	}
	byUser := map[string]*app.Claim{}
	for _, c := range claims {
		byUser[c.UserID] = c
	}

	steps := []struct {
		name    string
		actor   *app.Actor
		claimID string
		approve bool
		want    string
	}{
		{"an employer cannot decide", employer, byUser[first.UserID].ID, true, app.EForbidden},
		{"the claimant cannot decide", first, byUser[first.UserID].ID, true, app.EForbidden},
		{"unknown claim", coord, app.NewID("clm"), true, app.ENotFound},
		{"approve", coord, byUser[first.UserID].ID, true, ""},
		{"decide twice", coord, byUser[first.UserID].ID, false, app.EConflict},
		{"reject", coord, byUser[second.UserID].ID, false, ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			wantCode(t, e.svc.DecideClaim(ctx, st.actor, st.claimID, st.approve), st.want)
		})
	}

	t.Run("approved claimant owns the school", func(t *testing.T) {
		a, err := e.svc.ActorFor(ctx, first.UserID)
		if err != nil || a.OrgID != app.SchoolID("114400") || a.Role != app.RoleOwner || a.Kind != app.KindSchool {
			t.Fatalf("actor after approval %+v, %v", a, err)
		}
		school, _ := e.store.GetOrg(ctx, app.SchoolID("114400"))
		if !school.Claimed || !school.Verified {
			t.Fatalf("school claimed %v, verified %v: want both after approval", school.Claimed, school.Verified)
		}
		msg := e.mail.last(t, "claim_approved")
		if msg.To != "first@stanley.example.sch.uk" || !strings.HasPrefix(msg.Text, "Sign in to post requests") {
			t.Fatalf("approval email to %q reads %q", msg.To, msg.Text)
		}
	})

	t.Run("rejected claimant stays outside and may claim again", func(t *testing.T) {
		a, err := e.svc.ActorFor(ctx, second.UserID)
		if err != nil || a.OrgID != "" {
			t.Fatalf("actor after rejection %+v, %v", a, err)
		}
		msg := e.mail.last(t, "claim_rejected")
		if !strings.HasPrefix(msg.Text, "The county coordinator could not confirm that you work at Consett Academy") ||
			strings.Contains(strings.ToLower(msg.Text), "reply to") || !strings.Contains(msg.Text, testBaseURL+"/account/claim") {
			t.Fatalf("rejection email reads %q: want what happened, no reply instruction, and a link to claim again", msg.Text)
		}

		tests := []struct {
			name     string
			orgID    string
			jobTitle string
			want     string
		}{
			{"job title too long", app.SchoolID("114401"), strings.Repeat("x", 101), app.EInvalid},
			{"a claimed school", app.SchoolID("114400"), "Teacher", app.EConflict},
			{"an employer is not a school", employer.OrgID, "Teacher", app.ENotFound},
			{"unknown school", app.SchoolID("999999"), "Teacher", app.ENotFound},
			{"claim again, without a job title", app.SchoolID("114401"), " ", ""},
			{"one claim at a time", app.SchoolID("114401"), "Head of sixth form", app.EConflict},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.ClaimSchool(ctx, a, tc.orgID, tc.jobTitle)
				wantCode(t, err, tc.want)
			})
		}
	})

	t.Run("members of an organisation cannot claim", func(t *testing.T) {
		_, err := e.svc.ClaimSchool(ctx, employer, app.SchoolID("114401"), "Volunteer")
		wantCode(t, err, app.EConflict)
		_, err = e.svc.ClaimSchool(ctx, nil, app.SchoolID("114401"), "Volunteer")
		wantCode(t, err, app.EUnauthorized)
	})
}

func TestListOrganisations(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.org(t, app.KindEmployer, "Kromek Group", pcNetpark, true)
	employer := e.org(t, app.KindEmployer, "New Firm", pcConsett, false)
	e.schoolActor(t, "114600", pcStanley)
	coord := e.coordinator(t)
	no := false

	tests := []struct {
		name      string
		actor     *app.Actor
		filter    app.OrgFilter
		wantCode  string
		wantTotal int
	}{
		{"everything", coord, app.OrgFilter{}, "", 4},
		{"employers", coord, app.OrgFilter{Kind: app.KindEmployer}, "", 2},
		{"unverified employers", coord, app.OrgFilter{Kind: app.KindEmployer, Verified: &no}, "", 1},
		{"by name", coord, app.OrgFilter{Text: " kromek "}, "", 1},
		{"unknown kind", coord, app.OrgFilter{Kind: "pirate"}, app.EInvalid, 0},
		{"negative offset", coord, app.OrgFilter{Offset: -1}, app.EInvalid, 0},
		{"employer", employer, app.OrgFilter{}, app.EForbidden, 0},
		{"anonymous", nil, app.OrgFilter{}, app.EUnauthorized, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			orgs, total, err := e.svc.ListOrganisations(ctx, tc.actor, tc.filter)
			wantCode(t, err, tc.wantCode)
			if err == nil && (total != tc.wantTotal || len(orgs) != tc.wantTotal) {
				t.Fatalf("got %d of %d, want %d", len(orgs), total, tc.wantTotal)
			}
		})
	}
}

func TestClosedSchoolsCannotBeClaimed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coord := e.coordinator(t)
	closed := e.school(t, "114800", "Old Hall School", pcStanley)
	closed.Status, closed.CloseDate = app.OrgClosed, "2024-08-31"
	if err := e.store.UpdateOrg(ctx, closed); err != nil {
		t.Fatal(err)
	}
	closing := e.school(t, "114801", "Moor End School", pcConsett)
	const want = "Old Hall School closed on 31 August 2024, so it cannot be claimed."

	t.Run("at sign-up", func(t *testing.T) {
		_, err := e.svc.SignUp(ctx, app.SignUpInput{Name: "Sam", Email: "sam@oldhall.example.sch.uk",
			Password: goodPassword, OrgKind: "school", SchoolURN: "114800"})
		wantField(t, err, "school_urn", want)
	})
	t.Run("from the account page", func(t *testing.T) {
		u, err := e.svc.SignUp(ctx, app.SignUpInput{Name: "Kim", Email: "kim@example.org",
			Password: goodPassword, OrgKind: "school", SchoolURN: "114801"})
		if err != nil {
			t.Fatal(err)
		}
		claims, _ := e.store.ListClaims(ctx, app.ClaimPending)
		wantCode(t, e.svc.DecideClaim(ctx, coord, claims[0].ID, false), "")
		_, err = e.svc.ClaimSchool(ctx, &app.Actor{UserID: u.ID}, closed.ID, "Teacher")
		wantCode(t, err, app.EConflict)
		if app.ErrorMessage(err) != want {
			t.Fatalf("message %q, want %q", app.ErrorMessage(err), want)
		}
	})
	t.Run("from the command line", func(t *testing.T) {
		_, err := e.svc.AddUser(ctx, "head@oldhall.example.sch.uk", "114800", app.RoleOwner)
		wantField(t, err, "org", want)
		if _, err := e.store.GetUserByEmail(ctx, "head@oldhall.example.sch.uk"); app.ErrorCode(err) != app.ENotFound {
			t.Fatalf("a user was added to a closed school: %v", err)
		}
	})
	t.Run("a school that closes while its claim waits can only be rejected", func(t *testing.T) {
		if _, err := e.svc.SignUp(ctx, app.SignUpInput{Name: "Lou", Email: "lou@example.org",
			Password: goodPassword, OrgKind: "school", SchoolURN: "114801"}); err != nil {
			t.Fatal(err)
		}
		closing.Status = app.OrgClosed
		if err := e.store.UpdateOrg(ctx, closing); err != nil {
			t.Fatal(err)
		}
		claims, _ := e.store.ListClaims(ctx, app.ClaimPending)
		if len(claims) != 1 {
			t.Fatalf("%d pending claims, want 1", len(claims))
		}
		err := e.svc.DecideClaim(ctx, coord, claims[0].ID, true)
		wantCode(t, err, app.EConflict)
		if !strings.HasPrefix(app.ErrorMessage(err), "Moor End School has closed, so it cannot be claimed.") {
			t.Fatalf("message %q", app.ErrorMessage(err))
		}
		wantCode(t, e.svc.DecideClaim(ctx, coord, claims[0].ID, false), "")
	})
}
