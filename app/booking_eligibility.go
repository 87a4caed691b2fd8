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
//   - a provider, or a college that did not come from Get Information
//     About Schools, books only once the coordinator has verified it, as
//     a school's staff act for it only once their claim is approved;
//   - 1 place or more, and no more than the session has in all;
//   - the group is pupils (with their year groups), teachers or adults,
//     and the offer serves it;
//   - work experience for pupils of compulsory school age is for Years 10
//     and 11 only (Education Act 1996 s.560); Years 12 and 13 may book it;
//   - teacher industry placements are for teachers;
//   - adult work trials are for adults, booked by adult-learning and
//     employability providers;
//   - a school books only the year groups it teaches, when its age range
//     is known, and never adults.
//
// A booker who may not book the offer at all is EForbidden, whatever it
// gave; otherwise bad fields are EInvalid naming each.
func checkBookingInput(in BookingInput, o *Offer, ses Session, org *Organisation) (bookingGroup, error) {
	if err := mayBook(o, org); err != nil {
		return bookingGroup{}, err
	}

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
		checkGroupAudience(&p, in, o, org, g.Group)
	}
	return g, p.Err()
}

// mayBook refuses an organisation that may not book the offer at all:
// one the coordinator has not verified though it needs verifying (a
// provider, or a school or college not imported from Get Information
// About Schools: the rule that keeps a provider's requests awaiting
// verification), and one of a kind the offer is not for. A place on a
// waiting list is refused alike, as it is asked for through a booking.
func mayBook(o *Offer, org *Organisation) error {
	if !org.Trusted() {
		return Errorf(EForbidden, "The county coordinator has not verified %s yet, so it cannot book "+
			"places or join a waiting list. Its owners will be emailed once it is verified.", org.Name)
	}
	if why := NotForKind(o.Type, org.Kind); why != "" {
		return Errorf(EForbidden, "%s, so %s cannot book one.", why, org.Name)
	}
	return nil
}

// WhyCannotBook says why org may not book o at all (mayBook), or for no
// one in the offer's audience that org teaches, or "" when it may, so that
// a page can say so instead of showing a form that could only be refused.
func WhyCannotBook(o *Offer, org *Organisation) string {
	if err := mayBook(o, org); err != nil {
		return ErrorMessage(err)
	}
	if !slices.ContainsFunc(o.Audience, org.Teaches) {
		taught := "no adults"
		if ages := agesTaught(org); ages != "" {
			taught = ages
		}
		return fmt.Sprintf("This offer is for %s, and %s teaches %s, so it cannot book places on it.",
			audienceList(o.Audience), org.Name, taught)
	}
	return ""
}

// notTaught returns the first of the audience codes that org does not
// teach (Teaches), or "" when it teaches them all.
func notTaught(org *Organisation, codes []string) string {
	if i := slices.IndexFunc(codes, func(c string) bool { return !org.Teaches(c) }); i >= 0 {
		return codes[i]
	}
	return ""
}

// agesTaught describes the pupils org teaches, "pupils aged 11 to 16
// (Year 7 to Year 11)", or "" when its ages are not known.
func agesTaught(org *Organisation) string {
	first, last, ok := schoolYears(org)
	if !ok {
		return ""
	}
	return fmt.Sprintf("pupils aged %d to %d (%s)", org.LowAge, org.HighAge, yearSpan(first, last))
}

// Teaches reports whether org may book places or ask for an encounter for
// the audience code, as bookings and requests check: a school teaches no
// adults, nor school years outside its age range when that is known.
// Forms offer only what it teaches.
func (org *Organisation) Teaches(code string) bool {
	if org.Kind == KindSchool && code == AudienceAdults {
		return false
	}
	y := YearOf(code)
	if y == 0 {
		return true
	}
	first, last, ok := schoolYears(org)
	return !ok || (y >= first && y <= last)
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

	for _, y := range years {
		if msg := yearRule(o, fmt.Sprintf("y%d", y)); msg != "" {
			p.Add("year_groups", "%s", msg)
			return nil
		}
	}
	checkYearsTaught(p, org, years)
	return years
}

// checkYearsTaught refuses year groups a school does not teach (Teaches):
// a secondary school for ages 11 to 16 books Years 7 to 11, never Year 12.
func checkYearsTaught(p *Problems, org *Organisation, years []int) {
	codes := make([]string, len(years))
	for i, y := range years {
		codes[i] = fmt.Sprintf("y%d", y)
	}
	if code := notTaught(org, codes); code != "" {
		p.Add("year_groups", "%s teaches %s, so it cannot book places for %s.",
			org.Name, agesTaught(org), AudienceLabel(code))
	}
}

// schoolYears returns the first and last school years an organisation
// teaches, from its statutory lowest and highest ages as Get Information
// About Schools gives them, or false when they are not known. Pupils in
// Year y are aged y+4 on the first day of the school year and y+5 by its
// end, so the first year is the one pupils start at the lowest age and
// the last the one they finish at the highest: ages 4 to 11 are Reception
// (0) to Year 6, 11 to 16 Years 7 to 11, 9 to 13 Years 5 to 8, and 16 to
// 19 Years 12 and 13 (the 19 covers those who stay on). Years before
// Reception, below 0, are nursery.
func schoolYears(org *Organisation) (first, last int, ok bool) {
	if org == nil || org.HighAge == 0 {
		return 0, 0, false
	}
	first, last = org.LowAge-4, min(org.HighAge-5, 13)
	return first, last, first <= last
}

// yearSpan names a run of school years: "Reception to Year 6".
func yearSpan(first, last int) string {
	from, to := yearName(first), yearName(last)
	if from == to {
		return from
	}
	return from + " to " + to
}

// yearName names a school year, with Reception as 0 and nursery below.
func yearName(y int) string {
	switch {
	case y < 0:
		return "nursery"
	case y == 0:
		return "Reception"
	}
	return fmt.Sprintf("Year %d", y)
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

// checkGroupAudience checks a booking for teachers or adults. Schools
// teach no adults; colleges and providers may book places for them.
func checkGroupAudience(p *Problems, in BookingInput, o *Offer, org *Organisation, group string) {
	if len(in.YearGroups) > 0 {
		p.Add("year_groups", "Leave out year groups when you book places for %s.", group)
	}
	code := AudienceTeachers
	if group == GroupAdults {
		code = AudienceAdults
	}

	switch {
	case !o.ServesAudience(code):
		p.Add("group", "This offer is for %s, not %s.", audienceList(o.Audience), strings.ToLower(AudienceLabel(code)))
	case !org.Teaches(code):
		p.Add("group", "%s is a school, and schools teach no adults: book places for pupils or teachers.",
			org.Name)
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
