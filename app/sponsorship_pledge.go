package app

import (
	"context"
	"fmt"
	"strings"
	"time"
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
	if e.Demo {
		return nil, Errorf(EConflict, "%s", DemoMoneyMessage)
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

// PledgeStateInput is the coordinator's change of an offline pledge's
// state.
type PledgeStateInput struct {
	// EventID, when set, is the event the pledge must belong to: a pledge
	// of any other event is ENotFound.
	EventID string
	// State is SponsorPledged, SponsorReceived or SponsorWithdrawn.
	State string
}

// SetPledgeState records that an offline pledge was received or
// withdrawn, for the coordinator, or puts right a mistake: a received or
// withdrawn pledge may be moved back to pledged, or to the other state.
// Asking for the state it is in already changes nothing. The event's
// totals are recounted from its sponsorships; the sponsor's receipt and
// the organiser's notice are queued the first time support arrives.
func (s *Service) SetPledgeState(ctx context.Context, a *Actor, id string, in PledgeStateInput) (*Sponsorship, error) {
	if err := requireCoordinator(a); err != nil {
		return nil, err
	}
	if in.State != SponsorPledged && in.State != SponsorReceived && in.State != SponsorWithdrawn {
		var p Problems
		p.Add("state", "Choose whether the pledge is still pledged, received or withdrawn.")
		return nil, p.Err()
	}
	if !ValidID(id) {
		return nil, ErrNotFound("Sponsorship")
	}

	unreceived := false
	sp, err := s.editSponsorship(ctx, id, func(sp *Sponsorship) (bool, error) {
		if in.EventID != "" && sp.EventID != in.EventID {
			return false, ErrNotFound("Sponsorship")
		}
		if err := s.refuseDemoMoney(ctx, sp.EventID); err != nil {
			return false, err
		}
		was := sp.State
		changed, err := movePledge(sp, in.State, s.now())
		if changed && was == SponsorReceived {
			sp.Corrections++
			unreceived = true
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
	if err := s.announceSponsorship(ctx, e, sp, 0); err != nil {
		return nil, err
	}
	if unreceived {
		if err := s.announceCorrection(ctx, e, sp); err != nil {
			return nil, err
		}
	}
	s.log().InfoContext(ctx, "pledge state set", "sponsorship_id", sp.ID, "state", sp.State)
	return sp, nil
}

// movePledge moves an offline pledge to state, reporting whether it
// changed. PaidAt is when support arrived: set on receipt, cleared when a
// receipt is undone.
func movePledge(sp *Sponsorship, state string, now time.Time) (bool, error) {
	switch {
	case sp.Method == PayCard:
		return false, Errorf(EConflict, "Card payments follow Stripe: refund one instead.")
	case sp.State == state:
		return false, nil
	}

	sp.State = state
	sp.PaidAt = time.Time{}
	if state == SponsorReceived {
		sp.PaidAt = now.UTC()
	}
	return true, nil
}
