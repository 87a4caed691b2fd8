package web

import (
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// registerAccountRoutes registers the home page and the signed-in
// member's own pages.
func (s *Server) registerAccountRoutes(r fiber.Router) {
	r.Get("/", s.showHome)

	account := r.Group("/account", s.requireSignedIn)
	account.Get("/", s.showAccount)
	account.Get("/members", s.showMembers)
	account.Post("/members", s.inviteMember)
	account.Get("/claim", s.showClaim)
	account.Post("/claim", s.claimSchool)
}

// showAccount is the member's dashboard: their organisation, their role
// and where to go next.
func (s *Server) showAccount(c *fiber.Ctx) error {
	a := actor(c)
	data := fiber.Map{"Title": "Your account", "Role": a.Role}
	if a.OrgID == "" {
		return s.render(c, fiber.StatusOK, "account/dashboard", data)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	org, err := s.svc.GetOrganisation(ctx, a, a.OrgID)
	if err != nil {
		return s.pageError(c, err)
	}
	data["Org"] = org
	data["IsOwner"] = a.Role == app.RoleOwner
	data["CanOffer"] = org.Kind == app.KindEmployer
	data["CanRequest"] = org.Kind.Learners()
	return s.render(c, fiber.StatusOK, "account/dashboard", data)
}

// showMembers lists the organisation's members; owners also see a form to
// invite someone.
func (s *Server) showMembers(c *fiber.Ctx) error {
	return s.renderMembers(c, fiber.Map{}, nil)
}

// renderMembers shows the members page, with the invitation form's
// problems when formErr is not nil.
func (s *Server) renderMembers(c *fiber.Ctx, data fiber.Map, formErr error) error {
	a := actor(c)
	ctx, cancel := s.ctx(c)
	defer cancel()
	members, err := s.svc.ListMembers(ctx, a)
	if err != nil {
		return s.pageError(c, err)
	}

	data["Title"] = "Members of your organisation"
	data["Members"] = members
	data["IsOwner"] = a.Role == app.RoleOwner
	if formErr == nil {
		return s.render(c, fiber.StatusOK, "account/members", data)
	}
	status := statusFor(app.ErrorCode(formErr), c.Method())
	return s.showFormErrors(c, status, "account/members", data, formErr)
}

// inviteMember emails an invitation to join the organisation. The answer
// is the same whether or not the address has an account elsewhere (see
// app.Service.InviteMember), so the page does not tell who uses Encounters.
func (s *Server) inviteMember(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	form := formValues(c, "email", "role")

	err := s.svc.InviteMember(ctx, actor(c), form["email"], form["role"])
	if code := app.ErrorCode(err); code == app.EInvalid || code == app.EConflict {
		return s.renderMembers(c, fiber.Map{"Form": form}, err)
	}
	if err != nil {
		return s.pageError(c, err)
	}
	return s.redirectWithFlash(c, "/account/members",
		"We have sent an invitation to "+strings.TrimSpace(form["email"])+".")
}

func (s *Server) showClaim(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "account/claim", fiber.Map{
		"Title": "Claim your school or college",
		"Form":  map[string]string{"school_urn": c.Query("urn")},
	})
}

var urnPattern = regexp.MustCompile(`^[0-9]{5,8}$`)

// claimSchool asks the coordinator to make the member an owner of the
// school with the URN given. The job title is optional, as at sign-up.
func (s *Server) claimSchool(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	form := formValues(c, "school_urn", "job_title")
	data := fiber.Map{"Title": "Claim your school or college", "Form": form}

	urn := strings.TrimSpace(form["school_urn"])
	if !urnPattern.MatchString(urn) {
		return s.formFailed(c, "account/claim", data, onField("school_urn",
			"Enter your school's URN, the 6-digit number on Get Information About Schools."))
	}
	_, err := s.svc.ClaimSchool(ctx, actor(c), app.SchoolID(urn), form["job_title"])
	if app.ErrorCode(err) == app.ENotFound {
		err = onField("school_urn", "We cannot find a school or college with URN "+urn+
			". Check the number, or ask the coordinator to add it.")
	}
	if err != nil {
		return s.formFailed(c, "account/claim", data, err)
	}
	return s.redirectWithFlash(c, "/account", "Your claim has been sent to the county coordinator. "+
		"We will email you when it has been decided.")
}
