package app

import (
	"fmt"
	"slices"
	"strings"
)

// BookingDetailsMax is the longest the further details of a group may be.
const BookingDetailsMax = 2000

// bookingGroup is who a booking's places are for, once checked.
type bookingGroup struct {
	Places  int
	Group   string
	Years   []int
	Details string
}

// checkBookingInput checks what a booker gave against the offer, the
// session and the booking organisation, and applies the eligibility
// rules:
//
//   - 1 place or more, and no more than the session has in all;
//   - the group is pupils (with their year groups), teachers or adults,
//     and the offer serves it;
//   - work experience for pupils of compulsory school age is for Years 10
//     and 11 only (Education Act 1996 s.560); Years 12 and 13 may book it;
//   - teacher industry placements are for teachers;
//   - adult work trials are for adults, booked by adult-learning and
//     employability providers;
//   - a school books only the year groups it teaches, when its age range
//     is known.
//
// Bad fields are EInvalid naming each; a booker who may not book the
// offer at all is EForbidden.
func checkBookingInput(in BookingInput, o *Offer, ses Session, org *Organisation) (bookingGroup, error) {
	var p Problems
	g := bookingGroup{Places: in.Places, Details: checkText(&p, "details", "", in.Details, 0, BookingDetailsMax)}
	switch {
	case in.Places < 1:
		p.Add("places", "Enter how many places you need: 1 or more.")
	case in.Places > ses.Places:
		p.Add("places", "This session has %d places in all, so it cannot take %d.", ses.Places, in.Places)
	}

	g.Group = checkGroup(&p, in, o)
	switch g.Group {
	case GroupPupils:
		g.Years = checkYearGroups(&p, in.YearGroups, o, org)
	case GroupTeachers, GroupAdults:
		checkGroupAudience(&p, in, o, g.Group)
	}
	if err := p.Err(); err != nil {
		return g, err
	}

	if why := NotForKind(o.Type, org.Kind); why != "" {
		return g, Errorf(EForbidden, "%s, so %s cannot book one.", why, org.Name)
	}
	return g, nil
}

// NotForKind says why an organisation of kind may not book an offer of
// type at all, or "" when it may. Adult work trials are for colleges and
// providers: further education colleges run adult learning and
// employability programmes as providers do, and schools teach no adults.
func NotForKind(offerType string, kind OrgKind) string {
	if offerType == TypeAdultWorkTrial && kind != KindProvider && kind != KindCollege {
		return "Adult work trials are for colleges and adult-learning and employability providers"
	}
	return ""
}

// checkGroup reads who the places are for. Left out, it is pupils when
// year groups are given, and otherwise the offer's only kind of audience.
func checkGroup(p *Problems, in BookingInput, o *Offer) string {
	group := strings.ToLower(strings.TrimSpace(in.Group))
	if group == "" {
		group = defaultGroup(in, o)
	}
	if !slices.Contains([]string{GroupPupils, GroupTeachers, GroupAdults}, group) {
		p.Add("group", "Choose who the places are for: pupils, teachers or adults.")
		return ""
	}

	switch {
	case o.Type == TypeTeacherPlacement && group != GroupTeachers:
		p.Add("group", "A teacher industry placement is for teachers, so book it for teachers.")
	case o.Type == TypeAdultWorkTrial && group != GroupAdults:
		p.Add("group", "An adult work trial is for adults, so book it for adults.")
	}
	return group
}

func defaultGroup(in BookingInput, o *Offer) string {
	if len(in.YearGroups) > 0 {
		return GroupPupils
	}
	var pupils, teachers, adults bool
	for _, code := range o.Audience {
		switch code {
		case AudienceTeachers:
			teachers = true
		case AudienceAdults:
			adults = true
		default:
			pupils = true
		}
	}

	switch {
	case teachers && !pupils && !adults:
		return GroupTeachers
	case adults && !pupils && !teachers:
		return GroupAdults
	case pupils && !teachers && !adults:
		return GroupPupils
	}
	return ""
}

// checkYearGroups returns the pupils' year groups, distinct and in order,
// when the offer and the school allow them all.
func checkYearGroups(p *Problems, raw []int, o *Offer, org *Organisation) []int {
	if len(raw) == 0 {
		p.Add("year_groups", "Choose the year groups of the pupils.")
		return nil
	}
	years := slices.Clone(raw)
	slices.Sort(years)
	years = slices.Compact(years)
	if years[0] < 1 || years[len(years)-1] > 13 {
		p.Add("year_groups", "Year groups run from Year 1 to Year 13.")
		return nil
	}

	codes := make([]string, len(years))
	for i, y := range years {
		codes[i] = fmt.Sprintf("y%d", y)
		if msg := yearRule(o, codes[i]); msg != "" {
			p.Add("year_groups", "%s", msg)
			return nil
		}
	}

	var ages Problems
	checkSchoolAges(&ages, org, codes)
	for _, f := range ages.list {
		p.Add("year_groups", "%s", f.Message)
	}
	return years
}

// yearRule says why pupils of the year (code) cannot book the offer.
func yearRule(o *Offer, code string) string {
	if y := YearOf(code); o.Type == TypeWorkExperience && y < 10 {
		return "Work experience placements for pupils of compulsory school age are for Years 10 and 11 only " +
			"(Education Act 1996, section 560), so " + AudienceLabel(code) + " cannot book one: " +
			"look for a careers talk or a workplace visit instead."
	}
	if !o.ServesAudience(code) {
		return fmt.Sprintf("This offer is for %s, not %s.", audienceList(o.Audience), AudienceLabel(code))
	}
	return ""
}

// checkGroupAudience checks a booking for teachers or adults.
func checkGroupAudience(p *Problems, in BookingInput, o *Offer, group string) {
	if len(in.YearGroups) > 0 {
		p.Add("year_groups", "Leave out year groups when you book places for %s.", group)
	}
	code := AudienceTeachers
	if group == GroupAdults {
		code = AudienceAdults
	}
	if !o.ServesAudience(code) {
		p.Add("group", "This offer is for %s, not %s.", audienceList(o.Audience), strings.ToLower(AudienceLabel(code)))
	}
}

// audienceList names audiences in words: "Year 9, Year 10 and teachers".
func audienceList(codes []string) string {
	words := make([]string, len(codes))
	for i, c := range codes {
		words[i] = AudienceLabel(c)
		if YearOf(c) == 0 {
			words[i] = strings.ToLower(words[i])
		}
	}
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// groupAudiences returns the audience codes a booking's group covers:
// its year groups, "teachers" or "adults".
func groupAudiences(group string, years []int) []string {
	switch group {
	case GroupTeachers:
		return []string{AudienceTeachers}
	case GroupAdults:
		return []string{AudienceAdults}
	}
	codes := make([]string, len(years))
	for i, y := range years {
		codes[i] = fmt.Sprintf("y%d", y)
	}
	return codes
}
