package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
)

func TestSignUp(t *testing.T) {
	ts := newTestServer(t)
	ts.mustSchool(t, "114233", "Durham Johnston Comprehensive School")
	ts.mustUser(t, "taken@example.org", "Tay Ken", "", "")

	employer := url.Values{"name": {"Pat Example"}, "email": {"pat@example.org"},
		"org_kind": {"employer"}, "org_name": {"Example Engineering Ltd"}, "postcode": {"DH1 3LE"}}
	tests := []struct {
		name   string
		form   url.Values
		status int
		want   []string
	}{
		{"employer", employer, 303, nil},
		{"school staff with a URN", url.Values{"name": {"Sam Teacher"}, "email": {"sam@school.example.org"},
			"org_kind": {"school"}, "school_urn": {"114233"}, "job_title": {"Careers leader"}}, 303, nil},
		{"nothing filled in", url.Values{}, 422, []string{
			"There is a problem", `href="#name"`, `href="#email"`, `href="#password"`, `href="#org_kind"`,
			`id="email-error"`, "<title>Error: Create an account"}},
		{"email already used", with(employer, "email", "taken@example.org"), 422, []string{
			`href="#email"`, "already exists"}},
		{"unknown school", url.Values{"name": {"Sam Teacher"}, "email": {"sam2@school.example.org"},
			"org_kind": {"school"}, "school_urn": {"999999"}}, 422, []string{`href="#school_urn"`, "999999"}},
		{"bad postcode keeps the values typed", with(employer, "postcode", "not a postcode"), 422, []string{
			`href="#postcode"`, `value="Example Engineering Ltd"`, `value="employer" checked`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			c.get("/sign-up")
			if tt.status == 303 || tt.form.Get("email") != "" {
				tt.form.Set("password", testPassword)
			}
			res := c.postForm("/sign-up", tt.form)
			wantStatus(t, res, tt.status)
			wantContains(t, res, tt.want...)
			if strings.Contains(res.Body, testPassword) {
				t.Errorf("the password was shown back")
			}
			if tt.status == 303 {
				wantRedirect(t, res, "/account")
				wantContains(t, c.get("/account"), "Your account has been created")
			}
		})
	}
}

// with returns a copy of form with one field changed.
func with(form url.Values, field, value string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = append([]string(nil), v...)
	}
	out.Set(field, value)
	return out
}

func TestSignInAndOut(t *testing.T) {
	ts := newTestServer(t)
	ts.mustUser(t, "coord@example.org", "Cora Ordinator", "coordinator", "owner")
	tests := []struct {
		name     string
		next     string
		password string
		status   int
		location string
	}{
		{"to the account", "", testPassword, 303, "/account"},
		{"back to the page asked for", "/coordinator?x=1", testPassword, 303, "/coordinator?x=1"},
		{"never to another site", "//evil.example.com/", testPassword, 303, "/account"},
		{"never to another site with a backslash", "/\\evil.example.com", testPassword, 303, "/account"},
		{"wrong password", "", "wrong password here", 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			wantContains(t, c.get("/sign-in?next="+url.QueryEscape(tt.next)), `name="next" value="`)
			res := c.postForm("/sign-in", url.Values{"email": {"Coord@Example.org "},
				"password": {tt.password}, "next": {tt.next}})
			wantStatus(t, res, tt.status)
			if tt.status == 401 {
				wantContains(t, res, "There is a problem", `href="#email"`, "not right", `value="Coord@Example.org "`)
				return
			}
			wantRedirect(t, res, tt.location)
			wantContains(t, c.get("/account"), "Cora Ordinator", "Sign out", "County coordinator")
		})
	}

	t.Run("sign-in starts a new session", func(t *testing.T) {
		c := ts.client(t)
		c.get("/sign-in")
		before := sessionCookie(c)
		c.signIn("coord@example.org")
		if after := sessionCookie(c); after == "" || after == before {
			t.Errorf("session id %q kept after sign-in", after)
		}
	})
	t.Run("sign out ends the session", func(t *testing.T) {
		c := ts.client(t)
		c.signIn("coord@example.org")
		old := sessionCookie(c)
		c.get("/account")
		wantRedirect(t, c.postForm("/sign-out", url.Values{}), "/")
		wantContains(t, c.get("/"), "You have signed out", `href="/sign-in"`)
		wantRedirect(t, c.get("/account"), "/sign-in?next=%2Faccount")

		stale := ts.client(t)
		stale.cookies["encounters_session"] = &http.Cookie{Name: "encounters_session", Value: old}
		wantRedirect(t, stale.get("/account"), "/sign-in?next=%2Faccount")
	})
	t.Run("signed-in visitors skip the sign-in page", func(t *testing.T) {
		c := ts.client(t)
		c.signIn("coord@example.org")
		wantRedirect(t, c.get("/sign-in"), "/account")
	})
}

func sessionCookie(c *client) string {
	if ck, ok := c.cookies["encounters_session"]; ok {
		return ck.Value
	}
	return ""
}

func TestAuthFormsAreRateLimited(t *testing.T) {
	ts := newTestServer(t)
	ts.mustUser(t, "coord@example.org", "Cora Ordinator", "coordinator", "owner")
	tests := []struct {
		name   string
		path   string
		form   url.Values
		status int // of each allowed attempt
	}{
		{"sign in", "/sign-in", url.Values{"email": {"coord@example.org"}, "password": {"guess number one"}}, 401},
		{"forgot password", "/forgot-password", url.Values{"email": {"nobody@example.org"}}, 303},
		{"reset password", "/reset/" + strings.Repeat("cd", 32), url.Values{"password": {"a brand new passphrase"}}, 410},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			c.get("/sign-in")
			for i := 1; i <= authAttemptsPerMinute; i++ {
				wantStatus(t, c.postForm(tt.path, with(tt.form, "_csrf", c.csrf)), tt.status)
			}

			res := c.postForm(tt.path, with(tt.form, "_csrf", c.csrf))
			wantStatus(t, res, http.StatusTooManyRequests)
			wantContains(t, res, "too many attempts", "Wait a minute")

			other := with(tt.form, "email", "someone.else@example.org")
			if tt.form.Has("email") {
				wantStatus(t, c.postForm(tt.path, with(other, "_csrf", c.csrf)), tt.status)
			}
		})
	}

	t.Run("the right password is refused too once limited", func(t *testing.T) {
		ts.mustUser(t, "pat@example.org", "Pat Example", "", "")
		c := ts.client(t)
		c.get("/sign-in")
		wrong := url.Values{"email": {"pat@example.org"}, "password": {"guess number two"}}
		for i := 0; i < authAttemptsPerMinute; i++ {
			wantStatus(t, c.postForm("/sign-in", with(wrong, "_csrf", c.csrf)), http.StatusUnauthorized)
		}
		res := c.postForm("/sign-in", url.Values{"email": {"pat@example.org"}, "password": {testPassword}})
		wantStatus(t, res, http.StatusTooManyRequests)
	})
}

func TestPasswordReset(t *testing.T) {
	ts := newTestServer(t)
	ts.mustUser(t, "pat@example.org", "Pat Example", "", "")
	c := ts.client(t)

	c.get("/forgot-password")
	res := c.postForm("/forgot-password", url.Values{"email": {"not an email"}})
	wantStatus(t, res, 422)
	wantContains(t, res, `href="#email"`)

	for _, email := range []string{"nobody@example.org", "pat@example.org"} {
		res = c.postForm("/forgot-password", url.Values{"email": {email}})
		wantRedirect(t, res, "/sign-in")
		wantContains(t, c.get("/sign-in"), "If an account uses that email address")
	}
	link := ts.Mail.lastLink(t, "pat@example.org", "/reset/")

	const expired = "This link has expired or has already been used"
	tests := []struct {
		name      string
		path      string
		password  string
		getStatus int
		status    int
		want      []string
	}{
		{"weak password", link, "password", 200, 422, []string{`href="#password"`}},
		{"made-up link", "/reset/" + strings.Repeat("ab", 32), "a brand new passphrase", 410, 410,
			[]string{expired, `href="/forgot-password"`}},
		{"good password", link, "a brand new passphrase", 200, 303, nil},
		{"link used twice", link, "another new passphrase", 410, 410, []string{expired, `href="/forgot-password"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := c.get(tt.path)
			wantStatus(t, page, tt.getStatus)
			if tt.getStatus == 410 {
				wantContains(t, page, expired, "Ask for a new link")
				if strings.Contains(page.Body, `name="password"`) {
					t.Errorf("a dead link shows the password form")
				}
				c.get("/forgot-password") // a form page, for a CSRF token
			}
			res := c.postForm(tt.path, url.Values{"password": {tt.password}})
			wantStatus(t, res, tt.status)
			wantContains(t, res, tt.want...)
		})
	}
	ts.client(t).signIn("pat@example.org", "a brand new passphrase")
}

// TestPasswordResetSignsOutEverywhere checks that a new password ends the
// sessions of every browser signed in before it, and the API tokens issued
// before it, while a sign-in afterwards works.
func TestPasswordResetSignsOutEverywhere(t *testing.T) {
	ts := newTestServer(t)
	ts.mustUser(t, "pat@example.org", "Pat Example", app.CoordinatorOrgID, app.RoleOwner)
	laptop, phone := ts.client(t), ts.client(t)
	laptop.signIn("pat@example.org")
	phone.signIn("pat@example.org")
	oldToken, err := ts.Svc.IssueAPIToken(context.Background(), "pat@example.org")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, laptop.get("/account"), 200)

	resetter := ts.client(t)
	resetter.get("/forgot-password")
	wantRedirect(t, resetter.postForm("/forgot-password", url.Values{"email": {"pat@example.org"}}), "/sign-in")
	link := ts.Mail.lastLink(t, "pat@example.org", "/reset/")
	resetter.get(link)
	wantRedirect(t, resetter.postForm(link, url.Values{"password": {"a brand new passphrase"}}), "/sign-in")
	wantContains(t, resetter.get("/sign-in"), "signed out everywhere")

	for name, c := range map[string]*client{"laptop": laptop, "phone": phone} {
		t.Run(name+" is signed out", func(t *testing.T) {
			wantRedirect(t, c.get("/account"), "/sign-in?next=%2Faccount")
			wantRedirect(t, c.get("/coordinator"), "/sign-in?next=%2Fcoordinator")
		})
	}
	t.Run("a new sign-in works", func(t *testing.T) {
		c := ts.client(t)
		c.signIn("pat@example.org", "a brand new passphrase")
		wantStatus(t, c.get("/account"), 200)
		wantStatus(t, c.get("/coordinator"), 200)
	})

	newToken, err := ts.Svc.IssueAPIToken(context.Background(), "pat@example.org")
	if err != nil {
		t.Fatal(err)
	}
	tokens := []struct {
		name   string
		secret string
		status int
	}{
		{"API token issued before the reset", oldToken, 401},
		{"API token issued after it", newToken, 404},
	}
	for _, tt := range tokens {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			c.header.Set("Authorization", "Bearer "+tt.secret)
			wantStatus(t, c.get("/api/v1/requests/req_00000000000000000000"), tt.status)
		})
	}
}

func TestAcceptInvite(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.client(t)
	owner.signUpEmployer("owner@example.org", "Example Engineering Ltd")
	owner.get("/account/members")
	wantRedirect(t, owner.postForm("/account/members", url.Values{"email": {"new@example.org"},
		"role": {"member"}}), "/account/members")
	link := ts.Mail.lastLink(t, "new@example.org", "/invite/")

	c := ts.client(t)
	wantContains(t, c.get(link), "Join your organisation")
	res := c.postForm(link, url.Values{"name": {""}, "password": {testPassword}})
	wantStatus(t, res, 422)
	wantContains(t, res, `href="#name"`)

	res = c.postForm(link, url.Values{"name": {"Nell Member"}, "password": {testPassword}})
	wantRedirect(t, res, "/account")
	wantContains(t, c.get("/account"), "Welcome to Encounters", "Example Engineering Ltd", "Member")

	res = ts.client(t).postForm(link, url.Values{"name": {"Again"}, "password": {testPassword}})
	wantStatus(t, res, 403) // no session yet, so no CSRF token

	again := ts.client(t)
	page := again.get(link)
	wantStatus(t, page, 410)
	wantContains(t, page, "This link has expired or has already been used", "send a new invitation")
	if strings.Contains(page.Body, `name="password"`) {
		t.Errorf("a used invitation shows the form")
	}
	again.get("/sign-in") // a form page, for a CSRF token
	res = again.postForm(link, url.Values{"name": {"Again"}, "password": {testPassword}})
	wantStatus(t, res, 410)
	wantContains(t, res, "This link has expired or has already been used")
	wantStatus(t, again.get("/invite/"+strings.Repeat("ef", 32)), 410)

	u, err := ts.Store.GetUserByEmail(context.Background(), "new@example.org")
	if err != nil || u.Role != app.RoleMember {
		t.Errorf("invited user %+v, %v", u, err)
	}
}
