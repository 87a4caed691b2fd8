package web

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// orgsPerPage is the length of one page of the organisations list.
const orgsPerPage = 25

// registerCoordinatorRoutes registers the county coordinator's pages.
func (s *Server) registerCoordinatorRoutes(r fiber.Router) {
	coord := r.Group("/coordinator", s.requireCoordinator)
	coord.Get("/", s.showCoordinator)
	coord.Post("/claims/:id", s.decideClaim)
	coord.Get("/organisations", s.showOrganisations)
	coord.Post("/organisations/:id/verify", s.verifyEmployer)
}

// claimView is a pending claim with the school and the person behind it.
type claimView struct {
	Claim       *app.Claim
	School      *app.Organisation
	Claimant    string
	ClaimantVia string
}

// showCoordinator lists the claims waiting for a decision and the
// employers waiting to be verified.
func (s *Server) showCoordinator(c *fiber.Ctx) error {
	a := actor(c)
	ctx, cancel := s.ctx(c)
	defer cancel()

	claims, err := s.pendingClaims(ctx, a)
	if err != nil {
		return s.pageError(c, err)
	}
	unverified := false
	employers, total, err := s.svc.ListOrganisations(ctx, a, app.OrgFilter{
		Kind: app.KindEmployer, Verified: &unverified, Limit: orgsPerPage,
	})
	if err != nil {
		return s.pageError(c, err)
	}
	return s.render(c, fiber.StatusOK, "coordinator/index", fiber.Map{
		"Title":          "Coordinator",
		"Claims":         claims,
		"Employers":      employers,
		"EmployersTotal": total,
	})
}

// pendingClaims lists the claims with their schools and claimants. The
// claimant's name and email are shown so that the coordinator can check
// them against the school.
func (s *Server) pendingClaims(ctx context.Context, a *app.Actor) ([]claimView, error) {
	claims, err := s.svc.ListClaims(ctx, a)
	if err != nil {
		return nil, err
	}

	views := make([]claimView, 0, len(claims))
	for _, cl := range claims {
		v := claimView{Claim: cl, School: &app.Organisation{ID: cl.OrgID, Name: cl.OrgID}}
		if org, err := s.svc.GetOrganisation(ctx, a, cl.OrgID); err == nil {
			v.School = org
		}
		if u, err := s.svc.Store.GetUser(ctx, cl.UserID); err == nil {
			v.Claimant, v.ClaimantVia = u.Name, u.Email
		}
		views = append(views, v)
	}
	return views, nil
}

// decideClaim approves or rejects one claim.
func (s *Server) decideClaim(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	decision := c.FormValue("decision")
	if decision != "approve" && decision != "reject" {
		return s.pageError(c, onField("decision", "Choose whether to approve or reject the claim."))
	}

	if err := s.svc.DecideClaim(ctx, actor(c), c.Params("id"), decision == "approve"); err != nil {
		return s.pageError(c, err)
	}
	message := "The claim has been approved and the claimant is now an owner of the school."
	if decision == "reject" {
		message = "The claim has been rejected."
	}
	return s.redirectWithFlash(c, "/coordinator", message+" We have emailed the claimant.")
}

// showOrganisations lists organisations a page at a time, filtered by
// kind, verification and part of the name.
func (s *Server) showOrganisations(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	page := pageParam(c)
	f := app.OrgFilter{
		Kind:   app.OrgKind(c.Query("kind")),
		Text:   c.Query("q"),
		Offset: (page - 1) * orgsPerPage,
		Limit:  orgsPerPage,
	}
	switch c.Query("verified") {
	case "yes":
		f.Verified = ptr(true)
	case "no":
		f.Verified = ptr(false)
	}

	orgs, total, err := s.svc.ListOrganisations(ctx, actor(c), f)
	if err != nil {
		return s.pageError(c, err)
	}
	return s.render(c, fiber.StatusOK, "coordinator/organisations", fiber.Map{
		"Title":         "Organisations",
		"Organisations": orgs,
		"Total":         total,
		"Pager":         newPager(c, page, orgsPerPage, total),
		"Form":          formQuery(c, "kind", "q", "verified"),
		"Back":          c.OriginalURL(),
	})
}

// verifyEmployer marks an employer verified (its published offers become
// public) or withdraws it.
func (s *Server) verifyEmployer(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	verified := c.FormValue("verified") != "false"

	if err := s.svc.VerifyEmployer(ctx, actor(c), c.Params("id"), verified); err != nil {
		return s.pageError(c, err)
	}
	message := "The employer is verified: its published offers are now public."
	if !verified {
		message = "The employer is no longer verified: its offers are hidden from search."
	}
	return s.redirectWithFlash(c, coordinatorBack(c.FormValue("back")), message)
}

// coordinatorBack returns to the coordinator page a form came from.
func coordinatorBack(back string) string {
	if strings.HasPrefix(back, "/coordinator") && !strings.ContainsAny(back, "\r\n\\") {
		return back
	}
	return "/coordinator"
}

// formQuery copies the named query parameters, for filling a filter form.
func formQuery(c *fiber.Ctx, names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = c.Query(n)
	}
	return m
}

func ptr[T any](v T) *T { return &v }
