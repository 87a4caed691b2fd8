package app

import (
	"context"
	"time"
)

// Member roles. Owners invite members and manage the organisation.
const (
	RoleOwner  = "owner"
	RoleMember = "member"
)

// User is a person who signs in. Each user is a member of one organisation.
// PasswordHash is an argon2id PHC string; it is never shown or logged.
// CredentialsChangedAt is when the password was last set through a reset
// link: web sessions begun and API tokens issued before it no longer work.
type User struct {
	ID                   string    `bson:"_id" json:"id"`
	Email                string    `bson:"email" json:"email"`
	Name                 string    `bson:"name" json:"name"`
	PasswordHash         string    `bson:"password_hash" json:"-"`
	OrgID                string    `bson:"org_id" json:"org_id"`
	Role                 string    `bson:"role" json:"role"`
	CreatedAt            time.Time `bson:"created_at" json:"created_at"`
	CredentialsChangedAt time.Time `bson:"credentials_changed_at,omitempty" json:"-"`
	// MailOff lists the mail categories (MailCategories) the person has
	// turned off.
	MailOff []string `bson:"mail_off,omitempty" json:"mail_off,omitempty"`
	// MailSecret is a random secret in the person's one-click unsubscribe
	// links (/unsubscribe/USERID/SECRET/CATEGORY); set when first needed.
	MailSecret string `bson:"mail_secret,omitempty" json:"-"`
}

// Wants reports whether the person receives mail of the category.
func (u *User) Wants(category string) bool {
	for _, c := range u.MailOff {
		if c == category {
			return false
		}
	}
	return true
}

// Token is a secret that stands for a user: an API token, a password reset
// link or an invitation. Only the SHA-256 of the secret is stored, as ID.
type Token struct {
	ID        string    `bson:"_id"` // hex SHA-256 of the secret
	Kind      string    `bson:"kind"`
	UserID    string    `bson:"user_id,omitempty"`
	Email     string    `bson:"email,omitempty"`
	OrgID     string    `bson:"org_id,omitempty"`
	Role      string    `bson:"role,omitempty"`
	CreatedAt time.Time `bson:"created_at"`
	ExpiresAt time.Time `bson:"expires_at"` // zero: never
	UsedAt    time.Time `bson:"used_at,omitempty"`
}

// Token kinds.
const (
	TokenAPI    = "api"
	TokenReset  = "reset"
	TokenInvite = "invite"
)

// UserStore keeps users and tokens. Emails are unique (lower-cased); creating
// a second user with the same email fails with EConflict.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	GetUser(ctx context.Context, id string) (*User, error)
	GetUserByEmail(ctx context.Context, email string) (*User, error)
	UpdateUser(ctx context.Context, u *User) error
	ListMembers(ctx context.Context, orgID string) ([]*User, error)

	CreateToken(ctx context.Context, t *Token) error
	GetToken(ctx context.Context, id string) (*Token, error)
	// UseToken marks a single-use token used; it fails with EConflict when
	// it was used already.
	UseToken(ctx context.Context, id string) error
}
