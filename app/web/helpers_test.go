package web

// Shared test helpers for every web test (W1 and W2): a real server over
// real engines, and a browser-like client that keeps cookies and CSRF
// tokens.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
	"github.com/encounters/encounters/app/mongo/mongotest"
	"github.com/encounters/encounters/app/places"
	bleveindex "github.com/encounters/encounters/search/bleve"
)

// TestMain shares one embedded FerretDB among all the package's tests and
// stops it at the end.
func TestMain(m *testing.M) { mongotest.Main(m) }

// testServer is a Server over a real Service: a fresh FerretDB database,
// a Bleve index in a temporary folder and the shipped gazetteer.
type testServer struct {
	*Server
	Svc   *app.Service
	Store *mongo.Store
	Mail  *recordingMailer
	Logs  *syncBuffer
}

// testOption changes the service or the web config before the server is
// built.
type testOption func(svc *app.Service, cfg *Config)

// newTestServer builds a server on real engines. The coordinator's
// organisation exists; nothing else does.
func newTestServer(t testing.TB, opts ...testOption) *testServer {
	t.Helper()
	store := mongotest.NewStore(t)
	idx, err := bleveindex.Open(t.TempDir())
	if err != nil {
		t.Fatalf("open bleve: %v", err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	gaz, err := places.Load()
	if err != nil {
		t.Fatalf("load places: %v", err)
	}

	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mail := &recordingMailer{}
	svc := &app.Service{Store: store, Index: idx, Places: gaz, Mail: mail, Log: log,
		BaseURL: "http://encounters.test"}
	cfg := Config{BaseURL: svc.BaseURL, Log: log, RequestTimeout: time.Minute}
	for _, o := range opts {
		o(svc, &cfg)
	}

	ctx := context.Background()
	if err := svc.EnsureCoordinator(ctx); err != nil {
		t.Fatalf("ensure coordinator: %v", err)
	}
	sessions := mongo.NewSessionStorage(store)
	t.Cleanup(func() { _ = sessions.Close() })
	srv, err := New(svc, sessions, cfg)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	return &testServer{Server: srv, Svc: svc, Store: store, Mail: mail, Logs: logs}
}

// recordingMailer keeps messages in memory, so that tests can read the
// links they carry. Real delivery (SMTP, .eml files) is tested in emails/.
// Fail, when set, is returned by Send instead, to show how the pages
// handle a mail server that is down.
type recordingMailer struct {
	mu   sync.Mutex
	sent []app.Message
	Fail error
}

func (m *recordingMailer) Send(_ context.Context, msg app.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	m.sent = append(m.sent, msg)
	return nil
}

// sentTo reports whether a message of kind was mailed to `to`.
func (m *recordingMailer) sentTo(to, kind string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, msg := range m.sent {
		if msg.To == to && msg.Kind == kind {
			return true
		}
	}
	return false
}

var linkPattern = regexp.MustCompile(`http://encounters\.test(/[A-Za-z0-9/_.-]+)`)

// lastLink returns the path of the last link mailed to `to` whose path
// starts with prefix ("/reset/").
func (m *recordingMailer) lastLink(t testing.TB, to, prefix string) string {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.sent) - 1; i >= 0; i-- {
		if m.sent[i].To != to {
			continue
		}
		for _, l := range linkPattern.FindAllStringSubmatch(m.sent[i].Text, -1) {
			if strings.HasPrefix(l[1], prefix) {
				return l[1]
			}
		}
	}
	t.Fatalf("no mail to %s with a link to %s*", to, prefix)
	return ""
}

// syncBuffer is a log sink that tests may read while the server writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testPassword passes the service's password rules.
const testPassword = "correct horse battery staple"

// mustUser creates a user with testPassword directly in the store, in
// orgID with role (orgID "" for none).
func (ts *testServer) mustUser(t testing.TB, email, name, orgID, role string) *app.User {
	t.Helper()
	hash, err := app.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u := &app.User{ID: app.NewID("usr"), Email: email, Name: name, PasswordHash: hash,
		OrgID: orgID, Role: role, CreatedAt: time.Now().UTC()}
	if err := ts.Store.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u
}

// mustOrg saves an organisation directly in the store.
func (ts *testServer) mustOrg(t testing.TB, o *app.Organisation) *app.Organisation {
	t.Helper()
	if o.Status == "" {
		o.Status = app.OrgOpen
	}
	o.CreatedAt, o.UpdatedAt = time.Now().UTC(), time.Now().UTC()
	if err := ts.Store.UpsertOrg(context.Background(), o); err != nil {
		t.Fatalf("save organisation: %v", err)
	}
	return o
}

// mustSchool saves an imported school with the given URN.
func (ts *testServer) mustSchool(t testing.TB, urn, name string) *app.Organisation {
	t.Helper()
	return ts.mustOrg(t, &app.Organisation{ID: app.SchoolID(urn), Kind: app.KindSchool,
		Name: name, URN: urn, Town: "Durham", Postcode: "DH1 3LE", Source: "gias"})
}

// client is a browser: it keeps cookies and the latest CSRF token, and
// never follows redirects, so tests see them.
type client struct {
	t       testing.TB
	ts      *testServer
	cookies map[string]*http.Cookie
	csrf    string
	header  http.Header // sent with every request
}

func (ts *testServer) client(t testing.TB) *client {
	return &client{t: t, ts: ts, cookies: map[string]*http.Cookie{}, header: http.Header{}}
}

// response is a finished response with its body read.
type response struct {
	*http.Response
	Body string
}

var csrfPattern = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// do sends req with the client's cookies and keeps the cookies and any
// CSRF token of the answer.
func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	for _, ck := range c.cookies {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	res, err := c.ts.App().Test(req, -1)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("read body: %v", err)
	}
	_ = res.Body.Close()

	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || (!ck.Expires.IsZero() && ck.Expires.Before(time.Now())) {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	if m := csrfPattern.FindSubmatch(body); m != nil {
		c.csrf = string(m[1])
	}
	return &response{Response: res, Body: string(body)}
}

// get fetches a path.
func (c *client) get(path string) *response {
	c.t.Helper()
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// postForm posts a form with the client's CSRF token, unless form sets
// _csrf itself (to "" for none).
func (c *client) postForm(path string, form url.Values) *response {
	c.t.Helper()
	if _, set := form["_csrf"]; !set {
		form.Set("_csrf", c.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// postJSON posts a JSON body with the CSRF token in X-CSRF-Token when the
// client has one.
func (c *client) postJSON(path, body string) *response {
	c.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	return c.do(req)
}

// signIn signs the client in with testPassword (or the password given)
// and fails the test unless it worked.
func (c *client) signIn(email string, password ...string) {
	c.t.Helper()
	pw := testPassword
	if len(password) > 0 {
		pw = password[0]
	}
	c.get("/sign-in")
	res := c.postForm("/sign-in", url.Values{"email": {email}, "password": {pw}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign in %s: status %d, want 303\n%s", email, res.StatusCode, res.Body)
	}
	// Signing in renews the form token; a browser gets the new one from
	// the page it is sent to.
	c.get(res.Header.Get("Location"))
}

// signUp opens an account through the sign-up form and fails the test
// unless it worked. form needs name, email, org_kind and the kind's fields;
// the password is testPassword.
func (c *client) signUp(form url.Values) {
	c.t.Helper()
	c.get("/sign-up")
	form.Set("password", testPassword)
	res := c.postForm("/sign-up", form)
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign up: status %d, want 303\n%s", res.StatusCode, res.Body)
	}
}

// signUpEmployer opens an employer account and returns its user.
func (c *client) signUpEmployer(email, orgName string) *app.User {
	c.t.Helper()
	c.signUp(url.Values{"name": {"Pat Example"}, "email": {email}, "org_kind": {"employer"},
		"org_name": {orgName}, "postcode": {"DH1 3LE"}})
	u, err := c.ts.Store.GetUserByEmail(context.Background(), email)
	if err != nil {
		c.t.Fatalf("find new user: %v", err)
	}
	return u
}

// wantStatus fails the test when res has another status.
func wantStatus(t testing.TB, res *response, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("status %d, want %d\n%.2000s", res.StatusCode, want, res.Body)
	}
}

// wantContains fails the test when the body lacks any of the texts.
func wantContains(t testing.TB, res *response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(res.Body, s) {
			t.Errorf("body lacks %q\n%.3000s", s, res.Body)
		}
	}
}

// wantRedirect fails the test unless res is a 303 to location.
func wantRedirect(t testing.TB, res *response, location string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != location {
		t.Fatalf("got %d to %q, want 303 to %q\n%.1000s", res.StatusCode,
			res.Header.Get("Location"), location, res.Body)
	}
}

var errMailDown = errors.New("mail server refused the connection")
