package app

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// UpdateChecklist records checklist items on an active booking. Each side
// records only its own: the employer its assurance, dated the day its
// checks were decided (AssuranceOn, today when left out, neither in the
// future nor more than 10 years ago; a day alone corrects the day of an
// assurance already given), the date it shared its risk assessment (not
// in the future, nor more than a year before the session) and when its
// insurance expires (not before the session's last day); the booker how
// many parental consents it holds (0 to the places booked). The other
// side's items are EInvalid once, at the first of them given, as neither
// side's form has the other's inputs. Empty fields change nothing; when
// anything is refused or nothing changes, nothing is written.
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
		if in.ConsentCount != nil {
			p.Add("consent_count", "Only the organisation that booked records parental consent.")
		}
		s.employerItems(&p, &c, b, in)
		return c, p.Err()
	}

	if field := firstEmployerField(in); field != "" {
		p.Add(field, "Only the employer records its assurance, risk assessment and insurance.")
	}
	if n := in.ConsentCount; n != nil {
		switch {
		case *n < 0 || *n > b.Places:
			p.Add("consent_count", "Enter how many parental consents you hold, from 0 to %d.", b.Places)
		default:
			c.ConsentCount, c.ConsentGiven = *n, true
		}
	}
	return c, p.Err()
}

// firstEmployerField names the first of the employer's items given in,
// "" when none is.
func firstEmployerField(in ChecklistInput) string {
	switch {
	case in.Assurance:
		return "assurance"
	case strings.TrimSpace(in.AssuranceOn) != "":
		return "assurance_on"
	case strings.TrimSpace(in.RiskAssessmentOn) != "":
		return "risk_assessment_on"
	case strings.TrimSpace(in.InsuranceExpires) != "":
		return "insurance_expires"
	}
	return ""
}

// employerItems records the employer's items from in on c, refusing
// days that could not count for b's session.
func (s *Service) employerItems(p *Problems, c *Checklist, b *Booking, in ChecklistInput) {
	today := s.today()
	recordAssurance(p, c, in, today)

	if on, ok := checklistDate(p, "risk_assessment_on", "the date you shared the risk assessment",
		in.RiskAssessmentOn); ok {
		stale := staleRiskAssessment(on, b.Start)
		switch {
		case on.After(today):
			p.Add("risk_assessment_on", "The risk assessment date is in the future: enter the day you shared it.")
		case stale != "":
			p.Add("risk_assessment_on", "%s", stale)
		default:
			c.RiskAssessmentOn = on.UTC()
		}
	}

	if until, ok := checklistDate(p, "insurance_expires", "the day the insurance expires",
		in.InsuranceExpires); ok {
		short := shortInsurance(until, b)
		switch {
		case until.Before(today):
			p.Add("insurance_expires", "That insurance has expired: enter the expiry date of the current policy.")
		case short != "":
			p.Add("insurance_expires", "%s Enter the expiry date of a policy that covers the session.", short)
		default:
			c.InsuranceExpires = until.UTC()
		}
	}
}

// assuranceYears is how many years back the day of an assurance may be:
// an older day is a mistake, or checks that need deciding again.
const assuranceYears = 10

// recordAssurance records the employer's assurance on the day it gives,
// today when it gives none and none is recorded. A day alone corrects the
// day of an assurance already given; it is no assurance by itself.
func recordAssurance(p *Problems, c *Checklist, in ChecklistInput, today time.Time) {
	on, ok := checklistDate(p, "assurance_on", "the day your checks were decided", in.AssuranceOn)
	switch {
	case ok && on.After(today):
		p.Add("assurance_on", "The assurance is dated %s, which has not come yet: "+
			"enter the day your checks were decided.", longDate(on))
	case ok && on.Before(today.AddDate(-assuranceYears, 0, 0)):
		p.Add("assurance_on", "The assurance is dated %s, more than %d years ago: "+
			"enter the day your current checks were decided.", longDate(on), assuranceYears)
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
