package mongo_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"

	"github.com/encounters/encounters/app/mongo"
	"github.com/encounters/encounters/app/mongo/mongotest"
)

var _ fiber.Storage = (*mongo.SessionStorage)(nil)

// newSessionStorage returns storage on a fresh store whose clock the test
// moves.
func newSessionStorage(t *testing.T) (*mongo.SessionStorage, *clock) {
	t.Helper()
	clk := &clock{now: day(1)}
	ss := mongo.NewSessionStorage(mongotest.NewStore(t, mongo.WithClock(clk.Now)))
	t.Cleanup(func() { mustOK(t, ss.Close()) })
	return ss, clk
}

func TestSessionStorage(t *testing.T) {
	ss, clk := newSessionStorage(t)
	mustOK(t, ss.Set("short", []byte("one hour"), time.Hour))
	mustOK(t, ss.Set("long", []byte("one day"), 24*time.Hour))
	mustOK(t, ss.Set("forever", []byte("no expiry"), 0))
	mustOK(t, ss.Set("gone", []byte("deleted"), time.Hour))
	mustOK(t, ss.Delete("gone"))
	mustOK(t, ss.Delete("never-there"))
	mustOK(t, ss.Set("replaced", []byte("old"), time.Hour))
	mustOK(t, ss.Set("replaced", []byte("new"), time.Hour))
	mustOK(t, ss.Set("", []byte("ignored"), time.Hour))
	mustOK(t, ss.Set("empty", nil, time.Hour))

	tests := []struct {
		name    string
		advance time.Duration
		key     string
		want    string // "" for none
	}{
		{"a fresh entry", 0, "short", "one hour"},
		{"a replaced entry", 0, "replaced", "new"},
		{"a deleted entry", 0, "gone", ""},
		{"an unknown key", 0, "unknown", ""},
		{"an empty key", 0, "", ""},
		{"an empty value was not stored", 0, "empty", ""},
		{"just before expiry", 59 * time.Minute, "short", "one hour"},
		{"at expiry", time.Minute, "short", ""},
		{"a longer one still there", 0, "long", "one day"},
		{"no expiry, a year on", 365 * 24 * time.Hour, "forever", "no expiry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk.Advance(tt.advance)
			got, err := ss.Get(tt.key)
			mustOK(t, err)
			if string(got) != tt.want {
				t.Fatalf("Get(%q) = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}

func TestSessionStorageSweepAndReset(t *testing.T) {
	ss, clk := newSessionStorage(t)
	mustOK(t, ss.Set("a", []byte("1"), time.Minute))
	mustOK(t, ss.Set("b", []byte("2"), time.Minute))
	mustOK(t, ss.Set("c", []byte("3"), time.Hour))
	mustOK(t, ss.Set("d", []byte("4"), 0))

	steps := []struct {
		name      string
		advance   time.Duration
		run       func() (int, error)
		wantCount int
		left      []string
	}{
		{"nothing due yet", 0, func() (int, error) { return ss.Sweep(ctxOf(t)) }, 0, []string{"a", "b", "c", "d"}},
		{"expired ones go", 2 * time.Minute, func() (int, error) { return ss.Sweep(ctxOf(t)) }, 2, []string{"c", "d"}},
		{"reset removes the rest", 0, func() (int, error) { return 0, ss.Reset() }, 0, nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			clk.Advance(st.advance)
			n, err := st.run()
			mustOK(t, err)
			if n != st.wantCount {
				t.Errorf("removed %d, want %d", n, st.wantCount)
			}

			clk.Advance(-st.advance) // look without expiry hiding anything
			defer clk.Advance(st.advance)
			var left []string
			for _, k := range []string{"a", "b", "c", "d"} {
				if v, err := ss.Get(k); err == nil && v != nil {
					left = append(left, k)
				}
			}
			mustEqual(t, left, st.left)
		})
	}
}

// TestSessionStorageWithFiber checks that Fiber's session middleware keeps
// a value across requests through this storage.
func TestSessionStorageWithFiber(t *testing.T) {
	ss, _ := newSessionStorage(t)
	sessions := session.New(session.Config{Storage: ss, Expiration: time.Hour})
	web := fiber.New()
	web.Get("/set/:v", func(c *fiber.Ctx) error {
		sess, err := sessions.Get(c)
		if err != nil {
			return err
		}
		sess.Set("v", c.Params("v"))
		return sess.Save()
	})
	web.Get("/get", func(c *fiber.Ctx) error {
		sess, err := sessions.Get(c)
		if err != nil {
			return err
		}
		v, _ := sess.Get("v").(string)
		return c.SendString(v)
	})

	set, err := web.Test(httptest.NewRequest("GET", "/set/kept", nil))
	mustOK(t, err)
	cookie := set.Header.Get("Set-Cookie")
	if cookie == "" {
		t.Fatal("no session cookie set")
	}

	tests := []struct {
		name   string
		cookie string
		want   string
	}{
		{"with the cookie", strings.Split(cookie, ";")[0], "kept"},
		{"without it", "", ""},
		{"with a made-up one", "session_id=00000000-0000-0000-0000-000000000000", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/get", nil)
			if tt.cookie != "" {
				req.Header.Set("Cookie", tt.cookie)
			}
			res, err := web.Test(req)
			mustOK(t, err)
			body, err := io.ReadAll(res.Body)
			mustOK(t, err)
			if string(body) != tt.want {
				t.Fatalf("session value = %q, want %q", body, tt.want)
			}
		})
	}
}
