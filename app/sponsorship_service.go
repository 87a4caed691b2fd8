package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Sponsorship limits.
const (
	SponsorNameMax    = 100
	SponsorMessageMax = 500
	InKindMax         = 300
)

// ErrCardsUnavailable is wrapped in the error StartSponsorship and
// RefundSponsorship return when the payment provider cannot be reached or
// fails: the error's code is EInternal, and its message
// (CardsUnavailableMessage, RefundUnavailableMessage) is safe to show with
// the form kept.
var ErrCardsUnavailable = errors.New("card payments unavailable")

// ErrPaymentRefused is wrapped in the EConflict error Payments returns
// when the payment provider refuses a request; its message says why in
// plain English. Nothing was done.
var ErrPaymentRefused = errors.New("payment provider refused")

// RefundUnavailableMessage tells the coordinator that a refund was not
// made because the payment provider could not be reached or failed.
const RefundUnavailableMessage = "Stripe did not answer, so we cannot tell whether the refund was made. " +
	"Send this form again as it is, now or in a few minutes: Stripe makes one refund per form, " +
	"so it cannot refund twice."

// CardsUnavailableMessage tells a sponsor that card payment failed on the
// provider's side.
const CardsUnavailableMessage = "Card payment is not available just now. Please try again later, " +
	"or ask the organiser about a pledge."

// DemoCardMessage is the answer to a card payment for a demonstration
// event: the seeded "Demo:" events are invented, so no one may pay money
// to them.
const DemoCardMessage = "Card payment is not taken for a demonstration event: " +
	"this event is invented, to show how the service works."

// DemoMoneyMessage is the answer to a pledge or refund on a demonstration
// event: its money is invented and kept out of the real totals, so real
// money recorded there would be lost from them.
const DemoMoneyMessage = "This is a demonstration event: its money is invented and left out of " +
	"the county's totals, so pledges and refunds are not recorded for it."

// refuseDemoMoney answers DemoMoneyMessage when the event is a
// demonstration, whose invented money no one may change.
func (s *Service) refuseDemoMoney(ctx context.Context, eventID string) error {
	e, err := s.getEvent(ctx, eventID)
	if err != nil {
		return err
	}
	if e.Demo {
		return Errorf(EConflict, "%s", DemoMoneyMessage)
	}
	return nil
}

// errNoCardPayments is the answer to a card payment when Stripe is not
// configured.
func errNoCardPayments() error {
	return Errorf(EInvalid, "Card payment is not set up; the organiser can record a pledge instead.")
}

// CardPayments reports whether card payments are taken: Stripe is
// configured. When it is not, pages offer only offline pledges.
func (s *Service) CardPayments() bool { return s.Payments != nil }

// EventPath is the address of an event's public page, without BaseURL.
func EventPath(eventID string) string { return "/events/" + eventID }

// StartSponsorship begins a card sponsorship: the amount must lie within
// the event's limits and the event must be open, still to happen and not
// a demonstration (EConflict, and nothing recorded). The
// sponsorship is stored as pending before the payment provider is asked
// for a checkout, so every checkout has a record; it becomes paid only
// when the provider's webhook says so. It returns the sponsorship and the
// checkout address to send the sponsor to.
func (s *Service) StartSponsorship(ctx context.Context, in SponsorInput) (*Sponsorship, string, error) {
	if s.Payments == nil {
		return nil, "", errNoCardPayments()
	}
	e, err := s.getEvent(ctx, in.EventID)
	if err != nil {
		return nil, "", err
	}
	if err := s.checkTakesSponsors(e); err != nil {
		return nil, "", err
	}
	if e.Demo {
		return nil, "", Errorf(EConflict, "%s", DemoCardMessage)
	}
	sp, err := checkSponsor(e, in)
	if err != nil {
		return nil, "", err
	}

	now := s.now().UTC()
	sp.ID, sp.EventID, sp.Method, sp.State = NewID("spn"), e.ID, PayCard, SponsorPending
	sp.CreatedAt, sp.UpdatedAt = now, now
	if err := s.Store.CreateSponsorship(ctx, sp); err != nil {
		return nil, "", fmt.Errorf("create sponsorship: %w", err)
	}

	url, err := s.startCheckout(ctx, e, sp)
	if err != nil {
		return nil, "", err
	}
	s.log().InfoContext(ctx, "checkout started", "sponsorship_id", sp.ID, "event_id", e.ID,
		"amount_pence", sp.AmountPence)
	return sp, url, nil
}

// checkTakesSponsors refuses an event that is closed or has taken place.
func (s *Service) checkTakesSponsors(e *CivicEvent) error {
	switch {
	case e.Status != EventOpen:
		return Errorf(EConflict, "%s is closed to sponsorship.", e.Title)
	case e.Passed(s.now()):
		return Errorf(EConflict, "%s has taken place, so it takes no more sponsorships.", e.Title)
	}
	return nil
}

// checkSponsor validates the sponsor's form against the event.
func checkSponsor(e *CivicEvent, in SponsorInput) (*Sponsorship, error) {
	var p Problems
	sp := &Sponsorship{
		AmountPence: checkPounds(&p, "amount", "The amount", in.Amount, true, 0, e.MinPence, e.MaxPence),
		ItemID:      checkItemChoice(&p, e, in.ItemID),
		Name:        checkSponsorName(&p, "name", in.Name, "Enter your name."),
		Email:       normaliseEmail(in.Email),
		Named:       in.Named,
		Message:     checkText(&p, "message", "", in.Message, 0, SponsorMessageMax),
	}

	checkEmail(&p, sp.Email)
	sp.DisplayName = checkDisplayName(&p, in.DisplayName, in.Named)
	return sp, p.Err()
}

// checkItemChoice checks that id, when given, names one of e's items.
func checkItemChoice(p *Problems, e *CivicEvent, id string) string {
	id = strings.TrimSpace(id)
	if id != "" && e.Item(id) == nil {
		p.Add("item_id", "Choose one of the things this event's money pays for, or none.")
	}
	return id
}

// checkSponsorName checks a sponsor's private name: one line of at most
// SponsorNameMax characters.
func checkSponsorName(p *Problems, field, name, missing string) string {
	name = strings.TrimSpace(name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		p.Add(field, "%s", missing)
	case n > SponsorNameMax:
		p.Add(field, "%s must be %d characters or fewer (it has %d).", fieldLabel(field), SponsorNameMax, n)
	}
	checkLineChars(p, field, fieldLabel(field), name)
	return name
}

// checkDisplayName checks the public name, which a named sponsor needs.
func checkDisplayName(p *Problems, name string, named bool) string {
	name = strings.TrimSpace(name)
	switch {
	case named && name == "":
		p.Add("display_name", "Enter the name to show on the event page, or choose not to be named.")
	case utf8.RuneCountInString(name) > SponsorNameMax:
		p.Add("display_name", "The name to show must be %d characters or fewer (it has %d).",
			SponsorNameMax, utf8.RuneCountInString(name))
	}
	checkLineChars(p, "display_name", "The name to show", name)
	return name
}

// startCheckout asks the payment provider for a checkout and stores its id
// on the pending sponsorship. When the provider fails, the sponsorship is
// marked not started, so that it never waits for a payment that cannot
// come, and no one reads it as a payment that was tried and failed.
func (s *Service) startCheckout(ctx context.Context, e *CivicEvent, sp *Sponsorship) (string, error) {
	id, url, err := s.Payments.CreateCheckout(ctx, Checkout{
		SponsorshipID: sp.ID, EventTitle: e.Title, AmountPence: sp.AmountPence, Email: sp.Email,
		SuccessURL: s.BaseURL + EventPath(e.ID) + "/thanks",
		CancelURL:  s.BaseURL + EventPath(e.ID) + "/cancelled",
	})
	if err != nil {
		s.log().ErrorContext(ctx, "checkout not started", "sponsorship_id", sp.ID, "error", err)
		ferr := s.changeSponsorship(ctx, sp.ID, func(sp *Sponsorship) bool {
			sp.State = SponsorNotStarted
			return true
		})
		if ferr != nil {
			s.log().ErrorContext(ctx, "sponsorship not marked not started", "sponsorship_id", sp.ID,
				"error", ferr)
		}
		if ErrorCode(err) != EInternal {
			return "", err
		}
		return "", &Error{Code: EInternal, Message: CardsUnavailableMessage,
			Cause: fmt.Errorf("%w: %w", ErrCardsUnavailable, err)}
	}

	err = s.changeSponsorship(ctx, sp.ID, func(sp *Sponsorship) bool {
		sp.CheckoutSessionID = id
		return true
	})
	if err != nil {
		return "", err
	}
	sp.CheckoutSessionID = id
	return url, nil
}

// changeSponsorship reads a sponsorship afresh under this process's lock,
// lets change edit it, and writes it back when change reports a change.
func (s *Service) changeSponsorship(ctx context.Context, id string, change func(*Sponsorship) bool) error {
	_, err := s.editSponsorship(ctx, id, func(sp *Sponsorship) (bool, error) {
		return change(sp), nil
	})
	return err
}

// editSponsorship is changeSponsorship for changes that may refuse: an
// error from edit is returned and nothing is written. It returns the
// sponsorship as stored.
func (s *Service) editSponsorship(ctx context.Context, id string, edit func(*Sponsorship) (bool, error)) (*Sponsorship, error) {
	unlock := s.lock(lockSponsorship, id)
	defer unlock()
	sp, err := s.Store.GetSponsorship(ctx, id)
	if ErrorCode(err) == ENotFound {
		return nil, ErrNotFound("Sponsorship")
	}
	if err != nil {
		return nil, fmt.Errorf("get sponsorship: %w", err)
	}

	changed, err := edit(sp)
	if err != nil || !changed {
		return sp, err
	}
	sp.UpdatedAt = s.now().UTC()
	if err := s.Store.UpdateSponsorship(ctx, sp); err != nil {
		return nil, fmt.Errorf("update sponsorship: %w", err)
	}
	return sp, nil
}

// PublicSponsors lists the sponsors an event's page names: card payments
// paid and not refunded in full, and offline support received, whose
// sponsors agreed to be named. Private fields and amounts are left out.
func (s *Service) PublicSponsors(ctx context.Context, eventID string) ([]*Sponsorship, error) {
	e, err := s.getEvent(ctx, eventID)
	if err != nil {
		return nil, err
	}
	list, err := s.Store.ListSponsorships(ctx, e.ID)
	if err != nil {
		return nil, fmt.Errorf("list sponsorships: %w", err)
	}

	out := []*Sponsorship{}
	for _, sp := range list {
		if sp.Named && sp.DisplayName != "" && counted(sp) {
			out = append(out, publicSponsor(sp))
		}
	}
	return out, nil
}

// counted reports whether a sponsorship's money or support has arrived
// and stayed: paid and not refunded in full, or received.
func counted(sp *Sponsorship) bool {
	switch sp.State {
	case SponsorPaid:
		return sp.RefundedPence < sp.AmountPence
	case SponsorReceived:
		return true
	}
	return false
}

// publicSponsor is what anyone may see of a named sponsorship.
func publicSponsor(sp *Sponsorship) *Sponsorship {
	return &Sponsorship{
		ID: sp.ID, EventID: sp.EventID, ItemID: sp.ItemID, Method: sp.Method, State: sp.State,
		DisplayName: sp.DisplayName, Named: true,
		Message: sp.Message, InKind: sp.InKind, CreatedAt: sp.CreatedAt, PaidAt: sp.PaidAt,
	}
}

// ListSponsorships lists every sponsorship of an event, oldest first, with
// sponsors' private details: for the event's organiser and the
// coordinator only.
func (s *Service) ListSponsorships(ctx context.Context, a *Actor, eventID string) ([]*Sponsorship, error) {
	if err := requireMember(a); err != nil {
		return nil, err
	}
	e, err := s.getEvent(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if !canSeePrivate(a, e.OrgID) {
		return nil, Errorf(EForbidden, "Only the event's organiser and the county coordinator can see its sponsors' details.")
	}

	list, err := s.Store.ListSponsorships(ctx, e.ID)
	if err != nil {
		return nil, fmt.Errorf("list sponsorships: %w", err)
	}
	return list, nil
}
