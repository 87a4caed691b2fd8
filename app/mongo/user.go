package mongo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/encounters/encounters/app"
)

// maxMembers bounds ListMembers; organisations have a handful of members.
const maxMembers = 1000

// usedToken records that a single-use token was spent. Its _id is the
// token's id, so the unique _id index lets exactly one caller record it.
type usedToken struct {
	ID     string    `bson:"_id"`
	UsedAt time.Time `bson:"used_at"`
}

// emailTaken is the conflict for a second account with one email.
func emailTaken() error {
	return app.Errorf(app.EConflict, "An account with this email address already exists.")
}

// normaliseEmail is the form emails are stored and looked up in.
func normaliseEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// CreateUser adds a new user, lower-casing the email. An email that
// already has an account, or an existing id, is EConflict.
func (s *Store) CreateUser(ctx context.Context, u *app.User) error {
	u.Email = normaliseEmail(u.Email)
	err := insert(ctx, s.c(colUsers), u.ID, u, "user")
	if app.ErrorCode(err) == app.EConflict {
		return emailTaken()
	}
	return err
}

// GetUser returns the user with the id, or ENotFound.
func (s *Store) GetUser(ctx context.Context, id string) (*app.User, error) {
	return getByID[app.User](ctx, s.c(colUsers), id, "user")
}

// GetUserByEmail returns the user with the email, in any case, or
// ENotFound.
func (s *Store) GetUserByEmail(ctx context.Context, email string) (*app.User, error) {
	var u app.User
	err := s.c(colUsers).FindOne(ctx, bson.D{{Key: "email", Value: normaliseEmail(email)}}).Decode(&u)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil, app.ErrNotFound("user")
	case err != nil:
		return nil, fmt.Errorf("get user by email: %w", err) // never the email itself
	}
	return &u, nil
}

// UpdateUser writes u whole, lower-casing the email; a missing id is
// ENotFound and an email another account has is EConflict.
func (s *Store) UpdateUser(ctx context.Context, u *app.User) error {
	u.Email = normaliseEmail(u.Email)
	err := replace(ctx, s.c(colUsers), u.ID, u, "user")
	if app.ErrorCode(err) == app.EConflict {
		return emailTaken()
	}
	return err
}

// ListMembers returns the users of one organisation, oldest first.
func (s *Store) ListMembers(ctx context.Context, orgID string) ([]*app.User, error) {
	filter := bson.D{{Key: "org_id", Value: orgID}}
	order := bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}
	opts := options.Find().SetSort(order).SetLimit(maxMembers)
	return findAll[app.User](ctx, s.c(colUsers), filter, opts)
}

// CreateToken adds a new token; an existing id is EConflict.
func (s *Store) CreateToken(ctx context.Context, t *app.Token) error {
	return insert(ctx, s.c(colTokens), t.ID, t, "token")
}

// GetToken returns the token with the id, or ENotFound. UsedAt is set when
// UseToken has spent it.
func (s *Store) GetToken(ctx context.Context, id string) (*app.Token, error) {
	t, err := getByID[app.Token](ctx, s.c(colTokens), id, "token")
	if err != nil {
		return nil, err
	}

	used, err := getByID[usedToken](ctx, s.c(colUsedTokens), id, "token")
	switch {
	case err == nil:
		t.UsedAt = used.UsedAt
	case app.ErrorCode(err) != app.ENotFound:
		return nil, err
	}
	return t, nil
}

// UseToken spends a single-use token: of any number of concurrent calls
// for one token, exactly one succeeds and the rest get EConflict. A missing
// token is ENotFound. Expiry is the caller's to check.
func (s *Store) UseToken(ctx context.Context, id string) error {
	if _, err := getByID[app.Token](ctx, s.c(colTokens), id, "token"); err != nil {
		return err
	}

	_, err := s.c(colUsedTokens).InsertOne(ctx, usedToken{ID: id, UsedAt: s.now().UTC()})
	if isDuplicate(err) {
		return app.Errorf(app.EConflict, "This link has already been used.")
	}
	if err != nil {
		return fmt.Errorf("use token: %w", err)
	}
	return nil
}
