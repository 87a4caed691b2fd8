package app

import (
	"fmt"
	"strings"
	"time"
)

// The safeguarding checklist asks for what a booking involves, and no
// more:
//
//	item              owed by   needed when
//	assurance         employer  the places are for pupils: employer staff
//	                            meet children, in person or online, in
//	                            every type of encounter
//	risk assessment   employer  learners or teachers come into the
//	                            workplace: workplace visits, work
//	                            experience, teacher placements and adult
//	                            work trials, unless delivered online only;
//	                            dated on or before today and no more than
//	                            a year before the session
//	insurance         employer  the same encounters; employers' liability
//	                            insurance that has not expired by the
//	                            session's last day
//	parental consent  booker    pupils on a workplace visit, work
//	                            experience or mentoring: one consent for
//	                            each pupil booked
//
// Careers talks and fairs for pupils need only the assurance: the pupils
// stay at school or in a public venue in their teachers' care. Teachers
// and adults consent for themselves. A booking can be confirmed only when
// every item it needs is done.

// riskAssessmentLife is how long before a session a risk assessment may
// have been shared and still count.
const riskAssessmentLife = 365 * 24 * time.Hour

// BookingChecklist returns the items b needs, in a fixed order, each
// saying which side owes it and whether it is done at now. An item given
// but not good enough carries the Problem.
func BookingChecklist(b *Booking, now time.Time) []ChecklistItem {
	var items []ChecklistItem
	c := b.Checklist

	if b.Group == GroupPupils {
		items = append(items, ChecklistItem{
			Key: ItemAssurance, Owner: SideEmployer, Done: !c.AssuranceOn.IsZero(),
			Label: "Assurance that visitors and supervisors are suitably checked",
		})
	}
	if atWorkplace(b) {
		items = append(items, riskAssessmentItem(b, now), insuranceItem(b))
	}

	if needsConsent(b) {
		items = append(items, ChecklistItem{
			Key: ItemConsent, Owner: SideBooker, Done: c.ConsentGiven && c.ConsentCount >= b.Places,
			Label: fmt.Sprintf("Parental consent for each pupil (%d of %d recorded)", c.ConsentCount, b.Places),
		})
	}
	return items
}

// ChecklistStillNeeded lists in words what b's checklist still needs at
// now before the booking can be confirmed, as the refusal to confirm
// names it; "" when every item is done.
func ChecklistStillNeeded(b *Booking, now time.Time) string {
	missing := missingItems(BookingChecklist(b, now), "")
	if len(missing) == 0 {
		return ""
	}
	return describeMissing(missing)
}

// atWorkplace reports whether the booking brings people into the
// employer's workplace.
func atWorkplace(b *Booking) bool {
	switch b.OfferType {
	case TypeWorkplaceVisit, TypeWorkExperience, TypeTeacherPlacement, TypeAdultWorkTrial:
		return b.Delivery != DeliveryVirtual
	}
	return false
}

// needsConsent reports whether the school must collect parental consent.
func needsConsent(b *Booking) bool {
	if b.Group != GroupPupils {
		return false
	}
	switch b.OfferType {
	case TypeWorkplaceVisit, TypeWorkExperience, TypeMentoring:
		return true
	}
	return false
}

func riskAssessmentItem(b *Booking, now time.Time) ChecklistItem {
	item := ChecklistItem{Key: ItemRiskAssessment, Owner: SideEmployer, Label: "Risk assessment shared"}
	on := b.Checklist.RiskAssessmentOn
	switch {
	case on.IsZero():
	case on.After(now):
		item.Problem = "The risk assessment is dated " + longDate(on) + ", which has not come yet."
	default:
		item.Problem = staleRiskAssessment(on, b.Start)
		item.Done = item.Problem == ""
	}
	return item
}

// staleRiskAssessment says why a risk assessment shared on on is too old
// for a session starting at start; "" when it is recent enough.
func staleRiskAssessment(on, start time.Time) string {
	if start.Sub(on) <= riskAssessmentLife {
		return ""
	}
	return "The risk assessment is from " + longDate(on) + ", more than a year before the session on " +
		longDate(start) + ": share a current one."
}

func insuranceItem(b *Booking) ChecklistItem {
	item := ChecklistItem{Key: ItemInsurance, Owner: SideEmployer,
		Label: "Employers' liability insurance covering the session"}
	if expires := b.Checklist.InsuranceExpires; !expires.IsZero() {
		item.Problem = shortInsurance(expires, b)
		item.Done = item.Problem == ""
	}
	return item
}

// shortInsurance says why insurance expiring on expires does not cover
// b's session, naming its day; "" when it lasts to the session's last day.
func shortInsurance(expires time.Time, b *Booking) string {
	if matchDay(expires) >= matchDay(b.End) {
		return ""
	}
	session := "the session on " + longDate(b.Start)
	if matchDay(b.Start) != matchDay(b.End) {
		session = "the session ends on " + longDate(b.End)
	}
	return "The insurance expires on " + longDate(expires) + ", before " + session + "."
}

// longDate is a date in London as sentences show it: "10 March 2026".
func longDate(t time.Time) string {
	return t.In(London).Format("2 January 2006")
}

// missingItems returns the items not done, owed by side ("" for both).
func missingItems(items []ChecklistItem, side string) []ChecklistItem {
	var out []ChecklistItem
	for _, it := range items {
		if !it.Done && (side == "" || it.Owner == side) {
			out = append(out, it)
		}
	}
	return out
}

// describeMissing lists missing items in a sentence: "the risk assessment
// (it is from ...) and parental consent".
func describeMissing(items []ChecklistItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = lowerFirst(it.Label)
		if it.Problem != "" {
			parts[i] += " (" + strings.TrimSuffix(lowerFirst(it.Problem), ".") + ")"
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], "; ") + "; and " + parts[len(parts)-1]
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
