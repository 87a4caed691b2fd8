package mongo_test

import (
	"sync"
	"testing"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
)

func newUser(id, email, orgID string, created int) *app.User {
	return &app.User{
		ID: id, Email: email, Name: "Test Person", PasswordHash: "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA",
		OrgID: orgID, Role: app.RoleMember, CreatedAt: day(created),
	}
}

func TestUserCreateGetUpdate(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		ann := newUser("usr_ann", "  Ann.Lee@Example.ORG ", "emp_1", 1)
		mustOK(t, s.CreateUser(ctx, ann))
		mustOK(t, s.CreateUser(ctx, newUser("usr_bob", "bob@example.org", "emp_1", 2)))
		if ann.Email != "ann.lee@example.org" {
			t.Fatalf("stored email = %q, want it trimmed and lower-cased", ann.Email)
		}

		reads := []struct {
			name string
			get  func() (*app.User, error)
		}{
			{"by id", func() (*app.User, error) { return s.GetUser(ctx, "usr_ann") }},
			{"by email", func() (*app.User, error) { return s.GetUserByEmail(ctx, "ann.lee@example.org") }},
			{"by email in another case", func() (*app.User, error) { return s.GetUserByEmail(ctx, " ANN.LEE@example.org") }},
		}
		for _, tt := range reads {
			t.Run(tt.name, func(t *testing.T) {
				got, err := tt.get()
				mustOK(t, err)
				mustEqual(t, got, ann)
			})
		}

		errs := []struct {
			name string
			run  func() error
			code string
		}{
			{"second account, same email in another case", func() error {
				return s.CreateUser(ctx, newUser("usr_ann2", "ANN.LEE@example.org", "emp_2", 3))
			}, app.EConflict},
			{"taken id", func() error { return s.CreateUser(ctx, newUser("usr_ann", "new@example.org", "emp_1", 3)) }, app.EConflict},
			{"change email to one taken", func() error {
				return s.UpdateUser(ctx, newUser("usr_bob", "Ann.Lee@example.org", "emp_1", 2))
			}, app.EConflict},
			{"get a missing id", func() error { _, err := s.GetUser(ctx, "usr_none"); return err }, app.ENotFound},
			{"get a missing email", func() error { _, err := s.GetUserByEmail(ctx, "none@example.org"); return err }, app.ENotFound},
			{"update a missing id", func() error { return s.UpdateUser(ctx, newUser("usr_none", "x@example.org", "emp_1", 1)) }, app.ENotFound},
		}
		for _, tt := range errs {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}

		t.Run("a refused change saves nothing", func(t *testing.T) {
			got, err := s.GetUser(ctx, "usr_bob")
			mustOK(t, err)
			mustEqual(t, got.Email, "bob@example.org")
		})
		t.Run("change of email frees the old one", func(t *testing.T) {
			bob := newUser("usr_bob", "Robert@Example.org", "emp_1", 2)
			mustOK(t, s.UpdateUser(ctx, bob))
			mustOK(t, s.CreateUser(ctx, newUser("usr_bob2", "bob@example.org", "emp_1", 4)))
			got, err := s.GetUserByEmail(ctx, "robert@example.org")
			mustOK(t, err)
			mustEqual(t, got, bob)
		})
	})
}

func TestListMembers(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		for _, u := range []*app.User{
			newUser("usr_3", "c@example.org", "emp_1", 3),
			newUser("usr_1", "a@example.org", "emp_1", 1),
			newUser("usr_2", "b@example.org", "emp_2", 2),
		} {
			mustOK(t, s.CreateUser(ctx, u))
		}

		tests := []struct {
			org  string
			want []string
		}{
			{"emp_1", []string{"usr_1", "usr_3"}},
			{"emp_2", []string{"usr_2"}},
			{"emp_none", []string{}},
		}
		for _, tt := range tests {
			t.Run(tt.org, func(t *testing.T) {
				got, err := s.ListMembers(ctx, tt.org)
				mustOK(t, err)
				ids := []string{}
				for _, u := range got {
					ids = append(ids, u.ID)
				}
				mustEqual(t, ids, tt.want)
			})
		}
	})
}

func newToken(id, kind string) *app.Token {
	return &app.Token{ID: id, Kind: kind, UserID: "usr_1", CreatedAt: day(1), ExpiresAt: day(2)}
}

func TestTokens(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		reset := newToken("aa11", app.TokenReset)
		mustOK(t, s.CreateToken(ctx, reset))

		steps := []struct {
			name string
			run  func() error
			code string
		}{
			{"create with a taken id", func() error { return s.CreateToken(ctx, newToken("aa11", app.TokenAPI)) }, app.EConflict},
			{"get a missing token", func() error { _, err := s.GetToken(ctx, "ff00"); return err }, app.ENotFound},
			{"use a missing token", func() error { return s.UseToken(ctx, "ff00") }, app.ENotFound},
			{"first use", func() error { return s.UseToken(ctx, "aa11") }, ""},
			{"second use", func() error { return s.UseToken(ctx, "aa11") }, app.EConflict},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) { wantCode(t, st.run(), st.code) })
		}

		t.Run("a used token says when", func(t *testing.T) {
			got, err := s.GetToken(ctx, "aa11")
			mustOK(t, err)
			if got.UsedAt.IsZero() {
				t.Fatal("UsedAt is zero after UseToken")
			}
			got.UsedAt = reset.UsedAt
			mustEqual(t, got, reset)
		})
	})
}

func TestUseTokenIsSingleUseUnderConcurrency(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		const callers = 32

		for round := range 3 {
			id := app.NewSecret()
			mustOK(t, s.CreateToken(ctx, newToken(id, app.TokenInvite)))

			codes := make([]string, callers)
			var wg sync.WaitGroup
			for i := range callers {
				wg.Go(func() { codes[i] = app.ErrorCode(s.UseToken(ctx, id)) })
			}
			wg.Wait()

			counts := map[string]int{}
			for _, c := range codes {
				counts[c]++
			}
			want := map[string]int{"": 1, app.EConflict: callers - 1}
			if counts[""] != 1 || counts[app.EConflict] != callers-1 {
				t.Fatalf("round %d: outcomes %v, want %v", round, counts, want)
			}
		}
	})
}
