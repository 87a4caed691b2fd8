package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

func TestCoordinatorPagesAreForTheCoordinatorOnly(t *testing.T) {
	ts := newTestServer(t)
	employer := ts.mustOrg(t, &app.Organisation{ID: "org_employer1", Kind: app.KindEmployer, Name: "Example Engineering Ltd"})
	ts.mustUser(t, "emp@example.org", "Pat Employer", employer.ID, app.RoleOwner)
	c := ts.client(t)
	c.signIn("emp@example.org")

	for _, path := range []string{"/coordinator", "/coordinator/organisations"} {
		t.Run("GET "+path, func(t *testing.T) {
			res := c.get(path)
			wantStatus(t, res, 403)
			wantContains(t, res, "Only the county coordinator")
		})
	}
	t.Run("verify", func(t *testing.T) {
		c.get("/account")
		res := c.postForm("/coordinator/organisations/"+employer.ID+"/verify", url.Values{"verified": {"true"}})
		wantStatus(t, res, 403)
		org, err := ts.Store.GetOrg(context.Background(), employer.ID)
		if err != nil || org.Verified {
			t.Errorf("employer verified itself: %+v %v", org, err)
		}
	})
}

func TestCoordinatorDecidesClaims(t *testing.T) {
	ts := newTestServer(t)
	ts.mustSchool(t, "114233", "Durham Johnston Comprehensive School")
	ts.mustSchool(t, "114240", "Belmont Community School")
	ts.mustUser(t, "coord@example.org", "Cora Ordinator", app.CoordinatorOrgID, app.RoleOwner)

	claimants := map[string]string{"sam@school.example.org": "114233", "ria@school.example.org": "114240"}
	for email, urn := range claimants {
		ts.client(t).signUp(url.Values{"name": {"Claimant " + urn}, "email": {email},
			"org_kind": {"school"}, "school_urn": {urn}, "job_title": {"Careers leader"}})
	}

	coord := ts.client(t)
	coord.signIn("coord@example.org")
	res := coord.get("/coordinator")
	wantStatus(t, res, 200)
	wantContains(t, res, "Durham Johnston Comprehensive School", "Belmont Community School",
		"Claimant 114233, Careers leader", "sam@school.example.org")

	claims, err := ts.Svc.ListClaims(context.Background(), &app.Actor{UserID: "usr_x",
		OrgID: app.CoordinatorOrgID, Kind: app.KindCoordinator, Role: app.RoleOwner})
	if err != nil || len(claims) != 2 {
		t.Fatalf("claims %v, %v", claims, err)
	}
	byURN := map[string]string{}
	for _, cl := range claims {
		byURN[strings.TrimPrefix(cl.OrgID, "urn-")] = cl.ID
	}

	// A decision that cannot be made is a plain sentence at the top of the
	// coordinator's own page, never a bare status name.
	tests := []struct {
		name     string
		claimID  string
		decision string
		status   int
		want     string
	}{
		{"no decision", byURN["114233"], "", 422, "Choose whether to approve or reject the claim."},
		{"maybe", byURN["114233"], "maybe", 422, "Choose whether to approve or reject the claim."},
		{"unknown claim", "clm_00000000000000000000", "approve", 404, "We cannot find that claim."},
		{"approve", byURN["114233"], "approve", 303, "The claim has been approved"},
		{"approve twice", byURN["114233"], "approve", 409, "This claim has been decided already."},
		{"reject after approving", byURN["114233"], "reject", 409, "This claim has been decided already."},
		{"reject", byURN["114240"], "reject", 303, "The claim has been rejected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			coord.get("/coordinator")
			res := coord.postForm("/coordinator/claims/"+tt.claimID, url.Values{"decision": {tt.decision}})
			wantStatus(t, res, tt.status)
			if tt.status == 303 {
				wantRedirect(t, res, "/coordinator")
				res = coord.get("/coordinator")
				wantContains(t, res, tt.want)
				return
			}
			wantContains(t, res, `<h1 class="govuk-heading-l">Coordinator</h1>`, "There is a problem", tt.want,
				"Claims waiting for a decision")
			if containsAny(res.Body, "Unprocessable Entity", "Conflict", "Not Found") {
				t.Errorf("the page shows a bare status name")
			}
		})
	}

	approved := ts.client(t)
	approved.signIn("sam@school.example.org")
	wantContains(t, approved.get("/account"), "Durham Johnston Comprehensive School", "Owner")
	rejected := ts.client(t)
	rejected.signIn("ria@school.example.org")
	wantContains(t, rejected.get("/account"), "not part of an organisation")
	wantContains(t, coord.get("/coordinator"), "No claims are waiting")
}

func TestCoordinatorVerifiesEmployers(t *testing.T) {
	ts := newTestServer(t)
	ts.mustUser(t, "coord@example.org", "Cora Ordinator", app.CoordinatorOrgID, app.RoleOwner)
	for i := 1; i <= 30; i++ {
		ts.mustOrg(t, &app.Organisation{ID: fmt.Sprintf("org_employer%02d", i), Kind: app.KindEmployer,
			Name: fmt.Sprintf("Employer %02d Ltd", i)})
	}
	ts.mustSchool(t, "114233", "Durham Johnston Comprehensive School")
	coord := ts.client(t)
	coord.signIn("coord@example.org")

	wantContains(t, coord.get("/coordinator"), "Organisations waiting to be verified", "Employers",
		"Showing 25 of 30", `href="/coordinator/organisations?kind=employer&amp;verified=no"`, "Every provider is verified")

	tests := []struct {
		name   string
		path   string
		status int
		want   []string
		absent []string
	}{
		{"first page", "/coordinator/organisations", 200,
			[]string{"32 organisations", `rel="next"`, `href="/coordinator/organisations?page=2"`}, []string{`rel="prev"`}},
		{"second page", "/coordinator/organisations?page=2", 200,
			[]string{`rel="prev"`, `aria-current="page">2<`}, []string{`rel="next"`}},
		{"schools only", "/coordinator/organisations?kind=school", 200,
			[]string{"1 organisation", "Durham Johnston", "URN 114233"}, []string{"Employer 01 Ltd", "Verify"}},
		{"by name", "/coordinator/organisations?q=employer+07", 200,
			[]string{"1 organisation", "Employer 07 Ltd"}, []string{"Employer 08 Ltd"}},
		{"unknown kind", "/coordinator/organisations?kind=wizard", 400, []string{"Choose a kind"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := coord.get(tt.path)
			wantStatus(t, res, tt.status)
			wantContains(t, res, tt.want...)
			if containsAny(res.Body, tt.absent...) {
				t.Errorf("body has one of %q", tt.absent)
			}
		})
	}

	verify := []struct {
		name     string
		orgID    string
		verified string
		back     string
		status   int
		location string
	}{
		{"verify", "org_employer07", "true", "/coordinator/organisations?q=employer+07", 303,
			"/coordinator/organisations?q=employer+07"},
		{"withdraw", "org_employer08", "false", "https://evil.example.com/", 303, "/coordinator"},
		{"unknown organisation", "org_nosuchthing", "true", "", 404, ""},
		{"a school from the schools file", app.SchoolID("114233"), "true", "", 409, ""},
	}
	for _, tt := range verify {
		t.Run(tt.name, func(t *testing.T) {
			coord.get("/coordinator")
			res := coord.postForm("/coordinator/organisations/"+tt.orgID+"/verify",
				url.Values{"verified": {tt.verified}, "back": {tt.back}})
			wantStatus(t, res, tt.status)
			if tt.status != 303 {
				wantContains(t, res, `<h1 class="govuk-heading-l">Coordinator</h1>`, "There is a problem")
				return
			}
			wantRedirect(t, res, tt.location)
			org, err := ts.Store.GetOrg(context.Background(), tt.orgID)
			if err != nil || org.Verified != (tt.verified == "true") {
				t.Errorf("organisation %+v, %v", org, err)
			}
		})
	}
	wantContains(t, coord.get("/coordinator/organisations?q=employer+07"), "Withdraw verification", "Verified")
}

// TestCoordinatorPageAtPhoneWidth checks that the coordinator's lists are
// cards, not tables that scroll sideways: every Approve, Reject and
// Verify button sits in its own card, next to what it acts on.
func TestCoordinatorPageAtPhoneWidth(t *testing.T) {
	ts := newTestServer(t)
	ts.mustSchool(t, "114233", "Durham Johnston Comprehensive School")
	ts.mustOrg(t, &app.Organisation{ID: "org_employer1", Kind: app.KindEmployer, Name: "Example Engineering Ltd"})
	ts.mustUser(t, "coord@example.org", "Cora Ordinator", app.CoordinatorOrgID, app.RoleOwner)
	ts.client(t).signUp(url.Values{"name": {"Sam Teacher"}, "email": {"sam@school.example.org"},
		"org_kind": {"school"}, "school_urn": {"114233"}})
	coord := ts.client(t)
	coord.signIn("coord@example.org")

	pages := []struct {
		path        string
		withButtons []string // what each card with buttons names
	}{
		{"/coordinator", []string{"Durham Johnston Comprehensive School", "Example Engineering Ltd"}},
		{"/coordinator/organisations", []string{"Example Engineering Ltd"}},
	}
	for _, p := range pages {
		t.Run(p.path, func(t *testing.T) {
			res := coord.get(p.path)
			wantStatus(t, res, 200)
			if strings.Contains(res.Body, "<table") {
				t.Errorf("the page lays out its lists as a table")
			}
			cards := strings.Split(res.Body, `<li class="app-result">`)[1:]
			for _, name := range p.withButtons {
				found := false
				for _, card := range cards {
					card, _, _ = strings.Cut(card, "</li>")
					if strings.Contains(card, name) {
						found = found || strings.Contains(card, `type="submit"`)
					}
				}
				if !found {
					t.Errorf("no card for %s with its buttons", name)
				}
			}
		})
	}
}

// TestCoordinatorVerifiesProviders checks that providers wait on the
// coordinator's page and that verifying one makes its requests public.
func TestCoordinatorVerifiesProviders(t *testing.T) {
	ts := newTestServer(t)
	ts.mustUser(t, "coord@example.org", "Cora Ordinator", app.CoordinatorOrgID, app.RoleOwner)
	provider := ts.client(t)
	provider.signUp(url.Values{"name": {"Pip Provider"}, "email": {"pip@works.example.org"},
		"org_kind": {"provider"}, "org_name": {"Durham Works"}, "postcode": {"DH1 3LE"}})
	u, err := ts.Store.GetUserByEmail(context.Background(), "pip@works.example.org")
	if err != nil {
		t.Fatal(err)
	}
	a := &app.Actor{UserID: u.ID, OrgID: u.OrgID, Role: app.RoleOwner, Kind: app.KindProvider}
	from := time.Now().In(app.London).AddDate(0, 1, 0)
	r, err := ts.Svc.CreateRequest(context.Background(), a, app.RequestInput{
		Type: app.TypeCareersTalk, Audience: []string{"adults"}, GroupSize: 12,
		From: from.Format(app.DateLayout), To: from.AddDate(0, 0, 14).Format(app.DateLayout), TravelKm: 10,
	})
	if err != nil {
		t.Fatal(err)
	}

	anon := ts.client(t)
	wantStatus(t, anon.get("/requests/"+r.ID), 404)
	wantContains(t, provider.get("/requests/"+r.ID), "Waiting for the county coordinator to verify your organisation")
	wantContains(t, provider.get("/account/requests"), "Waiting for the county coordinator to verify your organisation")

	coord := ts.client(t)
	coord.signIn("coord@example.org")
	res := coord.get("/coordinator")
	wantContains(t, res, "Adult-learning and employability providers", "Durham Works", "Every employer is verified")
	res = coord.postForm("/coordinator/organisations/"+u.OrgID+"/verify", url.Values{"verified": {"true"}})
	wantRedirect(t, res, "/coordinator")
	wantContains(t, coord.get("/coordinator"), "Every provider is verified")

	wantStatus(t, anon.get("/requests/"+r.ID), 200)
	wantContains(t, anon.get("/requests"), "Durham Works")
	if !ts.Mail.sentTo("pip@works.example.org", "organisation_verified") {
		t.Errorf("the provider's owner was not emailed")
	}
}

// TestClaimsShowTheSchoolsStatus checks that the coordinator sees whether
// a claimed school is open, and cannot approve a claim on a closed one.
func TestClaimsShowTheSchoolsStatus(t *testing.T) {
	ts := newTestServer(t)
	ts.mustSchool(t, "114233", "Durham Johnston Comprehensive School")
	closing := ts.mustSchool(t, "114240", "Belmont Community School")
	ts.mustUser(t, "coord@example.org", "Cora Ordinator", app.CoordinatorOrgID, app.RoleOwner)
	for email, urn := range map[string]string{"sam@school.example.org": "114233", "ria@school.example.org": "114240"} {
		ts.client(t).signUp(url.Values{"name": {"Claimant " + urn}, "email": {email},
			"org_kind": {"school"}, "school_urn": {urn}})
	}
	closing.Status, closing.CloseDate = app.OrgClosed, "2024-08-31"
	ts.mustOrg(t, closing)

	coord := ts.client(t)
	coord.signIn("coord@example.org")
	res := coord.get("/coordinator")
	wantContains(t, res, ">Open</strong>", ">Closed on 31 August 2024</strong>", "can only be rejected")
	if n := strings.Count(res.Body, `value="approve"`); n != 1 {
		t.Errorf("%d Approve buttons, want 1: none for the closed school", n)
	}
}
