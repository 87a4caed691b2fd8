package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

func TestPublicPages(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name   string
		path   string
		status int
		want   []string
	}{
		{"home", "/", 200, []string{"Meet the world of work", `href="/find"`, `href="/requests"`, "Sign in"}},
		{"sign in", "/sign-in", 200, []string{"<h1 class=\"govuk-heading-l\">Sign in</h1>", `name="_csrf"`, `for="email"`}},
		{"sign up", "/sign-up", 200, []string{"Create an account", `value="employer"`, `id="school_urn"`}},
		{"sign up for a school", "/sign-up?kind=school", 200, []string{`value="school" checked`}},
		{"forgot password", "/forgot-password", 200, []string{"Reset your password", `action="/forgot-password"`}},
		{"reset password, unknown link", "/reset/0123abcd", 410, []string{"This link has expired", `href="/forgot-password"`}},
		{"accept invite, unknown link", "/invite/0123abcd", 410, []string{"This link has expired", "send a new invitation"}},
		{"unknown page", "/no/such/page", 404, []string{"Page not found", "check it is correct"}},
		{"unknown asset", "/public/css/nothing.css", 404, []string{"Page not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ts.client(t).get(tt.path)
			wantStatus(t, res, tt.status)
			wantContains(t, res, tt.want...)
			if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/html") {
				t.Errorf("content type %q", got)
			}
		})
	}
}

func TestSignedInPagesSendAnonymousVisitorsToSignIn(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/account", "/account/members", "/account/claim", "/coordinator",
		"/coordinator/organisations?page=2"} {
		t.Run(path, func(t *testing.T) {
			res := ts.client(t).get(path)
			wantRedirect(t, res, "/sign-in?next="+url.QueryEscape(path))
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t)
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'",
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
		"X-Request-Id":            "",
	}
	for _, path := range []string{"/", "/sign-in", "/no/such/page", "/healthz", "/public/css/app.css"} {
		t.Run(path, func(t *testing.T) {
			res := ts.client(t).get(path)
			for h, v := range want {
				got := res.Header.Get(h)
				if got == "" || !strings.Contains(got, v) {
					t.Errorf("%s = %q, want it to contain %q", h, got, v)
				}
			}
		})
	}
}

func TestCookies(t *testing.T) {
	tests := []struct {
		name        string
		secure      bool
		session     string
		wantSecured bool
	}{
		{"plain http for local development", false, "encounters_session", false},
		{"secure", true, "__Host-encounters", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, func(_ *app.Service, cfg *Config) { cfg.SecureCookies = tt.secure })
			res := ts.client(t).get("/sign-in")
			var found bool
			for _, ck := range res.Cookies() {
				if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure != tt.wantSecured {
					t.Errorf("cookie %s: HttpOnly=%v SameSite=%v Path=%q Secure=%v", ck.Name,
						ck.HttpOnly, ck.SameSite, ck.Path, ck.Secure)
				}
				found = found || ck.Name == tt.session
			}
			if !found {
				t.Errorf("no cookie named %s in %v", tt.session, res.Header.Values("Set-Cookie"))
			}
		})
	}
}

func TestCSRF(t *testing.T) {
	ts := newTestServer(t)
	ts.mustUser(t, "coord@example.org", "Cora Ordinator", "coordinator", "owner")
	tests := []struct {
		name  string
		token string // "" sends none; "own" sends the page's token
		path  string
		want  int
	}{
		{"sign in without a token", "", "/sign-in", 403},
		{"sign in with a made-up token", "made-up", "/sign-in", 403},
		{"sign in with the page's token", "own", "/sign-in", 401},
		{"sign out without a token", "", "/sign-out", 403},
		{"sign up without a token", "", "/sign-up", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			c.get("/sign-in")
			form := url.Values{"email": {"coord@example.org"}, "password": {"not the password"}}
			if tt.token != "own" {
				form.Set("_csrf", tt.token)
			}
			res := c.postForm(tt.path, form)
			wantStatus(t, res, tt.want)
			if tt.want == 403 {
				wantContains(t, res, "This form has expired or came from another site")
			}
		})
	}

	t.Run("token from another session", func(t *testing.T) {
		a, b := ts.client(t), ts.client(t)
		a.get("/sign-in")
		b.get("/sign-in")
		res := b.postForm("/sign-in", url.Values{"_csrf": {a.csrf}, "email": {"x@example.org"}})
		wantStatus(t, res, 403)
	})
	t.Run("API call with the session cookie needs X-CSRF-Token", func(t *testing.T) {
		c := ts.client(t)
		c.get("/sign-in")
		c.csrf = ""
		res := c.postJSON("/api/v1/no-such-thing", `{}`)
		wantStatus(t, res, 403)
		wantContains(t, res, `"code":"forbidden"`)
	})
	t.Run("the token from before sign-in is refused after it", func(t *testing.T) {
		c := ts.client(t)
		c.get("/sign-in")
		before := c.csrf
		res := c.postForm("/sign-in", url.Values{"email": {"coord@example.org"}, "password": {testPassword}})
		wantStatus(t, res, 303)
		wantStatus(t, c.postForm("/sign-out", url.Values{"_csrf": {before}}), 403)

		c.get("/account")
		if c.csrf == before {
			t.Fatal("the page after sign-in still carries the token from before")
		}
		wantStatus(t, c.postForm("/sign-out", url.Values{}), 303)
	})
	t.Run("a form posted from another site is refused even with the token", func(t *testing.T) {
		c := ts.client(t)
		c.get("/sign-in")
		form := url.Values{"email": {"coord@example.org"}, "password": {"not the password"}}
		c.header.Set("Origin", "https://elsewhere.example")
		res := c.postForm("/sign-in", form)
		wantStatus(t, res, 403)
		wantContains(t, res, "This form has expired or came from another site")

		c.header.Set("Origin", "http://example.com") // the test requests' own host
		wantStatus(t, c.postForm("/sign-in", form), 401)

		c.header.Del("Origin")
		c.header.Set("Sec-Fetch-Site", "cross-site")
		wantStatus(t, c.postForm("/sign-in", form), 403)
		c.header.Set("Sec-Fetch-Site", "same-origin")
		wantStatus(t, c.postForm("/sign-in", form), 401)
	})
}

func TestBearerTokens(t *testing.T) {
	ts := newTestServer(t)
	ts.mustUser(t, "coord@example.org", "Cora Ordinator", "coordinator", "owner")
	secret, err := ts.Svc.IssueAPIToken(context.Background(), "coord@example.org")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		header string
		want   int
		body   string
	}{
		{"good token skips CSRF", "Bearer " + secret, 404, `"code":"not_found"`},
		{"unknown token", "Bearer " + strings.Repeat("ab", 32), 401, `"code":"unauthorized"`},
		{"not a bearer header", "Basic dXNlcjpwYXNz", 401, "Bearer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			c.header.Set("Authorization", tt.header)
			res := c.postJSON("/api/v1/no-such-thing", `{}`)
			wantStatus(t, res, tt.want)
			wantContains(t, res, tt.body)
		})
	}
}

func TestBodyTooLarge(t *testing.T) {
	// Fiber refuses the body as soon as it reads the Content-Length, which
	// app.Test reports as a failure, so this test speaks HTTP on a real
	// listener. No body is sent: a refused body left unread would make the
	// connection close with a reset.
	ts := newTestServer(t, func(_ *app.Service, cfg *Config) { cfg.BodyLimit = 64 << 10 })
	addr := strings.TrimPrefix(listen(t, ts), "http://")
	tests := []struct {
		name, path, contentType, want string
	}{
		{"form", "/sign-in", "application/x-www-form-urlencoded", "larger than 64 KB"},
		{"API", "/api/v1/offers", "application/json", `"code":"too_large"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: encounters.test\r\nContent-Type: %s\r\n"+
				"Content-Length: %d\r\n\r\n", tt.path, tt.contentType, 200<<10)

			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), tt.want) {
				t.Errorf("status %d, body %.500s", res.StatusCode, body)
			}
		})
	}
}

// listen serves ts on a loopback port until the test ends and returns its
// base URL.
func listen(t *testing.T, ts *testServer) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- ts.Listen(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := ts.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("listen returned %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

func TestInternalErrorsShowOnlyARequestID(t *testing.T) {
	ts := newTestServer(t)
	ts.mustUser(t, "pat@example.org", "Pat Example", "", "")
	ts.Mail.Fail = errMailDown

	c := ts.client(t)
	c.get("/forgot-password")
	res := c.postForm("/forgot-password", url.Values{"email": {"pat@example.org"}})
	wantStatus(t, res, 500)
	id := res.Header.Get("X-Request-Id")
	wantContains(t, res, "Sorry, there is a problem with the service", id)
	for _, leak := range []string{errMailDown.Error(), "goroutine", ".go:", "pat@example.org"} {
		if strings.Contains(res.Body, leak) {
			t.Errorf("error page shows %q", leak)
		}
	}

	logs := ts.Logs.String()
	if !strings.Contains(logs, `"request_id":"`+id+`"`) || !strings.Contains(logs, errMailDown.Error()) {
		t.Errorf("log lacks the request id and cause:\n%s", logs)
	}
	if strings.Contains(logs, "pat@example.org") {
		t.Errorf("log carries an email address:\n%s", logs)
	}
}

func TestPanicsBecomeErrorPages(t *testing.T) {
	// A service without a gazetteer panics when a postcode is placed: a
	// stand-in for any bug below the web layer.
	ts := newTestServer(t, func(svc *app.Service, _ *Config) { svc.Places = nil })
	c := ts.client(t)
	c.get("/sign-up")
	res := c.postForm("/sign-up", url.Values{"name": {"Pat Example"}, "email": {"pat@example.org"},
		"password": {testPassword}, "org_kind": {"employer"}, "org_name": {"Example Ltd"},
		"postcode": {"DH1 3LE"}})
	wantStatus(t, res, 500)
	wantContains(t, res, "Reference: <code class=\"govuk-code\">"+res.Header.Get("X-Request-Id"))
	if strings.Contains(res.Body, "nil pointer") || strings.Contains(res.Body, "goroutine") {
		t.Errorf("error page shows the panic:\n%s", res.Body)
	}
	if !strings.Contains(ts.Logs.String(), "goroutine") {
		t.Errorf("the panic's stack was not logged")
	}
}

func TestHealth(t *testing.T) {
	tests := []struct {
		name   string
		health func(context.Context) HealthReport
		status int
		want   string
	}{
		{"store answers", nil, 200, "ok"},
		{"an engine is down", func(context.Context) HealthReport {
			return HealthReport{"documents": {Engine: "ferretdb", Up: true}, "search": {Engine: "meilisearch", Up: false}}
		}, 503, "degraded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, func(_ *app.Service, cfg *Config) { cfg.Health = tt.health })
			res := ts.client(t).get("/healthz")
			wantStatus(t, res, tt.status)
			var got struct {
				Status  string                  `json:"status"`
				Engines map[string]EngineHealth `json:"engines"`
			}
			if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
				t.Fatalf("decode %s: %v", res.Body, err)
			}
			if got.Status != tt.want || !got.Engines["documents"].Up {
				t.Errorf("got %+v", got)
			}
		})
	}
}

func TestAssetsAreHashedAndCached(t *testing.T) {
	ts := newTestServer(t)
	hashed := ts.assets.url("css/app.css")
	if hashed == "/public/css/app.css" || !strings.HasSuffix(hashed, ".css") {
		t.Fatalf("asset url %q carries no hash", hashed)
	}
	tests := []struct {
		path, cache string
	}{
		{hashed, "immutable"},
		{"/public/css/app.css", "max-age=300"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res := ts.client(t).get(tt.path)
			wantStatus(t, res, 200)
			if !strings.Contains(res.Header.Get("Cache-Control"), tt.cache) ||
				!strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
				t.Errorf("headers %v", res.Header)
			}
			wantContains(t, res, ".govuk-error-summary")
		})
	}
	wantContains(t, ts.client(t).get("/"), `href="`+hashed+`"`)
}

func TestListenAndShutdown(t *testing.T) {
	ts := newTestServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- ts.Listen(ln) }()

	res, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("status %d", res.StatusCode)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if err := <-done; err != nil {
		t.Errorf("listen returned %v", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Errorf("server still answers after shutdown")
	}
}
