package app

import (
	"context"
	"strings"
	"time"
)

// Request limits.
const (
	RequestTopicMax = 200
	RequestNotesMax = 2000
	MaxGroupSize    = 500
	MaxTravelKm     = 150
)

// DateLayout is how dates are typed: "2006-01-02".
const DateLayout = "2006-01-02"

// checkRequest validates every field of in and returns the request it
// describes. org is the asking organisation, whose postcode is used when in
// gives none. old is the stored request when updating: its window may stay
// in the past, a new or moved one may not.
func (s *Service) checkRequest(ctx context.Context, in RequestInput, org *Organisation, old *Request,
) (*Request, error) {
	var p Problems
	r := &Request{
		Type:      checkChoice(&p, "type", in.Type, OfferTypes, "Choose the type of encounter you want."),
		Topic:     checkLine(&p, "topic", "", in.Topic, 0, RequestTopicMax),
		GroupSize: in.GroupSize,
		TravelKm:  in.TravelKm,
		VirtualOK: in.VirtualOK,
		Access:    checkAccess(&p, in.Access),
		Notes:     checkText(&p, "notes", "", in.Notes, 0, RequestNotesMax),
	}
	if org != nil && !p.Has("type") {
		if why := NotForKind(r.Type, org.Kind); why != "" {
			p.Add("type", "%s, so %s cannot ask for one: choose another type.", why, org.Name)
		}
	}
	if r.Sector = strings.TrimSpace(in.Sector); r.Sector != "" {
		checkChoice(&p, "sector", r.Sector, Sectors, "Choose a sector from the list, or leave it blank.")
	}
	r.Audience = checkAudience(&p, r.Type, in.Audience)
	if !p.Has("audience") {
		checkSchoolAges(&p, org, r.Audience)
	}
	if in.GroupSize < 1 || in.GroupSize > MaxGroupSize {
		p.Add("group_size", "Enter how many learners will take part, from 1 to %d.", MaxGroupSize)
	}
	if in.TravelKm < 0 || in.TravelKm > MaxTravelKm {
		p.Add("travel_km", "Enter how far your learners can travel, from 0 to %d km.", MaxTravelKm)
	}
	r.From, r.To = s.checkWindow(&p, in.From, in.To, old)

	if err := s.placeRequest(ctx, &p, r, in.Postcode, org); err != nil {
		return nil, err
	}
	return r, p.Err()
}

// checkWindow reads the first and last days of a request. The window is at
// most a year long and, unless it is the stored one unchanged, must not
// have ended already.
func (s *Service) checkWindow(p *Problems, fromText, toText string, old *Request) (time.Time, time.Time) {
	from, okFrom := checkDate(p, "from", "the first day", fromText, true)
	to, okTo := checkDate(p, "to", "the last day", toText, true)
	if !okFrom || !okTo {
		return from, to
	}

	unchanged := old != nil && old.From.Equal(from) && old.To.Equal(to)
	switch {
	case to.Before(from):
		p.Add("to", "The last day must be the same as or after the first day.")
	case to.After(from.AddDate(1, 0, 0)):
		p.Add("to", "The dates can cover at most one year.")
	case !unchanged && to.Before(s.today()):
		p.Add("to", "The last day has passed: choose dates from today on.")
	}
	return from, to
}

// checkDate reads a date typed as "2006-01-02" and returns midnight London
// on that day, in UTC. what names the date in "Enter ...".
func checkDate(p *Problems, field, what, s string, required bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			p.Add(field, "Enter %s.", what)
		}
		return time.Time{}, false
	}

	t, err := time.ParseInLocation(DateLayout, s, London)
	if err != nil {
		p.Add(field, "Enter %s as a real date, like 2026-03-14.", what)
		return time.Time{}, false
	}
	return t.UTC(), true
}

// placeRequest places the request's postcode, or takes the organisation's.
func (s *Service) placeRequest(ctx context.Context, p *Problems, r *Request, postcode string, org *Organisation) error {
	if strings.TrimSpace(postcode) != "" {
		var err error
		r.Postcode, r.Location, err = s.placePostcode(ctx, p, "postcode", postcode)
		return err
	}

	if org.Postcode == "" || !org.Location.Known() {
		p.Add("postcode", "Enter the postcode where your learners will be.")
		return nil
	}
	r.Postcode, r.Location = org.Postcode, org.Location
	return nil
}

// checkSchoolAges refuses learners a school does not teach, as bookings
// do: adults, and school years outside its age range when that is known
// (schoolYears), so a primary school (ages 4 to 11) cannot ask for Year 10,
// nor an 11 to 16 school for Year 12.
func checkSchoolAges(p *Problems, org *Organisation, audience []string) {
	if org == nil {
		return
	}
	switch code := notTaught(org, audience); {
	case code == AudienceAdults:
		p.Add("audience", "%s is a school, and schools teach no adults: ask for pupils or teachers.", org.Name)
	case code != "":
		p.Add("audience", "%s teaches %s, so it cannot ask for %s.", org.Name, agesTaught(org), AudienceLabel(code))
	}
}
