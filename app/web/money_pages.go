package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// pledgeFields are the inputs of the form that records an offline pledge.
var pledgeFields = []string{"method", "amount", "name", "email", "display_name", "named",
	"in_kind", "item_id"}

// showMoney answers GET /coordinator/money: raised, refunded, fees,
// pledged, received and in-kind support for every event and in total.
func (s *Server) showMoney(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.svc.Reconciliation(ctx, actor(c))
	if err != nil {
		return s.pageError(c, err)
	}
	return s.render(c, fiber.StatusOK, "coordinator/money", fiber.Map{
		"Title": "Sponsorship money", "Report": newMoneyReport(r, s.marketNow()),
		"CardPayments": s.svc.CardPayments(),
	})
}

// exportMoneyCSV answers GET /coordinator/money/export.csv: every
// sponsorship as a spreadsheet, downloaded as a file. The file is written
// whole before anything is sent, so a failure shows an error page.
func (s *Server) exportMoneyCSV(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	var buf bytes.Buffer
	if err := s.svc.WriteSponsorshipsCSV(ctx, actor(c), &buf); err != nil {
		return s.pageError(c, err)
	}

	name := "sponsorships-" + s.now().In(app.London).Format("2006-01-02") + ".csv"
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", name))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusOK).Send(buf.Bytes())
}

// showEventSponsorships answers GET /coordinator/events/:id/sponsorships:
// every sponsorship of one event, with refund and pledge forms.
func (s *Server) showEventSponsorships(c *fiber.Ctx) error {
	return s.renderSponsorships(c, fiber.StatusOK, fiber.Map{"Form": map[string]string{}})
}

// renderSponsorships shows the event's sponsorships page with status;
// data may carry a form's values and problems.
func (s *Server) renderSponsorships(c *fiber.Ctx, status int, data fiber.Map) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	e, list, err := s.eventSponsorships(ctx, c)
	if err != nil {
		return s.pageError(c, err)
	}

	data["Title"] = "Sponsorships: " + e.Title
	data["Event"] = newEventCard(e, s.marketNow())
	data["Totals"] = newMoneyTotals(e.Totals)
	cards := s.svc.Payments != nil
	rows := newSponsorshipRows(e, list, cards)
	data["Sponsorships"] = rows
	data["Methods"] = pledgeMethods
	data["CardsOff"] = !cards && slices.ContainsFunc(list, func(sp *app.Sponsorship) bool {
		return sp.Method == app.PayCard && sp.State == app.SponsorPaid
	})
	if _, set := data["RowAmount"]; !set {
		data["RowAmount"] = map[string]string{}
	}
	if keys, ok := data["RowKey"].(map[string]string); ok {
		for i, row := range rows {
			if k := keys[row.ID]; k != "" && row.CanRefund {
				rows[i].RefundKey = k
			}
		}
	}
	return s.render(c, status, "coordinator/money_event", data)
}

// eventSponsorships loads the event named in the path and its
// sponsorships.
func (s *Server) eventSponsorships(ctx context.Context, c *fiber.Ctx) (
	*app.CivicEvent, []*app.Sponsorship, error,
) {
	id, a := c.Params("id"), actor(c)
	if !app.ValidID(id) {
		return nil, nil, app.ErrNotFound("Event")
	}
	e, err := s.svc.GetEvent(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	list, err := s.svc.ListSponsorships(ctx, a, e.ID)
	if err != nil {
		return nil, nil, err
	}
	return e, list, nil
}

// recordPledge answers POST /coordinator/events/:id/pledges: an offline
// pledge (invoice, bank transfer) or in-kind support is recorded.
func (s *Server) recordPledge(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.pageError(c, app.ErrNotFound("Event"))
	}
	in := app.PledgeInput{
		Method: c.FormValue("method"), Amount: c.FormValue("amount"), Name: c.FormValue("name"),
		Email: c.FormValue("email"), DisplayName: c.FormValue("display_name"),
		InKind: c.FormValue("in_kind"), ItemID: c.FormValue("item_id"),
		Named: c.FormValue("named") != "",
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	sp, err := s.svc.RecordPledge(ctx, actor(c), id, in)
	if err != nil {
		return s.moneyFormFailed(c, fiber.Map{"Form": formValues(c, pledgeFields...)}, err)
	}
	return s.redirectWithFlash(c, sponsorshipsURL(id),
		fmt.Sprintf("The %s of %s is recorded.", methodLabel(sp.Method), app.FormatPence(sp.AmountPence)))
}

// refundSponsorship answers POST
// /coordinator/events/:id/sponsorships/:sid/refund with amount in pounds,
// or blank for all that is left, and the form's idempotency_key: the same
// form sent twice refunds once. A sponsorship of another event is 404.
// When Stripe refuses (409) or cannot be reached (503), the page comes
// back with the reason at the refund form, and nothing is recorded.
func (s *Server) refundSponsorship(c *fiber.Ctx) error {
	id, sid := c.Params("id"), c.Params("sid")
	if !app.ValidID(id) || !app.ValidID(sid) {
		return s.pageError(c, app.ErrNotFound("Sponsorship"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	sp, err := s.svc.RefundSponsorship(ctx, actor(c), sid, app.RefundInput{
		EventID: id, Amount: c.FormValue("amount"), Key: c.FormValue("idempotency_key"),
	})
	if err != nil {
		data := rowProblem(sid, "refund", c.FormValue("amount"), err)
		if errors.Is(err, app.ErrCardsUnavailable) && app.ValidID(c.FormValue("idempotency_key")) {
			// Stripe may have made the refund: sending the form again
			// must reach it under the same key.
			data["RowKey"] = map[string]string{sid: c.FormValue("idempotency_key")}
		}
		return s.moneyFormFailed(c, data, err)
	}
	return s.redirectWithFlash(c, sponsorshipsURL(sp.EventID), fmt.Sprintf(
		"The refund is sent to Stripe: %s of %s refunded so far.",
		app.FormatPence(sp.RefundedPence), app.FormatPence(sp.AmountPence)))
}

// savePledgeState answers POST
// /coordinator/events/:id/sponsorships/:sid/pledge with state=received,
// withdrawn or pledged (to undo a mistake). A pledge of another event is
// 404.
func (s *Server) savePledgeState(c *fiber.Ctx) error {
	id, sid := c.Params("id"), c.Params("sid")
	if !app.ValidID(id) || !app.ValidID(sid) {
		return s.pageError(c, app.ErrNotFound("Sponsorship"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	sp, err := s.svc.SetPledgeState(ctx, actor(c), sid, app.PledgeStateInput{
		EventID: id, State: c.FormValue("state"),
	})
	if err != nil {
		return s.moneyFormFailed(c, rowProblem(sid, "pledge", "", err), err)
	}
	return s.redirectWithFlash(c, sponsorshipsURL(sp.EventID),
		"The pledge is marked "+stateLabel(sp.State)+".")
}

// moneyFormFailed answers a refused form of the sponsorships page: bad
// input and conflicts show the page again with the problems, and so does
// Stripe not answering, with 503 and a hint to try again in a minute;
// anything else is an error page.
func (s *Server) moneyFormFailed(c *fiber.Ctx, data fiber.Map, err error) error {
	code := app.ErrorCode(err)
	status := statusFor(code, c.Method())
	switch {
	case errors.Is(err, app.ErrCardsUnavailable):
		status = fiber.StatusServiceUnavailable
		c.Set(fiber.HeaderRetryAfter, "60")
	case code != app.EInvalid && code != app.EConflict:
		return s.pageError(c, err)
	}
	s.logError(c, err)
	for k, v := range formErrors(err) {
		if _, set := data[k]; !set {
			data[k] = v
		}
	}
	return s.renderSponsorships(c, status, data)
}

// rowProblem is the page data that shows err at one sponsorship's form
// (kind "refund" or "pledge"), whose id on the page is kind-sid, as each
// row's form has its own fields. Bad input, and a refund Stripe refused
// or could not be reached for, are said at the form, which the row still
// has; any other conflict (nothing left to refund, a pledge settled
// already) is said at the top only: the row may have no form any more.
func rowProblem(sid, kind, amount string, err error) fiber.Map {
	field := kind + "-" + sid
	message := app.ErrorMessage(err)
	if errors.Is(err, app.ErrCardsUnavailable) {
		message = app.RefundUnavailableMessage
	}
	data := fiber.Map{"Form": map[string]string{}, "RowAmount": map[string]string{sid: amount}}
	atForm := app.ErrorCode(err) == app.EInvalid || errors.Is(err, app.ErrCardsUnavailable) ||
		errors.Is(err, app.ErrPaymentRefused)
	if !atForm {
		data["ErrorList"] = []app.FieldError{{Message: message}}
		return data
	}
	data["Errors"] = map[string]string{field: message}
	data["ErrorList"] = []app.FieldError{{Field: field, Message: message}}
	return data
}

// sponsorshipsURL is the coordinator's page of one event's sponsorships.
func sponsorshipsURL(eventID string) string {
	return "/coordinator/events/" + eventID + "/sponsorships"
}
