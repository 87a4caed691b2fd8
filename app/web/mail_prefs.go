package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// mailCategory is one kind of email a person may turn off, in words.
type mailCategory struct {
	Value string
	Label string
	Hint  string
	On    bool
}

// mailCategoryWords describe each category of app.MailCategories.
var mailCategoryWords = map[string][2]string{
	app.MailBookings: {"Bookings", "Requests, answers, cancellations and calendar invitations."},
	app.MailReminders: {"Reminders",
		"A week and a day before a session, and when safeguarding items are still missing."},
	app.MailFeedback: {"Feedback requests", "After a session, asking how it went."},
	app.MailWaitlist: {"Waiting lists", "When places you are waiting for are held for you."},
	app.MailSponsors: {"Sponsorships", "Receipts and notices about sponsoring civic events."},
}

// mailCategories lists every category for the preferences page, ticked
// when the person receives it.
func mailCategories(u *app.User) []mailCategory {
	out := make([]mailCategory, 0, len(app.MailCategories))
	for _, c := range app.MailCategories {
		words := mailCategoryWords[c]
		out = append(out, mailCategory{Value: c, Label: words[0], Hint: words[1], On: u.Wants(c)})
	}
	return out
}

// showMailPrefs answers GET /account/mail: which emails the person gets,
// and their organisation's private calendar feed address.
func (s *Server) showMailPrefs(c *fiber.Ctx) error {
	a := actor(c)
	ctx, cancel := s.ctx(c)
	defer cancel()

	u, err := s.svc.MailPrefs(ctx, a)
	if err != nil {
		return s.pageError(c, err)
	}
	data := fiber.Map{"Title": "Email and calendar", "Categories": mailCategories(u)}
	if a.OrgID != "" {
		link, err := s.svc.CalendarLink(ctx, a, false)
		if err != nil {
			return s.pageError(c, err)
		}
		data["CalendarLink"] = link
	}
	return s.render(c, fiber.StatusOK, "account/mail", data)
}

// saveMailPrefs answers POST /account/mail: every category not ticked
// is turned off. Account emails are always sent.
func (s *Server) saveMailPrefs(c *fiber.Ctx) error {
	on := formList(c, "mail")
	var off []string
	for _, category := range app.MailCategories {
		if !hasValue(on, category) {
			off = append(off, category)
		}
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	if err := s.svc.SetMailPrefs(ctx, actor(c), off); err != nil {
		return s.pageError(c, err)
	}
	return s.redirectWithFlash(c, "/account/mail", "Your email preferences are saved.")
}

// resetCalendarLink answers POST /account/mail/calendar: the
// organisation's calendar feed gets a new secret address, and the old
// one stops working.
func (s *Server) resetCalendarLink(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	if _, err := s.svc.CalendarLink(ctx, actor(c), true); err != nil {
		return s.pageError(c, err)
	}
	return s.redirectWithFlash(c, "/account/mail", "Your calendar address is reset. "+
		"Calendars subscribed to the old address stop updating: subscribe them to the new one.")
}
