package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
)

func TestNeedsVerification(t *testing.T) {
	tests := []struct {
		name string
		org  app.Organisation
		want bool
	}{
		{"employer", app.Organisation{Kind: app.KindEmployer}, true},
		{"provider", app.Organisation{Kind: app.KindProvider}, true},
		{"college not from the schools file", app.Organisation{Kind: app.KindCollege}, true},
		{"imported college", app.Organisation{Kind: app.KindCollege, URN: "130000"}, false},
		{"imported school", app.Organisation{Kind: app.KindSchool, URN: "114000"}, false},
		{"sponsor", app.Organisation{Kind: app.KindSponsor}, false},
		{"coordinator", app.Organisation{Kind: app.KindCoordinator}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.org.NeedsVerification(); got != tc.want {
				t.Fatalf("NeedsVerification = %v, want %v", got, tc.want)
			}
			if got := tc.org.Trusted(); got != !tc.want {
				t.Fatalf("Trusted unverified = %v, want %v", got, !tc.want)
			}
			tc.org.Verified = true
			if !tc.org.Trusted() {
				t.Fatal("a verified organisation is not trusted")
			}
		})
	}
}

func TestVerifyOrganisation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	employer := e.org(t, app.KindEmployer, "New Firm", pcConsett, false)
	other := e.org(t, app.KindEmployer, "Other Firm", pcConsett, false)
	sponsor := e.org(t, app.KindSponsor, "Civic Trust", "", false)
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
		{"an imported school needs no verification", coord, school.OrgID, true, app.EConflict, false},
		{"a sponsor needs no verification", coord, sponsor.OrgID, true, app.EConflict, false},
		{"unknown organisation", coord, app.NewID("org"), true, app.ENotFound, false},
		{"verify", coord, employer.OrgID, true, "", true},
		{"verifying another employer changes nothing here", coord, other.OrgID, true, "", true},
		{"withdraw verification", coord, employer.OrgID, false, "", false},
		{"verify again", coord, employer.OrgID, true, "", true},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.orgID != "" {
				wantCode(t, e.svc.VerifyOrganisation(ctx, st.actor, st.orgID, st.verified), st.wantCode)
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

// TestRequestsAwaitVerification follows a provider's request from posting
// to verification and back: every way another organisation could reach it
// (the open list, the request itself, matching either way) must agree.
func TestRequestsAwaitVerification(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	provider := e.org(t, app.KindProvider, "Durham Works", pcNetpark, false)
	college := e.org(t, app.KindCollege, "Pop-up College", pcNetpark, false)
	school := e.schoolActor(t, "114510", pcNetpark)
	employer := e.org(t, app.KindEmployer, "Kromek Group", pcNetpark, true)
	coord := e.coordinator(t)

	offer, err := e.svc.CreateOffer(ctx, employer, validOffer())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetOfferStatus(ctx, employer, offer.ID, app.OfferPublished); err != nil {
		t.Fatal(err)
	}
	post := func(a *app.Actor) *app.Request {
		t.Helper()
		r, err := e.svc.CreateRequest(ctx, a, validRequest())
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	byProvider, byCollege, bySchool := post(provider), post(college), post(school)

	// reach reports how the employer and an anonymous visitor reach r.
	reach := func(t *testing.T, r *app.Request) (listed, shown, matchedByOffer, matchable bool) {
		t.Helper()
		list, _, err := e.svc.ListOpenRequests(ctx, 1, 50)
		wantCode(t, err, "")
		for _, l := range list {
			listed = listed || l.ID == r.ID
		}
		_, err = e.svc.GetRequest(ctx, nil, r.ID)
		shown = err == nil
		ms, err := e.svc.MatchOffer(ctx, employer, offer.ID, 50)
		wantCode(t, err, "")
		for _, m := range ms {
			matchedByOffer = matchedByOffer || m.Request.ID == r.ID
		}
		_, err = e.svc.MatchRequest(ctx, employer, r.ID, 5)
		matchable = err == nil
		return listed, shown, matchedByOffer, matchable
	}
	wantReach := func(t *testing.T, r *app.Request, want bool) {
		t.Helper()
		listed, shown, matched, matchable := reach(t, r)
		if listed != want || shown != want || matched != want || matchable != want {
			t.Fatalf("listed %v, shown %v, matched by the offer %v, matchable %v: want all %v",
				listed, shown, matched, matchable, want)
		}
	}

	t.Run("an imported school's request is public at once", func(t *testing.T) {
		if bySchool.AwaitingVerification {
			t.Fatal("the school's request awaits verification")
		}
		wantReach(t, bySchool, true)
	})
	t.Run("an unverified provider's request waits", func(t *testing.T) {
		if byProvider.Status != app.RequestOpen || !byProvider.AwaitingVerification {
			t.Fatalf("status %q, awaiting %v: want open and awaiting", byProvider.Status, byProvider.AwaitingVerification)
		}
		wantReach(t, byProvider, false)
	})
	t.Run("so does a college missing from the schools file", func(t *testing.T) {
		wantReach(t, byCollege, false)
	})
	t.Run("its own organisation and the coordinator still see it", func(t *testing.T) {
		for _, a := range []*app.Actor{provider, coord} {
			got, err := e.svc.GetRequest(ctx, a, byProvider.ID)
			if err != nil || !got.AwaitingVerification || got.Notes == "" {
				t.Fatalf("request %+v, %v: want it whole, awaiting verification", got, err)
			}
		}
		mine, total, err := e.svc.ListMyRequests(ctx, provider, 1)
		if err != nil || total != 1 || mine[0].ID != byProvider.ID {
			t.Fatalf("provider lists %d requests, %v", total, err)
		}
	})
	t.Run("updating keeps it waiting", func(t *testing.T) {
		in := validRequest()
		in.GroupSize = 12
		got, err := e.svc.UpdateRequest(ctx, provider, byProvider.ID, in)
		if err != nil || !got.AwaitingVerification {
			t.Fatalf("updated request %+v, %v: want it still awaiting", got, err)
		}
		wantReach(t, byProvider, false)
	})
	t.Run("verification makes it public", func(t *testing.T) {
		wantCode(t, e.svc.VerifyOrganisation(ctx, coord, provider.OrgID, true), "")
		wantReach(t, byProvider, true)
		wantReach(t, byCollege, false)
	})
	t.Run("withdrawing verification hides it again", func(t *testing.T) {
		wantCode(t, e.svc.VerifyOrganisation(ctx, coord, provider.OrgID, false), "")
		wantReach(t, byProvider, false)
		got, err := e.svc.CreateRequest(ctx, provider, validRequest())
		if err != nil || !got.AwaitingVerification {
			t.Fatalf("new request %+v, %v: want it awaiting", got, err)
		}
	})
	t.Run("a closed request stays closed when verified", func(t *testing.T) {
		if _, err := e.svc.CloseRequest(ctx, college, byCollege.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.svc.VerifyOrganisation(ctx, coord, college.OrgID, true), "")
		got, err := e.svc.GetRequest(ctx, college, byCollege.ID)
		if err != nil || got.Status != app.RequestClosed {
			t.Fatalf("request %+v, %v: want it closed", got, err)
		}
		wantReach(t, byCollege, false)
	})
}

func TestVerificationEmails(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coord := e.coordinator(t)
	u, err := e.svc.SignUp(ctx, app.SignUpInput{Name: "Pat Lee", Email: "pat@works.example.org",
		Password: goodPassword, OrgKind: "provider", OrgName: "Durham Works", Postcode: pcStanley})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddUser(ctx, "member@works.example.org", u.OrgID, app.RoleMember); err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		name      string
		verified  bool
		wantKind  string
		wantStart string
		wantCount int
	}{
		{"verified", true, "organisation_verified", "The county coordinator has verified Durham Works: your requests", 1},
		{"verified again sends nothing", true, "organisation_verified", "", 1},
		{"withdrawn", false, "organisation_verification_withdrawn",
			"The county coordinator has withdrawn the verification of Durham Works", 1},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			wantCode(t, e.svc.VerifyOrganisation(ctx, coord, u.OrgID, st.verified), "")
			if n := e.mail.count(st.wantKind); n != st.wantCount {
				t.Fatalf("%d %s emails, want %d (owners only)", n, st.wantKind, st.wantCount)
			}
			msg := e.mail.last(t, st.wantKind)
			if msg.To != "pat@works.example.org" || !strings.HasPrefix(msg.Text, st.wantStart) {
				t.Fatalf("email to %q reads %q", msg.To, msg.Text)
			}
			if strings.Contains(strings.ToLower(msg.Text), "reply to") {
				t.Fatalf("email asks for a reply from a no-reply address: %q", msg.Text)
			}
		})
	}
}
