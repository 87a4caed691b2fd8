package app_test

import (
	"context"
	"log/slog"
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

// TestMain shares one embedded FerretDB among every test of package app and
// stops it at the end; each test gets a fresh database from mongotest.
func TestMain(m *testing.M) { mongotest.Main(m) }

// testBaseURL is the public address the tests' emails link to.
const testBaseURL = "https://encounters.test"

// Postcodes from Code-Point Open, in County Durham.
const (
	pcConsett = "DH8 6LZ"  // Consett
	pcStanley = "DH9 0TW"  // Stanley, about 9 km east of Consett
	pcNetpark = "TS21 3FG" // NETpark, Sedgefield, about 30 km south east
)

// recordingMailer keeps the messages the service sends, for the tests to
// read back: the app package's own mail capture. Real SMTP is tested in
// the emails package.
type recordingMailer struct {
	mu   sync.Mutex
	sent []app.Message
}

func (r *recordingMailer) Send(_ context.Context, m app.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m)
	return nil
}

// count returns how many messages of kind were sent.
func (r *recordingMailer) count(kind string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.sent {
		if m.Kind == kind {
			n++
		}
	}
	return n
}

// last returns the latest message of kind, failing the test when none.
func (r *recordingMailer) last(t testing.TB, kind string) app.Message {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.sent) - 1; i >= 0; i-- {
		if r.sent[i].Kind == kind {
			return r.sent[i]
		}
	}
	t.Fatalf("no %s email was sent", kind)
	return app.Message{}
}

// linkSecret returns the secret at the end of the link to path ("/reset/")
// in m, and checks the message has both parts and links in each.
func linkSecret(t *testing.T, m app.Message, path string) string {
	t.Helper()
	prefix := testBaseURL + path
	_, rest, ok := strings.Cut(m.Text, prefix)
	if !ok {
		t.Fatalf("email %s has no %s link in its text:\n%s", m.Kind, path, m.Text)
	}
	secret, _, _ := strings.Cut(rest, "\n")
	if len(secret) != 64 || !strings.Contains(m.HTML, `href="`+prefix+secret+`"`) {
		t.Fatalf("email %s: link secret %q missing from the HTML part", m.Kind, secret)
	}
	return secret
}

// env is one service over real engines: a fresh FerretDB database, a Bleve
// index in a temporary folder, the shipped gazetteer and a recording
// mailer, with a clock the test moves.
type env struct {
	svc   *app.Service
	store *mongo.Store
	index *bleveindex.Index
	mail  *recordingMailer
	now   time.Time
}

// testNow is a Monday morning in term time, in London.
var testNow = time.Date(2026, time.January, 12, 9, 0, 0, 0, app.London)

// testLog writes the service's warnings and errors to the test's log.
type testLog struct{ t testing.TB }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func newEnv(t testing.TB) *env {
	t.Helper()
	idx, err := bleveindex.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	gaz, err := places.Load()
	if err != nil {
		t.Fatal(err)
	}

	e := &env{store: mongotest.NewStore(t), index: idx, mail: &recordingMailer{}, now: testNow}
	e.svc = &app.Service{
		Store: e.store, Index: idx, Places: gaz, Mail: e.mail,
		Log:     slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		BaseURL: testBaseURL,
		Now:     func() time.Time { return e.now },
	}
	return e
}

// org creates an organisation directly in the store and returns an owner
// acting for it.
func (e *env) org(t testing.TB, kind app.OrgKind, name, postcode string, verified bool) *app.Actor {
	t.Helper()
	ctx := context.Background()
	o := &app.Organisation{
		ID: app.NewID("org"), Kind: kind, Name: name, Status: app.OrgOpen, Verified: verified,
		CreatedAt: e.now, UpdatedAt: e.now,
	}
	if postcode != "" {
		var err error
		if o.Postcode, o.Location, err = e.svc.Places.Postcode(ctx, postcode); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.store.CreateOrg(ctx, o); err != nil {
		t.Fatal(err)
	}
	return &app.Actor{UserID: app.NewID("usr"), OrgID: o.ID, Role: app.RoleOwner, Kind: kind}
}

// school creates an imported school with the URN and returns it.
func (e *env) school(t testing.TB, urn, name, postcode string) *app.Organisation {
	t.Helper()
	ctx := context.Background()
	pc, loc, err := e.svc.Places.Postcode(ctx, postcode)
	if err != nil {
		t.Fatal(err)
	}
	o := &app.Organisation{
		ID: app.SchoolID(urn), URN: urn, Kind: app.KindSchool, Name: name, Status: app.OrgOpen,
		Postcode: pc, Location: loc, Phase: "Secondary", LowAge: 11, HighAge: 18,
		CreatedAt: e.now, UpdatedAt: e.now,
	}
	if err := e.store.CreateOrg(ctx, o); err != nil {
		t.Fatal(err)
	}
	return o
}

// schoolActor is an owner of an imported school.
func (e *env) schoolActor(t testing.TB, urn, postcode string) *app.Actor {
	t.Helper()
	s := e.school(t, urn, "School "+urn, postcode)
	return &app.Actor{UserID: app.NewID("usr"), OrgID: s.ID, Role: app.RoleOwner, Kind: app.KindSchool}
}

// coordinator returns an actor for the county coordinator.
func (e *env) coordinator(t testing.TB) *app.Actor {
	t.Helper()
	if err := e.svc.EnsureCoordinator(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &app.Actor{UserID: app.NewID("usr"), OrgID: app.CoordinatorOrgID, Role: app.RoleOwner, Kind: app.KindCoordinator}
}

// wantCode fails the test unless err has the code ("" for success).
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// wantField fails the test unless err is EInvalid with a problem on field
// whose message contains part.
func wantField(t *testing.T, err error, field, part string) {
	t.Helper()
	wantCode(t, err, app.EInvalid)
	for _, f := range app.FieldErrors(err) {
		if f.Field == field && strings.Contains(f.Message, part) {
			return
		}
	}
	t.Fatalf("no problem on %q containing %q in %+v", field, part, app.FieldErrors(err))
}

func TestPageBoundsThroughLists(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	school := e.schoolActor(t, "114001", pcStanley)
	for range 3 {
		if _, err := e.svc.CreateRequest(ctx, school, validRequest()); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name          string
		page, perPage int
		wantRows      int
	}{
		{"defaults", 0, 0, 3},
		{"second page of two", 2, 2, 1},
		{"negative page is the first", -4, 2, 2},
		{"per page above the maximum is the maximum", 1, 1000, 3},
		{"past the end", 5, 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list, total, err := e.svc.ListOpenRequests(ctx, tc.page, tc.perPage)
			wantCode(t, err, "")
			if total != 3 || len(list) != tc.wantRows {
				t.Fatalf("got %d rows of %d, want %d of 3", len(list), total, tc.wantRows)
			}
		})
	}
}

func TestInputOfRoundTrip(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	employer := e.org(t, app.KindEmployer, "Kromek Group", pcNetpark, true)
	school := e.schoolActor(t, "114700", pcStanley)

	in := validOffer()
	in.Sessions = append(in.Sessions, app.SessionInput{Start: "2026-06-16T09:30", End: "2026-06-16T12:00", Places: 30})
	o, err := e.svc.CreateOffer(ctx, employer, in)
	if err != nil {
		t.Fatal(err)
	}
	back := app.OfferInputOf(o)
	if back.Sessions[1].Start != "2026-06-16T09:30" || back.Sessions[1].ID != o.Sessions[1].ID {
		t.Fatalf("session written back as %+v, want 09:30 London with its id", back.Sessions[1])
	}
	again, err := e.svc.UpdateOffer(ctx, employer, o.ID, back)
	if err != nil || len(again.Sessions) != 2 || !again.Sessions[1].Start.Equal(o.Sessions[1].Start) ||
		strings.Join(again.Audience, ",") != strings.Join(o.Audience, ",") {
		t.Fatalf("offer after a round trip %+v, %v", again, err)
	}

	r, err := e.svc.CreateRequest(ctx, school, validRequest())
	if err != nil {
		t.Fatal(err)
	}
	rin := app.RequestInputOf(r)
	if rin.From != "2026-03-02" || rin.To != "2026-03-27" {
		t.Fatalf("request dates written back as %s to %s", rin.From, rin.To)
	}
	r2, err := e.svc.UpdateRequest(ctx, school, r.ID, rin)
	if err != nil || !r2.From.Equal(r.From) || !r2.To.Equal(r.To) || r2.Postcode != r.Postcode {
		t.Fatalf("request after a round trip %+v, %v", r2, err)
	}
}
