package web

import (
	"context"
	"strings"
	"time"

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
	coord.Post("/organisations/:id/verify", s.verifyOrganisation)
}

// waitingKinds are the kinds of organisation listed on the coordinator's
// page while they wait to be verified.
var waitingKinds = []app.OrgKind{app.KindEmployer, app.KindProvider}

// claimView is a pending claim with the school and the person behind it.
// SchoolStatus says whether the school is open, or when it closed.
type claimView struct {
	Claim        *app.Claim
	School       *app.Organisation
	SchoolStatus string
	SchoolClosed bool
	Claimant     string
	ClaimantVia  string
}

// waitingList is one kind of organisation waiting to be verified: the
// first page of them and how many there are.
type waitingList struct {
	Kind          app.OrgKind
	Organisations []*app.Organisation
	Total         int
}

// showCoordinator lists the claims waiting for a decision and the
// employers and providers waiting to be verified.
func (s *Server) showCoordinator(c *fiber.Ctx) error {
	return s.renderCoordinator(c, fiber.StatusOK, nil)
}

// renderCoordinator shows the coordinator's page with status and, when
// problem is not nil, its message at the top, as a form error is shown.
func (s *Server) renderCoordinator(c *fiber.Ctx, status int, problem error) error {
	a := actor(c)
	ctx, cancel := s.ctx(c)
	defer cancel()

	claims, err := s.pendingClaims(ctx, a)
	if err != nil {
		return s.pageError(c, err)
	}
	waiting, err := s.waitingOrganisations(ctx, a)
	if err != nil {
		return s.pageError(c, err)
	}

	data := fiber.Map{"Title": "Coordinator", "Claims": claims, "Waiting": waiting}
	if problem != nil {
		return s.showFormErrors(c, status, "coordinator/index", data, problem)
	}
	return s.render(c, status, "coordinator/index", data)
}

// waitingOrganisations lists, kind by kind, the organisations that are
// not verified yet.
func (s *Server) waitingOrganisations(ctx context.Context, a *app.Actor) ([]waitingList, error) {
	unverified := false
	lists := make([]waitingList, 0, len(waitingKinds))
	for _, kind := range waitingKinds {
		orgs, total, err := s.svc.ListOrganisations(ctx, a, app.OrgFilter{
			Kind: kind, Verified: &unverified, Limit: orgsPerPage,
		})
		if err != nil {
			return nil, err
		}
		lists = append(lists, waitingList{Kind: kind, Organisations: orgs, Total: total})
	}
	return lists, nil
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
		v.SchoolStatus, v.SchoolClosed = schoolStatus(v.School)
		if u, err := s.svc.Store.GetUser(ctx, cl.UserID); err == nil {
			v.Claimant, v.ClaimantVia = u.Name, u.Email
		}
		views = append(views, v)
	}
	return views, nil
}

// schoolStatus says whether a school is open or, when the schools file
// says, the day it closed.
func schoolStatus(school *app.Organisation) (string, bool) {
	switch {
	case school.Status != app.OrgClosed:
		return "Open", false
	case school.CloseDate == "":
		return "Closed", true
	}
	day, err := time.ParseInLocation(app.DateLayout, school.CloseDate, app.London)
	if err != nil {
		return "Closed", true
	}
	return "Closed on " + day.Format("2 January 2006"), true
}

// decideClaim approves or rejects one claim. A decision that cannot be
// made (none chosen, an unknown claim, one decided already) is explained
// at the top of the coordinator's page.
func (s *Server) decideClaim(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	decision := c.FormValue("decision")
	if decision != "approve" && decision != "reject" {
		return s.coordinatorRefused(c, app.Errorf(app.EInvalid,
			"Choose whether to approve or reject the claim."))
	}

	if err := s.svc.DecideClaim(ctx, actor(c), c.Params("id"), decision == "approve"); err != nil {
		return s.coordinatorRefused(c, err)
	}
	message := "The claim has been approved and the claimant is now an owner of the school."
	if decision == "reject" {
		message = "The claim has been rejected."
	}
	return s.redirectWithFlash(c, "/coordinator", message+" We have emailed the claimant.")
}

// coordinatorRefused answers a coordinator's action that the service
// refused: bad input, an unknown record or a conflict is shown as a plain
// sentence on the coordinator's page; anything else is an error page.
func (s *Server) coordinatorRefused(c *fiber.Ctx, err error) error {
	switch code := app.ErrorCode(err); code {
	case app.EInvalid, app.ENotFound, app.EConflict:
		s.logError(c, err)
		return s.renderCoordinator(c, statusFor(code, c.Method()), err)
	}
	return s.pageError(c, err)
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

// verifyOrganisation marks an employer or provider verified (its published
// offers or its requests become public) or withdraws it.
func (s *Server) verifyOrganisation(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	verified := c.FormValue("verified") != "false"

	if err := s.svc.VerifyOrganisation(ctx, actor(c), c.Params("id"), verified); err != nil {
		return s.coordinatorRefused(c, err)
	}
	message := "The organisation is verified: what it publishes is now public."
	if !verified {
		message = "The organisation is no longer verified: " +
			"what it publishes is hidden until it is verified again."
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
