package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/encounters/encounters/app"
)

func TestMailPreferencesAndUnsubscribe(t *testing.T) {
	e := newBookingEnv(t)
	ctx := context.Background()
	school := e.bookerSchool(t, "119001")

	err := e.svc.SetMailPrefs(ctx, school, []string{app.MailFeedback, "newsletters"})
	wantField(t, err, "mail_off", "from the list")
	if err := e.svc.SetMailPrefs(ctx, school, []string{app.MailWaitlist, app.MailFeedback, app.MailFeedback}); err != nil {
		t.Fatal(err)
	}
	u, err := e.svc.MailPrefs(ctx, school)
	if err != nil || fmt.Sprint(u.MailOff) != "[feedback waitlist]" || u.Wants(app.MailFeedback) {
		t.Fatalf("preferences %v, %v", u.MailOff, err)
	}
	if _, err := e.svc.MailPrefs(ctx, nil); app.ErrorCode(err) != app.EUnauthorized {
		t.Fatalf("anonymous preferences: %v", err)
	}

	u.MailSecret = app.NewSecret()
	if err := e.store.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, user, secret, category string
		code                         string
	}{
		{"wrong secret", u.ID, app.NewSecret(), app.MailReminders, app.ENotFound},
		{"empty secret", u.ID, "", app.MailReminders, app.ENotFound},
		{"no such person", "usr_0000000000", u.MailSecret, app.MailReminders, app.ENotFound},
		{"unknown category", u.ID, u.MailSecret, "offers", app.EInvalid},
		{"booking emails, which no link offers", u.ID, u.MailSecret, app.MailBookings, app.ENotFound},
		{"reminders", u.ID, u.MailSecret, app.MailReminders, ""},
		{"reminders again", u.ID, u.MailSecret, app.MailReminders, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, e.svc.Unsubscribe(ctx, tc.user, tc.secret, tc.category), tc.code)
		})
	}
	u, _ = e.svc.MailPrefs(ctx, school)
	if fmt.Sprint(u.MailOff) != "[reminders feedback waitlist]" {
		t.Fatalf("after unsubscribing: %v", u.MailOff)
	}
}
