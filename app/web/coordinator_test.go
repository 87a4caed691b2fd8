package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

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

	tests := []struct {
		name     string
		claimID  string
		decision string
		status   int
		want     string
	}{
		{"no decision", byURN["114233"], "", 422, "approve or reject"},
		{"unknown claim", "clm_00000000000000000000", "approve", 404, "not found"},
		{"approve", byURN["114233"], "approve", 303, "The claim has been approved"},
		{"approve twice", byURN["114233"], "approve", 409, "decided already"},
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
			}
			wantContains(t, res, tt.want)
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

	wantContains(t, coord.get("/coordinator"), "Employers waiting to be verified", "Showing 25 of 30")

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
		{"a school", app.SchoolID("114233"), "true", "", 409, ""},
	}
	for _, tt := range verify {
		t.Run(tt.name, func(t *testing.T) {
			coord.get("/coordinator")
			res := coord.postForm("/coordinator/organisations/"+tt.orgID+"/verify",
				url.Values{"verified": {tt.verified}, "back": {tt.back}})
			wantStatus(t, res, tt.status)
			if tt.status != 303 {
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
