package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// showAcceptInvite shows the form to join an organisation, or says that
// the invitation has expired or been used.
func (s *Server) showAcceptInvite(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	if err := s.svc.CheckInviteLink(ctx, c.Params("secret")); err != nil {
		return s.linkFailed(c, err, true)
	}

	return s.render(c, fiber.StatusOK, "auth/accept_invite", fiber.Map{
		"Title":  "Join your organisation on Encounters",
		"Action": "/invite/" + c.Params("secret"),
	})
}

// acceptInvite creates the invited person's account and signs them in.
func (s *Server) acceptInvite(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	data := fiber.Map{
		"Title":  "Join your organisation on Encounters",
		"Action": "/invite/" + c.Params("secret"),
		"Form":   formValues(c, "name"),
	}

	u, err := s.svc.AcceptInvite(ctx, c.Params("secret"), c.FormValue("name"), c.FormValue("password"))
	if errors.Is(err, app.ErrLinkExpired) {
		return s.linkFailed(c, err, true)
	}
	if err != nil {
		return s.formFailed(c, "auth/accept_invite", data, err)
	}
	if err := s.startSession(c, u, "Welcome to Encounters. You are now a member of your organisation."); err != nil {
		return err
	}
	return c.Redirect("/account", fiber.StatusSeeOther)
}
