package app

import (
	"context"
	"crypto/subtle"
	"fmt"
	"slices"
	"strings"
)

// MailPrefs returns the signed-in person, whose MailOff lists the mail
// categories they have turned off.
func (s *Service) MailPrefs(ctx context.Context, a *Actor) (*User, error) {
	if a == nil || a.UserID == "" {
		return nil, errSignedOut()
	}
	u, err := s.Store.GetUser(ctx, a.UserID)
	if err != nil {
		return nil, fmt.Errorf("mail preferences: %w", err)
	}
	return u, nil
}

// SetMailPrefs turns off exactly the categories in off (MailCategories;
// anything else is EInvalid on field "mail_off") and turns the rest on.
func (s *Service) SetMailPrefs(ctx context.Context, a *Actor, off []string) error {
	if a == nil || a.UserID == "" {
		return errSignedOut()
	}
	var chosen []string
	for _, c := range off {
		c = strings.TrimSpace(c)
		if !slices.Contains(MailCategories, c) {
			var p Problems
			p.Add("mail_off", "Choose the emails to turn off from the list.")
			return p.Err()
		}
		chosen = append(chosen, c)
	}

	unlock := s.lock(lockUser, a.UserID)
	defer unlock()
	u, err := s.Store.GetUser(ctx, a.UserID)
	if err != nil {
		return fmt.Errorf("set mail preferences: %w", err)
	}
	u.MailOff = orderedCategories(chosen)
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("set mail preferences: %w", err)
	}
	s.log().InfoContext(ctx, "mail preferences set", "user_id", u.ID)
	return nil
}

// orderedCategories returns the distinct categories of list in the order
// of MailCategories.
func orderedCategories(list []string) []string {
	out := []string{}
	for _, c := range MailCategories {
		if slices.Contains(list, c) {
			out = append(out, c)
		}
	}
	return out
}

// Unsubscribe turns one category of mail off for a person, from the
// one-click address in an email. A wrong person or secret is ENotFound,
// like a page that does not exist; an unknown category is EInvalid on
// field "category". Unsubscribing twice is no error.
func (s *Service) Unsubscribe(ctx context.Context, userID, secret, category string) error {
	unlock := s.lock(lockUser, userID)
	defer unlock()
	u, err := s.unsubscriber(ctx, userID, secret, category)
	if err != nil {
		return err
	}
	if !u.Wants(category) {
		return nil
	}
	u.MailOff = orderedCategories(append(u.MailOff, category))
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	s.log().InfoContext(ctx, "unsubscribed", "user_id", u.ID, "category", category)
	return nil
}

// CheckUnsubscribe answers whether an unsubscribe address is good, as
// Unsubscribe would, without changing anything: the confirm page then
// refuses a damaged link at once rather than after its button.
func (s *Service) CheckUnsubscribe(ctx context.Context, userID, secret, category string) error {
	_, err := s.unsubscriber(ctx, userID, secret, category)
	return err
}

// unsubscriber is the person an unsubscribe address names, when its
// secret and category are good.
func (s *Service) unsubscriber(ctx context.Context, userID, secret, category string) (*User, error) {
	notFound := ErrNotFound("Unsubscribe link")
	if !ValidID(userID) || secret == "" {
		return nil, notFound
	}
	if !slices.Contains(MailCategories, category) {
		var p Problems
		p.Add("category", "That is not a kind of email we send.")
		return nil, p.Err()
	}
	if !NonEssential(category) {
		// Links go out only in reminders and feedback requests; a link
		// forwarded with one must not stop booking emails.
		return nil, notFound
	}

	u, err := s.Store.GetUser(ctx, userID)
	if ErrorCode(err) == ENotFound {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("unsubscribe: %w", err)
	}
	if u.MailSecret == "" || subtle.ConstantTimeCompare([]byte(u.MailSecret), []byte(secret)) != 1 {
		return nil, notFound
	}
	return u, nil
}

// unsubscribeLink is u's one-click address for a category, giving u a
// mail secret first when they have none.
func (s *Service) unsubscribeLink(ctx context.Context, u *User, category string) (string, error) {
	if u.MailSecret == "" {
		secret, err := s.mailSecret(ctx, u.ID)
		if err != nil {
			return "", err
		}
		u.MailSecret = secret
	}
	return fmt.Sprintf("%s/unsubscribe/%s/%s/%s", s.BaseURL, u.ID, u.MailSecret, category), nil
}

// mailSecret returns a person's mail secret, making and storing one when
// they have none.
func (s *Service) mailSecret(ctx context.Context, userID string) (string, error) {
	unlock := s.lock(lockUser, userID)
	defer unlock()
	u, err := s.Store.GetUser(ctx, userID)
	if err != nil {
		return "", fmt.Errorf("mail secret: %w", err)
	}
	if u.MailSecret != "" {
		return u.MailSecret, nil
	}

	u.MailSecret = NewSecret()
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return "", fmt.Errorf("mail secret: %w", err)
	}
	return u.MailSecret, nil
}
