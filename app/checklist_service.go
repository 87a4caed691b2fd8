package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// UpdateChecklist records checklist items on an active booking. Each side
// records only its own: the employer its assurance, dated the day its
// checks were decided (AssuranceOn, today when left out; a day alone
// corrects the day of an assurance already given), the date it shared its
// risk assessment (neither day in the future) and when its insurance
// expires (not already past); the booker how many parental consents it
// holds (0 to the places booked). Fields of the other side's are
// EInvalid naming each, with the reason said once. Empty fields change
// nothing; when nothing changes, nothing is written.
func (s *Service) UpdateChecklist(ctx context.Context, a *Actor, id string, in ChecklistInput) (*Booking, error) {
	b, unlock, err := s.lockedBooking(ctx, a, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	side := b.SideOf(a.OrgID)
	switch {
	case side == "":
		return nil, Errorf(EForbidden, "Only the employer and the organisation that booked can fill in the checklist.")
	case !b.Active():
		return nil, Errorf(EConflict, "This booking %s, so its checklist is closed.", stateWords(b.State))
	}

	c, err := s.checkChecklist(b, side, in)
	if err != nil || c == b.Checklist {
		return b, err
	}
	now := s.now().UTC()
	b.Checklist, b.UpdatedAt = c, now
	b.History = append(b.History, BookingEvent{At: now, UserID: a.UserID, Name: a.Name, OrgID: a.OrgID,
		Side: side, Move: MoveChecklist, From: b.State, To: b.State})
	if err := s.Store.UpdateBooking(ctx, b); err != nil {
		return nil, fmt.Errorf("update checklist: %w", err)
	}
	s.announceLogged(ctx, b)
	return b, nil
}

// checkChecklist returns b's checklist with side's items from in.
func (s *Service) checkChecklist(b *Booking, side string, in ChecklistInput) (Checklist, error) {
	var p Problems
	c := b.Checklist
	if side == SideEmployer {
		s.employerItems(&p, &c, in)
		if in.ConsentCount != nil {
			p.Add("consent_count", "Only the organisation that booked records parental consent.")
		}
		return c, p.Err()
	}

	employers := []struct {
		field string
		given bool
	}{
		{"assurance", in.Assurance},
		{"assurance_on", strings.TrimSpace(in.AssuranceOn) != ""},
		{"risk_assessment_on", strings.TrimSpace(in.RiskAssessmentOn) != ""},
		{"insurance_expires", strings.TrimSpace(in.InsuranceExpires) != ""},
	}
	for _, e := range employers {
		if e.given {
			p.Add(e.field, "Only the employer records its assurance, risk assessment and insurance.")
		}
	}
	if n := in.ConsentCount; n != nil {
		switch {
		case *n < 0 || *n > b.Places:
			p.Add("consent_count", "Enter how many parental consents you hold, from 0 to %d.", b.Places)
		default:
			c.ConsentCount, c.ConsentGiven = *n, true
		}
	}
	return c, sayOnce(p.Err())
}

// sayOnce leaves each sentence of a field error's message in once, so
// that several fields refused for one reason read as one refusal; every
// field keeps its own problem.
func sayOnce(err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	var said []string
	for _, f := range e.Fields {
		if !slices.Contains(said, f.Message) {
			said = append(said, f.Message)
		}
	}
	e.Message = strings.Join(said, " ")
	return e
}

func (s *Service) employerItems(p *Problems, c *Checklist, in ChecklistInput) {
	today := s.today()
	recordAssurance(p, c, in, today)

	if on, ok := checklistDate(p, "risk_assessment_on", "the date you shared the risk assessment",
		in.RiskAssessmentOn); ok {
		if on.After(today) {
			p.Add("risk_assessment_on", "The risk assessment date is in the future: enter the day you shared it.")
		} else {
			c.RiskAssessmentOn = on.UTC()
		}
	}

	if until, ok := checklistDate(p, "insurance_expires", "the day the insurance expires",
		in.InsuranceExpires); ok {
		if until.Before(today) {
			p.Add("insurance_expires", "That insurance has expired: enter the expiry date of the current policy.")
		} else {
			c.InsuranceExpires = until.UTC()
		}
	}
}

// recordAssurance records the employer's assurance on the day it gives,
// today when it gives none and none is recorded. A day alone corrects the
// day of an assurance already given; it is no assurance by itself.
func recordAssurance(p *Problems, c *Checklist, in ChecklistInput, today time.Time) {
	on, ok := checklistDate(p, "assurance_on", "the day your checks were decided", in.AssuranceOn)
	switch {
	case ok && on.After(today):
		p.Add("assurance_on", "The assurance is dated %s, which has not come yet: "+
			"enter the day your checks were decided.", longDate(on))
	case ok && !in.Assurance && c.AssuranceOn.IsZero():
		p.Add("assurance", "Confirm that your visitors and supervisors are suitably checked, "+
			"as well as giving the day.")
	case ok:
		c.AssuranceOn = on.UTC()
	case in.Assurance && c.AssuranceOn.IsZero() && !p.Has("assurance_on"):
		c.AssuranceOn = today.UTC()
	}
}

// checklistDate reads an optional date "2006-01-02" as midnight London.
func checklistDate(p *Problems, field, what, s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}

	t, err := time.ParseInLocation(DateLayout, s, London)
	if err != nil {
		p.Add(field, "Enter %s as a date, like 2026-03-14.", what)
		return time.Time{}, false
	}
	return t, true
}
