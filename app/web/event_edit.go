package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// showMyEvents answers GET /account/events: the civic events the caller's
// organisation runs, newest first, a page at a time.
func (s *Server) showMyEvents(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	page := pageParam(c)
	events, total, err := s.svc.ListMyEvents(ctx, actor(c), page)
	if err != nil {
		return s.pageError(c, err)
	}

	now := s.marketNow()
	cards := make([]eventCard, 0, len(events))
	for _, e := range events {
		cards = append(cards, newEventCard(e, now))
	}
	return s.render(c, fiber.StatusOK, "events/mine", fiber.Map{
		"Title": "Your civic events", "Events": cards, "Total": total,
		"CanCreate": canCreateEvent(actor(c)),
		"Pager":     newPager(c, page, app.DefaultPerPage, total),
	})
}

// showNewEvent answers GET /events/new with an empty event form.
func (s *Server) showNewEvent(c *fiber.Ctx) error {
	if err := mayOrganise(actor(c)); err != nil {
		return s.pageError(c, err)
	}
	return s.render(c, fiber.StatusOK, "events/form", newEventData(eventForm{}))
}

// createEvent answers POST /events/new: the event is saved, open for
// sponsorship, and the organiser sent to its page; or the form comes back
// with its problems.
func (s *Server) createEvent(c *fiber.Ctx) error {
	if err := mayOrganise(actor(c)); err != nil {
		return s.pageError(c, err)
	}
	form := readEventForm(c)
	if err := form.problems(); err != nil {
		return s.formFailed(c, "events/form", newEventData(form), err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	e, err := s.svc.CreateEvent(ctx, actor(c), form.input())
	if err != nil {
		return s.formFailed(c, "events/form", newEventData(form), err)
	}
	return s.redirectWithFlash(c, "/events/"+e.ID, "Your event is saved and open for sponsorship.")
}

// showEditEvent answers GET /events/:id/edit for the organiser and the
// coordinator; anyone else gets 404.
func (s *Server) showEditEvent(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	e, err := s.manageableEvent(ctx, c)
	if err != nil {
		return s.pageError(c, err)
	}
	return s.render(c, fiber.StatusOK, "events/form", editEventData(e.ID, eventFormOf(e)))
}

// updateEvent answers POST /events/:id/edit.
func (s *Server) updateEvent(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	e, err := s.manageableEvent(ctx, c)
	if err != nil {
		return s.pageError(c, err)
	}
	form := readEventForm(c)
	if err := form.problems(); err != nil {
		return s.formFailed(c, "events/form", editEventData(e.ID, form), err)
	}

	if _, err := s.svc.UpdateEvent(ctx, actor(c), e.ID, form.input()); err != nil {
		return s.formFailed(c, "events/form", editEventData(e.ID, form), err)
	}
	return s.redirectWithFlash(c, "/events/"+e.ID, "Your changes are saved.")
}

// eventStatusMessages are what the organiser is told after opening or
// closing an event.
var eventStatusMessages = map[string]string{
	app.EventOpen:   "Your event is open: sponsors can fund it.",
	app.EventClosed: "Your event is closed: it takes no more sponsorships. Its record stays on its page.",
}

// saveEventStatus answers POST /events/:id/status with status=open or
// closed.
func (s *Server) saveEventStatus(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.pageError(c, app.ErrNotFound("Event"))
	}
	status := c.FormValue("status")

	ctx, cancel := s.ctx(c)
	defer cancel()
	if err := s.svc.SetEventStatus(ctx, actor(c), id, status); err != nil {
		return s.pageError(c, err)
	}
	return s.redirectWithFlash(c, "/events/"+id, eventStatusMessages[status])
}

// newEventData is the page data of the form for a new event.
func newEventData(f eventForm) fiber.Map {
	return fiber.Map{"Title": "Organise a civic event", "Action": "/events/new",
		"Submit": "Save and open for sponsorship", "Form": f.withSpareRows(),
		"Kinds": fundKindChoices(), "Errors": map[string]string{}}
}

// editEventData is the page data of the form for changing event id.
func editEventData(id string, f eventForm) fiber.Map {
	return fiber.Map{"Title": "Change your event", "Action": "/events/" + id + "/edit",
		"Submit": "Save changes", "Form": f.withSpareRows(), "EventURL": "/events/" + id,
		"Kinds": fundKindChoices(), "Errors": map[string]string{}}
}

// fundKindChoices lists what money may pay for, for the item rows.
func fundKindChoices() []app.Choice {
	out := make([]app.Choice, 0, len(app.FundKinds))
	for _, k := range app.FundKinds {
		out = append(out, app.Choice{Value: k, Label: fundKindLabel(k)})
	}
	return out
}

// mayOrganise checks that a may organise civic events.
func mayOrganise(a *app.Actor) error {
	if a == nil {
		return app.Errorf(app.EUnauthorized, "Sign in to organise an event.")
	}
	if !canCreateEvent(a) {
		return app.Errorf(app.EForbidden,
			"Only schools, colleges and the county coordinator can organise civic events.")
	}
	return nil
}

// manageableEvent loads the event named in the path for a change by its
// organiser or the coordinator. Any other caller gets ENotFound, as for
// an event that does not exist.
func (s *Server) manageableEvent(ctx context.Context, c *fiber.Ctx) (*app.CivicEvent, error) {
	id, a := c.Params("id"), actor(c)
	if !app.ValidID(id) || a == nil {
		return nil, app.ErrNotFound("Event")
	}
	e, err := s.svc.GetEvent(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !canManageEvent(a, e) {
		return nil, app.ErrNotFound("Event")
	}
	return e, nil
}
