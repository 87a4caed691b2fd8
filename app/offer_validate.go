package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Offer limits.
const (
	OfferTitleMin       = 5
	OfferTitleMax       = 120
	OfferDescriptionMax = 4000
	SafeguardingMax     = 2000
	MaxSessions         = 50
	MaxPlaces           = 500
	// MaxSessionLength is the longest one session may last: a four-week
	// placement.
	MaxSessionLength = 28 * 24 * time.Hour
	MaxAtSchoolKm    = 100
)

const deliveryMessage = "Choose how the offer is delivered: in person, virtual or hybrid."

// sessionLayouts are the ways a session time may be typed without a zone,
// read in Europe/London; RFC 3339 is also accepted.
var sessionLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"}

// checkOffer validates every field of in and returns the offer it
// describes: the fields people type, placed, with sessions in time order.
// old is the stored offer when updating, nil when creating: its sessions
// keep their ids and booked places, and its type, booked audiences,
// delivery and postcode stay while bookings made for them are active
// (checkBookedOffer).
func (s *Service) checkOffer(ctx context.Context, in OfferInput, old *Offer) (*Offer, error) {
	var p Problems
	o := &Offer{
		Title:        checkLine(&p, "title", "a title", in.Title, OfferTitleMin, OfferTitleMax),
		Description:  checkText(&p, "description", "a description", in.Description, 1, OfferDescriptionMax),
		Type:         checkChoice(&p, "type", in.Type, OfferTypes, "Choose the type of offer."),
		Sector:       checkChoice(&p, "sector", in.Sector, Sectors, "Choose the sector of work."),
		Delivery:     checkChoice(&p, "delivery", in.Delivery, Deliveries, deliveryMessage),
		Access:       checkAccess(&p, in.Access),
		Safeguarding: checkText(&p, "safeguarding", "", in.Safeguarding, 0, SafeguardingMax),
	}
	o.Audience = checkAudience(&p, o.Type, in.Audience)
	checkAtSchool(&p, o, in)
	o.Sessions = checkSessions(&p, in.Sessions, old, s.now())
	if old != nil {
		if err := s.checkBookedSessions(ctx, &p, old, in.Sessions); err != nil {
			return nil, err
		}
	}

	if err := s.placeOffer(ctx, &p, o, in.Postcode); err != nil {
		return nil, err
	}
	if old != nil {
		if err := s.checkBookedOffer(ctx, &p, old, o); err != nil {
			return nil, err
		}
	}
	return o, p.Err()
}

// placeOffer places the offer's postcode, which every offer that meets in
// person needs.
func (s *Service) placeOffer(ctx context.Context, p *Problems, o *Offer, postcode string) error {
	if strings.TrimSpace(postcode) == "" {
		if o.Delivery != DeliveryVirtual && !p.Has("delivery") {
			p.Add("postcode", "Enter the postcode where the offer takes place, or where you travel to schools from.")
		}
		return nil
	}
	var err error
	o.Postcode, o.Location, err = s.placePostcode(ctx, p, "postcode", postcode)
	return err
}

func checkAtSchool(p *Problems, o *Offer, in OfferInput) {
	if !in.AtSchool {
		return
	}
	o.AtSchool = true

	if o.Delivery == DeliveryVirtual {
		p.Add("at_school", "An offer that comes to the school must be in person or hybrid.")
	}
	if in.AtSchoolKm < 1 || in.AtSchoolKm > MaxAtSchoolKm {
		p.Add("at_school_km", "Enter how far you will travel to schools, from 1 to %d km.", MaxAtSchoolKm)
		return
	}
	o.AtSchoolKm = in.AtSchoolKm
}

// checkText trims s and checks its length in characters and that it holds
// no character that does not show (see textProblem). what is the noun for
// "Enter ..." when s is required (min > 0).
func checkText(p *Problems, field, what, s string, min, max int) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0 && min > 0:
		p.Add(field, "Enter %s.", what)
	case n < min:
		p.Add(field, "%s must be at least %d characters long.", fieldLabel(field), min)
	case n > max:
		p.Add(field, "%s must be %d characters or fewer (it has %d).", fieldLabel(field), max, n)
	}
	checkTextChars(p, field, fieldLabel(field), s)
	return s
}

// checkLine is checkText for a field shown on one line, such as a title
// that becomes an email's subject and a calendar entry's summary (see
// lineProblem).
func checkLine(p *Problems, field, what, s string, min, max int) string {
	s = checkText(p, field, what, s, min, max)
	checkLineChars(p, field, fieldLabel(field), s)
	return s
}

// fieldLabel is a field name as the start of a sentence: "Title".
func fieldLabel(field string) string {
	words := strings.ReplaceAll(field, "_", " ")
	return strings.ToUpper(words[:1]) + words[1:]
}

// checkChoice checks that value is one of choices, with msg when not.
func checkChoice(p *Problems, field, value string, choices []Choice, msg string) string {
	value = strings.TrimSpace(value)
	if !InChoices(choices, value) {
		p.Add(field, "%s", msg)
	}
	return value
}

// checkAccess returns the distinct access features, in the list's order.
func checkAccess(p *Problems, raw []string) []string {
	out := []string{}
	for _, c := range AccessFeatures {
		if slices.Contains(raw, c.Value) {
			out = append(out, c.Value)
		}
	}

	for _, v := range raw {
		if !InChoices(AccessFeatures, v) {
			p.Add("access", "Choose access features from the list.")
			break
		}
	}
	return out
}

// checkAudience parses audience codes, returns them distinct and in order,
// and applies the rules of each offer and request type: work experience
// for pupils of compulsory school age only in Years 10 and 11 (and sixth
// form), teacher placements for teachers, adult work trials for adults.
func checkAudience(p *Problems, typ string, raw []string) []string {
	seen := map[string]bool{}
	for _, r := range raw {
		code, ok := ParseAudience(r)
		if !ok {
			p.Add("audience", "%q is not an audience we know: choose from Year 1 to Year 13, adults or teachers.", r)
			return nil
		}
		seen[code] = true
	}

	var out []string
	for _, code := range Audiences {
		if seen[code] {
			out = append(out, code)
		}
	}

	if len(out) == 0 {
		p.Add("audience", "Choose at least one audience: year groups, adults or teachers.")
		return nil
	}
	if msg := audienceRule(typ, out); msg != "" {
		p.Add("audience", "%s", msg)
	}
	return out
}

// audienceRule returns why audience does not suit an encounter of type typ.
func audienceRule(typ string, audience []string) string {
	switch typ {
	case TypeWorkExperience:
		for _, code := range audience {
			if y := YearOf(code); y >= 1 && y <= 9 {
				return "Work experience placements for pupils of compulsory school age are for Years 10 and 11 only " +
					"(Education Act 1996, section 560), so choose Year 10 or above, or offer " +
					AudienceLabel(code) + " a careers talk or a workplace visit instead."
			}
		}
	case TypeTeacherPlacement:
		if len(audience) != 1 || audience[0] != AudienceTeachers {
			return "A teacher industry placement is for teachers: choose Teachers as the only audience."
		}
	case TypeAdultWorkTrial:
		if len(audience) != 1 || audience[0] != AudienceAdults {
			return "An adult work trial is for adults: choose Adults as the only audience."
		}
	}
	return ""
}

// checkSessions validates the typed sessions against the stored ones of
// old (nil for a new offer). A new session, or one moved, must start after
// now; a session with bookings cannot be removed or shrunk below them.
func checkSessions(p *Problems, in []SessionInput, old *Offer, now time.Time) []Session {
	switch {
	case len(in) == 0:
		p.Add("sessions", "Add at least one session, with its date, times and places.")
		return nil
	case len(in) > MaxSessions:
		p.Add("sessions", "An offer can have at most %d sessions; you gave %d.", MaxSessions, len(in))
		return nil
	}

	out := make([]Session, 0, len(in))
	kept := map[string]bool{}
	for i, si := range in {
		prev := findSession(p, old, si.ID, i, kept)
		if ses, ok := checkSession(p, si, prev, i, now); ok {
			out = append(out, ses)
		}
	}
	if old != nil {
		checkRemovedSessions(p, old, kept)
	}
	sortSessions(out)
	return out
}

// findSession returns the stored session named by id, nil for a new one.
func findSession(p *Problems, old *Offer, id string, i int, kept map[string]bool) *Session {
	if id == "" {
		return nil
	}
	var prev *Session
	if old != nil {
		prev, _ = old.Session(id)
	}

	if prev == nil || kept[id] {
		p.Add(fmt.Sprintf("sessions[%d].id", i),
			"Session %d is not one of this offer's sessions: reload the page and try again.", i+1)
		return nil
	}
	kept[id] = true
	return prev
}

func checkSession(p *Problems, si SessionInput, prev *Session, i int, now time.Time) (Session, bool) {
	field := fmt.Sprintf("sessions[%d]", i)
	start, okStart := checkSessionTime(p, field+".start", "starts", si.Start, i)
	end, okEnd := checkSessionTime(p, field+".end", "ends", si.End, i)
	switch {
	case okStart && okEnd && !end.After(start):
		p.Add(field+".end", "Session %d must end after it starts.", i+1)
	case okStart && okEnd && end.Sub(start) > MaxSessionLength:
		p.Add(field+".end", "Session %d lasts more than %d days: list a longer placement as several sessions.",
			i+1, int(MaxSessionLength.Hours()/24))
	}
	moved := prev == nil || !prev.Start.Equal(start)
	if okStart && moved && !start.After(now) {
		p.Add(field+".start", "Session %d starts in the past: choose a date and time from now on.", i+1)
	}

	taken := 0
	if prev != nil {
		taken = prev.PlacesTaken
	}
	switch {
	case si.Places < 1 || si.Places > MaxPlaces:
		p.Add(field+".places", "Session %d must have from 1 to %d places.", i+1, MaxPlaces)
	case si.Places < taken:
		p.Add(field+".places", "Session %d has %d places booked already, so it needs at least that many.", i+1, taken)
	}

	ses := Session{ID: NewID("ses"), Start: start, End: end, Places: si.Places, PlacesTaken: taken}
	if prev != nil {
		ses.ID = prev.ID
	}
	return ses, okStart && okEnd
}

func checkSessionTime(p *Problems, field, verb, s string, i int) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		p.Add(field, "Enter when session %d %s.", i+1, verb)
		return time.Time{}, false
	}

	t, ok := ParseSessionTime(s)
	switch {
	case !ok && missingInLondon(s):
		p.Add(field, "Session %d %s at a time that does not exist in the UK: the clocks go forward "+
			"an hour that night. Choose a time after 2am.", i+1, verb)
	case !ok:
		p.Add(field, "Enter when session %d %s as a date and time, like 2026-03-14T09:30.", i+1, verb)
	}
	return t, ok
}

// missingInLondon reports whether s is a well-formed local time that never
// happens in Europe/London, because the clocks skip it in spring.
func missingInLondon(s string) bool {
	for _, layout := range sessionLayouts {
		if t, err := time.ParseInLocation(layout, s, London); err == nil {
			return t.Format(layout) != s
		}
	}
	return false
}

// ParseSessionTime reads a session time typed as RFC 3339 or as
// "2006-01-02T15:04" in Europe/London, and returns it in UTC.
func ParseSessionTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	for _, layout := range sessionLayouts {
		if t, err := time.ParseInLocation(layout, s, London); err == nil {
			// A time the clocks skip in spring is read by Go as an hour
			// later; refuse it rather than move the session silently.
			if t.Format(layout) != s {
				return time.Time{}, false
			}
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func checkRemovedSessions(p *Problems, old *Offer, kept map[string]bool) {
	for _, ses := range old.Sessions {
		if !kept[ses.ID] && ses.PlacesTaken > 0 {
			p.Add("sessions", "The session on %s has bookings, so it cannot be removed.",
				ses.Start.In(London).Format("Monday 2 January 2006 at 15:04"))
		}
	}
}
