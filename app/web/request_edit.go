package web

import (
	"context"
	"log/slog"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// requestForm is the request form's values as typed, for showing it again.
type requestForm struct {
	Type      string
	Sector    string
	Topic     string
	Audience  []string
	GroupSize string
	From      string
	To        string
	Postcode  string
	TravelKm  string
	VirtualOK bool
	Access    []string
	Notes     string
}

// readRequestForm copies the posted request form.
func readRequestForm(c *fiber.Ctx) requestForm {
	return requestForm{
		Type: c.FormValue("type"), Sector: c.FormValue("sector"), Topic: c.FormValue("topic"),
		Audience: formList(c, "audience"), GroupSize: strings.TrimSpace(c.FormValue("group_size")),
		From: strings.TrimSpace(c.FormValue("from")), To: strings.TrimSpace(c.FormValue("to")),
		Postcode: c.FormValue("postcode"), TravelKm: strings.TrimSpace(c.FormValue("travel_km")),
		VirtualOK: c.FormValue("virtual_ok") != "", Access: formList(c, "access"),
		Notes: c.FormValue("notes"),
	}
}

// input turns the form into the service's RequestInput, checking that the
// two numbers are whole numbers; the service checks their ranges and the
// rest.
func (f requestForm) input() (app.RequestInput, error) {
	in := app.RequestInput{
		Type: f.Type, Sector: f.Sector, Topic: f.Topic, Audience: f.Audience,
		From: f.From, To: f.To, Postcode: f.Postcode, VirtualOK: f.VirtualOK,
		Access: f.Access, Notes: f.Notes,
	}
	var probs app.Problems
	in.GroupSize = wholeNumber(&probs, "group_size", f.GroupSize,
		"Enter how many learners as a whole number, like 30.")
	in.TravelKm = wholeNumber(&probs, "travel_km", f.TravelKm,
		"Enter how far your group can travel as a whole number of kilometres, like 20.")
	return in, probs.Err()
}

// wholeNumber reads an optional whole number; empty is 0. A number out of
// range is returned as typed, for the service to state the range.
func wholeNumber(probs *app.Problems, field, value, message string) int {
	if value == "" {
		return 0
	}
	n, err := strconv.Atoi(value)
	if err != nil {
		probs.Add(field, "%s", message)
		return 0
	}
	return n
}

// requestFormOf fills the form from a stored request, for editing.
func requestFormOf(r *app.Request) requestForm {
	f := requestForm{
		Type: r.Type, Sector: r.Sector, Topic: r.Topic, Audience: r.Audience,
		GroupSize: strconv.Itoa(r.GroupSize), Postcode: r.Postcode, VirtualOK: r.VirtualOK,
		Access: r.Access, Notes: r.Notes,
	}
	if !r.From.IsZero() {
		f.From = r.From.In(app.London).Format("2006-01-02")
	}
	if !r.To.IsZero() {
		f.To = r.To.In(app.London).Format("2006-01-02")
	}
	if r.TravelKm > 0 {
		f.TravelKm = strconv.Itoa(r.TravelKm)
	}

	return f
}

// showMyRequests answers GET /account/requests: the organisation's
// requests, open and closed, newest first.
func (s *Server) showMyRequests(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	page := pageParam(c)
	reqs, total, err := s.svc.ListMyRequests(ctx, actor(c), page)
	if err != nil {
		return s.pageError(c, err)
	}

	return s.render(c, fiber.StatusOK, "requests/mine", fiber.Map{
		"Title": "Your requests", "Requests": requestCards(reqs), "Total": total,
		"CanRequest": canRequest(actor(c)) == nil,
		"Pager":      newPager(c, page, app.DefaultPerPage, total),
	})
}

// showNewRequest answers GET /requests/new with an empty request form.
func (s *Server) showNewRequest(c *fiber.Ctx) error {
	if err := canRequest(actor(c)); err != nil {
		return s.pageError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	return s.render(c, fiber.StatusOK, "requests/form",
		newRequestData(requestForm{}, s.audiencesFor(ctx, actor(c))))
}

// createRequest answers POST /requests/new.
func (s *Server) createRequest(c *fiber.Ctx) error {
	if err := canRequest(actor(c)); err != nil {
		return s.pageError(c, err)
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	form := readRequestForm(c)
	data := newRequestData(form, s.audiencesFor(ctx, actor(c)))
	in, err := form.input()
	if err != nil {
		return s.formFailed(c, "requests/form", data, err)
	}

	r, err := s.svc.CreateRequest(ctx, actor(c), in)
	if err != nil {
		return s.formFailed(c, "requests/form", data, err)
	}

	return s.redirectWithFlash(c, "/requests/"+r.ID,
		"Your request is published. Employers can now see it, and the best matches are below.")
}

// showEditRequest answers GET /requests/:id/edit for the request's own
// organisation, while the request is open.
func (s *Server) showEditRequest(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.ownOpenRequest(ctx, c)
	if err != nil {
		return s.pageError(c, err)
	}

	return s.render(c, fiber.StatusOK, "requests/form", editRequestData(r.ID, requestFormOf(r), s.audiencesFor(ctx, actor(c))))
}

// updateRequest answers POST /requests/:id/edit.
func (s *Server) updateRequest(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.ownOpenRequest(ctx, c)
	if err != nil {
		return s.pageError(c, err)
	}
	form := readRequestForm(c)
	data := editRequestData(r.ID, form, s.audiencesFor(ctx, actor(c)))
	in, err := form.input()
	if err != nil {
		return s.formFailed(c, "requests/form", data, err)
	}

	if _, err := s.svc.UpdateRequest(ctx, actor(c), r.ID, in); err != nil {
		return s.formFailed(c, "requests/form", data, err)
	}

	return s.redirectWithFlash(c, "/requests/"+r.ID, "Your changes are saved.")
}

func newRequestData(f requestForm, audiences []string) fiber.Map {
	return fiber.Map{"Title": "Ask for an encounter", "Action": "/requests/new",
		"Submit": "Publish request", "Form": f, "Errors": map[string]string{},
		"Audiences": audiences}
}

// audiencesFor are the audiences the request form offers a's
// organisation: those it teaches (a school's own years, no adults), or
// all of them when it cannot be read.
func (s *Server) audiencesFor(ctx context.Context, a *app.Actor) []string {
	org, err := s.svc.GetOrganisation(ctx, a, a.OrgID)
	if err != nil {
		s.log.WarnContext(ctx, "request form offers every audience", slog.String("error", err.Error()))
		return app.Audiences
	}
	var codes []string
	for _, code := range app.Audiences {
		if org.Teaches(code) {
			codes = append(codes, code)
		}
	}
	return codes
}

func editRequestData(id string, f requestForm, audiences []string) fiber.Map {
	return fiber.Map{"Title": "Change your request", "Action": "/requests/" + id + "/edit",
		"Submit": "Save changes", "Form": f, "RequestURL": "/requests/" + id,
		"Audiences": audiences,
		"Errors":    map[string]string{}}
}

// canRequest checks that a may post requests: members of schools,
// colleges and providers.
func canRequest(a *app.Actor) error {
	if a == nil {
		return app.Errorf(app.EUnauthorized, "Sign in to ask for an encounter.")
	}
	if !a.Kind.Learners() {
		return app.Errorf(app.EForbidden,
			"Only schools, colleges and adult-learning providers can post requests.")
	}
	return nil
}
