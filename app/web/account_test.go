package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
)

func TestAccountDashboard(t *testing.T) {
	ts := newTestServer(t)
	employer := ts.mustOrg(t, &app.Organisation{ID: "org_employer1", Kind: app.KindEmployer, Name: "Example Engineering Ltd"})
	school := ts.mustSchool(t, "114233", "Durham Johnston Comprehensive School")
	provider := ts.mustOrg(t, &app.Organisation{ID: "org_provider1", Kind: app.KindProvider, Name: "Durham Works"})
	ts.mustUser(t, "emp@example.org", "Pat Employer", employer.ID, app.RoleOwner)
	ts.mustUser(t, "prov@example.org", "Pip Provider", provider.ID, app.RoleOwner)
	ts.mustUser(t, "teach@example.org", "Sam Teacher", school.ID, app.RoleMember)
	ts.mustUser(t, "new@example.org", "Noor New", "", "")
	ts.mustUser(t, "coord@example.org", "Cora Ordinator", app.CoordinatorOrgID, app.RoleOwner)

	tests := []struct {
		name  string
		email string
		want  []string
	}{
		{"employer owner", "emp@example.org", []string{"Example Engineering Ltd",
			"Waiting for the county coordinator to verify your organisation", "Your published offers become public",
			`href="/account/offers"`, `href="/offers/new"`, "Members and invitations", "Owner"}},
		{"unverified provider", "prov@example.org", []string{"Durham Works",
			"Waiting for the county coordinator to verify your organisation", "Your requests become public",
			`href="/requests/new"`}},
		{"school member", "teach@example.org", []string{"Durham Johnston Comprehensive School", "114233",
			`href="/account/requests"`, `href="/requests/new"`, "Members of your organisation"}},
		{"no organisation yet", "new@example.org", []string{"not part of an organisation", `href="/account/claim"`}},
		{"coordinator", "coord@example.org", []string{"County coordinator", `href="/coordinator"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			c.signIn(tt.email)
			res := c.get("/account")
			wantStatus(t, res, 200)
			wantContains(t, res, tt.want...)
		})
	}
}

func TestMembers(t *testing.T) {
	ts := newTestServer(t)
	org := ts.mustOrg(t, &app.Organisation{ID: "org_employer1", Kind: app.KindEmployer, Name: "Example Engineering Ltd"})
	other := ts.mustOrg(t, &app.Organisation{ID: "org_employer2", Kind: app.KindEmployer, Name: "Other Firm Ltd"})
	ts.mustUser(t, "owner@example.org", "Olive Owner", org.ID, app.RoleOwner)
	ts.mustUser(t, "member@example.org", "Mo Member", org.ID, app.RoleMember)
	ts.mustUser(t, "stranger@example.org", "Stan Stranger", other.ID, app.RoleOwner)

	t.Run("list shows only your organisation", func(t *testing.T) {
		c := ts.client(t)
		c.signIn("member@example.org")
		res := c.get("/account/members")
		wantStatus(t, res, 200)
		wantContains(t, res, "Olive Owner", "Mo Member", "2 members")
		if containsAny(res.Body, "Stan Stranger", "Invite someone") {
			t.Errorf("members page shows another organisation or the owners' form")
		}
	})

	tests := []struct {
		name   string
		who    string
		form   url.Values
		status int
		want   []string
	}{
		{"owner invites", "owner@example.org", url.Values{"email": {"new@example.org"}, "role": {"member"}},
			303, nil},
		{"bad email", "owner@example.org", url.Values{"email": {"nope"}, "role": {"member"}},
			422, []string{`href="#email"`, `value="nope"`, "Olive Owner"}},
		{"bad role", "owner@example.org", url.Values{"email": {"new2@example.org"}, "role": {"king"}},
			422, []string{`href="#role"`}},
		{"no email", "owner@example.org", url.Values{"email": {""}, "role": {"member"}},
			422, []string{`href="#email"`, "Enter the email address of the person you are inviting"}},
		{"a member already", "owner@example.org", url.Values{"email": {"Member@example.org"}},
			422, []string{`href="#email"`, "member@example.org is already a member of your organisation"}},
		{"members cannot invite", "member@example.org", url.Values{"email": {"new3@example.org"}},
			403, []string{"Only owners"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			c.signIn(tt.who)
			c.get("/account/members")
			res := c.postForm("/account/members", tt.form)
			wantStatus(t, res, tt.status)
			wantContains(t, res, tt.want...)
			if tt.status == 303 {
				wantContains(t, c.get("/account/members"), "We have sent an invitation to new@example.org")
				ts.Mail.lastLink(t, "new@example.org", "/invite/")
			}
		})
	}

	// An address with an account in another organisation gets the same
	// answer as a new one, so the page does not tell who uses Encounters.
	t.Run("an address with an account elsewhere is not revealed", func(t *testing.T) {
		c := ts.client(t)
		c.signIn("owner@example.org")
		c.get("/account/members")
		res := c.postForm("/account/members", url.Values{"email": {"stranger@example.org"}, "role": {"member"}})
		wantRedirect(t, res, "/account/members")
		page := c.get("/account/members")
		wantContains(t, page, "We have sent an invitation to stranger@example.org.")
		if containsAny(page.Body, "already", "Stan Stranger") {
			t.Errorf("the page tells that the address has an account")
		}
		if !ts.Mail.sentTo("stranger@example.org", "invite_existing_account") {
			t.Errorf("no note was mailed to the address")
		}
	})
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestClaimSchool(t *testing.T) {
	ts := newTestServer(t)
	ts.mustSchool(t, "114233", "Durham Johnston Comprehensive School")
	claimed := ts.mustSchool(t, "114234", "Framwellgate School Durham")
	claimed.Claimed = true
	ts.mustOrg(t, claimed)
	closed := ts.mustSchool(t, "114235", "Old Hall School")
	closed.Status, closed.CloseDate = app.OrgClosed, "2024-08-31"
	ts.mustOrg(t, closed)
	employer := ts.mustOrg(t, &app.Organisation{ID: "org_employer1", Kind: app.KindEmployer, Name: "Example Engineering Ltd"})
	ts.mustUser(t, "emp@example.org", "Pat Employer", employer.ID, app.RoleOwner)

	tests := []struct {
		name   string
		who    string
		form   url.Values
		status int
		want   []string
	}{
		{"URN not a number", "", url.Values{"school_urn": {"abc"}, "job_title": {"Careers leader"}},
			422, []string{`href="#school_urn"`, `value="abc"`}},
		{"unknown URN", "", url.Values{"school_urn": {"999999"}, "job_title": {"Careers leader"}},
			422, []string{`href="#school_urn"`, "999999"}},
		{"job title too long", "", url.Values{"school_urn": {"114233"}, "job_title": {strings.Repeat("x", 101)}},
			422, []string{`href="#job_title"`}},
		{"closed school", "", url.Values{"school_urn": {"114235"}, "job_title": {"Careers leader"}},
			409, []string{"Old Hall School closed on 31 August 2024, so it cannot be claimed."}},
		{"school with an owner", "", url.Values{"school_urn": {"114234"}, "job_title": {"Careers leader"}},
			409, []string{"already has an owner"}},
		{"member of an employer", "emp@example.org", url.Values{"school_urn": {"114233"},
			"job_title": {"Careers leader"}}, 409, []string{"already a member"}},
		{"good claim without a job title", "", url.Values{"school_urn": {"114233"}}, 303, nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			email := tt.who
			if email == "" {
				email = "claimant" + string(rune('a'+i)) + "@example.org"
				ts.mustUser(t, email, "Cal Claimant", "", "")
			}
			c := ts.client(t)
			c.signIn(email)
			wantStatus(t, c.get("/account/claim"), 200)
			res := c.postForm("/account/claim", tt.form)
			wantStatus(t, res, tt.status)
			wantContains(t, res, tt.want...)
			if tt.status == 303 {
				wantRedirect(t, res, "/account")
				wantContains(t, c.get("/account"), "Your claim has been sent")
				wantStatus(t, c.postForm("/account/claim", tt.form), 409)
			}
		})
	}
}
