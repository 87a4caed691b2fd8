package app

import (
	"context"
	"fmt"
	"strings"
)

// RecordPledge records offline support for an event, for the coordinator:
// money promised by invoice or bank transfer, or in-kind support (a venue,
// a coach) with its value. It works whether or not card payments are set
// up. A closed event takes no new pledges; one that has taken place does,
// since money often follows the day. The organiser's members are told.
func (s *Service) RecordPledge(ctx context.Context, a *Actor, eventID string, in PledgeInput) (*Sponsorship, error) {
	if err := requireCoordinator(a); err != nil {
		return nil, err
	}
	e, err := s.getEvent(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if e.Status != EventOpen {
		return nil, Errorf(EConflict, "%s is closed to sponsorship: open it again to record a pledge.", e.Title)
	}
	sp, err := checkPledge(e, in)
	if err != nil {
		return nil, err
	}

	now := s.now().UTC()
	sp.ID, sp.EventID, sp.State, sp.RecordedBy = NewID("spn"), e.ID, SponsorPledged, a.UserID
	sp.CreatedAt, sp.UpdatedAt = now, now
	if err := s.Store.CreateSponsorship(ctx, sp); err != nil {
		return nil, fmt.Errorf("record pledge: %w", err)
	}
	s.log().InfoContext(ctx, "pledge recorded", "sponsorship_id", sp.ID, "event_id", e.ID,
		"method", sp.Method, "amount_pence", sp.AmountPence)

	if _, err := s.recountEvent(ctx, e.ID); err != nil {
		return nil, err
	}
	return sp, nil
}

// checkPledge validates an offline pledge against the event.
func checkPledge(e *CivicEvent, in PledgeInput) (*Sponsorship, error) {
	var p Problems
	sp := &Sponsorship{
		Method: strings.TrimSpace(in.Method),
		ItemID: checkItemChoice(&p, e, in.ItemID),
		Name:   checkSponsorName(&p, "name", in.Name, "Enter the sponsor's name."),
		Email:  normaliseEmail(in.Email),
		Named:  in.Named,
	}
	if sp.Method != PayInvoice && sp.Method != PayTransfer && sp.Method != PayInKind {
		p.Add("method", "Choose how the pledge is given: invoice, bank transfer or in kind.")
	}

	what := "The amount"
	if sp.Method == PayInKind {
		what = "The value of the support"
		sp.InKind = checkText(&p, "in_kind", "what the support is, like a 50-seat coach", in.InKind, 1, InKindMax)
	}
	sp.AmountPence = checkPounds(&p, "amount", what, in.Amount, true, 0, 1, MaxGoalPence)

	if sp.Email != "" {
		checkAddress(&p, sp.Email, "")
	}
	sp.DisplayName = checkDisplayName(&p, in.DisplayName, in.Named)
	return sp, p.Err()
}

// SetPledgeState records that an offline pledge was received or
// withdrawn, for the coordinator. A pledge moves once, from pledged;
// asking for the state it is in already changes nothing. The sponsor's
// receipt and the organiser's notice are queued when support arrives.
func (s *Service) SetPledgeState(ctx context.Context, a *Actor, id, state string) (*Sponsorship, error) {
	if err := requireCoordinator(a); err != nil {
		return nil, err
	}
	if state != SponsorReceived && state != SponsorWithdrawn {
		var p Problems
		p.Add("state", "Choose whether the pledge was received or withdrawn.")
		return nil, p.Err()
	}
	if !ValidID(id) {
		return nil, ErrNotFound("Sponsorship")
	}

	sp, err := s.editSponsorship(ctx, id, func(sp *Sponsorship) (bool, error) {
		changed, err := movePledge(sp, state)
		if changed && state == SponsorReceived {
			sp.PaidAt = s.now().UTC()
		}
		return changed, err
	})
	if err != nil {
		return nil, err
	}
	e, err := s.recountEvent(ctx, sp.EventID)
	if err != nil {
		return nil, err
	}
	if err := s.announceSponsorship(ctx, e, sp); err != nil {
		return nil, err
	}
	s.log().InfoContext(ctx, "pledge state set", "sponsorship_id", sp.ID, "state", sp.State)
	return sp, nil
}

// movePledge moves a pledge to state, reporting whether it changed.
func movePledge(sp *Sponsorship, state string) (bool, error) {
	switch {
	case sp.Method == PayCard:
		return false, Errorf(EConflict, "Card payments follow Stripe: refund one instead.")
	case sp.State == state:
		return false, nil
	case sp.State != SponsorPledged:
		return false, Errorf(EConflict, "This pledge has been %s already, so it cannot be marked %s.", sp.State, state)
	}
	sp.State = state
	return true, nil
}
