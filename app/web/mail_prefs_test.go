package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

func TestMailPreferences(t *testing.T) {
	m := newBookingMarket(t)
	c := m.as(t, m.schoolEmail)

	res := c.get("/account/mail")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, `value="reminders" checked`, `value="sponsors" checked`,
		`value="http://encounters.test/calendar/`+m.school.ID+`/`, "Reset the calendar address")

	form := url.Values{"mail": {app.MailBookings, app.MailWaitlist, "not-a-category"}}
	wantRedirect(t, c.postForm("/account/mail", form), "/account/mail")
	u, err := m.ts.Store.GetUserByEmail(context.Background(), m.schoolEmail)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{app.MailReminders, app.MailFeedback, app.MailSponsors}
	if got := slices.Sorted(slices.Values(u.MailOff)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Fatalf("mail off %v, want %v", u.MailOff, want)
	}
	res = c.get("/account/mail")
	wantContains(t, res, "Your email preferences are saved", `value="bookings" checked`)
	wantLacks(t, res, `value="reminders" checked`)

	t.Run("without a CSRF token", func(t *testing.T) {
		res := c.postForm("/account/mail", url.Values{"_csrf": {""}, "mail": {app.MailBookings}})
		wantStatus(t, res, http.StatusForbidden)
	})
	t.Run("anonymous", func(t *testing.T) {
		res := m.as(t, "").get("/account/mail")
		wantStatus(t, res, http.StatusSeeOther)
	})
}

// calendarPath is the path of an organisation's private feed.
func (m *market) calendarPath(t *testing.T, a *app.Actor) string {
	t.Helper()
	link, err := m.ts.Svc.CalendarLink(context.Background(), a, false)
	if err != nil {
		t.Fatalf("calendar link: %v", err)
	}
	path, ok := strings.CutPrefix(link, m.ts.Svc.BaseURL)
	if !ok || !strings.HasSuffix(path, ".ics") {
		t.Fatalf("calendar link %q", link)
	}
	return path
}

func TestCalendarFeed(t *testing.T) {
	m := newBookingMarket(t)
	ctx := context.Background()
	b := m.mustBook(t, m.schoolActor, m.bowburn.Sessions[0].ID, 30, 9)
	if _, err := m.ts.Svc.UpdateChecklist(ctx, m.employerActor, b.ID, app.ChecklistInput{Assurance: true}); err != nil {
		t.Fatalf("assurance: %v", err)
	}
	if _, err := m.ts.Svc.MoveBooking(ctx, m.employerActor, b.ID, app.MoveConfirm, app.MoveInput{}); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	path := m.calendarPath(t, m.schoolActor)
	orgID, secret := m.school.ID, strings.TrimSuffix(path[strings.LastIndex(path, "/")+1:], ".ics")

	res := m.as(t, "").get(path)
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
	wantContains(t, res, "BEGIN:VCALENDAR", "BEGIN:VEVENT", "Meet a robotics engineer")
	wantContains(t, m.as(t, "").get(m.calendarPath(t, m.employerActor)), "Meet a robotics engineer")

	refused := []struct{ name, path string }{
		{"a wrong secret", "/calendar/" + orgID + "/" + strings.Repeat("0", len(secret)) + ".ics"},
		{"another organisation", "/calendar/" + m.otherSchool.ID + "/" + secret + ".ics"},
		{"no .ics", "/calendar/" + orgID + "/" + secret},
		{"no secret", "/calendar/" + orgID + "/.ics"},
		{"a malformed organisation", "/calendar/%24ne/" + secret + ".ics"},
	}
	for _, r := range refused {
		t.Run(r.name, func(t *testing.T) {
			res := m.as(t, "").get(r.path)
			wantStatus(t, res, http.StatusNotFound)
			wantLacks(t, res, "BEGIN:VCALENDAR")
		})
	}

	t.Run("reset", func(t *testing.T) {
		c := m.as(t, m.schoolEmail)
		c.get("/account/mail")
		wantRedirect(t, c.postForm("/account/mail/calendar", url.Values{}), "/account/mail")
		wantStatus(t, m.as(t, "").get(path), http.StatusNotFound)
		fresh := m.calendarPath(t, m.schoolActor)
		if fresh == path {
			t.Fatal("the calendar address did not change")
		}
		wantStatus(t, m.as(t, "").get(fresh), http.StatusOK)
	})
}

// mustMailSecret gives the user a known unsubscribe secret.
func (m *market) mustMailSecret(t *testing.T, email string) *app.User {
	t.Helper()
	ctx := context.Background()
	u, err := m.ts.Store.GetUserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	u.MailSecret = app.NewSecret()
	if err := m.ts.Store.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestOneClickUnsubscribe(t *testing.T) {
	m := newBookingMarket(t)
	u := m.mustMailSecret(t, m.schoolEmail)
	link := "/unsubscribe/" + u.ID + "/" + u.MailSecret + "/"
	wrong := "/unsubscribe/" + u.ID + "/" + app.NewSecret() + "/"
	mailOff := func() []string {
		got, err := m.ts.Store.GetUser(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.MailOff
	}
	// oneClick posts as a mail client does: no cookie, no CSRF token.
	oneClick := func(path string) *response {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return m.ts.client(t).do(req)
	}

	res := m.as(t, "").get(link + app.MailReminders)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Stop getting reminders?", `action="`+link+app.MailReminders+`"`)
	if off := mailOff(); len(off) != 0 {
		t.Fatalf("a GET turned off %v", off)
	}

	for _, bad := range []string{wrong + app.MailReminders, link + app.MailBookings, link + "everything"} {
		res := m.as(t, "").get(bad)
		wantStatus(t, res, http.StatusNotFound)
		wantContains(t, res, "This unsubscribe link does not work", "Nothing has been changed")
	}
	wantStatus(t, oneClick(wrong+app.MailReminders), http.StatusNotFound)
	wantStatus(t, oneClick(link+"everything"), http.StatusNotFound)
	// Only the full one-click address skips the CSRF check.
	wantStatus(t, oneClick("/unsubscribe/"+u.ID+"/"+u.MailSecret), http.StatusForbidden)
	if off := mailOff(); len(off) != 0 {
		t.Fatalf("refused requests turned off %v", off)
	}

	res = oneClick(link + app.MailReminders)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "You will no longer get reminders")
	if off := mailOff(); !slices.Equal(off, []string{app.MailReminders}) {
		t.Fatalf("mail off %v, want reminders", off)
	}

	c := m.as(t, m.schoolEmail)
	c.get(link + app.MailFeedback)
	wantStatus(t, c.postForm(link+app.MailFeedback, url.Values{}), http.StatusOK)
	if off := mailOff(); !slices.Contains(off, app.MailFeedback) {
		t.Fatalf("mail off %v, want feedback too", off)
	}
}

func TestOutboxPage(t *testing.T) {
	m := newBookingMarket(t)
	ctx := context.Background()
	now := time.Now().UTC()
	for _, j := range []*app.Job{
		{ID: "booking/bkg_1/1/usr_1", State: app.JobFailed, Attempts: 8, LastError: "554 mailbox unavailable",
			Message: app.Message{Kind: "booking_requested"}, CreatedAt: now},
		{ID: "booking/bkg_2/1/usr_2", State: app.JobPending, Message: app.Message{Kind: "reminder_7d"},
			CreatedAt: now},
	} {
		if _, err := m.ts.Store.AddJob(ctx, j); err != nil {
			t.Fatalf("add job: %v", err)
		}
	}
	m.ts.mustUser(t, "kim@county.test", "Kim Coordinator", app.CoordinatorOrgID, app.RoleOwner)

	res := m.as(t, "kim@county.test").get("/coordinator/outbox")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "1 email set aside", "booking_requested", "554 mailbox unavailable", "booking/bkg_1/1/usr_1")
	wantLacks(t, res, "reminder_7d")
	wantContains(t, m.as(t, "kim@county.test").get("/account"), `href="/coordinator/outbox"`)

	wantStatus(t, m.as(t, m.schoolEmail).get("/coordinator/outbox"), http.StatusForbidden)
	wantStatus(t, m.as(t, "").get("/coordinator/outbox"), http.StatusSeeOther)
}
