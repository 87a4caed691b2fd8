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
		if !school.Claimed {
			t.Fatal("school not marked claimed")
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
		e.mail.last(t, "claim_rejected")

		tests := []struct {
			name     string
			orgID    string
			jobTitle string
			want     string
		}{
			{"no job title", app.SchoolID("114401"), " ", app.EInvalid},
			{"a claimed school", app.SchoolID("114400"), "Teacher", app.EConflict},
			{"an employer is not a school", employer.OrgID, "Teacher", app.ENotFound},
			{"unknown school", app.SchoolID("999999"), "Teacher", app.ENotFound},
			{"claim again", app.SchoolID("114401"), "Head of sixth form", ""},
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

func TestVerifyEmployer(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	employer := e.org(t, app.KindEmployer, "New Firm", pcConsett, false)
	other := e.org(t, app.KindEmployer, "Other Firm", pcConsett, false)
	school := e.schoolActor(t, "114500", pcStanley)
	coord := e.coordinator(t)

	o, err := e.svc.CreateOffer(ctx, employer, validOffer())
	if err != nil {
		t.Fatal(err)
	}
	if o, err = e.svc.SetOfferStatus(ctx, employer, o.ID, app.OfferPublished); err != nil {
		t.Fatal(err)
	}
	draft, err := e.svc.CreateOffer(ctx, employer, validOffer())
	if err != nil {
		t.Fatal(err)
	}

	visible := func(t *testing.T) bool {
		t.Helper()
		_, err := e.svc.GetOffer(ctx, nil, o.ID)
		res, ferr := e.svc.FindOffers(ctx, app.FindInput{})
		if ferr != nil {
			t.Fatal(ferr)
		}
		if (err == nil) != (res.Total == 1) || (err == nil) != indexed(t, e, o.ID) {
			t.Fatalf("anonymous read %v, search total %d, indexed %v: out of step", err, res.Total, indexed(t, e, o.ID))
		}
		return err == nil
	}

	steps := []struct {
		name        string
		actor       *app.Actor
		orgID       string
		verified    bool
		wantCode    string
		wantVisible bool
	}{
		{"published by an unverified employer is not public", nil, "", false, "", false},
		{"an employer cannot verify itself", employer, employer.OrgID, true, app.EForbidden, false},
		{"a school cannot verify", school, employer.OrgID, true, app.EForbidden, false},
		{"a school is not an employer", coord, school.OrgID, true, app.EConflict, false},
		{"unknown organisation", coord, app.NewID("org"), true, app.ENotFound, false},
		{"verify", coord, employer.OrgID, true, "", true},
		{"verifying another employer changes nothing here", coord, other.OrgID, true, "", true},
		{"withdraw verification", coord, employer.OrgID, false, "", false},
		{"verify again", coord, employer.OrgID, true, "", true},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.orgID != "" {
				wantCode(t, e.svc.VerifyEmployer(ctx, st.actor, st.orgID, st.verified), st.wantCode)
			}
			if got := visible(t); got != st.wantVisible {
				t.Fatalf("offer visible = %v, want %v", got, st.wantVisible)
			}
		})
	}

	t.Run("drafts stay private", func(t *testing.T) {
		_, err := e.svc.GetOffer(ctx, nil, draft.ID)
		wantCode(t, err, app.ENotFound)
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
