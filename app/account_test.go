package app_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

const goodPassword = "Tyne-bridge-1928"

func signUpInput(kind app.OrgKind, email string) app.SignUpInput {
	return app.SignUpInput{
		Name: "Sam Jones", Email: email, Password: goodPassword,
		OrgName: "Kromek Group", OrgKind: string(kind), Postcode: pcNetpark,
	}
}

func TestSignUp(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.school(t, "114010", "Consett Academy", pcConsett)
	if _, err := e.svc.SignUp(ctx, signUpInput(app.KindEmployer, "taken@example.org")); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		edit      func(*app.SignUpInput)
		wantField string // "" when the sign-up succeeds
		wantPart  string
	}{
		{"employer", func(in *app.SignUpInput) {}, "", ""},
		{"sponsor without postcode", func(in *app.SignUpInput) { in.OrgKind, in.Postcode = "sponsor", "" }, "", ""},
		{"provider", func(in *app.SignUpInput) { in.OrgKind = "provider" }, "", ""},
		{"provider needs a postcode", func(in *app.SignUpInput) { in.OrgKind, in.Postcode = "provider", "" }, "postcode", "postcode"},
		{"bad postcode", func(in *app.SignUpInput) { in.Postcode = "XX1 1XX" }, "postcode", "XX1 1XX"},
		{"no name", func(in *app.SignUpInput) { in.Name = "  " }, "name", "Enter your name"},
		{"bad email", func(in *app.SignUpInput) { in.Email = "sam.example.org" }, "email", "right format"},
		{"named email", func(in *app.SignUpInput) { in.Email = "Sam <sam@example.org>" }, "email", "right format"},
		{"email taken in another case", func(in *app.SignUpInput) { in.Email = "Taken@Example.org" }, "email", "already exists"},
		{"short password", func(in *app.SignUpInput) { in.Password = "short" }, "password", "at least 10"},
		{"obvious password", func(in *app.SignUpInput) { in.Password = "password123" }, "password", "harder to guess"},
		{"no organisation name", func(in *app.SignUpInput) { in.OrgName = "" }, "org_name", "Enter the name"},
		{"unknown kind", func(in *app.SignUpInput) { in.OrgKind = "pirate" }, "org_kind", "kind of organisation"},
		{"coordinator kind", func(in *app.SignUpInput) { in.OrgKind = "coordinator" }, "org_kind", "kind of organisation"},
		{"school without URN", func(in *app.SignUpInput) { in.OrgKind = "school" }, "school_urn", "URN"},
		{"school with unknown URN", func(in *app.SignUpInput) { in.OrgKind, in.SchoolURN = "school", "999999" }, "school_urn", "999999"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := signUpInput(app.KindEmployer, "person"+string(rune('a'+i))+"@example.org")
			tc.edit(&in)
			u, err := e.svc.SignUp(ctx, in)
			if tc.wantField != "" {
				wantField(t, err, tc.wantField, tc.wantPart)
				if _, err := e.store.GetUserByEmail(ctx, in.Email); tc.wantField != "email" && app.ErrorCode(err) != app.ENotFound {
					t.Fatalf("a user was saved although the sign-up failed: %v", err)
				}
				return
			}

			wantCode(t, err, "")
			org, err := e.store.GetOrg(ctx, u.OrgID)
			if err != nil || u.Role != app.RoleOwner || string(org.Kind) != in.OrgKind || org.Verified {
				t.Fatalf("user %+v, organisation %+v, %v: want an unverified %s owned by the user", u, org, err, in.OrgKind)
			}
			if strings.Contains(u.PasswordHash, goodPassword) || !app.CheckPassword(u.PasswordHash, goodPassword) {
				t.Fatal("the stored password hash does not check")
			}
		})
	}

	t.Run("school staff claim their school", func(t *testing.T) {
		in := app.SignUpInput{Name: "Ali Khan", Email: "ali@consett.example.sch.uk", Password: goodPassword,
			OrgKind: "school", SchoolURN: " 114010 ", JobTitle: "Careers leader"}
		u, err := e.svc.SignUp(ctx, in)
		wantCode(t, err, "")
		if u.OrgID != "" {
			t.Fatalf("claimant joined %q before the claim was decided", u.OrgID)
		}
		claims, err := e.store.ListClaims(ctx, app.ClaimPending)
		if err != nil || len(claims) != 1 || claims[0].UserID != u.ID || claims[0].OrgID != app.SchoolID("114010") || claims[0].Role != "Careers leader" {
			t.Fatalf("pending claims %+v, %v: want one by the new user on the school", claims, err)
		}
	})
}

func TestSignIn(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	want, err := e.svc.SignUp(ctx, signUpInput(app.KindEmployer, "sam@example.org"))
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, email, password string
		wantCode              string
	}{
		{"right", "sam@example.org", goodPassword, ""},
		{"email in another case, with spaces", "  SAM@example.ORG ", goodPassword, ""},
		{"wrong password", "sam@example.org", goodPassword + "x", app.EUnauthorized},
		{"unknown email", "nobody@example.org", goodPassword, app.EUnauthorized},
		{"empty", "", "", app.EUnauthorized},
	}
	var refusals []string
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := e.svc.SignIn(ctx, tc.email, tc.password)
			wantCode(t, err, tc.wantCode)
			if err != nil {
				refusals = append(refusals, app.ErrorMessage(err))
				return
			}
			if u.ID != want.ID {
				t.Fatalf("signed in as %s, want %s", u.ID, want.ID)
			}
		})
	}
	for _, msg := range refusals {
		if msg != refusals[0] {
			t.Fatalf("refusals differ: %q and %q tell unknown emails from wrong passwords", refusals[0], msg)
		}
	}
}

func TestActorFor(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.school(t, "114020", "Stanley School", pcStanley)
	owner, err := e.svc.SignUp(ctx, signUpInput(app.KindEmployer, "owner@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	claimant, err := e.svc.SignUp(ctx, app.SignUpInput{Name: "Jo", Email: "jo@example.org",
		Password: goodPassword, OrgKind: "school", SchoolURN: "114020"})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		userID   string
		wantCode string
		want     app.Actor
	}{
		{"owner", owner.ID, "", app.Actor{UserID: owner.ID, Name: owner.Name, OrgID: owner.OrgID,
			Role: app.RoleOwner, Kind: app.KindEmployer}},
		{"claimant has no organisation yet", claimant.ID, "", app.Actor{UserID: claimant.ID, Name: "Jo"}},
		{"unknown user", app.NewID("usr"), app.EUnauthorized, app.Actor{}},
		{"malformed id", "../etc", app.EUnauthorized, app.Actor{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := e.svc.ActorFor(ctx, tc.userID)
			wantCode(t, err, tc.wantCode)
			if err == nil && *a != tc.want {
				t.Fatalf("actor %+v, want %+v", *a, tc.want)
			}
		})
	}
}

func TestPasswordReset(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.svc.SignUp(ctx, signUpInput(app.KindEmployer, "sam@example.org")); err != nil {
		t.Fatal(err)
	}

	t.Run("unknown email sends nothing and says nothing", func(t *testing.T) {
		wantCode(t, e.svc.StartPasswordReset(ctx, "nobody@example.org"), "")
		if n := e.mail.count("password_reset"); n != 0 {
			t.Fatalf("%d reset emails sent for an unknown address", n)
		}
	})
	t.Run("malformed email", func(t *testing.T) {
		wantField(t, e.svc.StartPasswordReset(ctx, "not an email"), "email", "right format")
	})

	wantCode(t, e.svc.StartPasswordReset(ctx, "Sam@Example.org"), "")
	msg := e.mail.last(t, "password_reset")
	if msg.To != "sam@example.org" || !strings.HasPrefix(msg.Text, "To choose a new password") {
		t.Fatalf("reset email to %q starts %q", msg.To, strings.SplitN(msg.Text, "\n", 2)[0])
	}
	secret := linkSecret(t, msg, "/reset/")
	stored, err := e.store.GetToken(ctx, app.TokenID(secret))
	if err != nil || stored.ID == secret || !stored.ExpiresAt.Equal(e.now.Add(time.Hour)) {
		t.Fatalf("stored token %+v, %v: want the hash of the secret, expiring in an hour", stored, err)
	}

	const newPassword = "Wear-valley-viaduct"
	steps := []struct {
		name      string
		secret    string
		password  string
		wantField string
		wantCode  string
	}{
		{"weak password keeps the link", secret, "password1!", "password", app.EInvalid},
		{"unknown secret", strings.Repeat("ab", 32), newPassword, "", app.EInvalid},
		{"malformed secret", "../../x", newPassword, "", app.EInvalid},
		{"reset", secret, newPassword, "", ""},
		{"link works once", secret, "Another-good-one-42", "", app.EInvalid},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			err := e.svc.ResetPassword(ctx, st.secret, st.password)
			wantCode(t, err, st.wantCode)
			if st.wantField != "" {
				wantField(t, err, st.wantField, "")
			}
		})
	}

	t.Run("new password signs in, old does not", func(t *testing.T) {
		_, err := e.svc.SignIn(ctx, "sam@example.org", newPassword)
		wantCode(t, err, "")
		_, err = e.svc.SignIn(ctx, "sam@example.org", goodPassword)
		wantCode(t, err, app.EUnauthorized)
	})

	t.Run("link expires after an hour", func(t *testing.T) {
		wantCode(t, e.svc.StartPasswordReset(ctx, "sam@example.org"), "")
		late := linkSecret(t, e.mail.last(t, "password_reset"), "/reset/")
		e.now = e.now.Add(61 * time.Minute)
		defer func() { e.now = testNow }()
		wantCode(t, e.svc.ResetPassword(ctx, late, "Durham-cathedral-1093"), app.EInvalid)
	})

	t.Run("a reset secret is not an API token", func(t *testing.T) {
		_, err := e.svc.UserForAPIToken(ctx, secret)
		wantCode(t, err, app.EUnauthorized)
	})
}

func TestInvite(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	owner, err := e.svc.SignUp(ctx, signUpInput(app.KindEmployer, "owner@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	ownerActor, err := e.svc.ActorFor(ctx, owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	member := *ownerActor
	member.Role = app.RoleMember

	tests := []struct {
		name      string
		actor     *app.Actor
		email     string
		role      string
		wantCode  string
		wantField string
	}{
		{"anonymous", nil, "new@example.org", "", app.EUnauthorized, ""},
		{"member cannot invite", &member, "new@example.org", "", app.EForbidden, ""},
		{"no email", ownerActor, " ", "", app.EInvalid, "email"},
		{"bad email", ownerActor, "new@", "", app.EInvalid, "email"},
		{"bad role", ownerActor, "new@example.org", "boss", app.EInvalid, "role"},
		{"already a member", ownerActor, "OWNER@example.org", "", app.EInvalid, "email"},
		{"owner invites a member", ownerActor, "New@Example.org", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := e.svc.InviteMember(ctx, tc.actor, tc.email, tc.role)
			wantCode(t, err, tc.wantCode)
			if tc.wantField != "" {
				wantField(t, err, tc.wantField, "")
			}
		})
	}
	t.Run("messages", func(t *testing.T) {
		wantField(t, e.svc.InviteMember(ctx, ownerActor, "", ""), "email",
			"Enter the email address of the person you are inviting.")
		wantField(t, e.svc.InviteMember(ctx, ownerActor, "owner@example.org", ""), "email",
			"owner@example.org is already a member of your organisation.")
	})
	if n := e.mail.count("invite"); n != 1 {
		t.Fatalf("%d invitations sent, want 1", n)
	}
	msg := e.mail.last(t, "invite")
	if msg.To != "new@example.org" || !strings.HasPrefix(msg.Text, "To join Kromek Group on Encounters") {
		t.Fatalf("invite to %q reads %q", msg.To, msg.Text)
	}
	secret := linkSecret(t, msg, "/invite/")

	accept := []struct {
		name      string
		secret    string
		userName  string
		password  string
		wantCode  string
		wantField string
	}{
		{"no name", secret, "", goodPassword, app.EInvalid, "name"},
		{"weak password", secret, "Pat Lee", "qwertyuiop", app.EInvalid, "password"},
		{"accept", secret, "Pat Lee", goodPassword, "", ""},
		{"link works once", secret, "Pat Lee", goodPassword, app.EInvalid, ""},
	}
	for _, tc := range accept {
		t.Run(tc.name, func(t *testing.T) {
			u, err := e.svc.AcceptInvite(ctx, tc.secret, tc.userName, tc.password)
			wantCode(t, err, tc.wantCode)
			if tc.wantField != "" {
				wantField(t, err, tc.wantField, "")
			}
			if err == nil && (u.OrgID != owner.OrgID || u.Role != app.RoleMember || u.Email != "new@example.org") {
				t.Fatalf("accepted user %+v, want a member of %s", u, owner.OrgID)
			}
		})
	}

	t.Run("members listed for the organisation only", func(t *testing.T) {
		users, err := e.svc.ListMembers(ctx, ownerActor)
		if err != nil || len(users) != 2 {
			t.Fatalf("ListMembers = %d users, %v; want 2", len(users), err)
		}
		other := e.org(t, app.KindEmployer, "Other Ltd", "", false)
		users, err = e.svc.ListMembers(ctx, other)
		if err != nil || len(users) != 0 {
			t.Fatalf("another organisation sees %d members, %v", len(users), err)
		}
		_, err = e.svc.ListMembers(ctx, nil)
		wantCode(t, err, app.EUnauthorized)
	})

	t.Run("an address with an account elsewhere is answered as a new one", func(t *testing.T) {
		if _, err := e.svc.SignUp(ctx, signUpInput(app.KindEmployer, "elsewhere@example.org")); err != nil {
			t.Fatal(err)
		}
		invites := e.mail.count("invite")
		wantCode(t, e.svc.InviteMember(ctx, ownerActor, "Elsewhere@example.org", app.RoleMember), "")
		if n := e.mail.count("invite"); n != invites {
			t.Fatalf("an invitation link was sent to an address with an account")
		}
		note := e.mail.last(t, "invite_existing_account")
		if note.To != "elsewhere@example.org" || !strings.Contains(note.Text, "already has an Encounters account") ||
			strings.Contains(note.Text, "/invite/") {
			t.Fatalf("note to %q reads %q", note.To, note.Text)
		}
	})

	t.Run("links are checked without being used", func(t *testing.T) {
		wantCode(t, e.svc.InviteMember(ctx, ownerActor, "fresh@example.org", app.RoleMember), "")
		fresh := linkSecret(t, e.mail.last(t, "invite"), "/invite/")
		for range 2 {
			wantCode(t, e.svc.CheckInviteLink(ctx, fresh), "")
		}
		for _, bad := range []string{secret, strings.Repeat("ab", 32), "nonsense"} {
			if err := e.svc.CheckInviteLink(ctx, bad); !errors.Is(err, app.ErrLinkExpired) {
				t.Fatalf("CheckInviteLink(%.8s) = %v, want ErrLinkExpired", bad, err)
			}
		}
	})

	t.Run("invitation expires after seven days", func(t *testing.T) {
		wantCode(t, e.svc.InviteMember(ctx, ownerActor, "late@example.org", app.RoleOwner), "")
		late := linkSecret(t, e.mail.last(t, "invite"), "/invite/")
		e.now = e.now.Add(7*24*time.Hour + time.Second)
		defer func() { e.now = testNow }()
		_, err := e.svc.AcceptInvite(ctx, late, "Late Comer", goodPassword)
		wantCode(t, err, app.EInvalid)
	})
}

func TestAddUserAndAPIToken(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.school(t, "114030", "Durham Sixth Form", pcStanley)

	tests := []struct {
		name      string
		email     string
		orgRef    string
		role      string
		wantCode  string
		wantKind  app.OrgKind
		wantMails int
	}{
		{"coordinator is created on demand", "lead@durham.example.gov.uk", "coordinator", app.RoleOwner, "", app.KindCoordinator, 1},
		{"same user again changes nothing but the role", "lead@durham.example.gov.uk", "coordinator", app.RoleMember, "", app.KindCoordinator, 1},
		{"school by URN", "head@school.example.sch.uk", "114030", app.RoleOwner, "", app.KindSchool, 2},
		{"user of another organisation", "head@school.example.sch.uk", "coordinator", app.RoleOwner, app.EConflict, "", 2},
		{"unknown organisation", "x@example.org", "org_nothere", app.RoleOwner, app.EInvalid, "", 2},
		{"bad role", "x@example.org", "coordinator", "king", app.EInvalid, "", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := e.svc.AddUser(ctx, tc.email, tc.orgRef, tc.role)
			wantCode(t, err, tc.wantCode)
			if n := e.mail.count("welcome"); n != tc.wantMails {
				t.Fatalf("%d welcome emails sent, want %d", n, tc.wantMails)
			}
			if err != nil {
				return
			}
			a, err := e.svc.ActorFor(ctx, u.ID)
			if err != nil || a.Kind != tc.wantKind || a.Role != tc.role {
				t.Fatalf("actor %+v, %v: want a %s %s", a, err, tc.role, tc.wantKind)
			}
		})
	}

	school, err := e.store.GetOrg(ctx, app.SchoolID("114030"))
	if err != nil || !school.Claimed || !school.Verified {
		t.Fatalf("school %+v, %v: an owner added by URN should mark it claimed and verified", school, err)
	}

	t.Run("the welcome email has its own words and a week-long link", func(t *testing.T) {
		msg := e.mail.last(t, "welcome")
		if msg.To != "head@school.example.sch.uk" ||
			!strings.HasPrefix(msg.Text, "An Encounters account has been created for you at Durham Sixth Form.") ||
			strings.Contains(msg.Text, "reset your password") {
			t.Fatalf("welcome email to %q reads %q", msg.To, msg.Text)
		}
		secret := linkSecret(t, msg, "/reset/")
		e.now = e.now.Add(6 * 24 * time.Hour)
		defer func() { e.now = testNow }()
		wantCode(t, e.svc.CheckResetLink(ctx, secret), "")
	})

	secret, err := e.svc.IssueAPIToken(ctx, "HEAD@school.example.sch.uk")
	if err != nil {
		t.Fatal(err)
	}
	tokens := []struct {
		name     string
		secret   string
		wantCode string
	}{
		{"issued token", secret, ""},
		{"unknown token", strings.Repeat("0", 64), app.EUnauthorized},
		{"short token", "abc", app.EUnauthorized},
		{"upper-case copy", strings.ToUpper(secret), app.EUnauthorized},
	}
	for _, tc := range tokens {
		t.Run(tc.name, func(t *testing.T) {
			u, err := e.svc.UserForAPIToken(ctx, tc.secret)
			wantCode(t, err, tc.wantCode)
			if err == nil && u.Email != "head@school.example.sch.uk" {
				t.Fatalf("token stands for %s", u.ID)
			}
		})
	}

	t.Run("API tokens do not expire", func(t *testing.T) {
		e.now = e.now.AddDate(5, 0, 0)
		defer func() { e.now = testNow }()
		_, err := e.svc.UserForAPIToken(ctx, secret)
		wantCode(t, err, "")
	})
	t.Run("no token for an unknown email", func(t *testing.T) {
		_, err := e.svc.IssueAPIToken(ctx, "nobody@example.org")
		wantCode(t, err, app.ENotFound)
	})
}

// BenchmarkSignIn shows that an unknown email costs the same argon2id work
// as a wrong password, so response times do not tell which emails exist.
func BenchmarkSignIn(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	if _, err := e.svc.SignUp(ctx, signUpInput(app.KindEmployer, "sam@example.org")); err != nil {
		b.Fatal(err)
	}
	for name, email := range map[string]string{"wrong password": "sam@example.org", "unknown email": "nobody@example.org"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := e.svc.SignIn(ctx, email, "Wrong-password-42"); app.ErrorCode(err) != app.EUnauthorized {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSignUpRace runs sign-ups with one email at once: the unique email
// must let exactly one through, and the others must leave no organisation
// behind.
func TestSignUpRace(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const racers = 6

	start := make(chan struct{})
	errs := make(chan error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := signUpInput(app.KindEmployer, "race@example.org")
			in.OrgName = fmt.Sprintf("Racing Firm %d", i)
			<-start
			_, err := e.svc.SignUp(ctx, in)
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)

	won := 0
	for err := range errs {
		if err == nil {
			won++
			continue
		}
		wantField(t, err, "email", "already exists")
	}
	orgs, total, err := e.store.ListOrgs(ctx, app.OrgFilter{Kind: app.KindEmployer})
	if err != nil {
		t.Fatal(err)
	}
	u, uerr := e.store.GetUserByEmail(ctx, "race@example.org")
	if won != 1 || total != 1 || uerr != nil || orgs[0].ID != u.OrgID {
		t.Fatalf("%d sign-ups won, %d organisations saved (%v): want one of each, owned by the user", won, total, uerr)
	}
}

// TestPasswordResetEndsSessionsAndTokens checks that a new password ends
// every web session begun and every API token issued before it.
func TestPasswordResetEndsSessionsAndTokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u, err := e.svc.SignUp(ctx, signUpInput(app.KindEmployer, "sam@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	signedInBefore := e.now
	tokenBefore, err := e.svc.IssueAPIToken(ctx, "sam@example.org")
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.svc.StartPasswordReset(ctx, "sam@example.org"), "")
	staleLink := linkSecret(t, e.mail.last(t, "password_reset"), "/reset/")
	wantCode(t, e.svc.StartPasswordReset(ctx, "sam@example.org"), "")
	link := linkSecret(t, e.mail.last(t, "password_reset"), "/reset/")

	e.now = e.now.Add(10*time.Minute + 1234*time.Microsecond)
	defer func() { e.now = testNow }()
	resetAt := e.now
	wantCode(t, e.svc.ResetPassword(ctx, link, "Wear-valley-viaduct"), "")
	e.now = e.now.Add(time.Second)
	tokenAfter, err := e.svc.IssueAPIToken(ctx, "sam@example.org")
	if err != nil {
		t.Fatal(err)
	}

	sessions := []struct {
		name       string
		signedInAt time.Time
		wantCode   string
	}{
		{"session begun before the reset", signedInBefore, app.EUnauthorized},
		{"session begun in the same millisecond, before it", resetAt.Add(-time.Microsecond), app.EUnauthorized},
		{"session with no sign-in time", time.Time{}, app.EUnauthorized},
		{"session begun after the reset", resetAt.Add(time.Second), ""},
	}
	for _, tc := range sessions {
		t.Run(tc.name, func(t *testing.T) {
			a, err := e.svc.ActorForSession(ctx, u.ID, tc.signedInAt)
			wantCode(t, err, tc.wantCode)
			if err == nil && a.OrgID != u.OrgID {
				t.Fatalf("actor %+v", a)
			}
		})
	}

	tokens := []struct {
		name, secret, wantCode string
	}{
		{"token issued before the reset", tokenBefore, app.EUnauthorized},
		{"token issued after the reset", tokenAfter, ""},
	}
	for _, tc := range tokens {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.UserForAPIToken(ctx, tc.secret)
			wantCode(t, err, tc.wantCode)
		})
	}

	t.Run("a reset link sent before the reset no longer works", func(t *testing.T) {
		err := e.svc.ResetPassword(ctx, staleLink, "Durham-cathedral-1093")
		if !errors.Is(err, app.ErrLinkExpired) {
			t.Fatalf("ResetPassword with an older link = %v, want ErrLinkExpired", err)
		}
	})
	t.Run("a user never reset keeps sessions without a sign-in time", func(t *testing.T) {
		other, err := e.svc.SignUp(ctx, signUpInput(app.KindEmployer, "kim@example.org"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.ActorForSession(ctx, other.ID, time.Time{})
		wantCode(t, err, "")
	})
}
