package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Token lifetimes. API tokens never expire: they stand for a user until the
// token is removed from the store or the user's password is reset, and
// their secret is shown only once. A welcome link is a reset link that
// lets a person added from the command line choose their first password.
const (
	ResetTokenLife   = time.Hour
	WelcomeTokenLife = 7 * 24 * time.Hour
	InviteTokenLife  = 7 * 24 * time.Hour
)

// ErrLinkExpired is the cause inside the answer to a password reset or
// invitation link that is unknown, used or expired, so that pages can
// tell it from a bad field: errors.Is(err, ErrLinkExpired).
var ErrLinkExpired = errors.New("link unknown, used or expired")

// errBadCredentials is the one answer to every failed sign-in, so that it
// does not tell whether an email has an account.
func errBadCredentials() error {
	return Errorf(EUnauthorized, "The email address or password is not right.")
}

func errBadLink() error {
	return &Error{Code: EInvalid, Message: "This link has expired or has already been used.",
		Cause: ErrLinkExpired}
}

func errSessionEnded() error {
	return Errorf(EUnauthorized, "Your session has ended. Please sign in again.")
}

// SignUp opens an account. Employers, providers and sponsors create their
// organisation and become its owner. School and college staff name their
// school's URN instead: they get an account with no organisation and a
// pending claim on the imported school. Nothing is saved when any field is
// wrong; an email already in use is reported on field "email".
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (*User, error) {
	in.Email = normaliseEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	school, org, err := s.checkSignUp(ctx, &in)
	if err != nil {
		return nil, err
	}

	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	u := &User{ID: NewID("usr"), Email: in.Email, Name: in.Name, PasswordHash: hash, CreatedAt: now}

	if school != nil {
		err = s.signUpClaimant(ctx, u, school, in.JobTitle)
	} else {
		err = s.signUpOwner(ctx, u, org)
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// signUpOwner saves the new owner, then their organisation. The user goes
// first so that the unique email index settles a race between two
// sign-ups with one address before any organisation exists: the sign-up
// that loses leaves nothing behind. Should the organisation then fail to
// save, the user is kept without one, free to sign in and start again.
func (s *Service) signUpOwner(ctx context.Context, u *User, org *Organisation) error {
	u.OrgID, u.Role = org.ID, RoleOwner
	if err := s.Store.CreateUser(ctx, u); err != nil {
		return emailTaken(fmt.Errorf("sign up: create user: %w", err))
	}

	if err := s.Store.CreateOrg(ctx, org); err != nil {
		u.OrgID, u.Role = "", ""
		if uerr := s.Store.UpdateUser(ctx, u); uerr != nil {
			s.log().ErrorContext(ctx, "sign up: user left pointing at no organisation",
				"user_id", u.ID, "org_id", org.ID, "error", uerr)
		}
		return fmt.Errorf("sign up: create organisation: %w", err)
	}
	s.log().InfoContext(ctx, "signed up", "user_id", u.ID, "org_id", org.ID, "org_kind", string(org.Kind))
	return nil
}

func (s *Service) signUpClaimant(ctx context.Context, u *User, school *Organisation, jobTitle string) error {
	if err := s.Store.CreateUser(ctx, u); err != nil {
		return emailTaken(fmt.Errorf("sign up: create user: %w", err))
	}

	c := &Claim{
		ID: NewID("clm"), OrgID: school.ID, UserID: u.ID, Role: strings.TrimSpace(jobTitle),
		Status: ClaimPending, CreatedAt: u.CreatedAt,
	}
	if err := s.Store.CreateClaim(ctx, c); err != nil {
		return fmt.Errorf("sign up: create claim: %w", err)
	}
	s.log().InfoContext(ctx, "signed up with a claim", "user_id", u.ID, "org_id", school.ID, "claim_id", c.ID)
	return nil
}

// emailTaken turns a unique-email conflict into a problem on field "email".
func emailTaken(err error) error {
	if ErrorCode(err) != EConflict {
		return err
	}
	var p Problems
	p.Add("email", "An account with this email address already exists. Sign in, or reset your password.")
	return p.Err()
}

// checkSignUp validates every field of in. It returns the school to claim,
// or the new organisation to create (not yet saved).
func (s *Service) checkSignUp(ctx context.Context, in *SignUpInput) (*Organisation, *Organisation, error) {
	var p Problems
	checkName(&p, in.Name)
	checkEmail(&p, in.Email)
	if msg := passwordProblem(in.Password, in.Email, in.Name); msg != "" {
		p.Add("password", "%s", msg)
	}
	if !p.Has("email") {
		if err := s.checkEmailFree(ctx, &p, in.Email); err != nil {
			return nil, nil, err
		}
	}

	kind := OrgKind(strings.TrimSpace(in.OrgKind))
	switch {
	case kind == KindSchool || kind == KindCollege:
		school, err := s.checkSchoolClaim(ctx, &p, in.SchoolURN, in.JobTitle)
		if err != nil {
			return nil, nil, err
		}
		return school, nil, p.Err()
	case !kind.Valid() || kind == KindCoordinator:
		p.Add("org_kind", "Choose what kind of organisation you work for.")
	}
	org, err := s.checkNewOrg(ctx, &p, kind, in.OrgName, in.Postcode)
	if err != nil {
		return nil, nil, err
	}
	return nil, org, p.Err()
}

func (s *Service) checkEmailFree(ctx context.Context, p *Problems, email string) error {
	_, err := s.Store.GetUserByEmail(ctx, email)
	switch ErrorCode(err) {
	case "":
		p.Add("email", "An account with this email address already exists. Sign in, or reset your password.")
	case ENotFound:
	default:
		return fmt.Errorf("check email: %w", err)
	}
	return nil
}

// checkSchoolClaim finds the imported school a new member of staff claims.
func (s *Service) checkSchoolClaim(ctx context.Context, p *Problems, urn, jobTitle string) (*Organisation, error) {
	checkJobTitle(p, jobTitle, false)
	urn = strings.TrimSpace(urn)
	if !isDigits(urn) || len(urn) < 5 || len(urn) > 8 {
		p.Add("school_urn", "Enter your school's URN, the 6-digit number on Get Information About Schools.")
		return nil, nil
	}

	school, err := s.Store.GetOrg(ctx, SchoolID(urn))
	if ErrorCode(err) == ENotFound || (err == nil && !school.Kind.Learners()) {
		p.Add("school_urn", "We cannot find a school or college with URN %s. "+
			"Check the number, or ask the coordinator to add it.", urn)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find school: %w", err)
	}
	if school.Status == OrgClosed {
		p.Add("school_urn", "%s", schoolClosed(school))
		return nil, nil
	}
	return school, nil
}

// checkNewOrg builds the organisation an employer, provider or sponsor
// creates. Providers must give a postcode: requests default to it.
func (s *Service) checkNewOrg(ctx context.Context, p *Problems, kind OrgKind, name, postcode string,
) (*Organisation, error) {
	name = strings.TrimSpace(name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		p.Add("org_name", "Enter the name of your organisation.")
	case n < 2 || n > 120:
		p.Add("org_name", "The organisation name must be between 2 and 120 characters.")
	}
	checkLineChars(p, "org_name", "The organisation name", name)

	now := s.now().UTC()
	org := &Organisation{
		ID: NewID("org"), Kind: kind, Name: name, Status: OrgOpen, CreatedAt: now, UpdatedAt: now,
	}
	if strings.TrimSpace(postcode) == "" {
		if kind == KindProvider {
			p.Add("postcode", "Enter your organisation's postcode.")
		}
		return org, nil
	}
	var err error
	org.Postcode, org.Location, err = s.placePostcode(ctx, p, "postcode", postcode)
	return org, err
}

// placePostcode places a postcode through the gazetteer, putting its
// complaint about a bad postcode on field.
func (s *Service) placePostcode(ctx context.Context, p *Problems, field, postcode string) (string, Location, error) {
	norm, loc, err := s.Places.Postcode(ctx, strings.TrimSpace(postcode))
	switch ErrorCode(err) {
	case "":
		return norm, loc, nil
	case EInvalid:
		p.Add(field, "%s", sentence(ErrorMessage(err)))
		return "", Location{}, nil
	}
	return "", Location{}, fmt.Errorf("place postcode: %w", err)
}

// sentence ends a message from another package with a full stop, so that
// messages read well when joined.
func sentence(s string) string {
	if s == "" || strings.ContainsAny(s[len(s)-1:], ".!?") {
		return s
	}
	return s + "."
}

// SignIn checks an email and password. Both an unknown email and a wrong
// password answer EUnauthorized with the same message, after the same work.
func (s *Service) SignIn(ctx context.Context, email, password string) (*User, error) {
	email = normaliseEmail(email)
	u, err := s.Store.GetUserByEmail(ctx, email)
	switch ErrorCode(err) {
	case "":
	case ENotFound, EInvalid:
		CheckPassword(dummyHash, password)
		return nil, errBadCredentials()
	default:
		return nil, fmt.Errorf("sign in: %w", err)
	}

	if !CheckPassword(u.PasswordHash, password) {
		s.log().InfoContext(ctx, "sign in refused", "user_id", u.ID)
		return nil, errBadCredentials()
	}
	return u, nil
}

// ActorFor returns who a signed-in user acts as. A user awaiting a school
// claim has an Actor with no organisation. A user that no longer exists
// answers EUnauthorized, so that the session is ended.
func (s *Service) ActorFor(ctx context.Context, userID string) (*Actor, error) {
	u, err := s.signedInUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	return s.actorOf(ctx, u)
}

// ActorForSession is ActorFor for a web session that began at signedInAt.
// A session begun before the user's password was last reset has ended:
// it answers EUnauthorized, so that a reset signs out every other browser.
func (s *Service) ActorForSession(ctx context.Context, userID string, signedInAt time.Time) (*Actor, error) {
	u, err := s.signedInUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	if signedInAt.Before(u.CredentialsChangedAt) {
		return nil, errSessionEnded()
	}
	return s.actorOf(ctx, u)
}

// signedInUser loads the user a session or token stands for; one that no
// longer exists answers EUnauthorized.
func (s *Service) signedInUser(ctx context.Context, userID string) (*User, error) {
	if !ValidID(userID) {
		return nil, errSessionEnded()
	}
	u, err := s.Store.GetUser(ctx, userID)
	if ErrorCode(err) == ENotFound {
		return nil, errSessionEnded()
	}
	if err != nil {
		return nil, fmt.Errorf("actor: %w", err)
	}
	return u, nil
}

// actorOf returns who u acts as.
func (s *Service) actorOf(ctx context.Context, u *User) (*Actor, error) {
	a := &Actor{UserID: u.ID, Name: u.Name}
	if u.OrgID == "" {
		return a, nil
	}
	org, err := s.Store.GetOrg(ctx, u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("actor organisation: %w", err)
	}
	a.OrgID, a.Role, a.Kind = org.ID, u.Role, org.Kind
	return a, nil
}

// StartPasswordReset mails a single-use link, valid for one hour, to the
// user with this email. It answers nil for an email with no account, so
// that the page says the same either way.
func (s *Service) StartPasswordReset(ctx context.Context, email string) error {
	email = normaliseEmail(email)
	var p Problems
	if checkEmail(&p, email); p.Err() != nil {
		return p.Err()
	}

	u, err := s.Store.GetUserByEmail(ctx, email)
	if ErrorCode(err) == ENotFound {
		return nil
	}
	if err != nil {
		return fmt.Errorf("password reset: %w", err)
	}
	return s.mailResetLink(ctx, u)
}

func (s *Service) mailResetLink(ctx context.Context, u *User) error {
	secret, err := s.newToken(ctx, &Token{Kind: TokenReset, UserID: u.ID}, ResetTokenLife)
	if err != nil {
		return fmt.Errorf("password reset: %w", err)
	}

	msg := newMessage("password_reset", u.Email, "Choose a new Encounters password",
		"To choose a new password for Encounters, open this link within 1 hour:",
		s.BaseURL+"/reset/"+secret,
		"The link works once. If you did not ask to reset your password, you can ignore this email: "+
			"your password has not changed.")
	return s.send(ctx, msg)
}

// ResetPassword sets a new password through a reset link. The link works
// once and for one hour (seven days for a welcome link); a bad password
// leaves the link usable. The new password ends every web session begun
// and every API token issued before it, and any other reset link sent
// before it stops working.
func (s *Service) ResetPassword(ctx context.Context, secret, password string) error {
	t, u, err := s.resetLink(ctx, secret)
	if err != nil {
		return err
	}

	var p Problems
	if msg := passwordProblem(password, u.Email, u.Name); msg != "" {
		p.Add("password", "%s", msg)
		return p.Err()
	}
	if err := s.useToken(ctx, t); err != nil {
		return err
	}
	if u.PasswordHash, err = HashPassword(password); err != nil {
		return err
	}
	u.CredentialsChangedAt = credentialsTime(s.now())
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	s.log().InfoContext(ctx, "password reset; earlier sessions and api tokens ended", "user_id", u.ID)
	return nil
}

// CheckResetLink reports whether a password reset link can still be used:
// nil, or an error carrying ErrLinkExpired. It uses nothing up.
func (s *Service) CheckResetLink(ctx context.Context, secret string) error {
	_, _, err := s.resetLink(ctx, secret)
	return err
}

// resetLink finds the live reset token for secret and its user. A link
// sent before the user's password last changed no longer works.
func (s *Service) resetLink(ctx context.Context, secret string) (*Token, *User, error) {
	t, err := s.liveToken(ctx, secret, TokenReset)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.Store.GetUser(ctx, t.UserID)
	if ErrorCode(err) == ENotFound {
		return nil, nil, errBadLink()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reset password: %w", err)
	}
	if t.CreatedAt.Before(u.CredentialsChangedAt) {
		return nil, nil, errBadLink()
	}
	return t, u, nil
}

// credentialsTime is the moment credentials change, rounded up to the
// millisecond the store keeps, so that nothing begun in the same
// millisecond before the change counts as after it.
func credentialsTime(now time.Time) time.Time {
	now = now.UTC()
	if t := now.Truncate(time.Millisecond); !t.Equal(now) {
		return t.Add(time.Millisecond)
	}
	return now
}

// InviteMember mails a link, valid for seven days, with which a person joins
// the actor's organisation in role. Only owners invite.
//
// So that invitations do not tell who has an account, an address that
// has one in another organisation (or in none) is answered exactly as a
// new address is, with nil; its owner is emailed a note saying the
// invitation cannot be used with that address, instead of a link. Only an
// address already in the actor's own organisation, whose members the
// actor can list anyway, is refused, on field "email".
func (s *Service) InviteMember(ctx context.Context, a *Actor, email, role string) error {
	if err := requireMember(a); err != nil {
		return err
	}
	if a.Role != RoleOwner {
		return Errorf(EForbidden, "Only owners of your organisation can invite members.")
	}

	email, role = normaliseEmail(email), strings.TrimSpace(role)
	var p Problems
	checkAddress(&p, email, "Enter the email address of the person you are inviting.")
	if role == "" {
		role = RoleMember
	}
	if role != RoleOwner && role != RoleMember {
		p.Add("role", "Choose whether the new member is an owner or a member.")
	}
	if err := p.Err(); err != nil {
		return err
	}

	org, err := s.Store.GetOrg(ctx, a.OrgID)
	if err != nil {
		return fmt.Errorf("invite: %w", err)
	}
	existing, err := s.Store.GetUserByEmail(ctx, email)
	switch ErrorCode(err) {
	case "":
		return s.inviteExisting(ctx, a, org, existing)
	case ENotFound:
		return s.mailInvite(ctx, a, org, email, role)
	}
	return fmt.Errorf("invite: %w", err)
}

// inviteExisting answers an invitation to an address that has an account.
func (s *Service) inviteExisting(ctx context.Context, a *Actor, org *Organisation, u *User) error {
	if u.OrgID == org.ID {
		var p Problems
		p.Add("email", "%s is already a member of your organisation.", u.Email)
		return p.Err()
	}

	msg := newMessage("invite_existing_account", u.Email, "Your invitation to join "+org.Name+" on Encounters",
		org.Name+" invited you to join them on Encounters, but this email address already has "+
			"an Encounters account, and an account belongs to one organisation only.",
		"To join "+org.Name+", ask them to invite another email address of yours. "+
			"To move this account to "+org.Name+", contact the county careers coordinator. "+
			"You can sign in to your account here:",
		s.BaseURL+"/sign-in",
		"If you were not expecting this invitation, you can ignore this email.")
	if err := s.send(ctx, msg); err != nil {
		return err
	}
	s.log().InfoContext(ctx, "invited address has an account", "org_id", org.ID, "user_id", a.UserID)
	return nil
}

func (s *Service) mailInvite(ctx context.Context, a *Actor, org *Organisation, email, role string) error {
	t := &Token{Kind: TokenInvite, Email: email, OrgID: org.ID, Role: role}
	secret, err := s.newToken(ctx, t, InviteTokenLife)
	if err != nil {
		return fmt.Errorf("invite: %w", err)
	}

	msg := newMessage("invite", email, "Join "+org.Name+" on Encounters",
		"To join "+org.Name+" on Encounters, open this link within 7 days and choose a password:",
		s.BaseURL+"/invite/"+secret,
		"Encounters connects employers with schools, colleges and adult learners in the county. "+
			"If you were not expecting this invitation, you can ignore this email.")
	if err := s.send(ctx, msg); err != nil {
		return err
	}
	s.log().InfoContext(ctx, "member invited", "org_id", org.ID, "user_id", a.UserID)
	return nil
}

// CheckInviteLink reports whether an invitation link can still be used:
// nil, or an error carrying ErrLinkExpired. It uses nothing up.
func (s *Service) CheckInviteLink(ctx context.Context, secret string) error {
	_, err := s.liveToken(ctx, secret, TokenInvite)
	return err
}

// AcceptInvite creates the invited person's account in the organisation
// that invited them. The link works once.
func (s *Service) AcceptInvite(ctx context.Context, secret, name, password string) (*User, error) {
	t, err := s.liveToken(ctx, secret, TokenInvite)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	var p Problems
	checkName(&p, name)
	if msg := passwordProblem(password, t.Email, name); msg != "" {
		p.Add("password", "%s", msg)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}

	if _, err := s.Store.GetUserByEmail(ctx, t.Email); ErrorCode(err) != ENotFound {
		if err != nil {
			return nil, fmt.Errorf("accept invite: %w", err)
		}
		return nil, Errorf(EConflict, "An account with this email address already exists. Sign in instead.")
	}
	if err := s.useToken(ctx, t); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}

	u := &User{ID: NewID("usr"), Email: t.Email, Name: name, PasswordHash: hash,
		OrgID: t.OrgID, Role: t.Role, CreatedAt: s.now().UTC()}
	if err := s.Store.CreateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("accept invite: %w", err)
	}
	s.log().InfoContext(ctx, "invite accepted", "user_id", u.ID, "org_id", u.OrgID)
	return u, nil
}

// AddUser is for the command line: it gives email an account in the
// organisation orgRef (an id, a school URN or "coordinator") and mails a
// welcome link, valid for seven days, to choose a password. A user
// already in that organisation gets the role; one in another organisation
// is an EConflict. A closed school or college is refused on field "org".
func (s *Service) AddUser(ctx context.Context, email, orgRef, role string) (*User, error) {
	email = normaliseEmail(email)
	var p Problems
	checkEmail(&p, email)
	if role != RoleOwner && role != RoleMember {
		p.Add("role", "The role must be owner or member.")
	}
	org, err := s.orgByRef(ctx, &p, strings.TrimSpace(orgRef))
	if err != nil {
		return nil, err
	}
	if org != nil && org.Kind.Learners() && org.Status == OrgClosed {
		p.Add("org", "%s", schoolClosed(org))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}

	u, err := s.Store.GetUserByEmail(ctx, email)
	switch ErrorCode(err) {
	case "":
		return s.changeRole(ctx, u, org, role)
	case ENotFound:
	default:
		return nil, fmt.Errorf("add user: %w", err)
	}

	u = &User{ID: NewID("usr"), Email: email, OrgID: org.ID, Role: role, CreatedAt: s.now().UTC()}
	if err := s.Store.CreateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("add user: %w", err)
	}
	if err := s.markClaimed(ctx, org, role); err != nil {
		return nil, err
	}
	return u, s.mailWelcomeLink(ctx, u, org)
}

// mailWelcomeLink mails a person added from the command line a link to
// choose their first password.
func (s *Service) mailWelcomeLink(ctx context.Context, u *User, org *Organisation) error {
	secret, err := s.newToken(ctx, &Token{Kind: TokenReset, UserID: u.ID}, WelcomeTokenLife)
	if err != nil {
		return fmt.Errorf("welcome: %w", err)
	}

	msg := newMessage("welcome", u.Email, "Your Encounters account for "+org.Name,
		"An Encounters account has been created for you at "+org.Name+". "+
			"To choose your password and sign in, open this link within 7 days:",
		s.BaseURL+"/reset/"+secret,
		"The link works once. Encounters connects employers with schools, colleges and adult learners "+
			"in the county. If you were not expecting this account, you can ignore this email.")
	return s.send(ctx, msg)
}

func (s *Service) changeRole(ctx context.Context, u *User, org *Organisation, role string) (*User, error) {
	if u.OrgID != org.ID {
		return nil, Errorf(EConflict, "That email address already has an account in another organisation.")
	}
	u.Role = role
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("add user: %w", err)
	}
	return u, s.markClaimed(ctx, org, role)
}

// markClaimed records that an imported school or college has an owner on
// Encounters, whom the coordinator approved or added: it is claimed, and
// counts as verified.
func (s *Service) markClaimed(ctx context.Context, org *Organisation, role string) error {
	imported := (org.Kind == KindSchool || org.Kind == KindCollege) && org.URN != ""
	if role != RoleOwner || !imported || (org.Claimed && org.Verified) {
		return nil
	}
	org.Claimed, org.Verified, org.UpdatedAt = true, true, s.now().UTC()
	if err := s.Store.UpdateOrg(ctx, org); err != nil {
		return fmt.Errorf("mark school claimed: %w", err)
	}
	return nil
}

// orgByRef finds an organisation by id, school URN or "coordinator".
func (s *Service) orgByRef(ctx context.Context, p *Problems, ref string) (*Organisation, error) {
	id := ref
	switch {
	case ref == CoordinatorOrgID:
		if err := s.EnsureCoordinator(ctx); err != nil {
			return nil, err
		}
	case isDigits(ref):
		id = SchoolID(ref)
	}

	if !ValidID(id) {
		p.Add("org", "Give an organisation id, a school URN or \"coordinator\".")
		return nil, nil
	}

	org, err := s.Store.GetOrg(ctx, id)
	if ErrorCode(err) == ENotFound {
		p.Add("org", "No organisation has the id or URN %q.", ref)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find organisation: %w", err)
	}
	return org, nil
}

// IssueAPIToken is for the command line: it creates an API token for the
// user with email and returns its secret, which is shown once and never
// stored. API tokens do not expire.
func (s *Service) IssueAPIToken(ctx context.Context, email string) (string, error) {
	u, err := s.Store.GetUserByEmail(ctx, normaliseEmail(email))
	if ErrorCode(err) == ENotFound {
		return "", Errorf(ENotFound, "No user has the email address %s.", normaliseEmail(email))
	}
	if err != nil {
		return "", fmt.Errorf("issue api token: %w", err)
	}

	secret, err := s.newToken(ctx, &Token{Kind: TokenAPI, UserID: u.ID}, 0)
	if err != nil {
		return "", fmt.Errorf("issue api token: %w", err)
	}
	s.log().InfoContext(ctx, "api token issued", "user_id", u.ID)
	return secret, nil
}

// UserForAPIToken returns the user an API token stands for, or
// EUnauthorized for a token that is unknown, not an API token, or issued
// before the user's password was last reset.
func (s *Service) UserForAPIToken(ctx context.Context, secret string) (*User, error) {
	bad := Errorf(EUnauthorized, "The API token is not valid.")
	t, err := s.tokenFor(ctx, secret, TokenAPI)
	if ErrorCode(err) == EInvalid {
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	if !t.ExpiresAt.IsZero() && !s.now().Before(t.ExpiresAt) {
		return nil, bad
	}

	u, err := s.Store.GetUser(ctx, t.UserID)
	if ErrorCode(err) == ENotFound {
		return nil, bad
	}
	if err != nil {
		return nil, fmt.Errorf("api token user: %w", err)
	}
	if t.CreatedAt.Before(u.CredentialsChangedAt) {
		return nil, bad
	}
	return u, nil
}

// ListMembers lists the members of the actor's organisation.
func (s *Service) ListMembers(ctx context.Context, a *Actor) ([]*User, error) {
	if err := requireMember(a); err != nil {
		return nil, err
	}
	users, err := s.Store.ListMembers(ctx, a.OrgID)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	return users, nil
}

// newToken stores t under the hash of a fresh secret and returns the
// secret. A zero life means the token never expires.
func (s *Service) newToken(ctx context.Context, t *Token, life time.Duration) (string, error) {
	secret := NewSecret()
	now := s.now().UTC()
	t.ID, t.CreatedAt = TokenID(secret), now
	if life > 0 {
		t.ExpiresAt = now.Add(life)
	}

	if err := s.Store.CreateToken(ctx, t); err != nil {
		return "", err
	}
	return secret, nil
}

// TokenID is the stored id of a token secret: its SHA-256 in hex.
func TokenID(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// tokenFor finds the token of kind for secret; EInvalid when there is none.
func (s *Service) tokenFor(ctx context.Context, secret, kind string) (*Token, error) {
	if len(secret) != 64 || !isHex(secret) {
		return nil, errBadLink()
	}

	t, err := s.Store.GetToken(ctx, TokenID(secret))
	if ErrorCode(err) == ENotFound || (err == nil && t.Kind != kind) {
		return nil, errBadLink()
	}
	if err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	return t, nil
}

// liveToken finds a single-use token that is neither used nor expired.
func (s *Service) liveToken(ctx context.Context, secret, kind string) (*Token, error) {
	t, err := s.tokenFor(ctx, secret, kind)
	if err != nil {
		return nil, err
	}
	if !t.UsedAt.IsZero() || !s.now().Before(t.ExpiresAt) {
		return nil, errBadLink()
	}
	return t, nil
}

func (s *Service) useToken(ctx context.Context, t *Token) error {
	err := s.Store.UseToken(ctx, t.ID)
	switch ErrorCode(err) {
	case "":
		return nil
	case EConflict, ENotFound:
		return errBadLink()
	}
	return fmt.Errorf("use token: %w", err)
}

// send hands a message to the mailer, logging its kind but never its address.
func (s *Service) send(ctx context.Context, m Message) error {
	if err := s.Mail.Send(ctx, m); err != nil {
		return fmt.Errorf("send %s email: %w", m.Kind, err)
	}
	s.log().InfoContext(ctx, "email sent", "kind", m.Kind)
	return nil
}

// newMessage builds a plain email: one paragraph per string, the first
// saying what to do. Paragraphs that are links become links in the HTML.
func newMessage(kind, to, subject string, paras ...string) Message {
	var b strings.Builder
	for _, para := range paras {
		text := html.EscapeString(para)
		if strings.HasPrefix(para, "http://") || strings.HasPrefix(para, "https://") {
			text = `<a href="` + text + `">` + text + `</a>`
		}
		b.WriteString("<p>" + text + "</p>\n")
	}

	return Message{
		To: to, Subject: subject, Kind: kind,
		Text: strings.Join(paras, "\n\n") + "\n\n-- \nEncounters\n",
		HTML: "<!doctype html>\n<html><body>\n" + b.String() + "<p>Encounters</p>\n</body></html>\n",
	}
}

func normaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func checkEmail(p *Problems, email string) {
	checkAddress(p, email, "Enter your email address.")
}

// checkAddress checks an email address on field "email", saying missing
// when there is none.
func checkAddress(p *Problems, email, missing string) {
	if email == "" {
		p.Add("email", "%s", missing)
		return
	}
	addr, err := mail.ParseAddress(email)
	_, domain, _ := strings.Cut(email, "@")
	if err != nil || addr.Address != email || len(email) > 254 || !strings.Contains(domain, ".") {
		p.Add("email", "Enter an email address in the right format, like name@example.org.")
	}
}

func checkName(p *Problems, name string) {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		p.Add("name", "Enter your name.")
	case n > 100:
		p.Add("name", "Your name must be 100 characters or fewer.")
	}
	checkLineChars(p, "name", "Your name", name)
}

func checkJobTitle(p *Problems, title string, required bool) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(title)); {
	case n == 0 && required:
		p.Add("job_title", "Enter your job title, for example careers leader.")
	case n > 100:
		p.Add("job_title", "Your job title must be 100 characters or fewer.")
	}
	checkLineChars(p, "job_title", "Your job title", title)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}
